package dev.commercesync.syncwriter;

import static dev.commercesync.devstack.Waiting.until;
import static dev.commercesync.syncwriter.CanonicalEvents.order;
import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.StackFaults;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.syncwriter.outbox.OutboxRelay;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sync-writer while the infrastructure is away: PostgreSQL hung (every process SIGSTOPped) and the broker frozen. The
 * writer must wait and recover by itself — no valid event dead-lettered, no consumer or relay stopped for good — and
 * say so in liveness only once it has been stuck for longer than its bound. Short timeouts (the tests' configuration,
 * {@code %test.*} in application.properties) stand for the production ones, so that the outages outlast them in
 * seconds rather than minutes.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class SyncWriterRecoveryTest {
    private static final Pattern DEAD_LETTERED =
            Pattern.compile("(?m)^commercesync_syncwriter_dead_lettered_total\\{[^}]*} ([0-9.E]+)$");

    private static KafkaProducer<String, SpecificRecord> producer;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @BeforeAll
    static void topicsAndProducer() throws Exception {
        TestKafka.createTopics();
        producer = TestKafka.avroProducer();
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void aHungDatabaseDelaysEventsButNeitherDeadLettersThemNorStopsTheConsumer() throws Exception {
        String store = CanonicalEvents.newStore();
        SpecificRecord before = order(store, "5000", 1, "USD", "A");
        send(before);
        TestKafka.awaitProcessed(dataSource, before);
        double deadLetteredBefore = deadLettered();

        List<SpecificRecord> during = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            during.add(order(store, Integer.toString(5000 + i), 1, "USD", "A"));
        }
        boolean reportedStuck;
        try (StackFaults.Fault hung = SharedStack.faults().pausePostgres()) {
            send(during.toArray(SpecificRecord[]::new));
            // Hung for longer than the statement, pool and transaction timeouts and the liveness bound; a writer that
            // dead-letters instead of waiting shows it sooner.
            reportedStuck = until(
                    Duration.ofSeconds(90),
                    () -> liveness("Canonical consumer").equals("DOWN") || deadLettered() > deadLetteredBefore);
        }

        TestKafka.awaitProcessed(dataSource, during.toArray(SpecificRecord[]::new));
        assertEquals(deadLetteredBefore, deadLettered(), "no valid event is dead-lettered because PostgreSQL hung");
        assertTrue(
                TestKafka.read(
                                CommerceTopic.SYNC_DLQ.topicName(),
                                SyncDeadLetter.class,
                                (SyncDeadLetter d) -> d.getSourceKey() != null
                                        && d.getSourceKey().contains(store),
                                found -> true,
                                Duration.ofSeconds(2))
                        .isEmpty(),
                "no dead letter for the store's events");
        assertTrue(reportedStuck, "liveness reported the consumer stuck once the hang outlasted its bound");
        assertTrue(
                until(Duration.ofSeconds(30), () -> liveness("Canonical consumer")
                        .equals("UP")),
                "the same consumer goes on after the hang: liveness UP again");
        TestKafka.appliedRecords(store, Set.of(TestKafka.ids(during.toArray(SpecificRecord[]::new))));
        assertTrue(
                until(
                        Duration.ofSeconds(30),
                        () -> given().get("/q/health/live").statusCode() == 200),
                "liveness UP: " + given().get("/q/health/live").asString());
    }

    /**
     * A relay whose Kafka acknowledgements time out stopped for good. Now it restarts with backoff, reports itself in
     * liveness once it has failed for longer than its bound, and relays everything once the broker is back.
     */
    @Test
    void theOutboxRelayRestartsItselfAfterKafkaStoppedAcknowledging() throws Exception {
        String store = CanonicalEvents.newStore();
        List<SpecificRecord> events = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            events.add(order(store, Integer.toString(6000 + i), 1, "USD", "A"));
        }
        relay.stop();
        try {
            send(events.toArray(SpecificRecord[]::new));
            TestKafka.awaitProcessed(dataSource, events.toArray(SpecificRecord[]::new));
            boolean reportedFailing;
            try (StackFaults.Fault frozen = SharedStack.faults().pauseKafka()) {
                relay.start(); // reads the outbox rows from the slot; Kafka does not acknowledge them
                reportedFailing = until(
                        Duration.ofSeconds(90), () -> liveness("Outbox relay").equals("DOWN"));
            }
            // Nobody restarts the relay: every applied record arrives once the broker is back (fails after 60 s).
            TestKafka.appliedRecords(store, Set.of(TestKafka.ids(events.toArray(SpecificRecord[]::new))));
            assertTrue(reportedFailing, "liveness reported the failing relay once it failed for longer than its bound");
            assertTrue(
                    until(
                            Duration.ofSeconds(60),
                            () -> liveness("Outbox relay").equals("UP") && relay.state() == OutboxRelay.State.RUNNING),
                    "the relay runs again: " + given().get("/q/health/live").asString());
        } finally {
            if (relay.state() != OutboxRelay.State.RUNNING) {
                relay.start(); // leave a running relay to the next test, whatever happened here
            }
        }
    }

    private static void send(SpecificRecord... events) throws Exception {
        TestKafka.send(producer, events);
    }

    /** The status of one liveness check, or "MISSING". */
    private static String liveness(String check) {
        JsonPath health = given().get("/q/health/live").jsonPath();
        List<Map<String, Object>> checks = health.getList("checks");
        return checks.stream()
                .filter(c -> check.equals(c.get("name")))
                .map(c -> (String) c.get("status"))
                .findFirst()
                .orElse("MISSING");
    }

    /** Dead letters this writer has published, over all error classes. */
    private static double deadLettered() {
        Matcher m = DEAD_LETTERED.matcher(given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
