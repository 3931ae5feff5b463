package dev.commercesync.syncwriter;

import static dev.commercesync.syncwriter.CanonicalEvents.order;
import static dev.commercesync.syncwriter.CanonicalEvents.orderDelete;
import static dev.commercesync.syncwriter.CanonicalEvents.product;
import static dev.commercesync.syncwriter.CanonicalEvents.redelivery;
import static dev.commercesync.syncwriter.apply.TransactionalBatch.Outcome.APPLIED;
import static dev.commercesync.syncwriter.apply.TransactionalBatch.Outcome.DUPLICATE;
import static dev.commercesync.syncwriter.apply.TransactionalBatch.Outcome.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.syncwriter.apply.ChangeApplier;
import dev.commercesync.syncwriter.apply.TransactionalBatch.Outcome;
import dev.commercesync.syncwriter.consume.BatchProcessor;
import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.syncwriter.consume.RecordPosition;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What happens inside ONE consumed batch, which the writer applies with a few JDBC batches in one transaction: several
 * versions of one entity, duplicates, and a poison event among good ones. The batches are handed to the writer's own
 * beans (one call = one batch, one transaction), against the real PostgreSQL, registry and broker; the application's
 * consumer and relay run beside them. Each test uses its own store.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class SyncWriterBatchTest {
    private static final AtomicLong OFFSETS = new AtomicLong(1_000_000_000L);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ChangeApplier applier;

    @Inject
    BatchProcessor processor;

    @BeforeAll
    static void topics() throws Exception {
        TestKafka.createTopics();
    }

    /**
     * One order, one product and two more orders, each with several versions in one batch, in an order no platform
     * promises: newer after older, older after newer, redeliveries, the same version seen twice (webhook and poll), a
     * delete between upserts, an upsert re-creating a deleted entity.
     */
    private static List<SpecificRecord> versionsOfOneEntityInOneBatch(String store) {
        OrderEvent v2 = order(store, "1001", 2, "USD", "A");
        OrderEvent v3 = order(store, "1001", 3, "USD", "B", "C");
        OrderEvent created = order(store, "2002", 1, "EUR", "A", "B");
        OrderEvent recreated = order(store, "3003", 4, "EUR", "R");
        return List.of(
                v2,
                order(store, "1001", 1, "USD", "OLD"), // older than v2: stale
                v3, // newer: applied over v2, replacing its lines
                redelivery(v3), // the same event again: duplicate
                order(store, "1001", 2, "USD", "A"), // v2 polled (new event id): stale
                product(store, "77", 5, "S", "M"),
                product(store, "77", 3, "XS"), // older: stale
                product(store, "77", 7, "L"),
                created,
                orderDelete(store, "2002", 5), // a tombstone after an upsert of the same order
                order(store, "2002", 3, "EUR", "A"), // older than the tombstone: stale, no resurrection
                redelivery(created), // duplicate
                orderDelete(store, "3003", 2),
                recreated); // newer than the tombstone: applied, the order lives again
    }

    private static final List<Outcome> ONE_BY_ONE_OUTCOMES = List.of(
            APPLIED, STALE, APPLIED, DUPLICATE, STALE, APPLIED, STALE, APPLIED, APPLIED, APPLIED, STALE, DUPLICATE,
            APPLIED, APPLIED);

    @Test
    void aBatchGivesEveryEventTheOutcomeAndTheTargetTheRowsOfApplyingThemOneByOne() throws Exception {
        String batched = CanonicalEvents.newStore();
        List<SpecificRecord> batch = versionsOfOneEntityInOneBatch(batched);
        List<Outcome> outcomes = applier.apply(changes(batch));

        String oneByOne = CanonicalEvents.newStore();
        List<Outcome> alone = new ArrayList<>();
        for (CanonicalChange change : changes(versionsOfOneEntityInOneBatch(oneByOne))) {
            alone.addAll(applier.apply(List.of(change)));
        }

        assertEquals(ONE_BY_ONE_OUTCOMES, alone, "one by one, each in its own transaction");
        assertEquals(alone, outcomes, "in one batch, the same outcome for every event");
        for (String table :
                List.of("target.orders", "target.order_lines", "target.products", "target.product_variants")) {
            assertEquals(
                    rows(table, oneByOne).replace(oneByOne, "STORE"),
                    rows(table, batched).replace(batched, "STORE"),
                    table + ": the same rows (versions, tombstones, children) either way");
        }
        assertEquals(
                List.of("1001|3|false", "2002|5|true", "3003|4|false"),
                strings(
                        "SELECT entity_id || '|' || (extract(epoch FROM source_updated_at)::bigint - ?) / 60"
                                + " || '|' || deleted FROM target.orders WHERE store = ? ORDER BY entity_id",
                        CanonicalEvents.T0.getEpochSecond(),
                        batched),
                "each order holds its newest version; the newest of 2002 is its tombstone");
        assertEquals(
                List.of("B", "C", "R"),
                strings(
                        "SELECT sku FROM target.order_lines l JOIN target.orders o ON o.entity_key = l.order_key"
                                + " WHERE o.store = ? ORDER BY o.entity_id, l.position",
                        batched),
                "the lines of each order's newest version only; none for the tombstone");

        Set<String> appliedIds = new HashSet<>();
        Set<String> staleIds = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) == APPLIED) {
                appliedIds.add(TestKafka.id(batch.get(i)));
            } else if (outcomes.get(i) == STALE) {
                staleIds.add(TestKafka.id(batch.get(i)));
            }
        }
        assertEquals(
                appliedIds.stream().collect(Collectors.toMap(Function.identity(), id -> 1L)),
                TestKafka.appliedRecords(batched, appliedIds).stream()
                        .collect(Collectors.groupingBy(AppliedChange::getEventId, Collectors.counting())),
                "one applied record per applied event of the batch, none for stale or duplicate ones");
        assertEquals(
                staleIds,
                Set.copyOf(strings(
                        "SELECT event_id FROM syncwriter.processed_events WHERE outcome = 'STALE' AND event_id = ANY (?)",
                        (Object) ids(batch))),
                "the stale events recorded as such");
        assertEquals(
                Set.copyOf(Arrays.asList(ids(batch))).size(),
                strings("SELECT event_id FROM syncwriter.processed_events WHERE event_id = ANY (?)", (Object)
                                ids(batch))
                        .size(),
                "one processed-event row per distinct event");
    }

    @Test
    void aPoisonEventInTheMiddleOfABatchIsDeadLetteredWhileItsNeighboursApply() throws Exception {
        String store = CanonicalEvents.newStore();
        String orders = CommerceTopic.ORDERS.topicName();
        OrderEvent before = order(store, "4001", 1, "USD", "A");
        OrderEvent poison = order(store, "4002", 1, "DOLLARS", "A"); // the target's currency check refuses it
        OrderEvent after = order(store, "4003", 1, "USD", "B");
        OrderEvent afterV2 = order(store, "4003", 2, "USD", "B", "C");

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (Serializer<SpecificRecord> serializer =
                AvroSerdes.valueSerializer(SharedStack.endpoints().registryApiUrl())) {
            records.add(record(serializer, before));
            records.add(record(serializer, poison));
            records.add(new ConsumerRecord<>(
                    orders,
                    0,
                    OFFSETS.incrementAndGet(),
                    CanonicalEvents.entityKey(store, EntityType.ORDER, "4004"),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            records.add(record(serializer, after));
            records.add(record(serializer, afterV2));
        }

        processor.process(records);

        assertEquals(
                List.of("APPLIED", "APPLIED", "APPLIED"),
                strings(
                        "SELECT outcome FROM syncwriter.processed_events WHERE event_id = ANY (?) ORDER BY \"offset\"",
                        (Object) ids(before, after, afterV2)),
                "the neighbours of the poison event are applied");
        assertEquals(
                List.of(),
                strings("SELECT outcome FROM syncwriter.processed_events WHERE event_id = ?", TestKafka.id(poison)),
                "the poison event is not marked processed, so a replay after a fix applies it");
        assertEquals(
                List.of("4001|1", "4003|2"),
                strings(
                        "SELECT entity_id || '|' || (extract(epoch FROM source_updated_at)::bigint - ?) / 60"
                                + " FROM target.orders WHERE store = ? ORDER BY entity_id",
                        CanonicalEvents.T0.getEpochSecond(),
                        store));

        List<SyncDeadLetter> deadLetters = TestKafka.read(
                CommerceTopic.SYNC_DLQ.topicName(),
                SyncDeadLetter.class,
                (SyncDeadLetter d) ->
                        d.getSourceKey() != null && d.getSourceKey().contains(store),
                found -> found.size() >= 2,
                Duration.ofMillis(500));
        assertEquals(
                Map.of(SyncErrorClass.VALIDATION, 1L, SyncErrorClass.UNDECODABLE, 1L),
                deadLetters.stream()
                        .collect(Collectors.groupingBy(SyncDeadLetter::getErrorClass, Collectors.counting())),
                "two dead letters, the poison event and the undecodable record: " + deadLetters);
        SyncDeadLetter refused = deadLetters.stream()
                .filter(d -> d.getErrorClass() == SyncErrorClass.VALIDATION)
                .findFirst()
                .orElseThrow();
        assertEquals(TestKafka.id(poison), refused.getEventId());
        assertEquals("23514", refused.getSqlState(), "the server's SQLSTATE, not the JDBC batch's");
        assertFalse(refused.getReason().contains("DOLLARS"), "the reason quotes no row values: " + refused.getReason());
        assertFalse(
                refused.getReason().contains("Batch entry"),
                "the server's message, not the JDBC batch's: " + refused.getReason());
    }

    private static ConsumerRecord<String, byte[]> record(Serializer<SpecificRecord> serializer, SpecificRecord event) {
        var m = dev.commercesync.schemas.content.CanonicalEvents.metadata(event);
        String topic = CommerceTopic.forEntityType(m.getEntityType()).topicName();
        return new ConsumerRecord<>(
                topic,
                0,
                OFFSETS.incrementAndGet(),
                m.getEntityKey(),
                serializer.serialize(topic, new RecordHeaders(), event));
    }

    /** The events as the decoder makes them, at made-up positions of their topics. */
    private static List<CanonicalChange> changes(List<SpecificRecord> events) {
        List<CanonicalChange> changes = new ArrayList<>();
        for (SpecificRecord event : events) {
            var m = dev.commercesync.schemas.content.CanonicalEvents.metadata(event);
            changes.add(CanonicalChange.of(
                    new RecordPosition(
                            CommerceTopic.forEntityType(m.getEntityType()).topicName(),
                            0,
                            OFFSETS.incrementAndGet(),
                            m.getEntityKey()),
                    m,
                    dev.commercesync.schemas.content.CanonicalEvents.entity(event)));
        }
        return changes;
    }

    private static String[] ids(List<SpecificRecord> events) {
        return TestKafka.ids(events.toArray(SpecificRecord[]::new));
    }

    private static String[] ids(SpecificRecord... events) {
        return TestKafka.ids(events);
    }

    /**
     * A table's rows of one store as text, without what differs between two runs of the same events (event ids, when
     * applied, the store in keys), ordered.
     */
    private String rows(String table, String store) throws SQLException {
        String parentKey =
                table.endsWith("order_lines") ? "order_key" : table.endsWith("variants") ? "product_key" : null;
        String sql = parentKey == null
                ? "SELECT * FROM " + table + " WHERE store = ? ORDER BY entity_key"
                : "SELECT * FROM " + table + " WHERE " + parentKey + " LIKE '%/' || ? || '/%' ORDER BY 1, 2";
        StringBuilder text = new StringBuilder();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, store);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                        String column = r.getMetaData().getColumnName(i);
                        if (!Set.of("event_id", "applied_at").contains(column)) {
                            text.append(column)
                                    .append('=')
                                    .append(r.getString(i))
                                    .append(' ');
                        }
                    }
                    text.append('\n');
                }
            }
        }
        return text.toString();
    }

    private List<String> strings(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof String[] array) {
                    s.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    s.setObject(i + 1, parameters[i]);
                }
            }
            List<String> values = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
            return values;
        }
    }
}
