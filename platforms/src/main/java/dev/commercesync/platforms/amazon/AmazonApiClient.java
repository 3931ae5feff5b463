package dev.commercesync.platforms.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WebhookSubscription;
import dev.commercesync.schemas.canonical.EntityType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One seller's SP-API: orders through the Orders API v2026-01-01 ({@code searchOrders} by {@code lastUpdatedAfter},
 * {@code nextToken} pages of at most 100; {@code getOrder} by id), with the datasets the mapper reads
 * ({@code includedData}). Every request carries a Login with Amazon access token ({@link LwaAccessTokens}); a 401/403
 * drops the cached token so the next call exchanges a new one.
 *
 * <p>PII: v2026-01-01 returns buyer and recipient data without a restricted data token (the app's restricted roles
 * decide, per Amazon's "Get orders with filtering criteria" guide), so this client calls no {@code
 * createRestrictedDataToken}; v0's getOrders would need one for addresses, which is one reason this client does not
 * use v0 for reading.
 *
 * <p>SP-API answers carry no remaining quota (only {@code x-amzn-RateLimit-Limit}, the rate), so responses report
 * none; a 429 carries no Retry-After, and the called operation's refill time is the wait
 * ({@link AmazonOperation#refillWait()}). Only a searchOrders 429 spends the store's budget (the poller's bucket counts
 * searchOrders requests); any other operation's 429 is {@link RateLimitedException#storeBudgetSpent() not}, since
 * Amazon keeps each operation's bucket apart.
 */
final class AmazonApiClient implements PlatformApiClient {
    static final String SEARCH_ORDERS = "/orders/2026-01-01/orders";
    /** The datasets an order is read with: what the canonical order needs (buyer and recipient are PII). */
    static final String INCLUDED_DATA = "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES";
    /** searchOrders' documented maximum page size. */
    static final int MAX_PAGE_SIZE = 100;

    private final ApiConnection connection;
    private final ApiHttp http;
    /** Per operation: a 429 without Retry-After waits that operation's refill, not searchOrders'. */
    private final Map<AmazonOperation, ApiHttp> perOperation = new EnumMap<>(AmazonOperation.class);

    private final LwaAccessTokens tokens;
    private final Clock clock;

    /** The marketplaces the seller participates in, as last read, and when ({@link #marketplaces()}). */
    private volatile Marketplaces marketplaces;

    private record Marketplaces(List<String> ids, Instant readAt) {}

    /** How long the seller's marketplaces are taken as read: a seller joins a marketplace rarely. */
    static final Duration MARKETPLACES_FRESH_FOR = Duration.ofHours(24);

    static final String MARKETPLACE_PARTICIPATIONS = "/sellers/v1/marketplaceParticipations";

    AmazonApiClient(ApiConnection connection, LwaAccessTokens tokens, Clock clock) {
        this.connection = connection;
        this.tokens = tokens;
        this.clock = clock;
        this.http = new ApiHttp(connection, AmazonAdapter.RATE_LIMIT_PROFILE, response -> Optional.empty(), clock);
        for (AmazonOperation operation : AmazonOperation.values()) {
            RateLimitProfile profile = new RateLimitProfile(
                    operation.operationId() + " requests",
                    operation.burst(),
                    operation.ratePerSecond(),
                    operation.refillWait(),
                    AmazonAdapter.RATE_LIMIT_PROFILE.quotaHeaders());
            perOperation.put(operation, new ApiHttp(connection, profile, response -> Optional.empty(), clock));
        }
    }

    /** Sends a read with a current access token; a refused token is forgotten. */
    HttpResponse<byte[]> get(String pathAndQuery, String description, AmazonOperation operation)
            throws PlatformApiException {
        HttpRequest request =
                authorized(http.request(http.resolve(pathAndQuery))).GET().build();
        return send(request, description, false, operation);
    }

    HttpRequest.Builder authorized(HttpRequest.Builder builder) throws PlatformApiException {
        return builder.header("x-amz-access-token", tokens.accessToken(connection, http));
    }

    HttpResponse<byte[]> send(HttpRequest request, String description, boolean write, AmazonOperation operation)
            throws PlatformApiException {
        ApiHttp calling = perOperation.get(operation);
        try {
            return write ? calling.sendWrite(request, description) : calling.send(request, description);
        } catch (RateLimitedException e) {
            if (operation == AmazonOperation.SEARCH_ORDERS) {
                throw e;
            }
            // Another operation's own bucket refused: the store's budget (searchOrders requests) is not spent.
            throw new RateLimitedException(e.httpStatus(), e.getMessage(), e.retryAfter(), e.quota(), false);
        } catch (PlatformApiException e) {
            if (e.kind() == PlatformApiException.Kind.AUTH) {
                tokens.invalidate(connection, http);
            }
            throw e;
        }
    }

    ApiHttp http() {
        return http;
    }

    /**
     * Subscriptions are not the store's to list here: the first order of the first page is read instead, which the
     * store's credentials must be allowed to read (an install's proof, the connection check's authenticated call).
     */
    @Override
    public ApiResponse<Void> verifyCredentials() throws PlatformApiException {
        return verifyCredentialsByReadingAnOrder();
    }

    @Override
    public ApiResponse<ChangedPage> listChanged(ListChangedRequest request) throws PlatformApiException {
        if (request.entityType() != EntityType.ORDER) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 0, "Amazon lists only orders by updated-at");
        }
        StringBuilder query = new StringBuilder(SEARCH_ORDERS)
                .append("?lastUpdatedAfter=")
                .append(encode(iso(request.changedSince())))
                .append("&maxResultsPerPage=")
                .append(Math.min(MAX_PAGE_SIZE, request.pageSize()))
                .append("&includedData=")
                .append(encode(INCLUDED_DATA));
        // lastUpdatedBefore is inclusive: [from, to) ends one second before to (the API's times are whole seconds).
        request.upperBound()
                .ifPresent(before -> query.append("&lastUpdatedBefore=").append(encode(iso(before.minusSeconds(1)))));
        if (request.pageCursor() != null) {
            query.append("&paginationToken=").append(encode(request.pageCursor()));
        }
        HttpResponse<byte[]> response = get(query.toString(), "Amazon searchOrders", AmazonOperation.SEARCH_ORDERS);
        if (response.statusCode() == 404) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 404, "Amazon searchOrders answered 404");
        }
        JsonNode body = ApiHttp.json(response, "Amazon searchOrders");
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode order : body.path("orders")) {
            String id = order.path("orderId").asText("");
            if (id.isEmpty()) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER, 200, "Amazon searchOrders listed an order without orderId");
            }
            entities.add(new ChangedEntity(id, instant(order.path("lastUpdatedTime")), Optional.of(order)));
        }
        Optional<String> next = Optional.of(
                        body.path("pagination").path("nextToken").asText(""))
                .filter(token -> !token.isEmpty());
        return new ApiResponse<>(new ChangedPage(entities, next, Optional.empty()), Optional.empty());
    }

    @Override
    public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException {
        if (entityType == EntityType.INVENTORY_LEVEL) {
            AmazonListings.LevelId level = AmazonListings.LevelId.parse(id)
                    .orElseThrow(() -> new PlatformApiException(
                            PlatformApiException.Kind.CLIENT,
                            0,
                            "an Amazon listing quantity's id is <seller_sku>@<marketplace_id>"));
            return new ApiResponse<>(listing(sellerId(), level.sku(), level.marketplaceId()), Optional.empty());
        }
        if (entityType != EntityType.ORDER) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 0, "Amazon fetches only orders by id, not " + entityType);
        }
        HttpResponse<byte[]> response = get(
                SEARCH_ORDERS + "/" + encode(id) + "?includedData=" + encode(INCLUDED_DATA),
                "Amazon getOrder",
                AmazonOperation.GET_ORDER);
        if (response.statusCode() == 404) {
            return new ApiResponse<>(Optional.empty(), Optional.empty());
        }
        JsonNode order = ApiHttp.json(response, "Amazon getOrder").path("order");
        return new ApiResponse<>(order.isObject() ? Optional.of(order) : Optional.empty(), Optional.empty());
    }

    /**
     * A getOrder or getListingsItem: its own rate (0.5/s, 5/s) in searchOrders requests, the store budget's unit.
     */
    @Override
    public OptionalDouble getByIdCost(EntityType entityType) {
        return OptionalDouble.of(
                entityType == EntityType.INVENTORY_LEVEL
                        ? AmazonOperation.GET_LISTINGS_ITEM.unitsOfSearchOrders()
                        : AmazonOperation.GET_ORDER.unitsOfSearchOrders());
    }

    // --- listing quantities (AmazonListings) ---------------------------------------------------------------------

    /**
     * One listing of the seller ({@code getListingsItem} with summaries and fulfillmentAvailability), annotated with
     * the marketplace it was read for ({@link AmazonListings#MARKETPLACE_ANNOTATION}); empty when there is none.
     */
    Optional<JsonNode> listing(String sellerId, String sku, String marketplaceId) throws PlatformApiException {
        HttpResponse<byte[]> response = get(
                AmazonListings.itemPath(sellerId, sku, marketplaceId) + "&includedData="
                        + encode(AmazonListings.INCLUDED_DATA),
                "Amazon getListingsItem",
                AmazonOperation.GET_LISTINGS_ITEM);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode listing = ApiHttp.json(response, "Amazon getListingsItem");
        if (listing instanceof ObjectNode object) {
            object.put(AmazonListings.MARKETPLACE_ANNOTATION, marketplaceId);
        }
        return Optional.of(listing);
    }

    /**
     * Every listing's merchant-fulfilled quantity, as inventory levels ({@link AmazonListings}): {@code
     * searchListingsItems} per marketplace the seller participates in ({@code getMarketplaceParticipations}, read
     * again after {@link #MARKETPLACES_FRESH_FOR}), pages of at most 20 followed by {@code pagination.nextToken}. The
     * page cursor is {@code <marketplace_id>[ <pageToken>]}: a marketplace's last page continues with the next
     * marketplace's first. Listings carry no updated-at for their quantity (a sale changes it without touching {@code
     * lastUpdatedDate}), hence a snapshot. Amazon pages through at most 1,000 listings per search.
     */
    @Override
    public ApiResponse<ChangedPage> listSnapshot(EntityType entityType, String pageCursor, int pageSize)
            throws PlatformApiException {
        if (entityType != EntityType.INVENTORY_LEVEL) {
            return PlatformApiClient.super.listSnapshot(entityType, pageCursor, pageSize);
        }
        String sellerId = sellerId();
        List<String> marketplaceIds = marketplaces();
        if (marketplaceIds.isEmpty()) {
            return new ApiResponse<>(new ChangedPage(List.of(), Optional.empty(), Optional.empty()), Optional.empty());
        }
        String marketplaceId = marketplaceIds.get(0);
        String pageToken = null;
        if (pageCursor != null) {
            int space = pageCursor.indexOf(' ');
            marketplaceId = space < 0 ? pageCursor : pageCursor.substring(0, space);
            pageToken = space < 0 ? null : pageCursor.substring(space + 1);
        }
        String description = "Amazon searchListingsItems";
        HttpResponse<byte[]> response = get(
                AmazonListings.searchPath(sellerId, marketplaceId, pageSize, pageToken),
                description,
                AmazonOperation.SEARCH_LISTINGS_ITEMS);
        if (response.statusCode() == 404) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 404, description + " answered 404");
        }
        JsonNode body = ApiHttp.json(response, description);
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            String sku = item.path("sku").asText("");
            if (sku.isEmpty() || !(item instanceof ObjectNode listing)) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER, 200, description + " listed an item without a sku");
            }
            listing.put(AmazonListings.MARKETPLACE_ANNOTATION, marketplaceId);
            entities.add(new ChangedEntity(AmazonListings.levelId(sku, marketplaceId), null, Optional.of(listing)));
        }
        String nextToken = body.path("pagination").path("nextToken").asText("");
        Optional<String> next;
        if (!nextToken.isEmpty()) {
            next = Optional.of(marketplaceId + " " + nextToken);
        } else {
            int index = marketplaceIds.indexOf(marketplaceId);
            next = index >= 0 && index + 1 < marketplaceIds.size()
                    ? Optional.of(marketplaceIds.get(index + 1))
                    : Optional.empty();
        }
        return new ApiResponse<>(new ChangedPage(entities, next, Optional.empty()), Optional.empty());
    }

    /**
     * A searchListingsItems page in searchOrders requests, the store budget's unit, and the seller's marketplaces
     * when they are read first.
     */
    @Override
    public OptionalDouble listSnapshotCost(EntityType entityType) {
        double cost = AmazonOperation.SEARCH_LISTINGS_ITEMS.unitsOfSearchOrders();
        return OptionalDouble.of(
                marketplacesFresh()
                        ? cost
                        : cost + AmazonOperation.GET_MARKETPLACE_PARTICIPATIONS.unitsOfSearchOrders());
    }

    private boolean marketplacesFresh() {
        Marketplaces known = marketplaces;
        return known != null && known.readAt().plus(MARKETPLACES_FRESH_FOR).isAfter(clock.instant());
    }

    /** The marketplaces the seller participates in ({@code getMarketplaceParticipations}), read at most daily. */
    List<String> marketplaces() throws PlatformApiException {
        if (marketplacesFresh()) {
            return marketplaces.ids();
        }
        String description = "Amazon getMarketplaceParticipations";
        HttpResponse<byte[]> response =
                get(MARKETPLACE_PARTICIPATIONS, description, AmazonOperation.GET_MARKETPLACE_PARTICIPATIONS);
        if (response.statusCode() == 404) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 404, description + " answered 404");
        }
        JsonNode body = ApiHttp.json(response, description);
        List<String> ids = new ArrayList<>();
        for (JsonNode participation : body.path("payload")) {
            String id = participation.path("marketplace").path("id").asText("");
            if (!id.isEmpty()
                    && participation
                            .path("participation")
                            .path("isParticipating")
                            .asBoolean(false)
                    && !ids.contains(id)) {
                ids.add(id);
            }
        }
        marketplaces = new Marketplaces(List.copyOf(ids), clock.instant());
        return marketplaces.ids();
    }

    /** The seller whose listings are read: the store's id (the seller id, Amazon's merchant token). */
    private String sellerId() throws PlatformApiException {
        if (connection.storeId() == null || connection.storeId().isBlank()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 0, "reading Amazon listings needs the store's seller id");
        }
        return connection.storeId();
    }

    /** SP-API notifications go to Amazon SQS or EventBridge destinations, never to an HTTPS address. */
    @Override
    public ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException {
        throw noHttpsSubscriptions();
    }

    @Override
    public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        throw noHttpsSubscriptions();
    }

    @Override
    public ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException {
        throw noHttpsSubscriptions();
    }

    private static PlatformApiException noHttpsSubscriptions() {
        return new PlatformApiException(
                PlatformApiException.Kind.CLIENT,
                0,
                "Amazon SP-API delivers notifications only to Amazon SQS or EventBridge, not to HTTPS webhooks");
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Instant instant(JsonNode value) throws PlatformApiException {
        try {
            return java.time.OffsetDateTime.parse(value.asText("")).toInstant();
        } catch (DateTimeParseException e) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, "Amazon listed an order without a readable lastUpdatedTime");
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
