package dev.commercesync.poller.status;

import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.platforms.spi.ApiDeprecation;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.schemas.canonical.EntityType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jboss.logging.Logger;

/**
 * What this poller process knows about each store now: whether to stop calling it (its rejected credentials, its
 * unreadable secrets), the last error per store and per resource, and the last successful run and cursor of each
 * resource, for the Prometheus metrics. Kept in memory; what {@code GET /status/stores} shows is read from PostgreSQL
 * instead (the operational state and the checkpoints), the same on every replica and after a restart.
 */
@ApplicationScoped
public class StoreStatusBoard {
    private static final Logger LOG = Logger.getLogger(StoreStatusBoard.class);

    /** The store's state as a person reads it. */
    public enum Health {
        OK,
        RETRYING,
        NEEDS_ATTENTION
    }

    /** @param message safe to show: names the call and the status, never credentials or payloads */
    public record LastError(ErrorClass errorClass, String message, Instant at, boolean retrying) {}

    /** One store × resource. */
    public static final class ResourceState {
        private volatile Instant lastSuccessAt;
        private volatile Instant cursor;
        private volatile LastError lastError;

        public Optional<Instant> lastSuccessAt() {
            return Optional.ofNullable(lastSuccessAt);
        }

        public Optional<Instant> cursor() {
            return Optional.ofNullable(cursor);
        }

        public Optional<LastError> lastError() {
            return Optional.ofNullable(lastError);
        }
    }

    /** One store. */
    public static final class StoreState {
        private final Map<EntityType, ResourceState> resources = new ConcurrentHashMap<>();
        private volatile LastError lastError;
        /** Fingerprint of the credentials that were rejected; null while the store is not waiting for a person. */
        private volatile String rejectedCredentials;
        /** When the platform first rejected {@link #rejectedCredentials}. */
        private volatile Instant rejectedAt;
        /** True while the store's row cannot be decrypted with this poller's secrets key. */
        private volatile boolean secretsUnreadable;
        /** The platform's latest deprecation notices, one per reason and path, the newest last. */
        private final Deque<ApiDeprecation> deprecations = new ConcurrentLinkedDeque<>();

        /** The latest deprecation notices (at most {@value StoreStatusBoard#MAX_DEPRECATIONS}, one per reason and path), oldest first. */
        public List<ApiDeprecation> apiDeprecations() {
            return List.copyOf(deprecations);
        }

        public Optional<LastError> lastError() {
            return Optional.ofNullable(lastError);
        }

        public Map<EntityType, ResourceState> resources() {
            return Map.copyOf(resources);
        }

        public Health health() {
            if (rejectedCredentials != null || secretsUnreadable) {
                return Health.NEEDS_ATTENTION;
            }
            LastError error = lastError;
            if (error != null && error.errorClass().needsPerson()) {
                return Health.NEEDS_ATTENTION;
            }
            return error != null ? Health.RETRYING : Health.OK;
        }
    }

    private final Map<StoreKey, StoreState> stores = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Clock clock;

    public StoreStatusBoard(MeterRegistry meters) {
        this.meters = meters;
        this.clock = Clock.systemUTC();
    }

    public StoreState store(StoreKey key) {
        return stores.computeIfAbsent(key, k -> {
            StoreState state = new StoreState();
            Gauge.builder(
                            "commercesync.poller.store.needs.attention",
                            state,
                            s -> s.health() == Health.NEEDS_ATTENTION ? 1 : 0)
                    .description("1 while the store waits for a person (credentials rejected, configuration error)")
                    .tags(storeTags(k))
                    .register(meters);
            return state;
        });
    }

    private ResourceState resource(StoreKey key, EntityType type) {
        return store(key).resources.computeIfAbsent(type, t -> {
            ResourceState state = new ResourceState();
            Tags tags = storeTags(key).and("resource", resourceTag(t));
            Gauge.builder(
                            "commercesync.poller.cursor.age",
                            state,
                            s -> s.cursor == null
                                    ? Double.NaN
                                    : Duration.between(s.cursor, clock.instant())
                                                    .toMillis()
                                            / 1000.0)
                    .description("How far the checkpoint of a store × resource is behind now")
                    .baseUnit("seconds")
                    .tags(tags)
                    .register(meters);
            Gauge.builder(
                            "commercesync.poller.last.success",
                            state,
                            s -> s.lastSuccessAt == null ? Double.NaN : s.lastSuccessAt.toEpochMilli() / 1000.0)
                    .description("End of the last complete poll run of a store × resource (epoch seconds)")
                    .baseUnit("seconds")
                    .tags(tags)
                    .register(meters);
            return state;
        });
    }

    /** A run of a store × resource completed: every record is on Kafka and the checkpoint is at {@code cursor}. */
    public void pollSucceeded(StoreKey key, EntityType type, Instant cursor, Instant at) {
        ResourceState state = resource(key, type);
        state.lastSuccessAt = at;
        state.cursor = cursor;
        state.lastError = null;
        StoreState store = store(key);
        if (store.lastError != null && !store.lastError.errorClass().needsPerson()) {
            store.lastError = null;
        }
    }

    /** The checkpoint as read from PostgreSQL (start-up, status requests), for the gauges. */
    public void checkpointSeen(StoreKey key, EntityType type, Instant cursor, Instant lastSuccessAt) {
        ResourceState state = resource(key, type);
        if (cursor != null) {
            state.cursor = cursor;
        }
        if (lastSuccessAt != null) {
            state.lastSuccessAt = lastSuccessAt;
        }
    }

    /** A call succeeded: a store that was retrying is fine again (a person's problem stays until it is fixed). */
    public void callSucceeded(StoreKey key) {
        StoreState store = store(key);
        LastError error = store.lastError;
        if (error != null && !error.errorClass().needsPerson()) {
            store.lastError = null;
        }
    }

