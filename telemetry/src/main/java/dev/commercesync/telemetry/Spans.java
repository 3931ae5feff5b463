package dev.commercesync.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Locale;

/**
 * The spans the services create themselves (the HTTP server and Kafka producer spans come from Quarkus' extensions) and
 * the attributes they carry. Attributes name a record — platform, store, entity type, event id, topic position — and
 * never carry secrets or payload content. docs/observability.md lists them.
 */
public final class Spans {
    /** Instrumentation scope of the services' own spans. */
    public static final String SCOPE = "dev.commercesync";

    public static final AttributeKey<String> PLATFORM = AttributeKey.stringKey("commercesync.platform");
    public static final AttributeKey<String> STORE = AttributeKey.stringKey("commercesync.store");
    public static final AttributeKey<String> ENTITY_TYPE = AttributeKey.stringKey("commercesync.entity_type");
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("commercesync.event_id");
    /** What became of the record: normalized, duplicate, fetch_requested, quarantined; applied, stale, ... */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("commercesync.outcome");
    /** How many canonical events one raw record became. */
    public static final AttributeKey<Long> EVENT_COUNT = AttributeKey.longKey("commercesync.event_count");
    /** How many events the database transaction held. */
    public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("commercesync.batch_size");
    /** Where the sync-writer applied an event (its target, e.g. {@code postgres}). */
    public static final AttributeKey<String> TARGET = AttributeKey.stringKey("commercesync.target");

    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    private Spans() {}

    /**
     * Starts the span of processing one consumed Kafka record, a child of the context its producer propagated.
     *
     * @param name e.g. {@code normalize commerce.raw.v1}
     */
    public static Span startProcessing(
            Tracer tracer, String name, Context parent, String topic, int partition, long offset) {
        return tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_OPERATION, "process")
                .setAttribute(DESTINATION, topic)
                .setAttribute(PARTITION, Integer.toString(partition))
                .setAttribute(OFFSET, offset)
                .startSpan();
    }

    /** Marks the span failed with the exception's class only (messages may quote data). */
    public static void failed(Span span, Throwable failure) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
    }

    /** Lower-case name of an enum value, for attribute values ({@code ORDER} → {@code order}). */
    public static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }
}
