package dev.commercesync.kafka;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.FetchDeadLetter;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The entity trace ("where is my order?"): every record the pipeline wrote about one entity of one store in a time
 * window, in time order, with the latency of each step from the first. The one implementation behind {@code synctl
 * trace} and the console's trace page and API.
 *
 * <p>It reads, from the window's start (offsetsForTimes) to the end offsets the topics had when the read started, the
 * topics keyed by the entity ({@code platform/store/type/id}: the canonical topics, applied changes, sync dead letters,
 * commands and their results) and those keyed by the store ({@code platform/store}: quarantine, fetch requests, fetch
 * dead letters, reconciliation findings), decoding only the records whose key matches and keeping those whose value
 * names the entity. Raw records ({@code commerce.raw.v1}, keyed by the store) do not name their entity until an
 * adapter parses the body, so they are found through the references of what they caused: a canonical event's, a
 * quarantine record's or a fetch request's {@code raw_ref}, each read at its position. A duplicate delivery the
 * normalizer dropped therefore does not show. No step carries a payload body.
 */
public final class EntityTrace {
    /** What a step is, in the order the pipeline takes them (breaks ties between steps of one millisecond). */
    public enum Kind {
        WEBHOOK_DELIVERY,
        POLLED_READ,
        FETCH_REQUESTED,
        FETCH_FAILED,
        CANONICAL_EVENT,
        QUARANTINED,
        COMMAND,
        COMMAND_RESULT,
        APPLIED,
        DEAD_LETTERED,
        RECONCILIATION_FINDING
    }

    /**
     * One record about the entity.
     *
     * @param at when the step happened: received (raw), published (canonical event: its Kafka timestamp, which the
     *     normalizer carries over from the raw record), requested, quarantined, issued, completed, applied, failed or
     *     found
     * @param component who wrote it (webhook-ingest, poller, normalizer, sync-writer, reconciler, the command's issuer)
     * @param id the record's own id (envelope, event, quarantine, command, dead letter, finding or fetch request id)
     * @param details ids, versions, statuses and reasons (never a payload)
     * @param latencyMillis milliseconds since the trace's first step
     */
    public record Step(
            Instant at,
            Kind kind,
            String component,
            String topic,
            int partition,
            long offset,
            String entityType,
            String id,
            Map<String, String> details,
            long latencyMillis) {

        /** {@code topic/partition@offset}. */
        public String position() {
            return topic + "/" + partition + "@" + offset;
        }

        /** {@code key=value} pairs, space-separated, for a table cell or a terminal. */
        public String detailsText() {
            StringBuilder text = new StringBuilder();
            details.forEach((k, v) ->
                    text.append(text.isEmpty() ? "" : " ").append(k).append('=').append(v));
            return text.toString();
        }

        /** {@code +1.234s} after the first step; {@code +0s} for the first. */
        public String latency() {
            return latencyMillis == 0 ? "+0s" : "+" + formatMillis(latencyMillis);
        }
    }

    /** The trace of one entity: the search and its steps, oldest first. */
    public record Trace(
            String platform,
            String store,
            String entityId,
            String entityType,
            Instant since,
            Instant until,
            List<Step> steps) {}

    /** The default window: the last 24 hours. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final PipelineKafka kafka;
    private final String suffix;

    /**
     * @param topicSuffix appended to every {@link CommerceTopic} name (tests isolate themselves with one; "" in
     *     production)
     */
    public EntityTrace(PipelineKafka kafka, String topicSuffix) {
        this.kafka = kafka;
        this.suffix = topicSuffix == null ? "" : topicSuffix;
    }

