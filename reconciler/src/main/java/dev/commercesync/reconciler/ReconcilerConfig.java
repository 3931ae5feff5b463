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

    /** Entity types reconciled when a run names none, on platforms without their own {@link #platform()} list. */
    @WithDefault("ORDER,PRODUCT,CUSTOMER")
    Set<EntityType> entityTypes();

    /**
     * Per platform (quoted key, {@code commercesync.reconciler.platform."shopify".entity-types}): the types reconciled
     * there when a run names none: types the platform's adapter lists by updated-at (or created-at), and those it lists
     * only as a whole snapshot when they are also named in {@code snapshot-entity-types}.
     */
    Map<String, PlatformSettings> platform();

    interface PlatformSettings {
        Optional<Set<EntityType>> entityTypes();

        /**
         * Of the types reconciled on the platform, those it lists without any updated-at (BigCommerce inventory
         * levels): compared by content through the poller's snapshot listing ({@code SnapshotReconciler}), one
         * platform request per page of the whole listing on every pass.
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

        /** Per-store intervals, keyed {@code "platform/store"} (quoted in properties). */
        Map<String, Duration> perStore();

        /** Every this often a scheduled pass is full (lists everything: finds what equal counts hide). */
        @WithDefault("7d")
        Duration fullEvery();
    }
}
