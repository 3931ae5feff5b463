package dev.commercesync.reconciler.service;

import dev.commercesync.reconciler.ReconcilerConfig;
import dev.commercesync.reconciler.core.StoreRef;
import dev.commercesync.stores.StoreRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Every tick, runs the enabled stores of the registry whose interval has passed (per store, or the default), one at a
 * time; a pass is full when {@code schedule.full-every} has passed since the store's last full one. Disabled stores are
 * skipped. Times live in memory: after a restart every store is due.
 */
@ApplicationScoped
public class ReconcileScheduler {
    private static final Logger LOG = Logger.getLogger(ReconcileScheduler.class);

    private final StoreRegistry registry;
    private final ReconciliationService service;
    private final ReconcilerConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastFull = new ConcurrentHashMap<>();

    public ReconcileScheduler(StoreRegistry registry, ReconciliationService service, ReconcilerConfig config) {
        this.registry = registry;
        this.service = service;
        this.config = config;
    }

    @Scheduled(
            every = "${commercesync.reconciler.schedule.tick:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ScheduleDisabled.class)
    void tick() {
        List<StoreRegistry.StoreView> stores;
        try {
            stores = registry.list(unreadable -> LOG.warnf(
                    "not reconciling %s/%s: %s", unreadable.platform(), unreadable.storeId(), unreadable.reason()));
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the store registry: %s", e.getClass().getSimpleName());
            return;
        }
        for (StoreRegistry.StoreView store : stores) {
            if (!store.enabled()) {
                continue;
            }
            StoreRef ref = new StoreRef(store.platform(), store.storeId());
            Instant now = clock.instant();
            Duration interval = config.schedule()
                    .perStore()
                    .getOrDefault(ref.key(), config.schedule().interval());
            Instant last = lastRun.get(ref.key());
            if (last != null && last.plus(interval).isAfter(now)) {
                continue;
            }
            lastRun.put(ref.key(), now);
            Instant fullSince = lastFull.computeIfAbsent(ref.key(), k -> now);
            boolean fullPass = !fullSince.plus(config.schedule().fullEvery()).isAfter(now);
            if (fullPass) {
                lastFull.put(ref.key(), now);
            }
            service.run(ref, List.of(), fullPass);
        }
    }

    /** Skips ticks when {@code commercesync.reconciler.schedule.enabled} is false. */
    @ApplicationScoped
    public static class ScheduleDisabled implements Scheduled.SkipPredicate {
        private final ReconcilerConfig config;

        public ScheduleDisabled(ReconcilerConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.schedule().enabled();
        }
    }
}
