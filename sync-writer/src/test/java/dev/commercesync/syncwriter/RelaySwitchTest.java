package dev.commercesync.syncwriter;

import static dev.commercesync.devstack.Waiting.until;
import static dev.commercesync.syncwriter.CanonicalEvents.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.syncwriter.outbox.OutboxRelay;
import dev.commercesync.syncwriter.outbox.OutboxRelayHealth;
import dev.commercesync.syncwriter.outbox.RelayStartup;
import dev.commercesync.testsupport.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code syncwriter.outbox.relay-enabled=false}, as on every sync-writer but the one relay (deploy/k8s: Deployment
 * sync-writer-relay): the instance applies events and is ready, and never reads the replication slot.
 *
 * <p>The switch is read only by {@link OutboxRelay}'s start-up, so the test builds a relay with the switch off from
 * this application's settings and runs its start-up, with this application's own relay stopped: the switched-off
 * relay is then the only one beside the writer's consumer, against the real PostgreSQL, broker and registry.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class RelaySwitchTest {
    @Inject
    AgroalDataSource dataSource;

    /** This application's relay (the tests' configuration enables it). */
    @Inject
    OutboxRelay relay;

    @Inject
    SyncWriterConfig config;

    @Inject
    SyncWriterMetrics metrics;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void anInstanceWithoutTheRelayAppliesEventsAndLeavesTheSlotToTheRelay() throws Exception {
        OutboxRelay switchedOff = new OutboxRelay(relayDisabled(config), metrics, jdbcUrl, user, password, kafkaConfig);
        // A relay stopped while its engine still starts keeps its replication connection: stop a streaming one.
        assertTrue(until(Duration.ofSeconds(60), this::slotActive), "this application's relay reads the slot");
        relay.stop();
        try {
            assertTrue(
                    until(Duration.ofSeconds(60), () -> !slotActive()), "this application's relay let go of the slot");
            RelayStartup.start(switchedOff);

            TestKafka.createTopics();
            OrderEvent event = order(CanonicalEvents.newStore(), "1", 1, "USD", "A");
            try (KafkaProducer<String, SpecificRecord> producer = TestKafka.avroProducer()) {
                TestKafka.send(producer, event);
            }
            TestKafka.awaitProcessed(dataSource, event);

            assertEquals(OutboxRelay.State.DISABLED, switchedOff.state());
            HealthCheckResponse ready = new OutboxRelayHealth(switchedOff).call();
            assertEquals("Outbox relay", ready.getName());
            assertEquals(HealthCheckResponse.Status.UP, ready.getStatus(), "ready without the relay");
            assertEquals("DISABLED", ready.getData().orElseThrow().get("state"));
            // Flyway's callback made the slot (so that the relay instance loses no change), but nobody here reads it.
            assertFalse(slotActive(), "no reader of the slot on this instance");
        } finally {
            switchedOff.stop(); // had the switch been ignored, its relay lets go of the slot
            relay.start(); // leave a running relay to the next test
        }
    }

    /** Whether someone reads the outbox's replication slot; fails when the slot does not exist. */
    private boolean slotActive() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, config.outbox().slotName());
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "the slot exists");
                return r.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading pg_replication_slots failed", e);
        }
    }

    /** This application's settings with {@code syncwriter.outbox.relay-enabled=false}. */
    private static SyncWriterConfig relayDisabled(SyncWriterConfig config) {
        SyncWriterConfig.Outbox outbox = with(SyncWriterConfig.Outbox.class, config.outbox(), "relayEnabled", false);
        return with(SyncWriterConfig.class, config, "outbox", outbox);
    }

    /** {@code delegate} with the getter {@code getter} answering {@code value}. */
    private static <T> T with(Class<T> type, T delegate, String getter, Object value) {
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals(getter) && method.getParameterCount() == 0
                        ? value
                        : method.invoke(delegate, args)));
    }
}
