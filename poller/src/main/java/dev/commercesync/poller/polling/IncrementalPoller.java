package dev.commercesync.poller.polling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.poller.api.PlatformCalls.StoreNeedsAttentionException;
import dev.commercesync.poller.kafka.RawPublisher;
import dev.commercesync.poller.kafka.RawPublisher.NotStoredException;
import dev.commercesync.poller.status.PlatformErrors;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.stores.StoreRegistry.StoreView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One incremental poll run of a store × resource: lists everything updated since the checkpoint minus the overlap
 * window, follows every page, fetches by id what the listing only names, publishes each entity as a polled {@link
 * RawEnvelope} and moves the checkpoint only after Kafka acknowledged the page.
 *
 * <p>Checkpoint semantics: while the pages arrive oldest first (every client sorts by updated-at ascending, and the
 * run checks it), the cursor moves to each acknowledged page's newest updated-at, so a crash mid-backfill resumes
 * near where it stopped. If a page arrives out of order the cursor waits for the end of the run. A run that fails
 * (API, Kafka) leaves the cursor where the last acknowledged page put it: the next run re-reads from there, so a
 * crash re-reads, never skips. Duplicates are the normalizer's job (dedup by source updated-at).
 *
 * <p>Types a platform lists only as a whole, without updated-at, are listed by {@link #snapshot} instead: same
 * limiter, publishing and failure semantics, no cursor.
 */
@ApplicationScoped
public class IncrementalPoller {
    private static final Logger LOG = Logger.getLogger(IncrementalPoller.class);

    /** What a completed run did. */
    public record RunResult(int pages, int published, Instant cursor) {}

    /** A run that failed; the checkpoint is where the last acknowledged page left it. */
    public static final class RunFailedException extends Exception {
        private final ErrorClass errorClass;

        RunFailedException(String message, ErrorClass errorClass, Throwable cause) {
            super(message, cause);
            this.errorClass = errorClass;
        }

        public ErrorClass errorClass() {
            return errorClass;
        }
    }

    private final PlatformCalls calls;
    private final RawPublisher publisher;
    private final Checkpoints checkpoints;
    private final StoreStatusBoard status;
    private final OperationalStates states;
    private final PollerConfig config;
    private final Clock clock = Clock.systemUTC();

    public IncrementalPoller(
            PlatformCalls calls,
            RawPublisher publisher,
            Checkpoints checkpoints,
            StoreStatusBoard status,
            OperationalStates states,
            PollerConfig config) {
        this.calls = calls;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.status = status;
        this.states = states;
        this.config = config;
    }

    public RunResult poll(StoreView store, EntityType type) throws RunFailedException {
        return run(store, type, false);
    }

    private RunResult run(StoreView store, EntityType type, boolean snapshot) throws RunFailedException {
        StoreKey key = StoreKey.of(store);
        Instant startedAt = clock.instant();
        Instant cursor =
                checkpoints.find(key, type).map(Checkpoints.Checkpoint::cursor).orElse(null);
        Instant since = cursor != null ? cursor.minus(config.polling().overlap()) : backfillStart(startedAt);
        Instant highWater = cursor;
        Instant previousPageNewest = null;
        boolean ordered = true;
        String pageCursor = null;
        int pages = 0;
        int published = 0;
        try {
            do {
                String pageAt = pageCursor;
                ApiResponse<ChangedPage> response = snapshot
                        ? calls.listSnapshot(
                                store, type, pageAt, config.polling().snapshotPageSize())
                        : calls.call(
                                store,
                                client -> client.listChanged(new ListChangedRequest(
                                        type, since, pageAt, config.polling().pageSize())));
                ChangedPage page = response.value();
                Instant receivedAt = clock.instant();
                List<RawEnvelope> envelopes = new ArrayList<>(page.entities().size());
                Instant pageOldest = null;
                Instant pageNewest = null;
                Instant previous = null;
                for (ChangedEntity entity : page.entities()) {
                    envelope(store, type, entity, receivedAt).ifPresent(envelopes::add);
                    Instant updated = entity.updatedAt();
                    if (updated != null) {
                        if (previous != null && updated.isBefore(previous)) {
                            ordered = false;
                        }
                        previous = updated;
                        pageOldest = pageOldest == null || updated.isBefore(pageOldest) ? updated : pageOldest;
                        pageNewest = pageNewest == null || updated.isAfter(pageNewest) ? updated : pageNewest;
                    }
                }
                if (pageOldest != null && previousPageNewest != null && pageOldest.isBefore(previousPageNewest)) {
                    ordered = false;
                }
                publisher.publishAll(key.toString(), envelopes, config.polling().publishTimeout());
                published += envelopes.size();
                pages++;
                if (pageNewest != null) {
                    previousPageNewest = pageNewest;
                    highWater = highWater == null || pageNewest.isAfter(highWater) ? pageNewest : highWater;
                    if (ordered) {
                        checkpoints.advance(key, type, pageNewest);
                    }
                }
                pageCursor = page.nextPageCursor().orElse(null);
            } while (pageCursor != null);
        } catch (PlatformApiException
                | StoreNeedsAttentionException
                | NotStoredException
                | IllegalArgumentException e) {
            throw failed(key, type, e, pages);
        }
        return completed(key, type, new RunResult(pages, published, highWater));
    }

    /**
     * One listing of a type the platform lists only as a whole, without updated-at ({@code listSnapshot}, e.g.
     * BigCommerce inventory levels): every entity, page by page within the store's budget, each published as a polled
     * envelope received at its read (the normalizer versions such entities by the read), every page acknowledged by
     * Kafka before the next is read. A completed listing is recorded as the checkpoint's {@code last_success_at} (the
     * cursor stays empty: there is none to keep); a failed one records nothing, so the next run lists everything again.
     */
    public RunResult snapshot(StoreView store, EntityType type) throws RunFailedException {
        return run(store, type, true);
    }

    private RunResult completed(StoreKey key, EntityType type, RunResult result) {
        Instant completedAt = clock.instant();
        checkpoints.completeRun(key, type, result.cursor(), completedAt);
        status.pollSucceeded(key, type, result.cursor(), completedAt);
        states.succeeded(key.subject(type, Operation.POLL));
        LOG.debugf(
                "polled %s %s: %d pages, %d records, cursor %s",
                key, type, result.pages(), result.published(), result.cursor());
        return result;
    }

    /**
     * The entity as a polled envelope: its body, or fetched by id when the listing only named it; empty when it is
     * gone by now (its deletion arrives apart).
     */
    private Optional<RawEnvelope> envelope(StoreView store, EntityType type, ChangedEntity entity, Instant receivedAt)
            throws PlatformApiException, StoreNeedsAttentionException {
        Optional<JsonNode> body = entity.body().isPresent()
                ? entity.body()
                : calls.getById(store, type, entity.id(), entity.parentId()).value();
        String apiVersion = calls.apiVersion(StoreKey.of(store));
        return body.map(b -> RawEnvelopes.fromApi(
                store.platform(), store.storeId(), type, b, EventSource.POLL, receivedAt, null, apiVersion));
    }

    private Instant backfillStart(Instant now) {
        return config.polling().backfillFrom().orElse(now.minus(config.polling().backfillLookback()));
    }

    /**
     * The run's failure: API trouble as the platform's error class, Kafka not acknowledging as transient (the next
     * run reads the page again), an unusable request or API configuration as validation (a client that cannot list
     * the type, say), and rejected credentials as auth (the store waits for a person; already on the board).
     */
    private RunFailedException failed(StoreKey key, EntityType type, Exception cause, int pagesStored) {
        if (cause instanceof StoreNeedsAttentionException) {
            return new RunFailedException(cause.getMessage(), ErrorClass.AUTH, cause);
        }
        ErrorClass errorClass =
                cause instanceof NotStoredException ? ErrorClass.TRANSIENT : PlatformErrors.classOf(cause);
        String message = cause.getMessage();
        boolean retrying = !errorClass.needsPerson();
        status.runFailed(key, type, errorClass, message, retrying);
        states.failed(key.subject(type, Operation.POLL), errorClass, message, retrying);
        LOG.warnf(
                "poll of %s %s failed after %d stored pages (%s: %s); the checkpoint stays at the last stored page",
                key, type, pagesStored, errorClass.label(), message);
        return new RunFailedException(message, errorClass, cause);
    }
}
