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
 * Applies a batch of changes in ONE database transaction, a few statements for the whole batch rather than several per
 * event: claim every event id (duplicates and redeliveries stop there), apply the claimed changes to the target
 * ({@link TargetWriter#applyAll}: in order, several versions of one entity included), write the outbox rows of those
 * that changed something, and record the stale ones. Each event's outcome is the one it would have had applied alone,
 * in the batch's order. Any failure rolls back the whole batch. Each event has its own span ({@link ApplyTracing}),
 * ended with the transaction.
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
        ApplyTracing.TransactionSpans transactionSpans = tracing.begin(target.name(), changes.size());
        List<Span> spans = new ArrayList<>(changes.size());
        changes.forEach(change -> spans.add(transactionSpans.start(change)));
        List<Outcome> outcomes;
        try {
            outcomes = applyAll(target, changes);
        } catch (RuntimeException e) {
            spans.forEach(span -> Spans.failed(span, e)); // the batch fails as a whole: so does each event's apply
            throw e;
        }
        for (int i = 0; i < changes.size(); i++) {
            String outcome = outcomes.get(i).name();
            spans.get(i).setAttribute(Spans.OUTCOME, outcome.toLowerCase(Locale.ROOT));
            if (LOG.isDebugEnabled()) {
                // The event's span is current while its line is logged, so the line carries the event's trace id.
                var m = changes.get(i).metadata();
                try (Scope ignored = spans.get(i).makeCurrent();
                        LogContext logContext = LogContext.of(m.getPlatform(), m.getStore(), m.getEventId())) {
                    LOG.debugf("%s %s", outcome, changes.get(i).entityKey());
                }
            }
        }
        return outcomes;
    }

    private List<Outcome> applyAll(TargetWriter target, List<CanonicalChange> changes) {
        boolean[] claimed = processedEvents.claim(changes);
        List<CanonicalChange> toApply = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            if (claimed[i]) {
                toApply.add(changes.get(i));
            }
        }
        List<ApplyResult> results = target.applyAll(toApply);
        if (results.size() != toApply.size()) {
            throw new IllegalStateException(
                    target.name() + " answered " + results.size() + " results for " + toApply.size() + " changes");
        }
        List<Outcome> outcomes = new ArrayList<>(changes.size());
        List<CanonicalChange> applied = new ArrayList<>(toApply.size());
        List<CanonicalChange> stale = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < changes.size(); i++) {
            if (!claimed[i]) {
                outcomes.add(Outcome.DUPLICATE);
            } else if (results.get(next++) == ApplyResult.APPLIED) {
                applied.add(changes.get(i));
                outcomes.add(Outcome.APPLIED);
            } else {
                stale.add(changes.get(i));
                outcomes.add(Outcome.STALE);
            }
        }
        outbox.append(applied, target.name());
        processedEvents.markStale(stale);
        return outcomes;
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
