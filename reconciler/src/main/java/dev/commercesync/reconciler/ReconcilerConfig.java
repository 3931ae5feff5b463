package dev.commercesync.reconciler;

import dev.commercesync.schemas.canonical.EntityType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** reconciler settings ({@code commercesync.reconciler.*}). */
@ConfigMapping(prefix = "commercesync.reconciler")
public interface ReconcilerConfig {

    /** Base URL of the poller, which serves the platform view (GET /platform-view/...). */
    URI pollerUrl();

    /** Timeout of one platform-view request (the poller may wait for the store's rate limiter). */
    @WithDefault("60s")
    Duration pollerTimeout();

    /**
     * Entity types reconciled on every platform when a run names none, unless a platform's or store's own list says
     * otherwise. When absent (the default), each platform's are what its adapter can list, as the poller reports them
     * ({@code GET /platform-view/<platform>/capabilities}).
     */
    Optional<Set<EntityType>> entityTypes();

    /**
     * Per-platform overrides of the adapter's listable types (quoted key, {@code
     * commercesync.reconciler.platform."<platform>".entity-types}). Nothing needs setting: the defaults are the
     * adapter's.
     */
    Map<String, PlatformSettings> platform();

    /**
     * Per-store overrides, keyed {@code "platform/store"} ({@code
     * commercesync.reconciler.store."<platform>/<store>".entity-types}): they win over the platform's.
     */
    Map<String, PlatformSettings> store();

    interface PlatformSettings {
        /** Types reconciled when a run names none (default: all the adapter lists by updated-at or as snapshot). */
        Optional<Set<EntityType>> entityTypes();

        /**
         * The types compared by content through the poller's snapshot listing ({@code SnapshotReconciler}), one platform
         * request per page of the whole listing on every pass (default: those the adapter lists only as a snapshot).
         */
        Optional<Set<EntityType>> snapshotEntityTypes();
    }

    /** Top-level buckets per window (K): a pass without drift costs K platform count requests per type. */
    @WithDefault("16")
    int topBuckets();

    /** Sub-buckets per split of a bucket whose counts differ. 2 costs one count request per level. */
    @WithDefault("2")
    int fanout();

    /** Page size of the platform listing; a bucket of at most two pages is listed rather than split. */
    @WithDefault("100")
    int pageSize();

    /** Start of the reconciled window (entities updated before it are not compared). */
    @WithDefault("2000-01-01T00:00:00Z")
    Instant windowStart();

    /** The window ends this long before now: changes younger than that are still on their way through the pipeline. */
    @WithDefault("5m")
    Duration settle();

    /** Ids per fetch request. */
    @WithDefault("50")
    int idsPerFetchRequest();

    /**
     * The target relation read (sync-writer's view of per-entity versions): columns platform, store, entity_type,
     * entity_id, entity_key, version, source_version, source_updated_at, deleted.
     */
    @WithDefault("target.entity_versions")
    String targetRelation();

    Schedule schedule();

    interface Schedule {
        /** Off: runs happen only on demand (REST, synctl). */
        @WithDefault("true")
        boolean enabled();

        /** How often the scheduler looks for stores that are due. */
        @WithDefault("60s")
        String tick();

        /** Default interval between two passes of a store. */
        @WithDefault("1h")
        Duration interval();

        /**
         * After a pass that failed, the next comes this much later, doubling with each failure in a row, up to the
         * store's interval.
         */
        @WithDefault("1m")
        Duration retryAfter();

        /** Per-store intervals, keyed {@code "platform/store"} (quoted in properties). */
        Map<String, Duration> perStore();

        /** Every this often a scheduled pass is full (lists everything: finds what equal counts hide). */
        @WithDefault("7d")
        Duration fullEvery();
    }
}
