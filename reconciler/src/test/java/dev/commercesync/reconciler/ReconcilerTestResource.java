package dev.commercesync.reconciler;

import dev.commercesync.devstack.DevStackTestResource;
import dev.commercesync.devstack.Endpoints;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The real stack, plus the store registry's schema: in a deployment webhook-ingest migrates {@code stores} (the
 * reconciler only reads it, and reconciles only the stores it holds), so the tests run that migration themselves.
 */
public class ReconcilerTestResource extends DevStackTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Endpoints stack = SharedStack.endpoints();
        Flyway.configure(ReconcilerTestResource.class.getClassLoader())
                .dataSource(stack.jdbcUrl(), stack.jdbcUser(), "")
                .schemas("stores")
                .locations("classpath:db/stores")
                .load()
                .migrate();
        return config;
    }
}
