package dev.commercesync.reconciler.core;

import java.time.Instant;
import java.util.List;

/**
 * One difference between platform and target.
 *
 * @param platformUpdatedAt the platform's updated-at, when the platform listed the entity
 * @param targetUpdatedAt the target's applied source updated-at, when the target has the entity
 * @param entityKeys the target's keys of the entity (several for a duplicate)
 * @param parentId the owning entity the platform listed it under (a refund's order), needed to fetch it; null when the
 *     type needs none or the platform did not list it (an extra)
 */
public record Finding(
        Kind kind,
        String entityId,
        Instant platformUpdatedAt,
        Instant targetUpdatedAt,
        String targetSourceVersion,
        List<String> entityKeys,
        String parentId) {

    public Finding(
            Kind kind,
            String entityId,
            Instant platformUpdatedAt,
            Instant targetUpdatedAt,
            String targetSourceVersion,
            List<String> entityKeys) {
        this(kind, entityId, platformUpdatedAt, targetUpdatedAt, targetSourceVersion, entityKeys, null);
    }

    /** This finding with the entity's parent. */
    public Finding withParentId(String parent) {
        return new Finding(kind, entityId, platformUpdatedAt, targetUpdatedAt, targetSourceVersion, entityKeys, parent);
    }

    public enum Kind {
        /** The platform has it, the target does not: repaired with a RECONCILE_MISSING fetch. */
        MISSING,
        /** The target applied an older version than the platform's: repaired with a RECONCILE_STALE fetch. */
        STALE,
        /**
         * The target has it live, the platform did not list it (deleted upstream, or changed since the run's end):
         * the poller confirms by id (RECONCILE_EXTRA fetch).
         */
        EXTRA,
        /** The same platform entity under several target keys: reported, not repaired automatically. */
        DUPLICATE
    }

    public Finding {
        entityKeys = entityKeys == null ? List.of() : List.copyOf(entityKeys);
    }
}
