package dev.commercesync.console;

import dev.commercesync.kafka.AvroJson;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.envelope.FindingKind;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import dev.commercesync.schemas.envelope.RepairAction;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What the browser tests set up as the components that own it would: canonical events refused by the sync-writer
 * (dead letters), an undecodable quarantined record, commands journaled by the poller's executor, reconciliation
 * findings.
 */
final class BrowseFixtures {
    static final String ORDERS = CommerceTopic.ORDERS.topicName();
    static final String SYNC_DLQ = CommerceTopic.SYNC_DLQ.topicName();
    static final String RECONCILIATION = CommerceTopic.RECONCILIATION.topicName();
    static final String COMMANDS = CommerceTopic.COMMANDS.topicName();

    private final AgroalDataSource dataSource;
    private final KafkaTestClient kafka = KafkaTestClient.shared();

    BrowseFixtures(AgroalDataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        kafka.ensureTopics(List.of(ORDERS, SYNC_DLQ, RECONCILIATION, COMMANDS));
    }

    /** A dead letter, with the event it refers to on the orders topic. */
    record DeadLetter(String id, String eventId, String entityKey) {}

    /** An order deletion on the orders topic, then the sync-writer's dead letter of it. */
    DeadLetter deadLetter(String store, String orderId, SyncErrorClass errorClass) {
        String entityKey = PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, store) + "/order/" + orderId;
        EventMetadata metadata = EventMetadata.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setDedupKey(entityKey + "@delete")
                .setEntityKey(entityKey)
                .setPlatform(ConsoleFixtures.PLATFORM)
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityId(orderId)
                .setOperation(Operation.DELETE)
                .setSource(EventSource.WEBHOOK)
                .setMappingVersion("testplatform/orders@1")
                .setReceivedAt(Instant.now())
                .build();
        RecordMetadata at = kafka.send(
                ORDERS,
                entityKey,
                OrderEvent.newBuilder().setMetadata(metadata).setOrder(null).build());
        SyncDeadLetter letter = base(store, at, entityKey)
                .setErrorClass(errorClass)
                .setReason("the target refused order " + orderId)
                .setEventId(metadata.getEventId())
                .setEntityType(EntityType.ORDER)
                .setEntityId(orderId)
                .setOperation(Operation.DELETE)
                .build();
        kafka.send(SYNC_DLQ, entityKey, letter);
        return new DeadLetter(letter.getDeadLetterId(), metadata.getEventId(), entityKey);
    }

    /** A dead letter of a record that was not a readable event: it cannot be retried. Returns its id. */
    String undecodableDeadLetter(String store) {
        String key = PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, store) + "/order/garbage";
        RecordMetadata at = kafka.sendBytes(ORDERS, key, "not avro".getBytes(StandardCharsets.UTF_8));
        SyncDeadLetter letter = base(store, at, key)
                .setErrorClass(SyncErrorClass.UNDECODABLE)
                .setReason("the record is not a readable canonical event")
                .build();
        kafka.send(SYNC_DLQ, key, letter);
        return letter.getDeadLetterId();
    }

    private static SyncDeadLetter.Builder base(String store, RecordMetadata at, String key) {
        return SyncDeadLetter.newBuilder()
                .setDeadLetterId(UUID.randomUUID().toString())
                .setTarget("postgres")
                .setSourceRef(ref(at))
                .setSourceKey(key)
                .setPlatform(ConsoleFixtures.PLATFORM)
                .setStore(store)
                .setFailedAt(Instant.now())
                .setFailedBy("sync-writer");
    }

    /** A raw record that is not an envelope, quarantined as the normalizer does: it cannot be retried. */
    String undecodableQuarantined(String store) {
        String key = PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, store);
        RecordMetadata at =
                kafka.sendBytes(ConsoleFixtures.TOPICS.raw(), key, "not an envelope".getBytes(StandardCharsets.UTF_8));
        QuarantineRecord q = PipelineRecords.undecodable(
                "not an envelope".getBytes(StandardCharsets.UTF_8), null, ref(at), 0, Instant.now(), "normalizer");
        // As the normalizer does when the key names the store (no copy builder: it deep-copies through Avro's loader).
        q.setPlatform(ConsoleFixtures.PLATFORM);
        q.setStore(store);
        kafka.send(ConsoleFixtures.TOPICS.quarantine(), key, q);
        return q.getQuarantineId();
    }

    /** A SetInventoryLevel command of the store, as the poller's executor journals it, in a given final state. */
    Command journaled(String store, String state, String reason, String lastError, List<String> requestIds)
            throws SQLException {
        String item = "item-" + UUID.randomUUID().toString().substring(0, 8);
        String entityKey =
                PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, store) + "/inventory_level/" + item + "@loc-1";
        Instant issued = Instant.now().minus(Duration.ofHours(1));
        Command command = Command.newBuilder()
                .setMetadata(CommandMetadata.newBuilder()
                        .setCommandId(UUID.randomUUID().toString())
                        .setPlatform(ConsoleFixtures.PLATFORM)
                        .setStore(store)
                        .setEntityType(EntityType.INVENTORY_LEVEL)
                        .setEntityId(item + "@loc-1")
                        .setCommandKey(entityKey)
                        .setIssuedAt(issued)
                        .setDeadline(issued.plus(Duration.ofMinutes(10)))
                        .setIssuer("erp")
                        .build())
                .setAction(SetInventoryLevel.newBuilder()
                        .setItemId(item)
                        .setLocationId("loc-1")
                        .setQuantity(40)
                        .build())
                .build();
        String sql = "INSERT INTO poller.command_journal (command_id, platform, store_id, command_key, kind, state,"
                + " attempts, deadline, platform_request_ids, reason, last_error_class, last_error, command,"
                + " completed_at) VALUES (?, ?, ?, ?, 'SET_INVENTORY_LEVEL', ?, 3, ?, ?, ?, ?, ?, ?, now())";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            CommandMetadata m = command.getMetadata();
            s.setString(1, m.getCommandId());
            s.setString(2, m.getPlatform());
            s.setString(3, m.getStore());
            s.setString(4, m.getCommandKey());
            s.setString(5, state);
            s.setTimestamp(6, Timestamp.from(m.getDeadline()));
            s.setArray(7, c.createArrayOf("text", requestIds.toArray()));
            s.setString(8, reason);
            s.setString(9, lastError == null ? null : "TRANSIENT");
            s.setString(10, lastError);
            s.setString(11, AvroJson.encode(command));
            s.executeUpdate();
        }
        return command;
    }

    /** A finding of the reconciler about one order of the store. */
    ReconciliationFinding finding(String store, String orderId, FindingKind kind, RepairAction repair) {
        ReconciliationFinding f = ReconciliationFinding.newBuilder()
                .setFindingId(UUID.randomUUID().toString())
                .setRunId("run-" + store)
                .setPlatform(ConsoleFixtures.PLATFORM)
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityId(orderId)
                .setKind(kind)
                .setRepair(repair)
                .setFetchRequestId(repair == RepairAction.NONE ? null : "fetch-" + orderId)
                .setPlatformUpdatedAt(Instant.now().minus(Duration.ofMinutes(5)))
                .setFoundAt(Instant.now())
                .build();
        kafka.send(RECONCILIATION, PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, store), f);
        return f;
    }

    KafkaTestClient kafka() {
        return kafka;
    }

    private static RawRecordRef ref(RecordMetadata at) {
        return RawRecordRef.newBuilder()
                .setTopic(at.topic())
                .setPartition(at.partition())
                .setOffset(at.offset())
                .build();
    }
}
