package dev.commercesync.syncwriter.apply;

import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.telemetry.Spans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The apply spans of one database transaction: one per event, a child of the trace context its record carried (the
 * normalizer's span), from the start of the transaction (which applies the whole batch at once) until it completes,
 * which ends them all: committed, or rolled back (status ERROR). Events of one batch belong to different traces, so the batch's
 * transaction shows in each of them as that event's apply span, with the batch size as an attribute.
 */
@ApplicationScoped
public class ApplyTracing {
    private final Tracer tracer;
    private final TransactionSynchronizationRegistry transactions;

    public ApplyTracing(OpenTelemetry openTelemetry, TransactionSynchronizationRegistry transactions) {
        this.tracer = openTelemetry.getTracer(Spans.SCOPE);
        this.transactions = transactions;
    }

    /** The spans of the current transaction; call inside it, before its first event. */
    TransactionSpans begin(String target, int batchSize) {
        TransactionSpans spans = new TransactionSpans(target, batchSize);
        transactions.registerInterposedSynchronization(spans);
        return spans;
    }

    /** Spans started in one transaction, ended when it completes. */
    final class TransactionSpans implements Synchronization {
        private final String target;
        private final int batchSize;
        private final List<Span> spans = new ArrayList<>();

        private TransactionSpans(String target, int batchSize) {
            this.target = target;
            this.batchSize = batchSize;
        }

        /** Starts the apply span of one event. */
        Span start(CanonicalChange change) {
            var m = change.metadata();
            Span span = Spans.startProcessing(
                            tracer,
                            "apply " + change.position().topic(),
                            change.trace(),
                            change.position().topic(),
                            change.position().partition(),
                            change.position().offset())
                    .setAttribute(Spans.PLATFORM, m.getPlatform())
                    .setAttribute(Spans.STORE, m.getStore())
                    .setAttribute(Spans.ENTITY_TYPE, Spans.lower(m.getEntityType()))
                    .setAttribute(Spans.EVENT_ID, m.getEventId())
                    .setAttribute(Spans.BATCH_SIZE, (long) batchSize)
                    .setAttribute(Spans.TARGET, target);
            spans.add(span);
            return span;
        }

        @Override
        public void beforeCompletion() {}

        @Override
        public void afterCompletion(int status) {
            for (Span span : spans) {
                if (status != Status.STATUS_COMMITTED) {
                    span.setStatus(StatusCode.ERROR, "transaction rolled back");
                }
                span.end();
            }
        }
    }
}
