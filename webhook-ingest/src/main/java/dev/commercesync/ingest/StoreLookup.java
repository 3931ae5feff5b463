package dev.commercesync.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Store look-ups for the hot path, cached for {@link IngestConfig#storeCacheTtl()} so that a burst of webhooks does not
 * query PostgreSQL and decrypt secrets once per delivery. Only registered stores are cached, at most {@link
 * IngestConfig#storeCacheMaxSize()} of them: a store id comes from an unverified delivery, so caching absent ones would
 * let anyone grow the cache with made-up names (a flood for unknown stores costs one indexed query each instead).
 * Admin changes made through this instance invalidate its entry at once.
 */
@ApplicationScoped
public class StoreLookup {
    private final StoreRegistry registry;
    private final Cache<String, StoreView> cache;

    public StoreLookup(StoreRegistry registry, IngestConfig config) {
        this.registry = registry;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(config.storeCacheTtl())
                .maximumSize(config.storeCacheMaxSize())
                .build();
    }

    public Optional<StoreView> find(String platform, String storeId) {
        // A loader returning null stores nothing, so an unknown store leaves no entry.
        return Optional.ofNullable(cache.get(
                key(platform, storeId), k -> registry.find(platform, storeId).orElse(null)));
    }

    public void invalidate(String platform, String storeId) {
        cache.invalidate(key(platform, storeId));
    }

    /** How many stores are cached (for tests and diagnostics). */
    public long cachedStores() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static String key(String platform, String storeId) {
        return platform + "/" + storeId;
    }
}
