package dev.commercesync.kafka;

import dev.commercesync.kafka.EntityTrace.Kind;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderCustomer;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.canonical.ProductStatus;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.FindingKind;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import dev.commercesync.schemas.envelope.RepairAction;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.schemas.envelope.VersionBasis;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One order's way through the pipeline, written to Kafka as the components that own each topic write it (their keys,
 * their record types, the record timestamps they set), plus noise: another order of the same store, the same order id
 * in another store, and a product with the same id. Shared by the trace tests of pipeline-kafka, synctl and the console
 * (this module's test-jar).
 *
 * <p>The story, from {@code start}: a webhook delivery mapped into an order event and applied; a command that changes
 * the order's status and its result; a reconciliation finding that asks for a fetch, the polled read that answers it,
 * its event refused by the target (a sync dead letter); a later delivery the mapper quarantined.
 */
public final class TraceStory {
    /** The order's steps in time order, as the trace must show them. */
    public static final List<Kind> KINDS = List.of(
            Kind.WEBHOOK_DELIVERY,
            Kind.CANONICAL_EVENT,
            Kind.APPLIED,
            Kind.COMMAND,
            Kind.COMMAND_RESULT,
            Kind.RECONCILIATION_FINDING,
            Kind.FETCH_REQUESTED,
            Kind.POLLED_READ,
            Kind.CANONICAL_EVENT,
            Kind.DEAD_LETTERED,
            Kind.WEBHOOK_DELIVERY,
            Kind.QUARANTINED);

    public final String platform;
    public final String store;
    public final String orderId;
    public final String otherOrderId;
    public final String orderNumber;
    public final String email;
    public final Instant start;
    public final String commandId;
    public final String firstEventId;
    private final String suffix;
    private final KafkaProducer<String, SpecificRecord> producer;

    /**
     * @param start when the story begins (the window of a trace must include it)
     * @param suffix appended to every topic name ("" for the standard topics)
     */
    public TraceStory(KafkaProducer<String, SpecificRecord> producer, String store, Instant start, String suffix) {
        this.producer = producer;
        this.platform = "shopify";
        this.store = store;
        this.start = start.truncatedTo(ChronoUnit.MILLIS); // Avro timestamps are milliseconds
        this.suffix = suffix;
        String unique = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000_000L);
        this.orderId = "82" + unique;
        this.otherOrderId = "83" + unique;
        this.orderNumber = "#" + unique.substring(0, Math.min(6, unique.length()));
        this.email = "buyer-" + unique + "@example.com";
        this.commandId = "cmd-" + unique;
        this.firstEventId = UUID.nameUUIDFromBytes(("ev1-" + unique).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** Writes the order's story and the noise; returns once Kafka acknowledged every record. */
    public TraceStory publish() throws InterruptedException, ExecutionException {
        // The noise first and last, so that it sits on both sides of the story in every partition.
        RawRecordRef otherRaw = send(CommerceTopic.RAW, storeKey(), raw("noise-1", EventSource.WEBHOOK, null), 0);
        sendEvent(order(otherOrderId, "noise-ev-1", EventSource.WEBHOOK, otherRaw), 0);

        RawRecordRef raw1 = send(CommerceTopic.RAW, storeKey(), raw("env-1", EventSource.WEBHOOK, null), 0);
        RawRecordRef ev1 = sendEvent(order(orderId, firstEventId, EventSource.WEBHOOK, raw1), 0);
        send(CommerceTopic.APPLIED, entityKey(orderId), applied(orderId, firstEventId, ev1, 1_200), 1_200);
        Command command = command();
        send(CommerceTopic.COMMANDS, entityKey(orderId), command, 60_000);
        send(CommerceTopic.COMMAND_RESULTS, entityKey(orderId), result(command), 62_000);
        String requestId = "fr-" + orderId;
        send(CommerceTopic.RECONCILIATION, storeKey(), finding(requestId), 120_000);
        send(CommerceTopic.FETCH_REQUESTS, storeKey(), fetchRequest(requestId), 121_000);
        RawRecordRef raw2 =
                send(CommerceTopic.RAW, storeKey(), raw("env-2", EventSource.RECONCILE, requestId), 125_000);
        String secondEventId = UUID.randomUUID().toString();
        RawRecordRef ev2 = sendEvent(order(orderId, secondEventId, EventSource.RECONCILE, raw2), 125_000);
        send(CommerceTopic.SYNC_DLQ, entityKey(orderId), deadLetter(secondEventId, ev2), 126_000);
        RawRecordRef raw3 = send(CommerceTopic.RAW, storeKey(), raw("env-3", EventSource.WEBHOOK, null), 180_000);
        send(CommerceTopic.QUARANTINE, storeKey(), quarantined(orderId, raw3), 180_500);

        // Noise: another order of the store at every step, the same id in another store, a product with the same id.
        send(CommerceTopic.APPLIED, entityKey(otherOrderId), applied(otherOrderId, "noise-ev-1", ev1, 1_300), 1_300);
        Command other = command(otherOrderId, "cmd-noise-" + otherOrderId);
        send(CommerceTopic.COMMANDS, entityKey(otherOrderId), other, 61_000);
        send(CommerceTopic.COMMAND_RESULTS, entityKey(otherOrderId), result(other), 63_000);
        RawRecordRef raw4 = send(CommerceTopic.RAW, storeKey(), raw("noise-2", EventSource.WEBHOOK, null), 181_000);
        send(CommerceTopic.QUARANTINE, storeKey(), quarantined(otherOrderId, raw4), 181_500);
        OrderEvent elsewhere = order(orderId, "noise-ev-2", EventSource.WEBHOOK, raw4);
        elsewhere.getMetadata().setStore("elsewhere-" + store);
        elsewhere.getMetadata().setEntityKey("shopify/elsewhere-" + store + "/order/" + orderId);
        sendEvent(elsewhere, 182_000);
        sendEvent(product(orderId), 183_000);
        producer.flush();
        return this;
    }

    public String storeKey() {
        return PipelineRecords.storeKey(platform, store);
    }

    public String entityKey(String id) {
        return storeKey() + "/order/" + id;
    }

    private RawEnvelope raw(String envelopeId, EventSource source, String correlationId) {
        return RawEnvelope.newBuilder()
                .setEnvelopeId(envelopeId + "-" + orderId)
                .setPlatform(platform)
                .setStore(store)
                .setEventType(source == EventSource.WEBHOOK ? "orders/updated" : "orders")
                .setEntityType(source == EventSource.WEBHOOK ? null : EntityType.ORDER)
                .setSource(source)
                .setDeliveryId(source == EventSource.WEBHOOK ? "delivery-" + envelopeId : null)
                .setPlatformEventId(source == EventSource.WEBHOOK ? "evt-" + envelopeId : null)
                .setHeaders(Map.of())
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap("{\"secret-body\":true}".getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(start)
                .setCorrelationId(correlationId)
                .build();
    }

    private OrderEvent order(String id, String eventId, EventSource source, RawRecordRef raw) {
        return OrderEvent.newBuilder()
                .setMetadata(metadata(EntityType.ORDER, id, eventId, source, raw))
                .setOrder(Order.newBuilder()
                        .setId(id)
                        .setNumber(id.equals(orderId) ? orderNumber : "#other")
                        // Every enum set: a builder's enum default is resolved through the application class
                        // loader, which a Quarkus test's classes are not from.
                        .setStatus(OrderStatus.PROCESSING)
                        .setPaymentStatus(PaymentStatus.PAID)
                        .setFulfillmentStatus(FulfillmentStatus.UNFULFILLED)
                        .setCurrency("EUR")
                        .setCustomer(OrderCustomer.newBuilder()
                                .setEmail(id.equals(orderId) ? email : "other@example.com")
                                .build())
                        .setTotals(OrderTotals.newBuilder()
                                .setTotal(new Money(new BigDecimal("10.000000"), "EUR"))
                                .build())
                        .setCreatedAt(start)
                        .build())
                .build();
    }

    private ProductEvent product(String id) {
        return ProductEvent.newBuilder()
                .setMetadata(metadata(EntityType.PRODUCT, id, "noise-product-" + id, EventSource.POLL, null))
                .setProduct(Product.newBuilder()
                        .setId(id)
                        .setTitle("Same id")
                        .setStatus(ProductStatus.ACTIVE)
                        .build())
                .build();
    }

    private EventMetadata metadata(EntityType type, String id, String eventId, EventSource source, RawRecordRef raw) {
        String key = storeKey() + "/" + type.name().toLowerCase(Locale.ROOT) + "/" + id;
        return EventMetadata.newBuilder()
                .setEventId(eventId)
                .setDedupKey(key + "@" + eventId)
                .setEntityKey(key)
                .setPlatform(platform)
                .setStore(store)
                .setEntityType(type)
                .setEntityId(id)
                .setOperation(Operation.UPSERT)
                .setSource(source)
                .setSourceUpdatedAt(start)
                .setMappingVersion("shopify/orders@3")
                .setReceivedAt(start)
                .setRawRef(raw)
                .build();
    }

    private AppliedChange applied(String id, String eventId, RawRecordRef event, long after) {
        return AppliedChange.newBuilder()
                .setEventId(eventId)
                .setEntityKey(entityKey(id))
                .setPlatform(platform)
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityId(id)
                .setOperation(Operation.UPSERT)
                .setVersion(Long.toString(start.toEpochMilli()))
                .setVersionBasis(VersionBasis.SOURCE_UPDATED_AT)
                .setSourceUpdatedAt(start)
                .setMappingVersion("shopify/orders@3")
                .setTarget("postgres")
                .setAppliedAt(start.plusMillis(after))
                .setEventRef(event)
                .build();
    }

    private Command command() {
        return command(orderId, commandId);
    }

    private Command command(String id, String commandId) {
        return Command.newBuilder()
                .setMetadata(CommandMetadata.newBuilder()
                        .setCommandId(commandId)
                        .setPlatform(platform)
                        .setStore(store)
                        .setEntityType(EntityType.ORDER)
                        .setEntityId(id)
                        .setCommandKey(entityKey(id))
                        .setIssuedAt(start.plusSeconds(id.equals(orderId) ? 60 : 61))
                        .setDeadline(start.plusSeconds(900))
                        .setIssuer("support")
                        .build())
                .setAction(new UpdateOrderStatus(id, OrderStatus.ON_HOLD))
                .build();
    }

    private static CommandResult result(Command command) {
        return CommandResult.newBuilder()
                .setCommandId(command.getMetadata().getCommandId())
                .setMetadata(command.getMetadata())
                .setStatus(CommandStatus.APPLIED)
                .setAttempts(1)
                .setCompletedAt(command.getMetadata().getIssuedAt().plusSeconds(2))
                .build();
    }

    private ReconciliationFinding finding(String requestId) {
        return ReconciliationFinding.newBuilder()
                .setFindingId("finding-" + orderId)
                .setRunId("run-" + orderId)
                .setPlatform(platform)
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityId(orderId)
                .setKind(FindingKind.STALE)
                .setRepair(RepairAction.FETCH_REQUESTED)
                .setFetchRequestId(requestId)
                .setEntityKeys(List.of(entityKey(orderId)))
                .setConsecutivePasses(1)
                .setFoundAt(start.plusSeconds(120))
                .build();
    }

    private FetchRequest fetchRequest(String requestId) {
        return FetchRequest.newBuilder()
                .setRequestId(requestId)
                .setPlatform(platform)
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityIds(List.of(otherOrderId, orderId))
                .setReason(FetchReason.RECONCILE_STALE)
                .setRequestedAt(start.plusSeconds(121))
                .setRequestedBy("reconciler")
                .setCorrelationId("run-" + orderId)
                .build();
    }

    private SyncDeadLetter deadLetter(String eventId, RawRecordRef event) {
        return SyncDeadLetter.newBuilder()
                .setDeadLetterId("dl-" + orderId)
                .setErrorClass(SyncErrorClass.VALIDATION)
                .setReason("order total is negative")
                .setTarget("postgres")
                .setSourceRef(event)
                .setSourceKey(entityKey(orderId))
                .setEventId(eventId)
                .setPlatform(platform)
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityId(orderId)
                .setOperation(Operation.UPSERT)
                .setFailedAt(start.plusSeconds(126))
                .setFailedBy("sync-writer")
                .build();
    }

    private QuarantineRecord quarantined(String id, RawRecordRef raw) {
        return QuarantineRecord.newBuilder()
                .setQuarantineId(PipelineRecords.quarantineId(raw))
                .setErrorClass(QuarantineErrorClass.MAPPING_ERROR)
                .setReason("line_items[0].quantity is not a number")
                .setFieldPath("line_items[0].quantity")
                .setMappingVersion("shopify/orders@3")
                .setPlatform(platform)
                .setStore(store)
                .setEventType("orders/updated")
                .setEntityType(EntityType.ORDER)
                .setEntityId(id)
                .setRawRef(raw)
                .setQuarantinedAt(start.plusMillis(id.equals(orderId) ? 180_500 : 181_500))
                .setQuarantinedBy("normalizer")
                .setRetryCount(0)
                .build();
    }

    private RawRecordRef sendEvent(SpecificRecord event, long after) throws InterruptedException, ExecutionException {
        EventMetadata m = dev.commercesync.schemas.content.CanonicalEvents.metadata(event);
        return send(CommerceTopic.forEntityType(m.getEntityType()), m.getEntityKey(), event, after);
    }

    /** Sends with the record timestamp {@code start + after} (the time the owning component stamps). */
    private RawRecordRef send(CommerceTopic topic, String key, SpecificRecord value, long after)
            throws InterruptedException, ExecutionException {
        if (value instanceof RawEnvelope raw) {
            raw.setReceivedAt(start.plusMillis(after));
        }
        RecordMetadata at = producer.send(new ProducerRecord<>(
                        topic.topicName() + suffix, null, start.toEpochMilli() + after, key, value))
                .get();
        return new RawRecordRef(at.topic(), at.partition(), at.offset());
    }
}
