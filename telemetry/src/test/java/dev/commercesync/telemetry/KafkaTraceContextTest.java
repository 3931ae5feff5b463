package dev.commercesync.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class KafkaTraceContextTest {
    private final OpenTelemetry otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @Test
    void aSpanInjectedIntoHeadersIsTheParentExtractedFromThem() {
        Span span = otel.getTracer("test").spanBuilder("produce").startSpan();
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-00000000000000000000000000000001-0000000000000001-01".getBytes());
        KafkaTraceContext.inject(otel, Context.root().with(span), headers);

        assertEquals(1, headers.toArray().length, "the old traceparent is replaced, not repeated");
        String traceparent = new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        assertEquals(
                "00-" + span.getSpanContext().getTraceId() + "-"
                        + span.getSpanContext().getSpanId() + "-01",
                traceparent);
        Context extracted = KafkaTraceContext.extract(otel, headers, Context.root());
        assertEquals(
                span.getSpanContext().getTraceId(),
                Span.fromContext(extracted).getSpanContext().getTraceId());
        assertEquals(
                span.getSpanContext().getSpanId(),
                Span.fromContext(extracted).getSpanContext().getSpanId());
        assertTrue(Span.fromContext(extracted).getSpanContext().isRemote());
    }

    @Test
    void recordsWithoutTraceContextKeepTheGivenParent() {
        Context parent = Context.root();
        Context extracted = KafkaTraceContext.extract(otel, new RecordHeaders(), parent);
        assertSame(parent, extracted);
        assertFalse(Span.fromContext(extracted).getSpanContext().isValid());
        assertSame(parent, KafkaTraceContext.extract(otel, null, parent));
    }

    @Test
    void logContextRestoresWhatWasThereBefore() {
        MDC.put(LogContext.PLATFORM, "outer");
        try (LogContext ignored = LogContext.of("shopify", "s1")) {
            LogContext.eventId("e1");
            assertEquals("shopify", MDC.get(LogContext.PLATFORM));
            assertEquals("s1", MDC.get(LogContext.STORE));
            assertEquals("e1", MDC.get(LogContext.EVENT_ID));
        }
        assertEquals("outer", MDC.get(LogContext.PLATFORM));
        assertNull(MDC.get(LogContext.STORE));
        assertNull(MDC.get(LogContext.EVENT_ID));
        MDC.remove(LogContext.PLATFORM);
    }
}
