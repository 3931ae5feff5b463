package dev.commercesync.console;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.testsupport.KafkaTestClient;
import dev.commercesync.testsupport.StoreRegistryTestResource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The real stack with the tables the console reads and others own: the store registry (webhook-ingest's migration)
 * and the operational state in the poller's, the sync-writer's and the reconciler's schemas (their own migrations of
 * {@code db/opstate}),
 * and the poller's command journal: the poller's own {@code db/poller} migrations, read from its source tree (the
 * console does not depend on the poller), so the journal the test writes is the poller's table as it is;
 * and the topics the console reads.
 */
public class ConsoleTestResource extends StoreRegistryTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Endpoints stack = SharedStack.endpoints();
        Path pollerMigrations = Path.of(System.getProperty("commercesync.root", ".."))
                .resolve("poller/src/main/resources/db/poller")
                .toAbsolutePath();
        Map<String, String[]> locations = Map.of(
                "poller", new String[] {"classpath:db/opstate", "filesystem:" + pollerMigrations},
                "syncwriter", new String[] {"classpath:db/opstate"},
                "reconciler", new String[] {"classpath:db/opstate"});
        locations.forEach((schema, where) -> Flyway.configure(ConsoleTestResource.class.getClassLoader())
                .dataSource(stack.jdbcUrl(), stack.jdbcUser(), "")
                .schemas(schema)
                .locations(where)
                // A reused stack may have applied db/opstate before db/poller (older runs of this test).
                .outOfOrder(true)
                .ignoreMigrationPatterns("*:missing")
                .load()
                .migrate());
        // The topics the console reads, before it starts: its charts' reader assigns the partitions that exist then.
        try (KafkaTestClient kafka = new KafkaTestClient(stack)) {
            kafka.ensureTopics(List.of(
                    CommerceTopic.RAW.topicName(),
                    CommerceTopic.APPLIED.topicName(),
                    CommerceTopic.QUARANTINE.topicName()));
        } catch (Exception e) {
            throw new IllegalStateException("could not create the console's topics", e);
        }
        return config;
    }
}