    /**
     * Records a failure of the store (and of one resource, when {@code type} is not null).
     *
     * @param retrying whether it will be retried without anyone acting
     */
    public void failed(StoreKey key, EntityType type, ErrorClass errorClass, String message, boolean retrying) {
        LastError error = new LastError(errorClass, message, clock.instant(), retrying);
        store(key).lastError = error;
        if (type != null) {
            resource(key, type).lastError = error;
        }
        Counter.builder("commercesync.poller.errors")
                .description("Failed platform calls and runs, by error class")
                .tags(storeTags(key).and("error_class", errorClass.label()))
                .register(meters)
                .increment();
    }

    /** A poll run of a store × resource failed (its calls' failures are already recorded). */
    public void runFailed(StoreKey key, EntityType type, ErrorClass errorClass, String message, boolean retrying) {
        LastError error = new LastError(errorClass, message, clock.instant(), retrying);
        resource(key, type).lastError = error;
        StoreState store = store(key);
        if (store.rejectedCredentials == null) {
            store.lastError = error;
        }
        Counter.builder("commercesync.poller.runs.failed")
                .description("Poll runs that failed, by error class")
                .tags(storeTags(key).and("resource", resourceTag(type)).and("error_class", errorClass.label()))
                .register(meters)
                .increment();
    }

    /** The platform rejected the store's credentials: stop calling it until they change. */
    public void credentialsRejected(StoreKey key, String credentialsFingerprint, String message) {
        StoreState store = store(key);
        if (store.rejectedCredentials == null || !store.rejectedCredentials.equals(credentialsFingerprint)) {
            LOG.warnf("store %s needs attention: its API credentials were rejected (%s)", key, message);
            store.rejectedAt = clock.instant();
        }
        store.rejectedCredentials = credentialsFingerprint;
        failed(key, null, ErrorClass.AUTH, message, false);
    }

    /**
     * The store was just (re)installed through the platform's install flow: the platform granted its credentials now, so
     * an earlier rejection (the token it revoked when the app was removed) no longer holds, even where the new token
     * equals the old one.
     */
    public void installed(StoreKey key) {
        StoreState store = stores.get(key);
        if (store != null && store.rejectedCredentials != null) {
            LOG.infof("store %s was installed again: polling it again", key);
            store.rejectedCredentials = null;
            store.lastError = null;
        }
    }

    /** When the platform first rejected the store's current credentials; empty while they are not rejected. */
    public Optional<Instant> credentialsRejectedSince(StoreKey key) {
        StoreState store = stores.get(key);
        return store == null || store.rejectedCredentials == null
                ? Optional.empty()
                : Optional.ofNullable(store.rejectedAt);
    }

    /**
     * Whether the store waits for a person: true while its credentials are the ones the platform rejected. New
     * credentials (or base URL) clear it, and the store is polled again.
     */
    public boolean waitingForPerson(StoreKey key, String credentialsFingerprint) {
        StoreState store = stores.get(key);
        if (store == null || store.rejectedCredentials == null) {
            return false;
        }
        if (store.rejectedCredentials.equals(credentialsFingerprint)) {
            return true;
        }
        LOG.infof("store %s has new API credentials: polling it again", key);
        store.rejectedCredentials = null;
        store.lastError = null;
        return false;
    }

    /**
     * The store's secrets do not decrypt with this poller's key (wrong key, corrupted row): it is not polled, fetched
     * or subscribed, and shown as needing attention, while every other store carries on.
     */
    public void secretsUnreadable(StoreKey key) {
        String reason = "its secrets do not decrypt with this poller's commercesync.secrets.key (wrong key or damaged"
                + " row); not polled, fetched or subscribed";
        StoreState store = store(key);
        if (!store.secretsUnreadable) {
            LOG.warnf("store %s needs attention: %s", key, reason);
            store.secretsUnreadable = true;
            failed(key, null, ErrorClass.VALIDATION, reason, false);
        }
    }

    /** The store's secrets decrypt (again): clears {@link #secretsUnreadable}. */
    public void secretsReadable(StoreKey key) {
        StoreState store = stores.get(key);
        if (store != null && store.secretsUnreadable) {
            LOG.infof("store %s: its secrets decrypt again", key);
            store.secretsUnreadable = false;
            store.lastError = null;
        }
    }

    /** Deprecation notices kept per store, each reason and path once (its latest sighting). */
    public static final int MAX_DEPRECATIONS = 10;

    /**
     * The platform flagged calls of the store as using something deprecated: kept for its status (the latest per
     * reason and path, bounded), logged once per reason and path.
     */
    public void deprecationsSeen(StoreKey key, List<ApiDeprecation> seen) {
        if (seen.isEmpty()) {
            return;
        }
        Deque<ApiDeprecation> kept = store(key).deprecations;
        synchronized (kept) {
            for (ApiDeprecation notice : seen) {
                boolean known = kept.removeIf(
                        d -> d.reason().equals(notice.reason()) && d.path().equals(notice.path()));
                if (!known) {
                    LOG.warnf(
                            "store %s: the platform reports a deprecation on %s: %s",
                            key, notice.path(), notice.reason());
                }
                kept.addLast(notice);
                while (kept.size() > MAX_DEPRECATIONS) {
                    kept.pollFirst();
                }
            }
        }
    }

    public Optional<StoreState> find(StoreKey key) {
        return Optional.ofNullable(stores.get(key));
    }

    private static Tags storeTags(StoreKey key) {
        return Tags.of("platform", key.platform(), "store", key.store());
    }

    private static String resourceTag(EntityType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
