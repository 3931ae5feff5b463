package dev.commercesync.ingest;

import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Store look-ups for the hot path, cached for {@link IngestConfig#storeCacheTtl()} so that a burst of webhooks does not
 * query PostgreSQL and decrypt secrets once per delivery. Absent stores are cached too (a flood for an unknown store
 * stays cheap). Admin changes made through this instance invalidate its entry at once.
 */
@ApplicationScoped
public class StoreLookup {
    private record Entry(Optional<StoreView> store, long expiresAtNanos) {}

    private final StoreRegistry registry;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public StoreLookup(StoreRegistry registry, IngestConfig config) {
        this.registry = registry;
        this.ttlNanos = config.storeCacheTtl().toNanos();
    }

    public Optional<StoreView> find(String platform, String storeId) {
        String key = platform + "/" + storeId;
        long now = System.nanoTime();
        Entry entry = cache.get(key);
        if (entry == null || now - entry.expiresAtNanos() > 0) {
            entry = new Entry(registry.find(platform, storeId), now + ttlNanos);
            cache.put(key, entry);
        }
        return entry.store();
    }

    public void invalidate(String platform, String storeId) {
        cache.remove(platform + "/" + storeId);
    }
}
