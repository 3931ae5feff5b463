package dev.commercesync.syncwriter.apply;

import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.syncwriter.target.TargetWriter;
import dev.commercesync.syncwriter.target.TargetWriter.ApplyResult;
import dev.commercesync.telemetry.LogContext;
import dev.commercesync.telemetry.Spans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Applies a batch of changes in ONE database transaction: for each, claim the event id (a duplicate stops there),
 * apply it to the target, and write the outbox row if it changed something. Any failure rolls back the whole batch.
 * Each event is applied in its own span ({@link ApplyTracing}) and log context (platform, store, event id).
 */
@ApplicationScoped
public class TransactionalBatch {
    private static final Logger LOG = Logger.getLogger(TransactionalBatch.class);

    private final ProcessedEvents processedEvents;
    private final Outbox outbox;
    private final ApplyTracing tracing;

    public TransactionalBatch(ProcessedEvents processedEvents, Outbox outbox, ApplyTracing tracing) {
        this.processedEvents = processedEvents;
        this.outbox = outbox;
        this.tracing = tracing;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Outcome> apply(TargetWriter target, List<CanonicalChange> changes) {
        List<Outcome> outcomes = new ArrayList<>(changes.size());
        ApplyTracing.TransactionSpans spans = tracing.begin(target.name(), changes.size());
        for (CanonicalChange change : changes) {
            var m = change.metadata();
            Span span = spans.start(change);
            try (Scope ignored = span.makeCurrent();
                    LogContext logContext = LogContext.of(m.getPlatform(), m.getStore(), m.getEventId())) {
                Outcome outcome = apply(target, change);
                outcomes.add(outcome);
                span.setAttribute(Spans.OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
                LOG.debugf("%s %s", outcome, change.entityKey());
            } catch (RuntimeException e) {
                Spans.failed(span, e);
                throw e;
            }
        }
        return outcomes;
    }

    private Outcome apply(TargetWriter target, CanonicalChange change) {
        if (!processedEvents.claim(change)) {
            return Outcome.DUPLICATE;
        }
        if (target.apply(change) == ApplyResult.APPLIED) {
            outbox.append(change, target.name());
            return Outcome.APPLIED;
        }
        processedEvents.markStale(change);
        return Outcome.STALE;
    }

    /** What became of one event. */
    public enum Outcome {
        APPLIED,
        /** Older than or as old as what the target holds: a no-op. */
        STALE,
        /** Already processed (a redelivery or a duplicate event): a no-op. */
        DUPLICATE
    }
}
