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
 * Every tick, runs the enabled stores of the registry that are due, one at a time: a store's interval (per store, or
 * the default) after its last pass that worked, or sooner after one that failed ({@link PassSchedule}: from {@code
 * schedule.retry-after}, doubling, up to the interval). A pass is full when {@code schedule.full-every} has passed since
 * the store's last full pass that worked. Disabled stores are skipped. Times live in memory: after a restart every
 * store is due.
 */
@ApplicationScoped
public class ReconcileScheduler {
    private static final Logger LOG = Logger.getLogger(ReconcileScheduler.class);

    private final StoreRegistry registry;
    private final ReconciliationService service;
    private final ReconcilerConfig config;
    private final Clock clock = Clock.systemUTC();
    private final PassSchedule schedule = new PassSchedule();
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
            if (!schedule.due(ref.key(), now)) {
                continue;
            }
            Instant fullSince = lastFull.computeIfAbsent(ref.key(), k -> now);
            boolean fullPass = !fullSince.plus(config.schedule().fullEvery()).isAfter(now);
            boolean worked;
            try {
                worked = !service.run(ref, List.of(), fullPass).failed();
            } catch (RuntimeException e) {
                LOG.warnf("reconciling %s failed: %s", ref.key(), e.getClass().getSimpleName());
                worked = false;
            }
            if (worked) {
                schedule.succeeded(ref.key(), now, interval);
                if (fullPass) {
                    lastFull.put(ref.key(), now);
                }
            } else {
                Instant retry = schedule.failed(
                        ref.key(), clock.instant(), interval, config.schedule().retryAfter());
                LOG.infof("the pass of %s failed; the next is at %s", ref.key(), retry);
            }
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
