package dev.commercesync.syncwriter;

import static dev.commercesync.syncwriter.CanonicalEvents.order;
import static dev.commercesync.syncwriter.CanonicalEvents.orderDelete;
import static dev.commercesync.syncwriter.CanonicalEvents.product;
import static dev.commercesync.syncwriter.CanonicalEvents.redelivery;
import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.schemas.envelope.VersionBasis;
import dev.commercesync.syncwriter.outbox.OutboxRelay;
import dev.commercesync.testsupport.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sync-writer on the real broker, registry and PostgreSQL: canonical events in, target rows, applied records and dead
 * letters out. Each test uses its own store, so tests do not see each other's rows or records.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class SyncWriterFlowTest {
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
    void duplicateAndOutOfOrderEventsLeaveExactlyTheNewestVersionOnce() throws Exception {
        String store = CanonicalEvents.newStore();
        OrderEvent v2 = order(store, "1001", 2, "USD", "A");
        OrderEvent v1 = order(store, "1001", 1, "USD", "OLD");
        OrderEvent v3 = order(store, "1001", 3, "USD", "B", "C");
        OrderEvent v2Polled = order(store, "1001", 2, "USD", "A"); // same change seen by the poller: new event id
        ProductEvent p5 = product(store, "77", 5, "S", "M");
        ProductEvent p3 = product(store, "77", 3, "XS");
        ProductEvent p7 = product(store, "77", 7, "L");

        send(v2, v1, v3, redelivery(v3), v2Polled, redelivery(v2), p5, p3, p7, redelivery(p7));
        awaitProcessed(v2, v1, v3, v2Polled, p5, p3, p7);

        Map<String, Object> orderRow = row("target.orders", v3.getMetadata().getEntityKey());
        assertEquals(new BigDecimal(v3.getMetadata().getSourceUpdatedAt().toEpochMilli()), orderRow.get("version"));
        assertEquals(v3.getMetadata().getEventId(), orderRow.get("event_id"));
        assertEquals(false, orderRow.get("deleted"));
        assertTrue(orderRow.get("data").toString().contains("\"sku\": \"C\""), "data holds v3's JSON");
        assertEquals(
                ContentFingerprint.of(v3.getOrder()),
                orderRow.get("content_fingerprint"),
                "the fingerprint of v3's content, which the reconciler compares for types without updated-at");
        assertEquals(
                List.of("B", "C"),
                strings(
                        "SELECT sku FROM target.order_lines WHERE order_key = ? ORDER BY position",
                        v3.getMetadata().getEntityKey()));
        assertEquals(1L, count("SELECT count(*) FROM target.orders WHERE store = ?", store));

        Map<String, Object> productRow = row("target.products", p7.getMetadata().getEntityKey());
        assertEquals(new BigDecimal(7), productRow.get("version"));
        assertEquals("SOURCE_VERSION", productRow.get("version_basis"));
        assertEquals("Product v7", productRow.get("title"));
        assertEquals(
                List.of("L"),
                strings(
                        "SELECT sku FROM target.product_variants WHERE product_key = ?",
                        p7.getMetadata().getEntityKey()));

        assertEquals("STALE", outcome(v1));
        assertEquals("STALE", outcome(v2Polled));
        assertEquals("STALE", outcome(p3));
        assertEquals(
                0L,
                count(
                        "SELECT count(*) FROM syncwriter.processed_events WHERE event_id = ?"
                                + " AND (claimed_at IS NULL OR claimed_at < processed_at)",
                        id(v3)),
                "claimed_at is the wall clock of the claim, within its transaction");

        Map<String, Long> applied = appliedPerEvent(store, Set.of(ids(v2, v3, p5, p7)));
        assertEquals(
                Map.of(id(v2), 1L, id(v3), 1L, id(p5), 1L, id(p7), 1L),
                applied,
                "one applied record per applied change, none for stale or duplicate events");

        given().header("Authorization", INTERNAL_AUTH)
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("commercesync_syncwriter_noop_total{entity_type=\"order\",reason=\"duplicate\"}"))
                .body(containsString("commercesync_syncwriter_applied_total{entity_type=\"product\"}"));
    }

    @Test
    void aDeleteFollowedByAnOlderUpsertDoesNotResurrect() throws Exception {
        String store = CanonicalEvents.newStore();
        OrderEvent created = order(store, "2002", 1, "EUR", "A", "B");
        OrderEvent deleted = orderDelete(store, "2002", 5);
        OrderEvent lateUpdate = order(store, "2002", 3, "EUR", "A");

        send(created, deleted, lateUpdate);
        awaitProcessed(created, deleted, lateUpdate);

        Map<String, Object> row = row("target.orders", created.getMetadata().getEntityKey());
        assertEquals(true, row.get("deleted"));
        assertNull(row.get("data"));
        assertEquals(new BigDecimal(deleted.getMetadata().getSourceUpdatedAt().toEpochMilli()), row.get("version"));
        assertEquals(
                0L,
                count(
                        "SELECT count(*) FROM target.order_lines WHERE order_key = ?",
                        created.getMetadata().getEntityKey()));
        assertEquals("STALE", outcome(lateUpdate));

        List<AppliedChange> applied = appliedRecords(store, Set.of(ids(created, deleted)));
        assertEquals(2, applied.size(), applied.toString());
        AppliedChange tombstone = applied.stream()
                .filter(a -> a.getEventId().equals(id(deleted)))
                .findFirst()
                .orElseThrow();
        assertEquals("DELETE", tombstone.getOperation().name());
        assertEquals(VersionBasis.SOURCE_UPDATED_AT, tombstone.getVersionBasis());
        assertEquals(Long.toString(deleted.getMetadata().getSourceUpdatedAt().toEpochMilli()), tombstone.getVersion());
    }

    /**
     * A platform that gives an entity no version (BigCommerce inventory levels: no updated-at, read from its API) is
     * ordered by when commerce-sync read it: a later read saw a later state, and an earlier read arriving late does
     * not overwrite it.
     */
    @Test
    void anEntityWithoutAnyPlatformVersionIsOrderedByWhenItWasRead() throws Exception {
        String store = CanonicalEvents.newStore();
        InventoryLevelEvent later = CanonicalEvents.unversionedLevel(store, "79@1", 7, 20);
        InventoryLevelEvent earlier = CanonicalEvents.unversionedLevel(store, "79@1", 9, 10);

        send(later, earlier);
        awaitProcessed(later, earlier);

        Map<String, Object> row =
                row("target.inventory_levels", later.getMetadata().getEntityKey());
        assertEquals(7L, row.get("available"));
        assertEquals("RECEIVED_AT", row.get("version_basis"));
        assertEquals(new BigDecimal(later.getMetadata().getReceivedAt().toEpochMilli()), row.get("version"));
        assertEquals(ContentFingerprint.of(later.getInventoryLevel()), row.get("content_fingerprint"));
        assertEquals("STALE", outcome(earlier));
    }

    @Test
    void poisonEventsAreDeadLetteredWhileTheNextOnesApply() throws Exception {
        String store = CanonicalEvents.newStore();
        String orders = CommerceTopic.ORDERS.topicName();
        String garbageKey = CanonicalEvents.entityKey(store, dev.commercesync.schemas.canonical.EntityType.ORDER, "1");
        OrderEvent invalid = order(store, "3003", 1, "DOLLARS", "A"); // the target's currency check refuses it
        OrderEvent good = order(store, "3004", 1, "USD", "A");

        // The events first: their schemas are registered before the writer registers its dead letters' (two clients
        // registering shared referenced types at the same moment can collide in the registry).
        send(invalid, good);
        RecordMetadata garbageAt = TestKafka.sendRaw(orders, garbageKey, "not avro".getBytes(StandardCharsets.UTF_8));
        awaitProcessed(good);

        assertEquals(1L, count("SELECT count(*) FROM target.orders WHERE store = ?", store));
        assertEquals(
                0L,
                count("SELECT count(*) FROM syncwriter.processed_events WHERE event_id = ?", id(invalid)),
                "a dead-lettered event is not marked processed, so a replay after a fix applies it");

        List<SyncDeadLetter> deadLetters = TestKafka.read(
                CommerceTopic.SYNC_DLQ.topicName(),
                SyncDeadLetter.class,
                (SyncDeadLetter d) ->
                        d.getSourceKey() != null && d.getSourceKey().contains(store),
                found -> found.size() >= 2,
                Duration.ofMillis(500));
        assertEquals(2, deadLetters.size(), deadLetters.toString());
        SyncDeadLetter undecodable = deadLetters.stream()
                .filter(d -> d.getErrorClass() == SyncErrorClass.UNDECODABLE)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no UNDECODABLE dead letter in " + deadLetters));
        assertEquals(orders, undecodable.getSourceRef().getTopic());
        assertEquals(garbageAt.partition(), undecodable.getSourceRef().getPartition());
        assertEquals(garbageAt.offset(), undecodable.getSourceRef().getOffset());
        assertEquals(garbageKey, undecodable.getSourceKey());
        assertEquals(
                "not avro",
                StandardCharsets.UTF_8.decode(undecodable.getRawValue()).toString());

        SyncDeadLetter refused = deadLetters.stream()
                .filter(d -> id(invalid).equals(d.getEventId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for the invalid order in " + deadLetters));
        assertEquals(SyncErrorClass.VALIDATION, refused.getErrorClass());
        assertEquals("23514", refused.getSqlState());
        assertEquals(orders, refused.getSourceRef().getTopic());
        assertTrue(!refused.getReason().contains("DOLLARS"), "the reason quotes no row values: " + refused.getReason());

        // The store's WRITE state (the console's and docs/reliability.md's operational state) records the dead letter
        // as its last failure, and the good order as a success: both batches' outcomes, whatever their order.
        String platform = invalid.getMetadata().getPlatform();
        Awaitility.await("the WRITE state of " + store + " recording the dead letter and the success")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    Map<String, Object> state = writeState(platform, store, "ORDER");
                    assertTrue(
                            String.valueOf(state.get("last_error")).contains(id(invalid)),
                            "the last error names the dead-lettered event: " + state);
                    assertTrue(
                            String.valueOf(state.get("last_error")).contains("commerce.sync-dlq.v1"),
                            "and where it waits: " + state);
                    assertTrue(state.get("last_failure_at") != null, "a failure recorded: " + state);
                    assertTrue(state.get("last_success_at") != null, "the good order's success recorded: " + state);
                });
    }

    private Map<String, Object> writeState(String platform, String store, String entityType) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT * FROM syncwriter.operational_state"
                        + " WHERE platform = ? AND store_id = ? AND entity_type = ? AND operation = 'WRITE'")) {
            s.setString(1, platform);
            s.setString(2, store);
            s.setString(3, entityType);
            try (ResultSet r = s.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (r.next()) {
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        row.put(r.getMetaData().getColumnName(i), r.getObject(i));
                    }
                }
                return row;
            }
        }
    }

    @Test
    void theOutboxRelaysExactlyOneAppliedRecordPerChangeAcrossARelayRestart() throws Exception {
        String store = CanonicalEvents.newStore();
        OrderEvent a1 = order(store, "4001", 1, "USD", "A");
        OrderEvent b1 = order(store, "4002", 1, "USD", "B");
        send(a1, b1);
        appliedPerEvent(store, Set.of(ids(a1, b1)));

        relay.stop();
        OrderEvent a2 = order(store, "4001", 2, "USD", "A", "AA");
        OrderEvent b0 = order(store, "4002", 0, "USD", "OLD"); // stale: no applied record
        OrderEvent c1 = order(store, "4003", 1, "USD", "C");
        try {
            send(a2, b0, c1, redelivery(a1));
            awaitProcessed(a2, b0, c1);
        } finally {
            relay.start();
        }

        Map<String, Long> applied = appliedPerEvent(store, Set.of(ids(a1, b1, a2, c1)));
        assertEquals(Map.of(id(a1), 1L, id(b1), 1L, id(a2), 1L, id(c1), 1L), applied);
    }

    // --- helpers ---

    @Test
    void aReplayUnderANewMappingVersionReplacesTheSameVersionOnlyWhenItsContentChanged() throws Exception {
        String store = CanonicalEvents.newStore();
        OrderEvent original = order(store, "3003", 1, "EUR", "A");
        send(original);
        awaitProcessed(original);

        // A replay re-sends the same event (same id, same source version) under the mapping version of the fix.
        OrderEvent sameContent = remapped(original, original, "shopify/orders@2");
        OrderEvent fixed = remapped(original, order(store, "3003", 1, "EUR", "A", "B"), "shopify/orders@3");
        send(sameContent, fixed);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (strings("SELECT outcome FROM syncwriter.processed_events WHERE event_id = ?", id(original))
                                .size()
                        < 3
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        Map<String, Object> row = row("target.orders", original.getMetadata().getEntityKey());
        assertEquals("shopify/orders@3", row.get("mapping_version"));
        assertEquals(
                2L,
                count(
                        "SELECT count(*) FROM target.order_lines WHERE order_key = ?",
                        original.getMetadata().getEntityKey()));
        assertEquals(
                List.of("APPLIED", "STALE", "APPLIED"),
                strings(
                        "SELECT outcome FROM syncwriter.processed_events WHERE event_id = ? ORDER BY mapping_version",
                        id(original)));
    }

    /** {@code content} with {@code event}'s metadata under another mapping version: what a replay sends. */
    private static OrderEvent remapped(OrderEvent event, OrderEvent content, String mappingVersion) {
        // Field by field: the builder's deep copy resolves classes through Avro's loader, not the test's.
        EventMetadata m = event.getMetadata();
        EventMetadata metadata = EventMetadata.newBuilder()
                .setEventId(m.getEventId())
                .setDedupKey(m.getDedupKey())
                .setEntityKey(m.getEntityKey())
                .setPlatform(m.getPlatform())
                .setStore(m.getStore())
                .setEntityType(m.getEntityType())
                .setEntityId(m.getEntityId())
                .setOperation(m.getOperation())
                .setSource(dev.commercesync.schemas.canonical.EventSource.REPLAY)
                .setSourceUpdatedAt(m.getSourceUpdatedAt())
                .setSourceVersion(m.getSourceVersion())
                .setMappingVersion(mappingVersion)
                .setReceivedAt(m.getReceivedAt())
                .build();
        return new OrderEvent(metadata, content.getOrder());
    }

    private static void send(SpecificRecord... events) throws Exception {
        TestKafka.send(producer, events);
    }

    private void awaitProcessed(SpecificRecord... events) throws Exception {
        TestKafka.awaitProcessed(dataSource, events);
    }

    private Map<String, Long> appliedPerEvent(String store, Set<String> expected) {
        return appliedRecords(store, expected).stream()
                .collect(Collectors.groupingBy(AppliedChange::getEventId, Collectors.counting()));
    }

    private static List<AppliedChange> appliedRecords(String store, Set<String> expected) {
        return TestKafka.appliedRecords(store, expected);
    }

    private Map<String, Object> row(String table, String entityKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT * FROM " + table + " WHERE entity_key = ?")) {
            s.setString(1, entityKey);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "no row for " + entityKey + " in " + table);
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.put(r.getMetaData().getColumnName(i), r.getObject(i));
                }
                return row;
            }
        }
    }

    private String outcome(SpecificRecord event) throws SQLException {
        return strings("SELECT outcome FROM syncwriter.processed_events WHERE event_id = ?", id(event))
                .get(0);
    }

    private List<String> strings(String sql, String parameter) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
            return values;
        }
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String id(SpecificRecord event) {
        return TestKafka.id(event);
    }

    private static String[] ids(SpecificRecord... events) {
        return TestKafka.ids(events);
    }
}
