package dev.commercesync.poller.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.StoreSettings;
import dev.commercesync.poller.api.StoreRateLimiter.Priority;
import dev.commercesync.poller.status.PlatformErrors;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one way the poller calls a platform: through the store's rate limiter, retried with exponential backoff
 * (SmallRye Fault Tolerance) when the platform answered 429, 5xx or not at all, with every outcome on the status
 * board. Credentials the platform rejects mark the store as needing attention and are not retried; nor is a request
 * the platform calls wrong.
 */
@ApplicationScoped
public class PlatformCalls {
    private static final Logger LOG = Logger.getLogger(PlatformCalls.class);

    /** One API call against a store's client. */
    @FunctionalInterface
    public interface ApiCall<T> {
        ApiResponse<T> call(PlatformApiClient client) throws PlatformApiException;
    }

    /** One write or read-back against a store's write client. */
    @FunctionalInterface
    public interface WriteCall<T> {
        ApiResponse<T> call(PlatformWriteClient client) throws PlatformApiException;
    }

    /** One request, once the limiter allowed it. */
    @FunctionalInterface
    private interface Request<T> {
        ApiResponse<T> send() throws PlatformApiException;
    }

    /** The store waits for a person: its credentials were rejected and have not changed since. */
    public static final class StoreNeedsAttentionException extends Exception {
        StoreNeedsAttentionException(StoreKey store) {
            super("store " + store + " needs attention (its API credentials were rejected); not calling it");
        }
    }

    private final StoreClients clients;
    private final StoreStatusBoard status;
    private final PollerConfig config;
    private final StoreSettings settings;
    private final MeterRegistry meters;
    private final Guard retry;
    private final Map<StoreKey, StoreRateLimiter> limiters = new ConcurrentHashMap<>();

    public PlatformCalls(
            StoreClients clients,
            StoreStatusBoard status,
            PollerConfig config,
            StoreSettings settings,
            MeterRegistry meters) {
        this.clients = clients;
        this.status = status;
        this.config = config;
        this.settings = settings;
        this.meters = meters;
        PollerConfig.Api api = config.api();
        this.retry = Guard.create()
                .withDescription("platform API call")
                .withRetry()
                .maxRetries(api.maxRetries())
                .delay(api.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .maxDuration(api.maxRetryDuration().toMillis(), ChronoUnit.MILLIS)
                .jitter(Math.max(1, api.initialBackoff().toMillis() / 4), ChronoUnit.MILLIS)
                .whenException(PlatformCalls::retryable)
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(api.maxBackoff().toMillis(), ChronoUnit.MILLIS)
                .done()
                .done()
                .build();
    }

    static boolean retryable(Throwable failure) {
        return failure instanceof PlatformApiException api && api.retryable();
    }

    /**
     * The platform API version the store's calls use ({@link StoreSettings#apiVersion}): the version of every entity
     * they read, which its raw envelope records.
     */
    public String apiVersion(StoreKey key) {
        return settings.apiVersion(key).name();
    }

    /**
     * Calls the store's API within its budget, retrying transient failures.
     *
     * @throws PlatformApiException the last failure when retries are exhausted or the failure is not retryable
     * @throws StoreNeedsAttentionException without calling, while the store's rejected credentials are unchanged
     * @throws IllegalArgumentException when the store's API configuration is unusable
     */
    public <T> ApiResponse<T> call(StoreView store, ApiCall<T> call)
            throws PlatformApiException, StoreNeedsAttentionException {
        return call(store, client -> OptionalDouble.empty(), call);
    }

    /**
     * One entity by id ({@link PlatformApiClient#getById}), within the store's budget, charged what the client
     * declares for it ({@link PlatformApiClient#getByIdCost}, else a listing request's cost), retried as {@link
     * #call(StoreView, ApiCall)}.
     */
    public ApiResponse<Optional<JsonNode>> getById(StoreView store, EntityType type, String id, String parentId)
            throws PlatformApiException, StoreNeedsAttentionException {
        return call(store, client -> client.getByIdCost(type), client -> client.getById(type, id, parentId));
    }

    /**
     * One page of a snapshot listing ({@link PlatformApiClient#listSnapshot}), within the store's budget, charged what
     * the client declares for it ({@link PlatformApiClient#listSnapshotCost}, else a listing request's cost), retried
     * as {@link #call(StoreView, ApiCall)}.
     */
    public ApiResponse<ChangedPage> listSnapshot(StoreView store, EntityType type, String pageCursor, int pageSize)
            throws PlatformApiException, StoreNeedsAttentionException {
        return call(
                store,
                client -> client.listSnapshotCost(type),
                client -> client.listSnapshot(type, pageCursor, pageSize));
    }

    @SuppressWarnings("unchecked")
    private <T> ApiResponse<T> call(StoreView store, Function<PlatformApiClient, OptionalDouble> cost, ApiCall<T> call)
            throws PlatformApiException, StoreNeedsAttentionException {
        StoreKey key = StoreKey.of(store);
        String fingerprint = StoreClients.fingerprint(store);
        if (status.waitingForPerson(key, fingerprint)) {
            throw new StoreNeedsAttentionException(key);
        }
        PlatformApiClient client = clients.client(store);
        StoreRateLimiter limiter = limiter(key);
        double units = cost.apply(client).orElse(limiter.requestCost());
        try {
            ApiResponse<T> response = retry.call(
                    () -> attempt(key, fingerprint, limiter, Priority.ROUTINE, units, () -> call.call(client)),
                    (Class<ApiResponse<T>>) (Class<?>) ApiResponse.class);
            status.callSucceeded(key);
            return response;
        } catch (PlatformApiException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, "interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("unexpected failure of a platform call", e);
        } finally {
            status.deprecationsSeen(key, client.takeDeprecations());
        }
    }

    /**
     * One attempt of a command's write or read-back: within the store's one budget, charged what the writer declares
     * for it ({@code cost}: e.g. {@link PlatformWriteClient#applyCost}), ahead of routine calls ({@link
     * Priority#COMMAND}), with the same bookkeeping as every call (a 429 pauses the store for its Retry-After, rejected
     * credentials make it wait for a person) but <b>not retried</b>: the command executor decides, because a write that
     * failed ambiguously must be read back before it is sent again.
     *
     * @throws PlatformApiException the attempt's failure (a {@link RateLimitedException} also when the budget did not
     *     allow a call within {@code api.max-limiter-wait}; then nothing was sent)
     * @throws StoreNeedsAttentionException without calling, while the store's rejected credentials are unchanged
     * @throws IllegalArgumentException when the store's API configuration is unusable
     */
    public <T> ApiResponse<T> writeOnce(
            StoreView store, Function<PlatformWriteClient, WriteCost> cost, WriteCall<T> call)
            throws PlatformApiException, StoreNeedsAttentionException {
        StoreKey key = StoreKey.of(store);
        String fingerprint = StoreClients.fingerprint(store);
        if (status.waitingForPerson(key, fingerprint)) {
            throw new StoreNeedsAttentionException(key);
        }
        PlatformWriteClient client = clients.writeClient(store);
        double units = cost.apply(client).units();
        try {
            ApiResponse<T> response =
                    attempt(key, fingerprint, limiter(key), Priority.COMMAND, units, () -> call.call(client));
            status.callSucceeded(key);
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, "interrupted", e);
        }
    }

