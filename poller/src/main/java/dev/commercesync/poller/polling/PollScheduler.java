package dev.commercesync.poller.polling;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.StoreSettings;
import dev.commercesync.poller.api.StoreClients;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the poll of every enabled store × resource at its interval, on a small worker pool; one store × resource
 * never runs twice at once. Stores whose credentials were rejected are skipped until they change.
 */
@ApplicationScoped
public class PollScheduler {
    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    private record Job(StoreKey store, EntityType type) {}

    private final StoreRegistry stores;
    private final PlatformRegistry platforms;
    private final IncrementalPoller poller;
    private final StoreStatusBoard status;
    private final PollerConfig config;
    private final StoreSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final Map<Job, Instant> nextRun = new ConcurrentHashMap<>();
    private final Set<Job> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;

    public PollScheduler(
            StoreRegistry stores,
            PlatformRegistry platforms,
            IncrementalPoller poller,
            StoreStatusBoard status,
            PollerConfig config,
            StoreSettings settings) {
        this.stores = stores;
        this.platforms = platforms;
        this.poller = poller;
        this.status = status;
        this.config = config;
        this.settings = settings;
        this.workers = Executors.newFixedThreadPool(config.polling().workers(), r -> {
            Thread t = new Thread(r, "poller-worker");
            t.setDaemon(true);
            return t;
        });
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Scheduled(
            identity = "poll-due-stores",
            every = "${commercesync.poller.polling.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void tick() {
        Instant now = clock.instant();
        for (StoreView store : readableStores(stores, status)) {
            if (!store.enabled() || platforms.find(store.platform()).isEmpty()) {
                continue;
            }
            StoreKey key = StoreKey.of(store);
            if (status.waitingForPerson(key, StoreClients.fingerprint(store))) {
                continue;
            }
            for (EntityType type : settings.resources(key)) {
                Job job = new Job(key, type);
                if (!nextRun.getOrDefault(job, Instant.EPOCH).isAfter(now)) {
                    submit(store, job);
                }
            }
        }
    }

    /**
     * Every store whose secrets decrypt; each one that does not is marked on the status board (needs attention) instead
     * of failing the list for every store.
     */
    public static List<StoreView> readableStores(StoreRegistry stores, StoreStatusBoard status) {
        List<StoreView> readable = stores.list(
                unreadable -> status.secretsUnreadable(new StoreKey(unreadable.platform(), unreadable.storeId())));
        readable.forEach(store -> status.secretsReadable(StoreKey.of(store)));
        return readable;
    }

    /**
     * Polls every resource of the store now (after a subscription was re-created: the gap since the last good
     * checkpoint is read back). Returns when the runs finished.
     */
    public CompletableFuture<Void> pollNow(StoreView store) {
        StoreKey key = StoreKey.of(store);
        return CompletableFuture.allOf(settings.resources(key).stream()
                .map(type -> submit(store, new Job(key, type)))
                .toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> submit(StoreView store, Job job) {
        if (!running.add(job)) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        poller.poll(store, job.type());
                    } catch (IncrementalPoller.RunFailedException e) {
                        // Recorded on the status board; the next run starts again from the checkpoint.
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "poll of %s %s failed unexpectedly", job.store(), job.type());
                    } finally {
                        nextRun.put(job, clock.instant().plus(interval(job.store())));
                        running.remove(job);
                    }
                },
                workers);
    }

    private Duration interval(StoreKey store) {
        return config.polling()
                .storeInterval()
                .getOrDefault(store.toString(), config.polling().interval());
    }
}
