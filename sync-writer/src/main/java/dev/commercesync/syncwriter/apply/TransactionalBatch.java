package dev.commercesync.syncwriter.apply;

import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.syncwriter.target.TargetWriter;
import dev.commercesync.syncwriter.target.TargetWriter.ApplyResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a batch of changes in ONE database transaction: for each, claim the event id (a duplicate stops there),
 * apply it to the target, and write the outbox row if it changed something. Any failure rolls back the whole batch.
 */
@ApplicationScoped
public class TransactionalBatch {
    private final ProcessedEvents processedEvents;
    private final Outbox outbox;

    public TransactionalBatch(ProcessedEvents processedEvents, Outbox outbox) {
        this.processedEvents = processedEvents;
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Outcome> apply(TargetWriter target, List<CanonicalChange> changes) {
        List<Outcome> outcomes = new ArrayList<>(changes.size());
        for (CanonicalChange change : changes) {
            if (!processedEvents.claim(change)) {
                outcomes.add(Outcome.DUPLICATE);
                continue;
            }
            if (target.apply(change) == ApplyResult.APPLIED) {
                outbox.append(change, target.name());
                outcomes.add(Outcome.APPLIED);
            } else {
                processedEvents.markStale(change);
                outcomes.add(Outcome.STALE);
            }
        }
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
