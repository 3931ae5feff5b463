package dev.commercesync.testsupport;

import dev.commercesync.devstack.Endpoints;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The real stack, plus the store registry's schema: in a deployment webhook-ingest migrates {@code stores}; the
 * services that only read it (poller, reconciler) run that migration in their tests themselves, with its own history
 * in {@code stores} exactly as the ingest would. Needs module {@code stores} (its {@code db/stores} migrations) on the
 * test class path.
 */
public class StoreRegistryTestResource extends DevStackTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Endpoints stack = SharedStack.endpoints();
        Flyway.configure(StoreRegistryTestResource.class.getClassLoader())
                .dataSource(stack.jdbcUrl(), stack.jdbcUser(), "")
                .schemas("stores")
                .locations("classpath:db/stores")
                .load()
                .migrate();
        return config;
    }
}
