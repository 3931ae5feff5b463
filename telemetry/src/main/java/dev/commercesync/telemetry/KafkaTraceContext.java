package dev.commercesync.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) in Kafka record headers, for the code that reads and
 * writes records without the SmallRye connector's tracing: the normalizer's Kafka Streams processor and the
 * sync-writer's batch consumer. Uses the application's configured propagators, so it writes what the connector writes.
 */
public final class KafkaTraceContext {
    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private KafkaTraceContext() {}

    /** The context the record's producer propagated, or {@code parent} when it carries none. */
    public static Context extract(OpenTelemetry openTelemetry, Headers headers, Context parent) {
        if (headers == null) {
            return parent;
        }
        return openTelemetry.getPropagators().getTextMapPropagator().extract(parent, headers, GETTER);
    }

    /** Writes {@code context} into the headers, replacing any trace context they carried. */
    public static Headers inject(OpenTelemetry openTelemetry, Context context, Headers headers) {
        openTelemetry.getPropagators().getTextMapPropagator().inject(context, headers, SETTER);
        return headers;
    }
}
