package dev.commercesync.platforms.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.schemas.canonical.EntityType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One store's platform API. It does not rate-limit itself (the poller owns a per-store limiter): every response
 * reports the quota it saw ({@link QuotaStatus}), and a rate-limited answer is a {@link RateLimitedException} with
 * the wait the platform asked for. Implementations are thread-safe.
 */
public interface PlatformApiClient {

    /**
     * One page of entities of a type changed since a time, oldest first where the platform can sort.
     *
     * @throws RateLimitedException when the platform refused for rate limiting (HTTP 429 or a throttled answer)
     * @throws PlatformApiException on any other failure
     */
    ApiResponse<ChangedPage> listChanged(ListChangedRequest request) throws PlatformApiException;

    /**
     * How many entities of a type have updated-at in {@code [from, toExclusive)}: the reconciler compares these counts
     * per bucket with the target's. Adapters answer with the platform's cheap count (one request: a total header, a
     * pagination total or a count query). This default, for a platform without one, walks the bounded listing and
     * costs one request per page. Bounds should be whole seconds (platforms filter by seconds).
     *
     * @throws RateLimitedException when the platform refused for rate limiting
     * @throws PlatformApiException on any other failure
     */
    default ApiResponse<ChangeCount> countChanged(EntityType entityType, Instant from, Instant toExclusive)
            throws PlatformApiException {
        ListChangedRequest request = new ListChangedRequest(entityType, from, null, 250, toExclusive);
        long count = 0;
        int calls = 0;
        ApiResponse<ChangedPage> page;
        do {
            page = listChanged(request);
            calls++;
            count += page.value().entities().stream()
                    .filter(e -> e.updatedAt() == null
                            || (!e.updatedAt().isBefore(from) && e.updatedAt().isBefore(toExclusive)))
                    .count();
            request = request.atPage(page.value().nextPageCursor().orElse(null));
        } while (request.pageCursor() != null);
        return new ApiResponse<>(new ChangeCount(count, calls), page.quota());
    }

    /**
     * One page of every entity of a type as it is now, for a type the platform lists with neither an updated-at nor a
     * change filter (BigCommerce inventory levels): the reconciler compares such a type by content, not by updated-at.
     * Entities carry no updated-at and a body in the shape {@link #getById} returns, so the same mapper applies.
     * Platforms implement it only for such types.
     *
     * @param pageCursor the previous page's {@link ChangedPage#nextPageCursor()}, or null for the first page
     * @throws PlatformApiException of kind CLIENT with HTTP status 0 when the type has no snapshot listing here
     */
    default ApiResponse<ChangedPage> listSnapshot(EntityType entityType, String pageCursor, int pageSize)
            throws PlatformApiException {
        throw new PlatformApiException(
                PlatformApiException.Kind.CLIENT, 0, "no snapshot listing of " + entityType + " on this platform");
    }

    /**
     * One entity by id, in the shape its webhooks carry (so the same mapper applies); empty when it does not exist.
     *
     * @param parentId owning entity id where the API needs it (order id of a refund or shipment), else null
     */
    ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException;

    /**
     * What one {@link #getById} of the type spends of the store's budget ({@link RateLimitProfile}), when it is not
     * what a listing request spends ({@link PlatformCapabilities#requestCost()}): on a platform that limits each
     * operation apart, the fetch's own rate relative to the budget's (Amazon: a getOrder, 0.5/s, is 0.0056/0.5 of a
     * searchOrders request). Empty (the default): a listing request's cost.
     */
    default OptionalDouble getByIdCost(EntityType entityType) {
        return OptionalDouble.empty();
    }

    /**
     * What one {@link #listSnapshot} page of the type spends of the store's budget, when it is not what a listing
     * request spends ({@link PlatformCapabilities#requestCost()}): as {@link #getByIdCost}, on a platform that limits
     * each operation apart (Amazon: a searchListingsItems page, 5/s, is 0.0056/5 of a searchOrders request). Empty (the
     * default): a listing request's cost.
     */
    default OptionalDouble listSnapshotCost(EntityType entityType) {
        return OptionalDouble.empty();
    }

    ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException;

    /**
     * One cheap authenticated call that proves the credentials work (an install's delivered credentials, the
     * connection check, the confirmation of a revocation): an AUTH failure means they are refused. By default the
     * webhook subscriptions are listed; a platform whose subscriptions are not the store API's reads something the
     * store's credentials must be allowed to read.
     */
    default ApiResponse<Void> verifyCredentials() throws PlatformApiException {
        return new ApiResponse<>(null, listWebhooks().quota());
    }

    /**
     * A {@link #verifyCredentials()} for platforms whose notifications are not subscribed through the store's API:
     * the first order changed since the epoch, one page of one.
     */
    default ApiResponse<Void> verifyCredentialsByReadingAnOrder() throws PlatformApiException {
        return new ApiResponse<>(
                null,
                listChanged(new ListChangedRequest(EntityType.ORDER, Instant.EPOCH, null, 1))
                        .quota());
    }

    /**
     * Whether this store's subscriptions can be kept through its API with these credentials, on a platform that
     * manages them there ({@link PlatformCapabilities#subscriptionsThroughApi()}). True by default; false where only
     * some credentials can (eBay: an install's, which carry the app's client; a bare user token cannot manage the
     * application's destinations): the poller then neither subscribes nor lists such a store's subscriptions.
     */
    default boolean managesSubscriptions() {
        return true;
    }

    /**
     * Subscribes the store to a platform topic.
     *
     * @param secret the signing secret, for platforms where each subscription has its own (WooCommerce); platforms
     *     that sign with the app's secret ignore it
     */
    ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException;

    /** Deletes a subscription; deleting one that no longer exists is not an error. */
    ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException;

    /**
     * The deprecation notices the platform sent since the last call of this method (oldest first, at most the last
     * 20), which it forgets: the poller shows them in the store's status. Empty for a platform that sends none.
     */
    default List<ApiDeprecation> takeDeprecations() {
        return List.of();
    }
}
