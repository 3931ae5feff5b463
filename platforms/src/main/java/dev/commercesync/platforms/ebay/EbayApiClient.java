package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangeCount;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WebhookSubscription;
import dev.commercesync.schemas.canonical.EntityType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The eBay Sell APIs of one seller; the connection's base URL is {@code https://api.ebay.com} (the sandbox: {@code
 * https://api.sandbox.ebay.com}), credentials the seller's OAuth user access token (Bearer).
 *
 * <ul>
 *   <li>Orders (Fulfillment API): {@code GET /sell/fulfillment/v1/order?filter=lastmodifieddate:[from..to]} with
 *       {@code limit} (at most {@value #MAX_ORDER_PAGE}) and {@code offset} paging; eBay's bounds are inclusive, so
 *       {@code [from, to)} is sent as {@code [from..to − 1 ms]}. The count of a range is the listing's {@code total}
 *       with {@code limit=1}. By id: {@code GET /sell/fulfillment/v1/order/{orderId}}. eBay's filter reaches back 90
 *       days (older orders only by id).
 *   <li>Shipments: eBay does not list shipping fulfillments store-wide; those of the orders modified since the range's
 *       start are read ({@code GET /order/{orderId}/shipping_fulfillment}, only for orders whose {@code
 *       fulfillmentHrefs} name any) and kept when {@code shippedDate} is in the range, each annotated with its order
 *       ({@value EbayPayloads#ORDER_ANNOTATION}): one request per page of orders plus one per order with
 *       fulfillments. By id: {@code GET /order/{orderId}/shipping_fulfillment/{fulfillmentId}}.
 *   <li>Inventory levels (Inventory API): inventory items have no updated-at, so they are listed only as a snapshot,
 *       {@code GET /sell/inventory/v1/inventory_item?limit&offset} (at most {@value #MAX_INVENTORY_PAGE} a page); by
 *       id (the SKU): {@code GET /sell/inventory/v1/inventory_item/{sku}}.
 *   <li>Notifications ({@link EbayNotificationApi}): the store's destination (its ingest endpoint) and a subscription
 *       per topic; the application's resources with an application token minted from the install's app client, the
 *       seller's subscriptions with the seller's token. The developer portal's account-deletion endpoint is the
 *       application's and not managed here.
 * </ul>
 *
 * eBay's REST responses carry no quota headers (the Analytics API's {@code getRateLimits} reports the daily limits);
 * a 429 is honoured through Retry-After when sent, else the profile's default.
 */
final class EbayApiClient implements PlatformApiClient {
    static final int MAX_ORDER_PAGE = 200;
    static final int MAX_INVENTORY_PAGE = 100;
    static final String FULFILLMENT = "/sell/fulfillment/v1";
    static final String INVENTORY = "/sell/inventory/v1";

    private static final DateTimeFormatter EBAY_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ApiConnection connection;
    private final ApiHttp http;
    private final EbayAccessTokens tokens;
    private final EbayNotificationApi notifications;

    EbayApiClient(ApiConnection connection, EbayAccessTokens tokens, Clock clock) {
        if (!(connection.credentials() instanceof ApiCredentials.AccessToken)
                && !(connection.credentials() instanceof ApiCredentials.RefreshToken)) {
            throw new IllegalArgumentException("eBay needs a user access token or an install's refresh token");
        }
        this.connection = connection;
        this.tokens = tokens;
        this.http = new ApiHttp(
                connection, EbayAdapter.RATE_LIMIT_PROFILE, response -> Optional.<QuotaStatus>empty(), clock);
        this.notifications = new EbayNotificationApi(new EbayNotificationApi.Calls() {
            @Override
            public HttpResponse<byte[]> send(String method, String pathAndQuery, JsonNode body, boolean asApplication)
                    throws PlatformApiException {
                return notificationCall(method, pathAndQuery, body, asApplication);
            }

            @Override
            public ApiCredentials credentials() {
                return connection.credentials();
            }
        });
    }

    EbayApiClient(ApiConnection connection, Clock clock) {
        this(connection, new EbayAccessTokens(clock), clock);
    }

    /** A GET with the seller's token; 2xx and 404 are returned. */
    HttpResponse<byte[]> get(String pathAndQuery, String description) throws PlatformApiException {
        return forgettingRefused(() -> http.send(
                authorized(http.request(http.resolve(pathAndQuery))).GET().build(), description));
    }

    /** A write with the seller's token; 4xx answers other than 401/403/429 are returned (the writer reads them). */
    HttpResponse<byte[]> send(String method, String pathAndQuery, JsonNode body, String description)
            throws PlatformApiException {
        return forgettingRefused(() -> http.sendWrite(
                authorized(http.request(http.resolve(pathAndQuery)))
                        .header("Content-Type", "application/json")
                        .header("Content-Language", "en-US")
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofByteArray(
                                        dev.commercesync.platforms.shared.Json.encode(body)
                                                .getBytes(StandardCharsets.UTF_8)))
                        .build(),
                description));
    }

    private interface Call {
        HttpResponse<byte[]> send() throws PlatformApiException;
    }

    /** A refused token (401) is forgotten: the next call renews it. */
    private HttpResponse<byte[]> forgettingRefused(Call call) throws PlatformApiException {
        try {
            return call.send();
        } catch (PlatformApiException e) {
            if (e.kind() == PlatformApiException.Kind.AUTH) {
                tokens.invalidate(connection);
            }
            throw e;
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) throws PlatformApiException {
        return request.header("Authorization", "Bearer " + tokens.accessToken(connection, http));
    }

    static String pathSegment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String filterTime(Instant instant) {
        return EBAY_UTC.format(instant);
    }

    /** {@code lastmodifieddate:[from..]} or {@code [from..to − 1 ms]}, URL-encoded. */
    static String lastModifiedFilter(Instant from, Instant toExclusive) {
        String range = "lastmodifieddate:[" + filterTime(from) + ".."
                + (toExclusive == null ? "" : filterTime(toExclusive.minusMillis(1))) + "]";
        return URLEncoder.encode(range, StandardCharsets.UTF_8);
    }

    private static int offset(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(cursor);
            if (offset < 0) {
                throw new IllegalArgumentException("not an eBay page cursor");
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an eBay page cursor");
        }
    }

    /** One page of {@code getOrders} with the last-modified filter. */
    private JsonNode ordersPage(Instant from, Instant to, int limit, int offset) throws PlatformApiException {
        String description = "eBay getOrders";
        HttpResponse<byte[]> response = get(
                FULFILLMENT + "/order?filter=" + lastModifiedFilter(from, to) + "&limit=" + limit + "&offset=" + offset,
                description);
        if (response.statusCode() == 404) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 404, description + " answered 404");
        }
        JsonNode json = ApiHttp.json(response, description);
        if (!json.path("orders").isArray() && json.has("orders")) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " returned orders that are not an array");
        }
        return json;
    }

    /** The next offset after a page, while eBay says there is more ({@code next}, or {@code total} beyond it). */
    private static Optional<String> nextOffset(JsonNode page, int offset, int returned) {
        long total = page.path("total").asLong(-1);
        boolean more = page.hasNonNull("next") || (total >= 0 && offset + returned < total);
        return more && returned > 0 ? Optional.of(Integer.toString(offset + returned)) : Optional.empty();
    }

    /**
     * Listing subscriptions needs the app's client, which a store registered with a bare user token lacks: the first
     * order of the first page is read instead, which the store's credentials must be allowed to read (an install's proof, the connection check's authenticated call).
     */
    @Override
    public ApiResponse<Void> verifyCredentials() throws PlatformApiException {
        return verifyCredentialsByReadingAnOrder();
    }

    @Override
    public ApiResponse<ChangedPage> listChanged(ListChangedRequest request) throws PlatformApiException {
        return switch (request.entityType()) {
            case ORDER -> listOrders(request);
            case SHIPMENT -> listShipments(request);
            default ->
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT,
                        0,
                        "eBay lists no " + request.entityType() + " by updated-at");
        };
    }

    private ApiResponse<ChangedPage> listOrders(ListChangedRequest request) throws PlatformApiException {
        int offset = offset(request.pageCursor());
        int limit = Math.min(request.pageSize(), MAX_ORDER_PAGE);
        JsonNode page = ordersPage(request.changedSince(), request.changedBefore(), limit, offset);
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode order : page.path("orders")) {
            entities.add(new ChangedEntity(
                    order.path("orderId").asText(), instant(order.path("lastModifiedDate")), Optional.of(order)));
        }
        return new ApiResponse<>(
                new ChangedPage(
                        entities,
                        nextOffset(page, offset, page.path("orders").size()),
                        page.has("total") ? Optional.of(page.path("total").asLong()) : Optional.empty()),
                Optional.empty());
    }

    private ApiResponse<ChangedPage> listShipments(ListChangedRequest request) throws PlatformApiException {
        int offset = offset(request.pageCursor());
        int limit = Math.min(request.pageSize(), MAX_ORDER_PAGE);
        JsonNode page = ordersPage(request.changedSince(), null, limit, offset);
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode order : page.path("orders")) {
            if (order.path("fulfillmentHrefs").isEmpty()) {
                continue;
            }
            String orderId = order.path("orderId").asText();
            HttpResponse<byte[]> response = get(
                    FULFILLMENT + "/order/" + pathSegment(orderId) + "/shipping_fulfillment",
                    "eBay getShippingFulfillments");
            if (response.statusCode() == 404) {
                continue;
            }
            for (JsonNode fulfillment :
                    ApiHttp.json(response, "eBay getShippingFulfillments").path("fulfillments")) {
                Instant shipped = instant(fulfillment.path("shippedDate"));
                if (shipped == null
                        || shipped.isBefore(request.changedSince())
                        || request.upperBound()
                                .map(shipped::isBefore)
                                .map(b -> !b)
                                .orElse(false)) {
                    continue;
                }
                ObjectNode body = annotated(fulfillment, orderId);
                entities.add(
                        new ChangedEntity(body.path("fulfillmentId").asText(), shipped, Optional.of(body), orderId));
            }
        }
        return new ApiResponse<>(
                new ChangedPage(
                        entities, nextOffset(page, offset, page.path("orders").size()), Optional.empty()),
                Optional.empty());
    }

    private static ObjectNode annotated(JsonNode fulfillment, String orderId) {
        ObjectNode body = fulfillment.isObject()
                ? ((ObjectNode) fulfillment).deepCopy()
                : dev.commercesync.platforms.shared.Json.MAPPER.createObjectNode();
        body.put(EbayPayloads.ORDER_ANNOTATION, orderId);
        return body;
    }

    /** A date of eBay's, or null when absent or unreadable (the mapper reports a bad one with its path). */
    private static Instant instant(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Orders: one request, {@code total} of a one-order page. Shipments: the listing walked. */
    @Override
    public ApiResponse<ChangeCount> countChanged(EntityType entityType, Instant from, Instant toExclusive)
            throws PlatformApiException {
        if (entityType != EntityType.ORDER) {
            return PlatformApiClient.super.countChanged(entityType, from, toExclusive);
        }
        JsonNode page = ordersPage(from, toExclusive, 1, 0);
        return new ApiResponse<>(new ChangeCount(page.path("total").asLong(0), 1), Optional.empty());
    }

    @Override
    public ApiResponse<ChangedPage> listSnapshot(EntityType entityType, String pageCursor, int pageSize)
            throws PlatformApiException {
        if (entityType != EntityType.INVENTORY_LEVEL) {
            return PlatformApiClient.super.listSnapshot(entityType, pageCursor, pageSize);
        }
        int offset = offset(pageCursor);
        int limit = Math.min(pageSize, MAX_INVENTORY_PAGE);
        String description = "eBay getInventoryItems";
        HttpResponse<byte[]> response =
                get(INVENTORY + "/inventory_item?limit=" + limit + "&offset=" + offset, description);
        if (response.statusCode() == 404) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 404, description + " answered 404");
        }
        JsonNode page = ApiHttp.json(response, description);
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode item : page.path("inventoryItems")) {
            entities.add(new ChangedEntity(item.path("sku").asText(), null, Optional.of(item)));
        }
        return new ApiResponse<>(
                new ChangedPage(
                        entities,
                        nextOffset(page, offset, page.path("inventoryItems").size()),
                        page.has("total") ? Optional.of(page.path("total").asLong()) : Optional.empty()),
                Optional.empty());
    }

    @Override
    public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException {
        String path;
        String description;
        switch (entityType) {
            case ORDER -> {
                path = FULFILLMENT + "/order/" + pathSegment(id);
                description = "eBay getOrder";
            }
            case SHIPMENT -> {
                if (parentId == null) {
                    throw new PlatformApiException(
                            PlatformApiException.Kind.CLIENT,
                            0,
                            "an eBay shipping fulfillment is read through its order");
                }
                path = FULFILLMENT + "/order/" + pathSegment(parentId) + "/shipping_fulfillment/" + pathSegment(id);
                description = "eBay getShippingFulfillment";
            }
            case INVENTORY_LEVEL -> {
                path = INVENTORY + "/inventory_item/" + pathSegment(id);
                description = "eBay getInventoryItem";
            }
            default ->
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT, 0, "eBay has no " + entityType + " resource here");
        }
        HttpResponse<byte[]> response = get(path, description);
        if (response.statusCode() == 404) {
            return new ApiResponse<>(Optional.empty(), Optional.empty());
        }
        JsonNode body = ApiHttp.json(response, description);
        if (entityType == EntityType.SHIPMENT) {
            body = annotated(body, parentId);
        }
        return new ApiResponse<>(Optional.of(body), Optional.empty());
    }

    /** The seller's notification subscriptions ({@link EbayNotificationApi}), each at its destination's endpoint. */
    @Override
    public ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException {
        return notifications.subscriptions();
    }

    /** The store's destination at {@code address} and the topic's subscription to it ({@link EbayNotificationApi}). */
    @Override
    public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        return notifications.subscribe(topic, address, secret);
    }

    @Override
    public ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException {
        return notifications.unsubscribe(subscriptionId);
    }

    /**
     * Only an install's credentials carry the app's client, whose application token manages destinations: a seller
     * registered with a bare user token has its notifications managed by hand (docs/install.md).
     */
    @Override
    public boolean managesSubscriptions() {
        return connection.credentials() instanceof ApiCredentials.RefreshToken;
    }

    /** A Notification API call as the seller or as the app; 2xx, 404 and other 4xx but 401/403/429 are returned. */
    private HttpResponse<byte[]> notificationCall(String method, String pathAndQuery, JsonNode body, boolean asApp)
            throws PlatformApiException {
        String description = "eBay Notification API " + method + " " + pathAndQuery.replaceAll("\\?.*", "");
        try {
            HttpRequest.Builder request = http.request(http.resolve(pathAndQuery))
                    .header(
                            "Authorization",
                            "Bearer "
                                    + (asApp
                                            ? tokens.applicationToken(connection, http)
                                            : tokens.accessToken(connection, http)));
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofByteArray(
                                        dev.commercesync.platforms.shared.Json.encode(body)
                                                .getBytes(StandardCharsets.UTF_8)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.sendWrite(request.build(), description);
        } catch (PlatformApiException e) {
            if (e.kind() == PlatformApiException.Kind.AUTH) {
                if (asApp) {
                    tokens.invalidateApplicationToken(connection);
                } else {
                    tokens.invalidate(connection);
                }
            }
            throw e;
        }
    }
}
