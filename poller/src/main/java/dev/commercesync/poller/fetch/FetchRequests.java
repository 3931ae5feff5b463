package dev.commercesync.poller.fetch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.DeletionNotices;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.poller.DaemonThreads;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.poller.api.PlatformCalls.StoreNeedsAttentionException;
import dev.commercesync.poller.kafka.FetchDeadLetters;
import dev.commercesync.poller.kafka.FetchQuarantine;
import dev.commercesync.poller.kafka.RawPublisher;
import dev.commercesync.poller.kafka.RawPublisher.NotStoredException;
import dev.commercesync.poller.status.PlatformErrors;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.FetchDeadLetter;
import dev.commercesync.schemas.envelope.FetchErrorClass;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.stores.SecretCipher;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Answers fetch requests ({@code commerce.fetch-requests.v1}): fetches each named entity by id, no earlier than the
 * request's {@code not_before}, and publishes it as a raw envelope whose {@code correlation_id} is the request's id.
 * Requests for the same store, type and id that arrive within the coalescing window (or while one is still waiting
 * for its {@code not_before}) share one fetch and one envelope (correlation id: the first request's). A request
 * message is acknowledged (its offset committed) only once every entity it names was answered or given up, so a
 * crash makes Kafka redeliver it.
 *
 * <p>Fetches are dispatched per store, at most one in flight for each: a fetch may wait in its store's rate limiter
 * (a spent budget, a Retry-After pause), and that wait must delay only that store's fetches, never another store's.
 * So the worker pool grows with the stores that have work (one thread per store with a fetch in flight, idle ones
 * retire), and a store's worker takes its next due fetch when it is done.
 */
@ApplicationScoped
public class FetchRequests {
    private static final Logger LOG = Logger.getLogger(FetchRequests.class);

    private record FetchKey(String platform, String store, EntityType type, String id, String parentId) {}

    /** One pending fetch and the request messages waiting for it. */
    private static final class Pending {
        final FetchKey key;
        final String correlationId;
        final EventSource source;
        final List<Tracked> waiting = new ArrayList<>();
        Instant dueAt;
        int attempts;
        /** Set once it was given up: what remains is storing its dead letters (retried while Kafka is away). */
        FetchErrorClass deadClass;

        String deadReason;

        Pending(FetchKey key, String correlationId, EventSource source, Instant dueAt) {
            this.key = key;
            this.correlationId = correlationId;
            this.source = source;
            this.dueAt = dueAt;
        }
    }

    /** A request message, acknowledged when its last entity is done (answered, not found, or dead-lettered). */
    private static final class Tracked {
        final Message<byte[]> message;
        final FetchRequest request;
        final RawRecordRef ref;
        final AtomicInteger open;
        /** How often support retried the thin webhook behind it (the retry headers the normalizer carried on). */
        final int retryCount;
        /** The entities of it whose FETCH_FAILED quarantine record is stored (not written again on a retry). */
        final Set<String> quarantined = ConcurrentHashMap.newKeySet();

        Tracked(Message<byte[]> message, FetchRequest request, RawRecordRef ref, int entities) {
            this.message = message;
            this.request = request;
            this.ref = ref;
            this.open = new AtomicInteger(entities);
            this.retryCount = message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> PipelineRecords.retryCount(m.getHeaders()))
                    .orElse(0);
        }

        /** A request for a thin or partial webhook names its raw record: a failure is quarantined for a retry. */
        boolean hydratesAWebhook() {
            return request.getRawRef() != null
                    && (request.getReason() == FetchReason.THIN_WEBHOOK
                            || request.getReason() == FetchReason.PARTIAL_PAYLOAD);
        }

        void entityDone() {
            if (open.decrementAndGet() == 0) {
                message.ack();
            }
        }
    }

    private final Map<FetchKey, Pending> pending = new ConcurrentHashMap<>();
    /** The stores with a fetch in flight: each is served by one worker at a time. */
    private final Set<StoreKey> busy = ConcurrentHashMap.newKeySet();

    private final StoreRegistry stores;
    private final PlatformCalls calls;
    private final RawPublisher publisher;
    private final StoreStatusBoard status;
    private final OperationalStates states;
    private final PollerConfig config;
    private final MeterRegistry meters;
    private final FetchRequestDecoder decoder;
    private final FetchDeadLetters deadLetters;
    private final FetchQuarantine quarantine;
    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService timer;
    private ExecutorService workers;

    public FetchRequests(
            StoreRegistry stores,
            PlatformCalls calls,
            RawPublisher publisher,
            StoreStatusBoard status,
            OperationalStates states,
            PollerConfig config,
            MeterRegistry meters,
            FetchRequestDecoder decoder,
            FetchDeadLetters deadLetters,
            FetchQuarantine quarantine) {
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.quarantine = quarantine;
        this.stores = stores;
        this.calls = calls;
        this.publisher = publisher;
        this.status = status;
        this.states = states;
        this.config = config;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fetch-timer"));
        // One thread per store with a fetch in flight (at most one each, see dispatchDue): a store waiting in its rate
        // limiter holds its own thread only.
        workers = Executors.newCachedThreadPool(DaemonThreads.named("fetch-worker"));
        long every = config.fetch().checkEvery().toMillis();
        timer.scheduleWithFixedDelay(this::dispatchDue, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            workers.shutdownNow();
        }
    }

    /**
     * Blocking (on a worker thread, in record order): decoding may ask the registry for the schema, which must not
     * happen on the event loop; order keeps the first request of a key the one whose id answers it. While the registry
     * is unreachable the record waits (and the partition with it): infrastructure trouble is never the data's fault.
     */
    @Incoming("fetch-requests-in")
    @Blocking
    public CompletionStage<Void> onRequest(Message<byte[]> message) {
        RawRecordRef ref = position(message);
        FetchRequest request;
        try {
            request = decodeWaitingForRegistry(message.getPayload());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CompletableFuture<>(); // shutting down: not acknowledged, Kafka redelivers it
        } catch (RuntimeException e) {
            // A record that is not a registered FetchRequest will never become one: dead-lettered with its bytes.
            meters.counter("commercesync.poller.fetch.undecodable").increment();
            LOG.warnf(
                    "a fetch request at %s-%d@%d does not decode (%s): dead-lettered",
                    ref.getTopic(),
                    ref.getPartition(),
                    ref.getOffset(),
                    e.getClass().getSimpleName());
            FetchDeadLetter deadLetter = deadLetter(
                            FetchErrorClass.UNDECODABLE,
                            "not a registered FetchRequest: " + e.getClass().getSimpleName(),
                            message.getPayload(),
                            ref)
                    .build();
            try {
                storeWaitingForKafka(null, deadLetter);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return new CompletableFuture<>();
            }
            return message.ack();
        }
        List<String> ids = request.getEntityIds();
        if (ids.isEmpty()) {
            return message.ack();
        }
        Instant now = clock.instant();
        Instant notBefore = request.getNotBefore();
        Instant due = now.plus(config.fetch().coalesceWindow());
        if (notBefore != null && notBefore.isAfter(due)) {
            due = notBefore;
        }
        Tracked tracked = new Tracked(message, request, ref, ids.size());
        EventSource source = source(request.getReason());
        for (String id : ids) {
            FetchKey key = new FetchKey(
                    request.getPlatform(), request.getStore(), request.getEntityType(), id, request.getParentId());
            Instant dueAt = due;
            pending.compute(key, (k, existing) -> {
                if (existing == null) {
                    existing = new Pending(k, request.getRequestId(), source, dueAt);
                } else {
                    meters.counter("commercesync.poller.fetch.coalesced", "platform", k.platform())
                            .increment();
                    if (dueAt.isAfter(existing.dueAt)) {
                        existing.dueAt = dueAt; // honour the latest not_before of the coalesced requests
                    }
                }
                existing.waiting.add(tracked);
                return existing;
            });
        }
        return CompletableFuture.completedFuture(null);
    }

    /** A reconciler's repair is published as such; hydration of thin webhooks and operator fetches count as polls. */
    private static EventSource source(FetchReason reason) {
        return switch (reason) {
            case RECONCILE_MISSING, RECONCILE_STALE, RECONCILE_EXTRA -> EventSource.RECONCILE;
            default -> EventSource.POLL;
        };
    }

    /** Decodes the record, waiting (with backoff) while the schema registry cannot be reached. */
    private FetchRequest decodeWaitingForRegistry(byte[] value) throws InterruptedException {
        return decoder.decodeWhenReachable(value, () -> meters.counter("commercesync.poller.registry.unavailable")
                .increment());
    }

    /** Stores a dead letter, waiting (with backoff) while Kafka does not acknowledge it. */
    private void storeWaitingForKafka(String key, FetchDeadLetter deadLetter) throws InterruptedException {
        InfrastructureBackoff backoff = new InfrastructureBackoff();
        while (true) {
            try {
                deadLetters.publish(key, deadLetter, config.polling().publishTimeout());
                return;
            } catch (NotStoredException e) {
                LOG.warnf("a fetch dead letter was not stored (%s); retrying in %s", e.getMessage(), backoff.next());
                backoff.sleep();
            }
        }
    }

    private static RawRecordRef position(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> new RawRecordRef(m.getTopic(), m.getPartition(), m.getOffset()))
                .orElse(new RawRecordRef(CommerceTopic.FETCH_REQUESTS.topicName(), -1, -1L));
    }

    private FetchDeadLetter.Builder deadLetter(
            FetchErrorClass errorClass, String reason, byte[] rawValue, RawRecordRef ref) {
        return FetchDeadLetter.newBuilder()
                .setDeadLetterId(UUID.randomUUID().toString())
                .setErrorClass(errorClass)
                .setReason(reason)
                .setRawValue(ByteBuffer.wrap(rawValue))
                .setSourceRef(ref)
                .setFailedAt(clock.instant())
                .setFailedBy("poller");
    }

    /** Starts a worker for each store that has a due fetch and none in flight. */
    private void dispatchDue() {
        Instant now = clock.instant();
        for (Pending p : pending.values()) {
            StoreKey store = storeOf(p.key);
            if (p.dueAt.isAfter(now) || !busy.add(store)) {
                continue;
            }
            if (claim(p)) {
                workers.execute(() -> drain(store, p));
            } else {
                busy.remove(store);
            }
        }
    }

    /**
     * The store's worker: fetches {@code first}, then the store's next due fetch, until none is due. Only the worker
     * holding the store in {@link #busy} claims its fetches, so a store never has two in flight.
     */
    private void drain(StoreKey store, Pending first) {
        try {
            for (Pending p = first; p != null; p = nextDue(store)) {
                fetch(p);
            }
        } finally {
            busy.remove(store);
        }
    }

    private Pending nextDue(StoreKey store) {
        Instant now = clock.instant();
        for (Pending p : pending.values()) {
            if (!p.dueAt.isAfter(now) && storeOf(p.key).equals(store) && claim(p)) {
                return p;
            }
        }
        return null;
    }

    /** remove(key, value) is atomic with onRequest's compute: once removed, no request joins this fetch. */
    private boolean claim(Pending p) {
        return pending.remove(p.key, p);
    }

    private static StoreKey storeOf(FetchKey key) {
        return new StoreKey(key.platform(), key.store());
    }

    private void fetch(Pending p) {
        FetchKey key = p.key;
        StoreKey storeKey = storeOf(key);
        if (p.deadClass != null) {
            storeDeadLetters(p, storeKey);
            return;
        }
        Optional<StoreView> store;
        try {
            store = stores.find(key.platform(), key.store());
        } catch (SecretCipher.UnreadableSecretException e) {
            status.secretsUnreadable(storeKey);
            giveUp(p, storeKey, FetchErrorClass.VALIDATION, "the store's secrets do not decrypt with this key");
            return;
        } catch (RuntimeException e) {
            waitForInfrastructure(
                    p, "the store registry cannot be read: " + e.getClass().getSimpleName());
            return;
        }
        if (store.isEmpty() || !store.get().enabled()) {
            giveUp(p, storeKey, FetchErrorClass.UNKNOWN_STORE, "store " + storeKey + " is unknown or disabled");
            return;
        }
        try {
            Optional<JsonNode> entity = calls.getById(store.get(), key.type(), key.id(), key.parentId())
                    .value();
            if (entity.isPresent()) {
                publisher.publishAll(
                        storeKey.toString(),
                        List.of(RawEnvelopes.fromApi(
                                key.platform(),
                                key.store(),
                                key.type(),
                                entity.get(),
                                p.source,
                                clock.instant(),
                                p.correlationId,
                                calls.apiVersion(storeKey))),
                        config.polling().publishTimeout());
                meters.counter("commercesync.poller.fetch.answered", "platform", key.platform())
                        .increment();
            } else if (p.source == EventSource.RECONCILE) {
                // The reconciler asked about an entity the platform no longer has: a confirmed deletion, which the
                // normalizer turns into a canonical DELETE (the target may hold it because its delete webhook was
                // lost).
                publisher.publishAll(
                        storeKey.toString(),
                        List.of(DeletionNotices.envelope(
                                key.platform(),
                                key.store(),
                                key.type(),
                                key.id(),
                                p.source,
                                clock.instant(),
                                p.correlationId)),
                        config.polling().publishTimeout());
                meters.counter("commercesync.poller.fetch.not.found", "platform", key.platform())
                        .increment();
                LOG.debugf("fetch %s %s %s: not found, deletion confirmed", storeKey, key.type(), key.id());
            } else {
                // Gone, or not visible yet (an eventually consistent API behind its webhook): nothing to publish; a
                // deletion reaches the pipeline by webhook or by the reconciler's confirmation.
                meters.counter("commercesync.poller.fetch.not.found", "platform", key.platform())
                        .increment();
                LOG.debugf("fetch %s %s %s: not found", storeKey, key.type(), key.id());
            }
            states.succeeded(hydrate(key));
            done(p);
        } catch (StoreNeedsAttentionException e) {
            // Not called: the outcome that made the store wait is recorded already.
            giveUp(p, storeKey, FetchErrorClass.AUTH, e.getMessage());
        } catch (PlatformApiException e) {
            ErrorClass errorClass = PlatformErrors.classOf(e);
            states.failed(hydrate(key), errorClass, e.getMessage(), !errorClass.needsPerson());
            if (e.retryable()) {
                retryLater(p, storeKey, errorClass, e.getMessage());
            } else {
                giveUp(p, storeKey, deadLetterClass(errorClass), e.getMessage());
            }
        } catch (NotStoredException e) {
            // Kafka did not take the answer: infrastructure, waited for without limit (never dead-lettered).
            states.failed(hydrate(key), ErrorClass.TRANSIENT, e.getMessage(), true);
            waitForInfrastructure(p, e.getMessage());
        } catch (IllegalArgumentException e) {
            states.failed(hydrate(key), ErrorClass.VALIDATION, e.getMessage(), false);
            giveUp(p, storeKey, FetchErrorClass.VALIDATION, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "fetch %s %s %s failed unexpectedly", storeKey, key.type(), key.id());
            states.failed(hydrate(key), ErrorClass.TRANSIENT, e.getClass().getSimpleName(), true);
            retryLater(p, storeKey, ErrorClass.TRANSIENT, e.getClass().getSimpleName());
        }
    }

    /** The operational state's subject of a fetch: its store × type, operation HYDRATE. */
    private static OperationalStates.Subject hydrate(FetchKey key) {
        return storeOf(key).subject(key.type(), Operation.HYDRATE);
    }

    private void retryLater(Pending p, StoreKey store, ErrorClass errorClass, String message) {
        p.attempts++;
        if (p.attempts >= config.fetch().maxAttempts()) {
            giveUp(p, store, deadLetterClass(errorClass), message);
            return;
        }
        requeue(p, clock.instant().plus(config.fetch().retryDelay().multipliedBy(p.attempts)));
    }

    /** Infrastructure (Kafka, PostgreSQL) is away: try again later, without counting it as an attempt. */
    private void waitForInfrastructure(Pending p, String message) {
        meters.counter("commercesync.poller.fetch.infrastructure.waits").increment();
        LOG.debugf("fetch %s %s %s waits for infrastructure: %s", p.key.store(), p.key.type(), p.key.id(), message);
        requeue(p, clock.instant().plus(config.fetch().retryDelay()));
    }

    private void requeue(Pending p, Instant dueAt) {
        p.dueAt = dueAt;
        pending.merge(p.key, p, (queued, retried) -> {
            retried.waiting.addAll(queued.waiting);
            return retried;
        });
    }

    private static FetchErrorClass deadLetterClass(ErrorClass errorClass) {
        return switch (errorClass) {
            case TRANSIENT -> FetchErrorClass.TRANSIENT;
            case QUOTA -> FetchErrorClass.QUOTA;
            case AUTH -> FetchErrorClass.AUTH;
            case VALIDATION -> FetchErrorClass.VALIDATION;
            case CONFLICT -> FetchErrorClass.CONFLICT;
        };
    }

    /**
     * The fetch cannot be answered (store unknown or waiting for a person, request refused, retries spent): counted,
     * shown in the status, and each waiting request goes to {@code commerce.fetch-dlq.v1} with the reason; a request
     * that hydrates a thin webhook also puts the webhook in the quarantine ({@code FETCH_FAILED}), where support
     * retries it once the cause is fixed (docs/poller.md). A request is acknowledged only once both are stored.
     */
    private void giveUp(Pending p, StoreKey store, FetchErrorClass errorClass, String message) {
        LOG.warnf(
                "fetch %s %s %s given up (%s: %s): dead-lettered",
                store, p.key.type(), p.key.id(), errorClass.name().toLowerCase(Locale.ROOT), message);
        meters.counter(
                        "commercesync.poller.fetch.failed",
                        "platform",
                        p.key.platform(),
                        "error_class",
                        errorClass.name().toLowerCase(Locale.ROOT))
                .increment();
        p.deadClass = errorClass;
        p.deadReason = message;
        storeDeadLetters(p, store);
    }

    /**
     * One dead letter per waiting request, and one quarantine record per thin webhook among them; what Kafka does not
     * take now is tried again later.
     */
    private void storeDeadLetters(Pending p, StoreKey store) {
        Iterator<Tracked> waiting = p.waiting.iterator();
        while (waiting.hasNext()) {
            Tracked t = waiting.next();
            if (t.hydratesAWebhook() && !t.quarantined.contains(p.key.id())) {
                try {
                    quarantine.publish(
                            store.toString(),
                            fetchFailed(p, t),
                            config.polling().publishTimeout());
                } catch (NotStoredException e) {
                    waitForInfrastructure(p, e.getMessage());
                    return;
                }
                t.quarantined.add(p.key.id());
            }
            FetchDeadLetter.Builder deadLetter = deadLetter(p.deadClass, p.deadReason, t.message.getPayload(), t.ref)
                    .setPlatform(p.key.platform())
                    .setStore(p.key.store())
                    .setEntityType(p.key.type())
                    .setEntityIds(List.of(p.key.id()))
                    .setParentId(p.key.parentId())
                    .setRequestId(t.request.getRequestId());
            try {
                deadLetters.publish(
                        store.toString(), deadLetter.build(), config.polling().publishTimeout());
            } catch (NotStoredException e) {
                waitForInfrastructure(p, e.getMessage());
                return;
            }
            waiting.remove();
            t.entityDone();
        }
    }

    /**
     * The thin webhook behind {@code t}, quarantined as {@code FETCH_FAILED} under its raw record (a retry re-reads the
     * envelope there). The reason is the dead letter's (class, store, call and status; never a credential).
     */
    private QuarantineRecord fetchFailed(Pending p, Tracked t) {
        return PipelineRecords.fetchFailed(
                p.key.platform(),
                p.key.store(),
                p.key.type(),
                p.key.id(),
                "hydrating the thin webhook failed (" + p.deadClass.name().toLowerCase(Locale.ROOT) + "): "
                        + p.deadReason,
                t.request.getRawRef(),
                t.retryCount,
                t.request.getTraceContext(),
                clock.instant(),
                "poller");
    }

    private static void done(Pending p) {
        p.waiting.forEach(Tracked::entityDone);
    }
}