    private <T> ApiResponse<T> attempt(
            StoreKey key,
            String fingerprint,
            StoreRateLimiter limiter,
            Priority priority,
            double units,
            Request<T> request)
            throws PlatformApiException, InterruptedException {
        if (!limiter.acquire(config.api().maxLimiterWait(), priority, units)) {
            PlatformApiException waited = new RateLimitedException(
                    0,
                    "the store's API budget did not allow a call within "
                            + config.api().maxLimiterWait(),
                    config.api().maxLimiterWait(),
                    java.util.Optional.empty());
            status.failed(key, null, ErrorClass.QUOTA, waited.getMessage(), true);
            throw waited;
        }
        if (priority == Priority.COMMAND) {
            meters.counter(
                            "commercesync.poller.commands.budget.charged",
                            "platform",
                            key.platform(),
                            "store",
                            key.store())
                    .increment(units);
        }
        try {
            ApiResponse<T> response = request.send();
            response.quota().ifPresent(limiter::reported);
            return response;
        } catch (RateLimitedException e) {
            Duration pause = pause(key, e);
            if (e.storeBudgetSpent()) {
                limiter.rateLimited(pause);
            } else {
                limiter.pause(pause);
            }
            e.quota().ifPresent(limiter::reported);
            meters.counter("commercesync.poller.api.rate.limited", "platform", key.platform(), "store", key.store())
                    .increment();
            LOG.debugf("%s rate limited; pausing %s", key, pause);
            status.failed(key, null, ErrorClass.QUOTA, e.getMessage(), true);
            throw e;
        } catch (PlatformApiException e) {
            if (e.kind() == PlatformApiException.Kind.AUTH) {
                status.credentialsRejected(key, fingerprint, e.getMessage());
            } else {
                status.failed(key, null, PlatformErrors.classOf(e), e.getMessage(), e.retryable());
            }
            throw e;
        }
    }

    /**
     * How long a rate-limited store pauses: the platform's wait, capped at {@code api.max-retry-after} (a huge
     * Retry-After would stall the store for years; the cap is logged, the platform answers 429 again if it meant it).
     */
    public Duration pause(StoreKey key, RateLimitedException e) {
        Duration max = config.api().maxRetryAfter();
        if (e.retryAfter().compareTo(max) <= 0) {
            return e.retryAfter();
        }
        LOG.warnf(
                "%s asked to wait %s after a 429; waiting %s (commercesync.poller.api.max-retry-after)",
                key, e.retryAfter(), max);
        return max;
    }

    /**
     * The store's one limiter (polling, fetches, the reconciler's view and commands share it), from the adapter's
     * capabilities and the configured overrides ({@link StoreSettings}).
     */
    public StoreRateLimiter limiter(StoreKey key) {
        return limiters.computeIfAbsent(
                key,
                k -> new StoreRateLimiter(
                        settings.budget(k),
                        settings.refillPerSecond(k),
                        settings.requestCost(k),
                        config.api().quotaReserve(),
                        Clock.systemUTC()));
    }
}
