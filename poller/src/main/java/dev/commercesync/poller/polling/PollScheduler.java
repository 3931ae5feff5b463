package dev.commercesync.poller.polling;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.poller.DaemonThreads;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.StoreSettings;
import dev.commercesync.poller.api.StoreClients;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>The types a store's platform lists only as a snapshot ({@link StoreSettings#snapshotResources}) are listed whole
 * on their first run (the store's backfill: its existing levels were never sent as webhooks) and again every {@code
 * polling.snapshot-interval} after a complete listing; the last one is read from the checkpoint table, so a restart
 * does not list a fresh snapshot again. A failed run of either kind is retried after the store's polling interval.
 */
@ApplicationScoped
public class PollScheduler {
    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    /** @param snapshot whether the type is listed whole ({@code listSnapshot}) instead of by updated-at */
    private record Job(StoreKey store, EntityType type, boolean snapshot) {}

    private final StoreRegistry stores;
    private final PlatformRegistry platforms;
    private final IncrementalPoller poller;
    private final StoreStatusBoard status;
    private final PollerConfig config;
    private final StoreSettings settings;
    private final Checkpoints checkpoints;
    /** Empty: a snapshot type is listed once per store (its backfill), never again. */
    private final Optional<Duration> snapshotInterval;

    private final Clock clock = Clock.systemUTC();
    private final Map<Job, Instant> nextRun = new ConcurrentHashMap<>();
    private final Set<Job> running = ConcurrentHashMap.newKeySet();
    /** Jobs asked for by {@link #pollNow} while a run of theirs was in flight: due again as soon as it ends. */
    private final Set<Job> askedWhileRunning = ConcurrentHashMap.newKeySet();

    private final ExecutorService workers;

    public PollScheduler(
            StoreRegistry stores,
            PlatformRegistry platforms,
            IncrementalPoller poller,
            StoreStatusBoard status,
            PollerConfig config,
            StoreSettings settings,
            Checkpoints checkpoints) {
        this.stores = stores;
        this.platforms = platforms;
        this.poller = poller;
        this.status = status;
        this.config = config;
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.snapshotInterval = snapshotInterval(config.polling().snapshotInterval());
        this.workers = Executors.newFixedThreadPool(config.polling().workers(), DaemonThreads.named("poller-worker"));
    }

    /**
     * {@code polling.snapshot-interval} as the scheduler uses it: empty when zero or unset (no repeats).
     *
     * @throws IllegalArgumentException when negative
     */
    static Optional<Duration> snapshotInterval(Optional<Duration> configured) {
        if (configured.isPresent() && configured.get().isNegative()) {
            throw new IllegalArgumentException(
                    "commercesync.poller.polling.snapshot-interval must not be negative: " + configured.get());
        }
        return configured.filter(interval -> !interval.isZero());
    }

    /** Refuses to start with an invalid setting instead of failing the first tick. */
    void validate(@Observes StartupEvent event) {
        snapshotInterval(config.polling().snapshotInterval());
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
        for (StoreView store : readableStores(stores, status)) {
            runDue(store);
        }
    }

    /**
     * Starts the store's runs that are due now (what a tick does for each store); the future completes when they
     * finished. Nothing for a disabled store, one of an unknown platform or one waiting for a person.
     */
    public CompletableFuture<Void> runDue(StoreView store) {
        if (!store.enabled() || platforms.find(store.platform()).isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        StoreKey key = StoreKey.of(store);
        if (status.waitingForPerson(key, StoreClients.fingerprint(store))) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = clock.instant();
        return CompletableFuture.allOf(jobs(key).stream()
                .filter(job -> due(job, now))
                .map(job -> submit(store, job))
                .toArray(CompletableFuture[]::new));
    }

    private List<Job> jobs(StoreKey key) {
        List<Job> jobs = new ArrayList<>();
        settings.resources(key).forEach(type -> jobs.add(new Job(key, type, false)));
        settings.snapshotResources(key).forEach(type -> jobs.add(new Job(key, type, true)));
        return jobs;
    }

    private boolean due(Job job, Instant now) {
        Instant next = nextRun.get(job);
        if (next == null) {
            try {
                next = firstRun(job);
            } catch (RuntimeException e) {
                LOG.warnf("cannot tell when %s %s is due (%s); trying again next tick", job.store(), job.type(), e);
                return false;
            }
            nextRun.putIfAbsent(job, next);
        }
        return !next.isAfter(now);
    }

    /**
     * When this process runs a job first: an incremental poll at once (it reads from its checkpoint), a snapshot
     * listing at once unless the checkpoint table records a complete one less than the interval ago.
     */
    private Instant firstRun(Job job) {
        if (!job.snapshot()) {
            return Instant.EPOCH;
        }
        return checkpoints
                .find(job.store(), job.type())
                .map(Checkpoints.Checkpoint::lastSuccessAt)
                .map(this::afterSnapshot)
                .orElse(Instant.EPOCH);
    }

    private Instant afterSnapshot(Instant completedAt) {
        return snapshotInterval.map(completedAt::plus).orElse(Instant.MAX);
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
     * checkpoint is read back; a snapshot type, which has no checkpoint to read back from, is listed whole). Returns
     * when the runs finished; a type with a run already in flight is due again at the first tick after that run ends
     * (the future does not wait for it).
     */
    public CompletableFuture<Void> pollNow(StoreView store) {
        return CompletableFuture.allOf(
                jobs(StoreKey.of(store)).stream().map(job -> submit(store, job)).toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> submit(StoreView store, Job job) {
        if (!running.add(job)) {
            // A run is in flight, perhaps begun before what asks for this one (a reinstall's new credentials, a
            // re-created subscription): the job is due again the moment that run ends, not an interval later.
            askedWhileRunning.add(job);
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(
                () -> {
                    Instant next = null;
                    try {
                        if (job.snapshot()) {
                            poller.snapshot(store, job.type());
                            next = afterSnapshot(clock.instant());
                        } else {
                            poller.poll(store, job.type());
                        }
                    } catch (IncrementalPoller.RunFailedException e) {
                        // Recorded on the status board; the next run starts again from the checkpoint.
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "poll of %s %s failed unexpectedly", job.store(), job.type());
                    } finally {
                        Instant due = next != null ? next : clock.instant().plus(interval(job.store()));
                        nextRun.put(job, askedWhileRunning.remove(job) ? clock.instant() : due);
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
