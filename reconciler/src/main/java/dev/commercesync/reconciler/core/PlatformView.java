package dev.commercesync.reconciler.core;

import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The platform's side: how many entities changed in a range, and which (ids and updated-at). Implementations go
 * through the poller, the only caller of platform APIs, so the store's rate limit holds; each answer says how many
 * platform API requests it cost, and the reconciler keeps the running total per run.
 */
public interface PlatformView {

    /** A count and its cost in platform API requests. */
    record Count(long count, int apiCalls) {}

    /**
     * One platform entity of a listing.
     *
     * @param parentId the owning entity (a refund's order) when the platform fetches the entity through it, else null
     */
    record Entity(String id, Instant updatedAt, String parentId) {
        public Entity(String id, Instant updatedAt) {
            this(id, updatedAt, null);
        }
    }

    /** A listing of a range and its cost in platform API requests (one per page). */
    record Listing(List<Entity> entities, int apiCalls) {
        public Listing {
            entities = List.copyOf(entities);
        }
    }

    /**
     * One entity of a snapshot listing: its id and the fingerprint of its canonical content ({@code
     * ContentFingerprint}), null when the platform's data does not map.
     */
    record SnapshotEntity(String id, Long fingerprint) {}

    /** Every entity of a type as the platform holds it now, and its cost in platform API requests (one per page). */
    record Snapshot(List<SnapshotEntity> entities, int apiCalls) {
        public Snapshot {
            entities = List.copyOf(entities);
        }
    }

    /**
     * What a platform's adapter can list: the types compared by updated-at buckets and those compared by content from a
     * snapshot. The reconciler's default types (docs/reconciler.md, "Types per platform").
     *
     * @param withoutCount the types of {@code byUpdatedAt} the platform cannot count (no count endpoint): their window
     *     is listed once instead of counted by buckets ({@link BucketReconciler.Options#counted()})
     */
    record Listable(Set<EntityType> byUpdatedAt, Set<EntityType> asSnapshot, Set<EntityType> withoutCount) {
        public Listable {
            byUpdatedAt = Set.copyOf(byUpdatedAt);
            asSnapshot = Set.copyOf(asSnapshot);
            withoutCount = Set.copyOf(withoutCount);
        }

        /** Every type listed by updated-at counted. */
        public Listable(Set<EntityType> byUpdatedAt, Set<EntityType> asSnapshot) {
            this(byUpdatedAt, asSnapshot, Set.of());
        }
    }

    /** The platform's listable types (its adapter's capabilities); no platform request. */
    Listable listable(String platform) throws PlatformViewException;

    Count count(StoreRef store, EntityType type, Range range) throws PlatformViewException;

    /** For a type the platform lists without updated-at: all of it, compared by content ({@link SnapshotReconciler}). */
    Snapshot snapshot(StoreRef store, EntityType type) throws PlatformViewException;

    Listing list(StoreRef store, EntityType type, Range range) throws PlatformViewException;

    /**
     * The poller could not answer (unreachable, the platform failed or refused); the run for this type stops. Its error
     * class is the poller's (the platform's failure as the poller classified it), or what the answer says otherwise.
     */
    final class PlatformViewException extends Exception {
        private final ErrorClass errorClass;

        public PlatformViewException(String message, ErrorClass errorClass, Throwable cause) {
            super(message, cause);
            this.errorClass = errorClass;
        }

        public PlatformViewException(String message, Throwable cause) {
            this(message, ErrorClass.TRANSIENT, cause);
        }

        public PlatformViewException(String message, ErrorClass errorClass) {
            this(message, errorClass, null);
        }

        public PlatformViewException(String message) {
            this(message, ErrorClass.TRANSIENT, null);
        }

        public ErrorClass errorClass() {
            return errorClass;
        }
    }
}
