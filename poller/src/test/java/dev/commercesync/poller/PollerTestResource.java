package dev.commercesync.poller;

import dev.commercesync.devstack.DevStackTestResource;
import dev.commercesync.devstack.Endpoints;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The real stack, plus the store registry's schema: in a deployment webhook-ingest migrates {@code stores} (the
 * poller only reads it), so the tests run that migration themselves, with its own history in {@code stores} exactly
 * as the ingest would.
 */
public class PollerTestResource extends DevStackTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Endpoints stack = SharedStack.endpoints();
        Flyway.configure(PollerTestResource.class.getClassLoader())
                .dataSource(stack.jdbcUrl(), stack.jdbcUser(), "")
                .schemas("stores")
                .locations("classpath:db/stores")
                .load()
                .migrate();
        return config;
    }
}