    /**
     * A point in time as the trace's {@code since} takes it: an ISO-8601 instant ({@code 2026-01-05T10:00:00Z}) or an
     * age before {@code now} ({@code 90m}, {@code 24h}, {@code 7d}, {@code 30s}).
     *
     * @throws IllegalArgumentException naming both accepted forms
     */
    public static Instant parseSince(String value, Instant now) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.matches("\\d+[smhd]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                Duration age =
                        switch (v.charAt(v.length() - 1)) {
                            case 's' -> Duration.ofSeconds(n);
                            case 'm' -> Duration.ofMinutes(n);
                            case 'h' -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        };
                return now.minus(age);
            }
            return Instant.parse(value.trim());
        } catch (DateTimeParseException | NullPointerException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "'" + value + "' is neither an ISO-8601 instant (2026-01-05T10:00:00Z) nor an age (90m, 6h, 7d)");
        }
    }

    /**
     * Every record about the entity written since {@code since}, oldest first.
     *
     * @param entityType only this entity type, or null for every entity with this id (ids of different types can
     *     collide on some platforms: WooCommerce order 12 and product 12)
     */
    public Trace trace(String platform, String store, String entityId, EntityType entityType, Instant since) {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(since, "since");
        Instant until = Instant.now();
        Match match = new Match(platform, store, entityId, entityType);
        List<Step> steps = new ArrayList<>();
        Set<RawRecordRef> rawRefs = new LinkedHashSet<>();
        List<String> topics = new ArrayList<>();
        for (EntityType type : EntityType.values()) {
            if (entityType == null || entityType == type) {
                topics.add(topic(CommerceTopic.forEntityType(type)));
            }
        }
        for (CommerceTopic t : List.of(
                CommerceTopic.APPLIED,
                CommerceTopic.SYNC_DLQ,
                CommerceTopic.COMMANDS,
                CommerceTopic.COMMAND_RESULTS,
                CommerceTopic.QUARANTINE,
                CommerceTopic.FETCH_REQUESTS,
                CommerceTopic.FETCH_DLQ,
                CommerceTopic.RECONCILIATION)) {
            topics.add(topic(t));
        }
        kafka.readRange(topics, since, record -> {
            if (!match.key(record.key())) {
                return;
            }
            SpecificRecord value;
            try {
                value = kafka.decode(record);
            } catch (RuntimeException e) {
                return; // not a record of this topic's type: nothing of the entity to show
            }
            Step step = step(record, value, match, rawRefs);
            if (step != null) {
                steps.add(step);
            }
        });
        for (RawRecordRef ref : rawRefs) {
            ConsumerRecord<String, byte[]> record = kafka.readOne(ref.getTopic(), ref.getPartition(), ref.getOffset());
            if (record != null) {
                try {
                    if (kafka.decode(record) instanceof RawEnvelope raw) {
                        steps.add(raw(record, raw));
                    }
                } catch (RuntimeException e) {
                    // an undecodable raw record: its quarantine record is in the trace
                }
            }
        }
        steps.sort(Comparator.comparing(Step::at)
                .thenComparing(Step::kind)
                .thenComparing(Step::topic)
                .thenComparingInt(Step::partition)
                .thenComparingLong(Step::offset));
        List<Step> timed = new ArrayList<>();
        Instant first = steps.isEmpty() ? null : steps.get(0).at();
        for (Step s : steps) {
            timed.add(new Step(
                    s.at(),
                    s.kind(),
                    s.component(),
                    s.topic(),
                    s.partition(),
                    s.offset(),
                    s.entityType(),
                    s.id(),
                    s.details(),
                    Duration.between(first, s.at()).toMillis()));
        }
        return new Trace(
                platform,
                store,
                entityId,
                entityType == null ? null : entityType.name(),
                since,
                until,
                List.copyOf(timed));
    }

    /**
     * The ids of the store's orders whose number ({@code #1001} or {@code 1001}) or customer email (case-insensitive)
     * is {@code query}, as the canonical order events since {@code since} carry them; sorted.
     */
    public List<String> findOrders(String platform, String store, String query, Instant since) {
        String prefix = PipelineRecords.storeKey(platform, store) + "/order/";
        String wanted = query.trim();
        String number = wanted.startsWith("#") ? wanted.substring(1) : wanted;
        Set<String> ids = new TreeSet<>();
        kafka.readRange(List.of(topic(CommerceTopic.ORDERS)), since, record -> {
            if (record.key() == null || !record.key().startsWith(prefix)) {
                return;
            }
            try {
                if (kafka.decode(record) instanceof OrderEvent event && event.getOrder() != null) {
                    Order order = event.getOrder();
                    String n = order.getNumber();
                    String email = order.getCustomer() == null
                            ? null
                            : order.getCustomer().getEmail();
                    if ((n != null
                                    && (n.equals(wanted)
                                            || n.replaceFirst("^#", "").equals(number)))
                            || (email != null && email.equalsIgnoreCase(wanted))) {
                        ids.add(event.getMetadata().getEntityId());
                    }
                }
            } catch (RuntimeException e) {
                // not an order event: skip
            }
        });
        return List.copyOf(ids);
    }

    private String topic(CommerceTopic topic) {
        return topic.topicName() + suffix;
    }

    private Step step(
            ConsumerRecord<String, byte[]> record, SpecificRecord value, Match match, Set<RawRecordRef> rawRefs) {
        Map<String, String> d = new LinkedHashMap<>();
        if (value instanceof QuarantineRecord q) {
            if (!match.entity(q.getPlatform(), q.getStore(), q.getEntityType(), q.getEntityId())) {
                return null;
            }
            rawRefs.add(q.getRawRef());
            put(d, "error_class", q.getErrorClass());
            put(d, "event_type", q.getEventType());
            put(d, "mapping_version", q.getMappingVersion());
            put(d, "field", q.getFieldPath());
            put(d, "retry_count", q.getRetryCount());
            put(d, "raw", Quarantine.ref(q.getRawRef()));
            put(d, "reason", q.getReason());
            return step(
                    record,
                    q.getQuarantinedAt(),
                    Kind.QUARANTINED,
                    q.getQuarantinedBy(),
                    q.getEntityType(),
                    q.getQuarantineId(),
                    d);
        }
        if (value instanceof FetchRequest f) {
            if (!match.entity(f.getPlatform(), f.getStore(), f.getEntityType(), f.getEntityIds())) {
                return null;
            }
            if (f.getRawRef() != null) {
                rawRefs.add(f.getRawRef());
                put(d, "raw", Quarantine.ref(f.getRawRef()));
            }
            put(d, "reason", f.getReason());
            put(d, "correlation_id", f.getCorrelationId());
            put(d, "not_before", f.getNotBefore());
            return step(
                    record,
                    f.getRequestedAt(),
                    Kind.FETCH_REQUESTED,
                    f.getRequestedBy(),
                    f.getEntityType(),
                    f.getRequestId(),
                    d);
        }
        if (value instanceof FetchDeadLetter f) {
            if (!match.entity(f.getPlatform(), f.getStore(), f.getEntityType(), f.getEntityIds())) {
                return null;
            }
            put(d, "request_id", f.getRequestId());
            put(d, "error_class", f.getErrorClass());
            put(d, "reason", f.getReason());
            return step(
                    record,
                    f.getFailedAt(),
                    Kind.FETCH_FAILED,
                    f.getFailedBy(),
                    f.getEntityType(),
                    f.getDeadLetterId(),
                    d);
        }
        if (value instanceof ReconciliationFinding f) {
            if (!match.entity(f.getPlatform(), f.getStore(), f.getEntityType(), f.getEntityId())) {
                return null;
            }
            put(d, "kind", f.getKind());
            put(d, "repair", f.getRepair());
            put(d, "run_id", f.getRunId());
            put(d, "fetch_request_id", f.getFetchRequestId());
            put(d, "platform_updated_at", f.getPlatformUpdatedAt());
            put(d, "target_updated_at", f.getTargetUpdatedAt());
            put(d, "consecutive_passes", f.getConsecutivePasses());
            return step(
                    record,
                    f.getFoundAt(),
                    Kind.RECONCILIATION_FINDING,
                    "reconciler",
                    f.getEntityType(),
                    f.getFindingId(),
                    d);
        }
        if (value instanceof AppliedChange a) {
            if (!match.entity(a.getPlatform(), a.getStore(), a.getEntityType(), a.getEntityId())) {
                return null;
            }
            put(d, "event_id", a.getEventId());
            put(d, "operation", a.getOperation());
            put(d, "version", a.getVersion());
            put(d, "version_basis", a.getVersionBasis());
            put(d, "mapping_version", a.getMappingVersion());
            put(d, "target", a.getTarget());
            if (a.getEventRef() != null) {
                put(d, "event", Quarantine.ref(a.getEventRef()));
            }
            return step(record, a.getAppliedAt(), Kind.APPLIED, "sync-writer", a.getEntityType(), a.getEventId(), d);
        }
        if (value instanceof SyncDeadLetter s) {
            boolean named = s.getEntityId() != null;
            if (named && !match.entity(s.getPlatform(), s.getStore(), s.getEntityType(), s.getEntityId())) {
                return null;
            }
            put(d, "event_id", s.getEventId());
            put(d, "error_class", s.getErrorClass());
            put(d, "sql_state", s.getSqlState());
            put(d, "target", s.getTarget());
            put(d, "event", Quarantine.ref(s.getSourceRef()));
            put(d, "reason", s.getReason());
            return step(
                    record,
                    s.getFailedAt(),
                    Kind.DEAD_LETTERED,
                    s.getFailedBy(),
                    s.getEntityType(),
                    s.getDeadLetterId(),
                    d);
        }
        if (value instanceof Command c) {
            CommandMetadata m = c.getMetadata();
            if (!match.entity(m.getPlatform(), m.getStore(), m.getEntityType(), m.getEntityId())) {
                return null;
            }
            put(
                    d,
                    "action",
                    c.getAction() == null ? null : c.getAction().getClass().getSimpleName());
            put(d, "deadline", m.getDeadline());
            return step(
                    record,
                    m.getIssuedAt(),
                    Kind.COMMAND,
                    m.getIssuer() == null ? "-" : m.getIssuer(),
                    m.getEntityType(),
                    m.getCommandId(),
                    d);
        }
        if (value instanceof CommandResult r) {
            CommandMetadata m = r.getMetadata();
            if (!match.entity(m.getPlatform(), m.getStore(), m.getEntityType(), m.getEntityId())) {
                return null;
            }
            put(d, "status", r.getStatus());
            put(d, "reason", r.getReason());
            put(d, "error_class", r.getErrorClass());
            put(d, "attempts", r.getAttempts());
            return step(
                    record, r.getCompletedAt(), Kind.COMMAND_RESULT, "poller", m.getEntityType(), r.getCommandId(), d);
        }
        if (value.getSchema().getField("metadata") != null
                && value.get(value.getSchema().getField("metadata").pos()) instanceof EventMetadata m) {
            if (!match.entity(m.getPlatform(), m.getStore(), m.getEntityType(), m.getEntityId())) {
                return null;
            }
            if (m.getRawRef() != null) {
                rawRefs.add(m.getRawRef());
                put(d, "raw", Quarantine.ref(m.getRawRef()));
            }
            put(d, "operation", m.getOperation());
            put(d, "source", m.getSource());
            put(d, "mapping_version", m.getMappingVersion());
            put(d, "source_version", m.getSourceVersion());
            put(d, "occurred", m.getSourceUpdatedAt());
            put(d, "received", m.getReceivedAt());
            put(d, "command_id", m.getCommandId());
            String by = m.getSource() == EventSource.REPLAY ? "synctl replay" : "normalizer";
            Instant published = Instant.ofEpochMilli(record.timestamp());
            return step(record, published, Kind.CANONICAL_EVENT, by, m.getEntityType(), m.getEventId(), d);
        }
        return null;
    }

    private static Step raw(ConsumerRecord<String, byte[]> record, RawEnvelope raw) {
        Map<String, String> d = new LinkedHashMap<>();
        put(d, "source", raw.getSource());
        put(d, "event_type", raw.getEventType());
        put(d, "delivery_id", raw.getDeliveryId());
        put(d, "platform_event_id", raw.getPlatformEventId());
        put(d, "correlation_id", raw.getCorrelationId());
        Header retryOf = record.headers().lastHeader(PipelineRecords.RETRY_OF_HEADER);
        if (retryOf != null) {
            put(d, "retry_of", new String(retryOf.value(), StandardCharsets.UTF_8));
        }
        boolean webhook = raw.getSource() == EventSource.WEBHOOK;
        return new Step(
                raw.getReceivedAt(),
                webhook ? Kind.WEBHOOK_DELIVERY : Kind.POLLED_READ,
                webhook ? "webhook-ingest" : "poller",
                record.topic(),
                record.partition(),
                record.offset(),
                raw.getEntityType() == null ? null : raw.getEntityType().name(),
                raw.getEnvelopeId(),
                d,
                0);
    }

    private static Step step(
            ConsumerRecord<String, byte[]> record,
            Instant at,
            Kind kind,
            String component,
            EntityType type,
            String id,
            Map<String, String> details) {
        return new Step(
                at == null ? Instant.ofEpochMilli(record.timestamp()) : at,
                kind,
                component,
                record.topic(),
                record.partition(),
                record.offset(),
                type == null ? null : type.name(),
                id,
                details,
                0);
    }

    private static void put(Map<String, String> details, String name, Object value) {
        if (value != null) {
            details.put(name, value.toString());
        }
    }

    /** {@code 850ms}, {@code 1.234s}, {@code 2m05s}, {@code 3h02m}, {@code 2d04h}. */
    public static String formatMillis(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.3fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }

    /** Which keys and values are about the traced entity. */
    private record Match(String platform, String store, String entityId, EntityType type) {
        /** Entity-keyed topics: {@code platform/store/type/id}; store-keyed topics: {@code platform/store}. */
        boolean key(String key) {
            if (key == null) {
                return false;
            }
            String storeKey = PipelineRecords.storeKey(platform, store);
            if (key.equals(storeKey)) {
                return true;
            }
            if (type != null) {
                return key.equals(storeKey + "/" + type.name().toLowerCase(Locale.ROOT) + "/" + entityId);
            }
            return key.startsWith(storeKey + "/") && key.endsWith("/" + entityId);
        }

        boolean entity(String p, String s, EntityType t, String id) {
            return platform.equals(p) && store.equals(s) && entityId.equals(id) && (type == null || type == t);
        }

        boolean entity(String p, String s, EntityType t, List<String> ids) {
            return ids != null && ids.contains(entityId) && entity(p, s, t, entityId);
        }
    }
}
