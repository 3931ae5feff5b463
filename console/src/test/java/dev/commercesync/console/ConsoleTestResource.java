package dev.commercesync.console;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.testsupport.StoreRegistryTestResource;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The real stack with the tables the console reads and others own: the store registry (webhook-ingest's migration)
 * and the operational state in the poller's, the sync-writer's and the reconciler's schemas (their own migrations of {@code db/opstate}).
 */
public class ConsoleTestResource extends StoreRegistryTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Endpoints stack = SharedStack.endpoints();
        for (String schema : new String[] {"poller", "syncwriter", "reconciler"}) {
            Flyway.configure(ConsoleTestResource.class.getClassLoader())
                    .dataSource(stack.jdbcUrl(), stack.jdbcUser(), "")
                    .schemas(schema)
                    .locations("classpath:db/opstate")
                    // On a reused ./synctl up stack the poller's history also holds its own db/poller migrations.
                    .ignoreMigrationPatterns("*:missing")
                    .load()
                    .migrate();
        }
        return config;
    }
}
