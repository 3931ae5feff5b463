package dev.commercesync.syncwriter;

import static dev.commercesync.syncwriter.CanonicalEvents.order;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.syncwriter.outbox.OutboxRelay;
import dev.commercesync.testsupport.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * {@code syncwriter.outbox.relay-enabled=false}, as on every sync-writer but the one relay (deploy/k8s: Deployment
 * sync-writer-relay): the instance applies events and is ready, and never reads the replication slot.
 */
@QuarkusTest
@TestProfile(RelaySwitchTest.RelayOff.class)
@WithTestResource(DevStackTestResource.class)
class RelaySwitchTest {
    public static class RelayOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncwriter.outbox.relay-enabled", "false");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    SyncWriterConfig config;

    @Test
    void anInstanceWithoutTheRelayAppliesEventsAndLeavesTheSlotToTheRelay() throws Exception {
        TestKafka.createTopics();
        OrderEvent event = order(CanonicalEvents.newStore(), "1", 1, "USD", "A");
        try (KafkaProducer<String, SpecificRecord> producer = TestKafka.avroProducer()) {
            TestKafka.send(producer, event);
        }
        TestKafka.awaitProcessed(dataSource, event);

        assertEquals(OutboxRelay.State.DISABLED, relay.state());
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'Outbox relay' }.data.state", is("DISABLED"))
                .body("checks.name", hasItem("Outbox relay"));
        // Flyway's callback made the slot (so that the relay instance loses no change), but nobody here reads it.
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, config.outbox().slotName());
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "the slot exists");
                assertEquals(false, r.getBoolean(1), "no reader of the slot on this instance");
            }
        }
    }
}
