package dev.commercesync.syncwriter.target;

import dev.commercesync.syncwriter.consume.CanonicalChange;
import java.util.List;

/**
 * A system canonical events are applied to. Implementations are CDI beans picked by {@link #name()} from
 * {@code syncwriter.target-name}; an unknown or ambiguous name fails the start-up.
 *
 * <p>{@link #apply} and {@link #applyAll} run inside the writer's database transaction, which also records the processed event and the
 * outbox row. It must be idempotent and order-safe: applying an event whose version is not newer than what the target
 * holds changes nothing and answers {@link ApplyResult#STALE}. A PostgreSQL target does that with a guarded upsert in
 * the same transaction. A remote (HTTP) target would send the change with {@code Idempotency-Key: <event_id>} and the
 * version, map "the target holds a newer version" (409/412) to STALE, and throw a classified
 * {@link dev.commercesync.syncwriter.errors.TargetException} otherwise (429 QUOTA, 401/403 AUTH, 400/422 VALIDATION,
 * 5xx and timeouts TRANSIENT); if the local commit then fails, the redelivered event is resent with the same key and the
 * target deduplicates it. See docs/sync-writer.md.
 */
public interface TargetWriter {

    /** The name {@code syncwriter.target-name} selects, also written into applied and dead-letter records. */
    String name();

    /**
     * Applies one change.
     *
     * @throws dev.commercesync.syncwriter.errors.TargetException or any exception the caller classifies (SQL)
     */
    ApplyResult apply(CanonicalChange change);

    /**
     * Applies a batch's changes, with the result each would have had applied one by one in this order — several
     * versions of one entity included: an older one after a newer one is STALE, a newer one after an older one is
     * APPLIED. The writer calls this with every claimed change of a batch; the default applies them one by one, a
     * target that can write several at once (PostgreSQL: JDBC batches) overrides it.
     *
     * @return one result per change, in the same order
     */
    default List<ApplyResult> applyAll(List<CanonicalChange> changes) {
        return changes.stream().map(this::apply).toList();
    }

    enum ApplyResult {
        /** The target now holds this event's version. */
        APPLIED,
        /** The target already held this version or a newer one; nothing changed. */
        STALE
    }
}
