package dev.commercesync.inventory;

import dev.commercesync.stores.MerchantRegistry;
import dev.commercesync.stores.MerchantRegistry.Channel;
import dev.commercesync.stores.MerchantRegistry.MerchantView;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The merchants' configuration, read from the store registry at start-up and every {@code inventory.config-refresh}.
 * A failed read keeps the last one and is tried again at the next refresh; before the first succeeded every record
 * waits ({@link MerchantConfigs.NotLoaded}), none is skipped.
 */
@ApplicationScoped
public class MerchantConfigCache implements MerchantConfigs {
    private static final Logger LOG = Logger.getLogger(MerchantConfigCache.class);

    private record Snapshot(Map<String, String> merchantOfStore, Map<String, MerchantView> merchants) {}

    private final MerchantRegistry registry;
    private volatile Snapshot snapshot;

    public MerchantConfigCache(MerchantRegistry registry) {
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        refresh();
    }

    @Scheduled(every = "${inventory.config-refresh:30s}", delayed = "${inventory.config-refresh:30s}")
    void refresh() {
        try {
            load(registry.list());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "cannot read the merchants' configuration (%s); keeping the last one, trying again", e.toString());
        }
    }

    /** Replaces the configuration (also the tests' way in). */
    public void load(List<MerchantView> merchants) {
        Map<String, String> ofStore = new HashMap<>();
        Map<String, MerchantView> byId = new HashMap<>();
        for (MerchantView m : merchants) {
            byId.put(m.id(), m);
            for (Channel c : m.stores()) {
                ofStore.put(c.store().toString(), m.id());
            }
        }
        snapshot = new Snapshot(Map.copyOf(ofStore), Map.copyOf(byId));
    }

    @Override
    public Optional<String> merchantOf(String platform, String store) {
        return Optional.ofNullable(loaded().merchantOfStore().get(platform + "/" + store));
    }

    @Override
    public Optional<MerchantView> merchant(String id) {
        return Optional.ofNullable(loaded().merchants().get(id));
    }

    private Snapshot loaded() {
        Snapshot s = snapshot;
        if (s == null) {
            throw new NotLoaded();
        }
        return s;
    }
}
