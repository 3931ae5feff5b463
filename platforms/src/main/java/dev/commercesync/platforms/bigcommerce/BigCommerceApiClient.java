package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangeCount;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WebhookSubscription;
import dev.commercesync.schemas.canonical.EntityType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * BigCommerce's REST API for one store; the connection's base URL is the store's API root ({@code
 * https://api.bigcommerce.com/stores/{store_hash}}), credentials an {@code X-Auth-Token}.
 *
 * <ul>
 *   <li>Changed orders: GET /v2/orders?min_date_modified&sort=date_modified:asc, page/limit (v2 has no pagination
 *       metadata: a full page means there may be another; 204 means none). Listed orders come without body: {@link
 *       #getById} assembles the order with its products.
 *   <li>Changed products and customers: v3 with {@code date_modified:min}, page/limit and {@code meta.pagination}
 *       (current_page, total_pages, total).
 *   <li>Changed refunds: GET /v3/orders/payment_actions/refunds?created:min (no body: fetched by id with the order's
 *       currency).
 *   <li>Shipments have no store-wide listing and no updated-at: a shipment's version is its {@code date_created} (as
 *       {@link BigCommerceAdapter} classifies it), and creating one changes its order's {@code date_modified}.
 *       Shipments created in {@code [a, b)} are those of the orders modified at or after {@code a} (GET
 *       /v2/orders?min_date_modified, at most {@value #MAX_SHIPMENT_ORDERS_PAGE} orders a page) that have {@code
 *       items_shipped}, each order's GET /v2/orders/{id}/shipments, kept when created in {@code [a, b)}, with their
 *       bodies and their order as parent. Cost: one request per page of orders plus one per shipped order on it. A
 *       count walks that listing.
 *   <li>Inventory levels have no store-wide change listing: they arrive through webhooks and fetch-by-id.
 *   <li>Inventory level {@code <variant_id>@<location_id>} by id: GET /v3/inventory/locations/{location_id}/items
 *       ?variant_id:in={variant_id}, with the location added (see {@link BigCommerceInventoryLevelMapper}).
 *   <li>Every inventory level as it is now ({@link #listSnapshot}): GET /v3/inventory/items, page/limit and {@code
 *       meta.pagination}; each item lists its stock per location, and each (variant, location) becomes one level in
 *       the shape the by-id fetch returns. The Inventory API has no updated-at, so the reconciler compares levels by
 *       content.
 *   <li>Webhooks: /v3/hooks (list with v3 pagination, create with scope and destination, delete).
 * </ul>
 *
 * Quota: every response's {@code X-Rate-Limit-Requests-Left} / {@code -Quota} become a {@link QuotaStatus} (refill 0:
 * BigCommerce resets the window). A 429 waits for Retry-After when sent, else {@code X-Rate-Limit-Time-Reset-Ms}, else
 * the profile's default.
 */
final class BigCommerceApiClient implements PlatformApiClient {
    static final int MAX_PAGE_SIZE = 250;
    /** Orders per page of the shipment listing: each shipped order on it costs one more request. */
    static final int MAX_SHIPMENT_ORDERS_PAGE = 50;

    private static final String AUTH_HEADER = "X-Auth-Token";
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.UTC);

    private final ApiConnection connection;
    private final Clock clock;
    private final AtomicReference<String> storeCurrency = new AtomicReference<>();

    BigCommerceApiClient(ApiConnection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
        if (!(connection.credentials() instanceof ApiCredentials.AccessToken)) {
            throw new IllegalArgumentException("BigCommerce needs an access token (X-Auth-Token)");
        }
    }

    /** One response, with the headers it came with. */
    record Answer(HttpResponse<byte[]> response, Optional<QuotaStatus> quota) {
        int status() {
            return response.statusCode();
        }

        JsonNode json(String description) throws PlatformApiException {
            return ApiHttp.json(response, description);
        }

        /** BigCommerce's request id of the answer, for its support. */
        Optional<String> requestId() {
            return response.headers().firstValue("X-Request-Id");
        }
    }

    static Optional<QuotaStatus> quota(HttpHeaders headers) {
        Optional<Double> left = ApiHttp.numericHeader(headers, "X-Rate-Limit-Requests-Left");
        Optional<Double> quota = ApiHttp.numericHeader(headers, "X-Rate-Limit-Requests-Quota");
        if (left.isEmpty() || quota.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QuotaStatus(left.get(), quota.get(), 0));
    }

    /** The wait after a 429: Retry-After, else the reset time BigCommerce documents for its window. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        return ApiHttp.retryAfter(headers, clock).or(() -> ApiHttp.numericHeader(headers, "X-Rate-Limit-Time-Reset-Ms")
                .filter(ms -> ms >= 0)
                .map(ms -> Duration.ofMillis((long) Math.ceil(ms))));
    }

    private Answer call(String method, String pathAndQuery, JsonNode body, String description)
            throws PlatformApiException {
        return call(method, pathAndQuery, body, description, false);
    }

    /**
     * One request with the store's token; 2xx and 404 are answers, and with {@code clientErrorsReturned} (a write,
     * whose refusal the caller reports with BigCommerce's message) every other 4xx but 401, 403 and 429 too.
     */
    Answer call(String method, String pathAndQuery, JsonNode body, String description, boolean clientErrorsReturned)
            throws PlatformApiException {
        AtomicReference<HttpHeaders> seen = new AtomicReference<>();
        ApiHttp http = new ApiHttp(
                connection,
                BigCommerceAdapter.RATE_LIMIT_PROFILE,
                response -> {
                    seen.set(response.headers());
                    return quota(response.headers());
                },
                clock);
        HttpRequest.Builder request = http.request(http.resolve(pathAndQuery))
                .header(AUTH_HEADER, ((ApiCredentials.AccessToken) connection.credentials()).token());
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.encode(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<byte[]> response = clientErrorsReturned
                    ? http.sendWrite(request.build(), description)
                    : http.send(request.build(), description);
            return new Answer(response, quota(response.headers()));
        } catch (RateLimitedException e) {
            HttpHeaders headers = seen.get();
            Duration wait = headers == null
                    ? e.retryAfter()
                    : retryAfter(headers, clock).orElse(BigCommerceAdapter.RATE_LIMIT_PROFILE.defaultRetryAfter());
            throw new RateLimitedException(e.httpStatus(), e.getMessage(), wait, e.quota());
        }
    }

    Answer get(String pathAndQuery, String description) throws PlatformApiException {
        return call("GET", pathAndQuery, null, description);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The updated-at filter of {@code [since, before)} in a listing's query: BigCommerce's {@code min}/{@code max}
     * filters are inclusive at whole seconds, so the exclusive bound becomes "at most one second before it".
     */
    private static String range(String minParam, String maxParam, Instant since, Instant before) {
        String query = minParam + "=" + q(ISO_SECONDS.format(since));
        if (before != null) {
            Instant ceiling = before.truncatedTo(ChronoUnit.SECONDS);
            if (ceiling.isBefore(before)) {
                ceiling = ceiling.plusSeconds(1);
            }
            query += "&" + maxParam + "=" + q(ISO_SECONDS.format(ceiling.minusSeconds(1)));
        }
        return query;
    }

    /** The v3 collection and its updated-at filter names of a listable type other than orders (v2). */
    private record V3Listing(String path, String minParam, String maxParam, String updatedField) {}

    private static V3Listing v3Listing(EntityType type) throws PlatformApiException {
        return switch (type) {
            case PRODUCT ->
                new V3Listing(
                        "/v3/catalog/products?include=variants,images&sort=date_modified&direction=asc",
                        "date_modified:min",
                        "date_modified:max",
                        "date_modified");
            case CUSTOMER ->
                new V3Listing(
                        "/v3/customers?include=addresses&sort=date_modified:asc",
                        "date_modified:min",
                        "date_modified:max",
                        "date_modified");
            case REFUND ->
                new V3Listing("/v3/orders/payment_actions/refunds?", "created:min", "created:max", "created");
            default ->
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT,
                        0,
                        "BigCommerce has no store-wide change listing for " + type);
        };
    }

    @Override
    public ApiResponse<ChangedPage> listChanged(ListChangedRequest request) throws PlatformApiException {
        int page = request.pageCursor() == null ? 1 : parsePage(request.pageCursor());
        int limit = Math.min(request.pageSize(), MAX_PAGE_SIZE);
        if (request.entityType() == EntityType.SHIPMENT) {
            return listShipments(request, page);
        }
        if (request.entityType() == EntityType.ORDER) {
            return listV2Orders(
                    range("min_date_modified", "max_date_modified", request.changedSince(), request.changedBefore()),
                    page,
                    limit);
        }
        V3Listing listing = v3Listing(request.entityType());
        String separator = listing.path().endsWith("?") ? "" : "&";
        return listV3(
                listing.path()
                        + separator
                        + range(
                                listing.minParam(),
                                listing.maxParam(),
                                request.changedSince(),
                                request.changedBefore()),
                page,
                limit,
                listing.updatedField(),
                request.entityType() == EntityType.PRODUCT,
                "list changed " + request.entityType().name().toLowerCase(Locale.ROOT) + "s");
    }

    /**
     * Orders: GET /v2/orders/count with the listing's date filters ({@code count} of the answer). Products,
     * customers, refunds: the v3 listing with {@code limit=1}, whose {@code meta.pagination.total} is the count. One
     * request either way.
     */
    @Override
    public ApiResponse<ChangeCount> countChanged(EntityType entityType, Instant from, Instant toExclusive)
            throws PlatformApiException {
        if (entityType == EntityType.SHIPMENT) {
            return PlatformApiClient.super.countChanged(entityType, from, toExclusive); // no count: walk the listing
        }
        if (entityType == EntityType.ORDER) {
            String description = "count changed orders";
            Answer answer = get(
                    "/v2/orders/count?" + range("min_date_modified", "max_date_modified", from, toExclusive),
                    description);
            JsonNode count = answer.status() == 200 ? answer.json(description).path("count") : null;
            if (count == null || !count.isIntegralNumber()) {
                throw unreadable(description);
            }
            return new ApiResponse<>(new ChangeCount(count.asLong(), 1), answer.quota());
        }
        V3Listing listing = v3Listing(entityType);
        String description = "count changed " + entityType.name().toLowerCase(Locale.ROOT) + "s";
        String separator = listing.path().endsWith("?") ? "" : "&";
        Answer answer = get(
                listing.path() + separator + range(listing.minParam(), listing.maxParam(), from, toExclusive)
                        + "&page=1&limit=1",
                description);
        JsonNode total =
                answer.json(description).path("meta").path("pagination").path("total");
        if (!total.isIntegralNumber()) {
            throw unreadable(description);
        }
        return new ApiResponse<>(new ChangeCount(total.asLong(), 1), answer.quota());
    }

    private static int parsePage(String cursor) throws PlatformApiException {
        try {
            int page = Integer.parseInt(cursor);
            if (page < 1) {
                throw new NumberFormatException();
            }
            return page;
        } catch (NumberFormatException e) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 0, "invalid BigCommerce page cursor");
        }
    }

    private ApiResponse<ChangedPage> listV2Orders(String range, int page, int limit) throws PlatformApiException {
        String description = "list changed orders";
        Answer answer =
                get("/v2/orders?sort=date_modified:asc&" + range + "&page=" + page + "&limit=" + limit, description);
        List<ChangedEntity> entities = new ArrayList<>();
        if (answer.status() == 200) {
            JsonNode orders = answer.json(description);
            if (!orders.isArray()) {
                throw unreadable(description);
            }
            for (JsonNode order : orders) {
                entities.add(new ChangedEntity(
                        text(order, "id", description), modified(order, description), Optional.empty()));
            }
        }
        // v2 lists have no pagination metadata: only a full page can have a successor.
        Optional<String> next = entities.size() == limit ? Optional.of(Integer.toString(page + 1)) : Optional.empty();
        return new ApiResponse<>(new ChangedPage(entities, next, Optional.empty()), answer.quota());
    }

    /** Shipments created in the request's range, found on the orders modified since its start (see the class doc). */
    private ApiResponse<ChangedPage> listShipments(ListChangedRequest request, int page) throws PlatformApiException {
        int limit = Math.min(request.pageSize(), MAX_SHIPMENT_ORDERS_PAGE);
        String description = "list changed orders for shipments";
        Answer answer = get(
                "/v2/orders?sort=date_modified:asc&"
                        + range("min_date_modified", "max_date_modified", request.changedSince(), null)
                        + "&page=" + page + "&limit=" + limit,
                description);
        Optional<QuotaStatus> quota = answer.quota();
        List<ChangedEntity> entities = new ArrayList<>();
        int orders = 0;
        if (answer.status() == 200) {
            JsonNode list = answer.json(description);
            if (!list.isArray()) {
                throw unreadable(description);
            }
            orders = list.size();
            for (JsonNode order : list) {
                if (order.path("items_shipped").asInt(0) == 0) {
                    continue; // nothing shipped: no shipments to ask for
                }
                String orderId = text(order, "id", description);
                String shipmentsDescription = "list order shipments";
                Answer shipments = get(
                        "/v2/orders/" + pathSegment(orderId) + "/shipments?limit=" + MAX_PAGE_SIZE,
                        shipmentsDescription);
                quota = shipments.quota();
                if (shipments.status() != 200) {
                    continue; // 204: none
                }
                JsonNode shipmentList = shipments.json(shipmentsDescription);
                if (!shipmentList.isArray()) {
                    throw unreadable(shipmentsDescription);
                }
                for (JsonNode shipment : shipmentList) {
                    Instant created = rfc2822(shipment, "date_created", shipmentsDescription);
                    if (created == null) {
                        throw unreadable(shipmentsDescription);
                    }
                    if (created.isBefore(request.changedSince())
                            || request.upperBound()
                                    .filter(b -> !created.isBefore(b))
                                    .isPresent()) {
                        continue;
                    }
                    entities.add(new ChangedEntity(
                            text(shipment, "id", shipmentsDescription), created, Optional.of(shipment), orderId));
                }
            }
        }
        Optional<String> next = orders == limit ? Optional.of(Integer.toString(page + 1)) : Optional.empty();
        return new ApiResponse<>(new ChangedPage(entities, next, Optional.empty()), quota);
    }

    private ApiResponse<ChangedPage> listV3(
            String pathAndQuery, int page, int limit, String updatedField, boolean withCurrency, String description)
            throws PlatformApiException {
        Answer answer = get(pathAndQuery + "&page=" + page + "&limit=" + limit, description);
        JsonNode root = answer.json(description);
        JsonNode data = root.path("data");
        if (!data.isArray()) {
            throw unreadable(description);
        }
        boolean bodies = !description.contains("refunds"); // refunds need their order's currency: fetch by id
        String currency = withCurrency && bodies && data.size() > 0 ? storeCurrency() : null;
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode item : data) {
            Instant updatedAt;
            try {
                updatedAt = PayloadObject.root(item).instant(updatedField).orElse(null);
            } catch (MappingException e) {
                throw unreadable(description);
            }
            JsonNode body = item;
            if (currency != null) {
                body = item.deepCopy();
                ((ObjectNode) body).put(BigCommercePayloads.CURRENCY_ANNOTATION, currency);
            }
            // a refund is fetched through its order: the listing names the order as order_id
            entities.add(new ChangedEntity(
                    text(item, "id", description),
                    updatedAt,
                    bodies ? Optional.of(body) : Optional.empty(),
                    bodies ? null : text(item, "order_id", description)));
        }
        JsonNode pagination = root.path("meta").path("pagination");
        Optional<Long> total = pagination.path("total").isNumber()
                ? Optional.of(pagination.path("total").asLong())
                : Optional.empty();
        return new ApiResponse<>(new ChangedPage(entities, nextPage(root, page), total), answer.quota());
    }

    /** The cursor of the page after {@code page} of a v3 list ({@code meta.pagination}), empty on the last one. */
    private static Optional<String> nextPage(JsonNode root, int page) {
        JsonNode pagination = root.path("meta").path("pagination");
        int current = pagination.path("current_page").asInt(page);
        int totalPages = pagination.path("total_pages").asInt(current);
        return current < totalPages ? Optional.of(Integer.toString(current + 1)) : Optional.empty();
    }

    @Override
    public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException {
        if (entityType == EntityType.INVENTORY_LEVEL) {
            return getInventoryLevel(id);
        }
        String safeId = pathSegment(id);
        return switch (entityType) {
            case ORDER -> getOrder(safeId);
            case PRODUCT -> {
                String description = "get product";
                Answer answer = get("/v3/catalog/products/" + safeId + "?include=variants,images", description);
                if (answer.status() == 404) {
                    yield new ApiResponse<>(Optional.empty(), answer.quota());
                }
                ObjectNode product = object(answer.json(description).path("data"), description);
                product.put(BigCommercePayloads.CURRENCY_ANNOTATION, storeCurrency());
                yield new ApiResponse<>(Optional.of(product), answer.quota());
            }
            case CUSTOMER -> {
                String description = "get customer";
                Answer answer = get("/v3/customers?include=addresses&id:in=" + safeId, description);
                JsonNode data = answer.json(description).path("data");
                Optional<JsonNode> customer =
                        data.isArray() && data.size() > 0 ? Optional.of(data.get(0)) : Optional.empty();
                yield new ApiResponse<>(customer, answer.quota());
            }
            case SHIPMENT -> {
                String description = "get shipment";
                Answer answer = get(
                        "/v2/orders/" + pathSegment(required(parentId, "order id")) + "/shipments/" + safeId,
                        description);
                yield answer.status() == 200
                        ? new ApiResponse<>(Optional.of(answer.json(description)), answer.quota())
                        : new ApiResponse<>(Optional.empty(), answer.quota());
            }
            case REFUND -> getRefund(safeId, pathSegment(required(parentId, "order id")));
            default ->
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT, 0, "BigCommerce adapter does not fetch " + entityType);
        };
    }

    /** Items per page of GET /v3/inventory/items: the Inventory API's documented payload limit. */
    static final int MAX_INVENTORY_PAGE_SIZE = 1000;

    @Override
    public ApiResponse<ChangedPage> listSnapshot(EntityType entityType, String pageCursor, int pageSize)
            throws PlatformApiException {
        if (entityType != EntityType.INVENTORY_LEVEL) {
            return PlatformApiClient.super.listSnapshot(entityType, pageCursor, pageSize);
        }
        int page = pageCursor == null ? 1 : parsePage(pageCursor);
        int limit = Math.min(pageSize, MAX_INVENTORY_PAGE_SIZE);
        String description = "list inventory items";
        Answer answer = get("/v3/inventory/items?page=" + page + "&limit=" + limit, description);
        JsonNode root = answer.json(description);
        JsonNode data = root.path("data");
        if (!data.isArray()) {
            throw unreadable(description);
        }
        List<ChangedEntity> levels = new ArrayList<>();
        for (JsonNode item : data) {
            JsonNode identity = item.path("identity");
            for (JsonNode location : item.path("locations")) {
                // The shape of one item of GET /v3/inventory/locations/{id}/items (what getById returns): identity
                // without the catalog's sku_id, the location's stock and settings, the location added.
                ObjectNode level = Json.MAPPER.createObjectNode();
                ObjectNode levelIdentity = level.putObject("identity");
                for (String field : List.of("sku", "variant_id", "product_id")) {
                    if (identity.has(field)) {
                        levelIdentity.set(field, identity.get(field));
                    }
                }
                for (String field : List.of("available_to_sell", "total_inventory_onhand", "settings")) {
                    if (location.has(field)) {
                        level.set(field, location.get(field));
                    }
                }
                String locationId = text(location, "location_id", description);
                if (!locationId.matches("[0-9]{1,18}")) {
                    throw unreadable(description);
                }
                level.put(BigCommerceInventoryLevelMapper.LOCATION_ANNOTATION, Long.parseLong(locationId));
                levels.add(new ChangedEntity(
                        BigCommerceInventoryLevelMapper.levelId(text(identity, "variant_id", description), locationId),
                        null,
                        Optional.of(level)));
            }
        }
        return new ApiResponse<>(new ChangedPage(levels, nextPage(root, page), Optional.empty()), answer.quota());
    }

    /** GET /v2/orders/{id} with its products (GET /v2/orders/{id}/products, all pages) in place of the link. */
    private ApiResponse<Optional<JsonNode>> getOrder(String id) throws PlatformApiException {
        String description = "get order";
        Answer answer = get("/v2/orders/" + id, description);
        if (answer.status() != 200) {
            return new ApiResponse<>(Optional.empty(), answer.quota());
        }
        ObjectNode order = object(answer.json(description), description);
        ArrayNode products = Json.MAPPER.createArrayNode();
        Optional<QuotaStatus> quota = answer.quota();
        for (int page = 1; ; page++) {
            Answer lines = get(
                    "/v2/orders/" + id + "/products?page=" + page + "&limit=" + MAX_PAGE_SIZE, "get order products");
            quota = lines.quota().or(() -> answer.quota());
            if (lines.status() != 200) {
                break; // 204: no (more) products
            }
            JsonNode pageItems = lines.json("get order products");
            if (!pageItems.isArray()) {
                throw unreadable("get order products");
            }
            products.addAll((ArrayNode) pageItems);
            if (pageItems.size() < MAX_PAGE_SIZE) {
                break;
            }
        }
        order.set("products", products);
        return new ApiResponse<>(Optional.of(order), quota);
    }

    /**
     * An inventory level {@code <variant_id>@<location_id>} (or a product-level webhook's {@code
     * product:<product_id>@<location_id>}): GET /v3/inventory/locations/{location_id}/items filtered by {@code
     * variant_id:in} (or {@code product_id:in}), its one item with the location added as {@link
     * BigCommerceInventoryLevelMapper#LOCATION_ANNOTATION} (the items do not name it). An unknown location (404) or
     * variant (no item) is empty; a product that tracks stock per variant has no product-level item to return.
     */
    ApiResponse<Optional<JsonNode>> getInventoryLevel(String id) throws PlatformApiException {
        int at = id == null ? -1 : id.lastIndexOf('@');
        if (at <= 0 || at == id.length() - 1) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT,
                    0,
                    "a BigCommerce inventory level id is <variant_id>@<location_id>");
        }
        String item = id.substring(0, at);
        String location = id.substring(at + 1);
        if (!location.matches("[0-9]{1,18}")) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 0, "invalid BigCommerce location id");
        }
        boolean byProduct = item.startsWith(BigCommerceInventoryLevelMapper.PRODUCT_PREFIX);
        String filter = byProduct
                ? "product_id:in="
                        + pathSegment(item.substring(BigCommerceInventoryLevelMapper.PRODUCT_PREFIX.length()))
                : "variant_id:in=" + pathSegment(item);
        String description = "get inventory at location";
        Answer answer = get("/v3/inventory/locations/" + location + "/items?" + filter, description);
        if (answer.status() == 404) {
            return new ApiResponse<>(Optional.empty(), answer.quota());
        }
        JsonNode data = answer.json(description).path("data");
        if (!data.isArray()) {
            throw unreadable(description);
        }
        if (data.isEmpty()) {
            return new ApiResponse<>(Optional.empty(), answer.quota());
        }
        if (data.size() > 1) {
            // only a product-level request can match several items: the product tracks stock per variant, and its
            // variants' own (store/sku/inventory) webhooks carry their changes
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT,
                    0,
                    "BigCommerce product tracks inventory per variant; fetch its variants' levels");
        }
        ObjectNode level = object(data.get(0), description).deepCopy();
        level.put(BigCommerceInventoryLevelMapper.LOCATION_ANNOTATION, Long.parseLong(location));
        return new ApiResponse<>(Optional.of(level), answer.quota());
    }

    /** The refund among its order's refunds, with the order's transactional currency added. */
    private ApiResponse<Optional<JsonNode>> getRefund(String id, String orderId) throws PlatformApiException {
        String description = "get refunds of order";
        Answer answer = get("/v3/orders/" + orderId + "/payment_actions/refunds", description);
        if (answer.status() == 404) {
            return new ApiResponse<>(Optional.empty(), answer.quota());
        }
        JsonNode match = null;
        for (JsonNode refund : answer.json(description).path("data")) {
            if (refund.path("id").asText().equals(id)) {
                match = refund;
            }
        }
        if (match == null) {
            return new ApiResponse<>(Optional.empty(), answer.quota());
        }
        Answer order = get("/v2/orders/" + orderId, "get order of refund");
        if (order.status() != 200) {
            return new ApiResponse<>(Optional.empty(), order.quota());
        }
        String currency =
                order.json("get order of refund").path("default_currency_code").asText("");
        ObjectNode refund = ((ObjectNode) match).deepCopy();
        if (!currency.isEmpty()) {
            refund.put(BigCommercePayloads.CURRENCY_ANNOTATION, currency);
        }
        return new ApiResponse<>(Optional.of(refund), order.quota());
    }

    /** The store's default currency (GET /v2/store {@code currency}), read once per client. */
    String storeCurrency() throws PlatformApiException {
        String known = storeCurrency.get();
        if (known != null) {
            return known;
        }
        String description = "get store information";
        Answer answer = get("/v2/store", description);
        String currency = answer.status() == 200
                ? answer.json(description).path("currency").asText("")
                : "";
        if (currency.isEmpty()) {
            throw unreadable(description);
        }
        storeCurrency.set(currency);
        return currency;
    }

    @Override
    public ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException {
        List<WebhookSubscription> result = new ArrayList<>();
        Optional<QuotaStatus> quota = Optional.empty();
        for (int page = 1; ; page++) {
            String description = "list webhooks";
            Answer answer = get("/v3/hooks?page=" + page + "&limit=" + MAX_PAGE_SIZE, description);
            quota = answer.quota();
            JsonNode root = answer.json(description);
            for (JsonNode hook : root.path("data")) {
                result.add(subscription(hook, description));
            }
            JsonNode pagination = root.path("meta").path("pagination");
            if (pagination.path("current_page").asInt(1)
                    >= pagination.path("total_pages").asInt(1)) {
                break;
            }
        }
        return new ApiResponse<>(result, quota);
    }

    @Override
    public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        String description = "create webhook";
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("scope", topic);
        body.put("destination", address.toString());
        body.put("is_active", true);
        Answer answer = call("POST", "/v3/hooks", body, description);
        JsonNode root = answer.json(description);
        return new ApiResponse<>(
                subscription(root.has("data") ? root.path("data") : root, description), answer.quota());
    }

    @Override
    public ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException {
        Answer answer = call("DELETE", "/v3/hooks/" + pathSegment(subscriptionId), null, "delete webhook");
        return new ApiResponse<>(null, answer.quota());
    }

    private static WebhookSubscription subscription(JsonNode hook, String description) throws PlatformApiException {
        try {
            return new WebhookSubscription(
                    text(hook, "id", description),
                    text(hook, "scope", description),
                    URI.create(text(hook, "destination", description)),
                    hook.path("is_active").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw unreadable(description);
        }
    }

    private static Instant modified(JsonNode order, String description) throws PlatformApiException {
        return rfc2822(order, "date_modified", description);
    }

    private static Instant rfc2822(JsonNode node, String field, String description) throws PlatformApiException {
        try {
            return BigCommercePayloads.rfc2822(PayloadObject.root(node), field).orElse(null);
        } catch (MappingException e) {
            throw unreadable(description);
        }
    }

    private static String text(JsonNode node, String field, String description) throws PlatformApiException {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull() || value.asText().isEmpty()) {
            throw unreadable(description);
        }
        return value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.asText();
    }

    private static ObjectNode object(JsonNode node, String description) throws PlatformApiException {
        if (!node.isObject()) {
            throw unreadable(description);
        }
        return (ObjectNode) node;
    }

    private static String required(String value, String what) throws PlatformApiException {
        if (value == null || value.isBlank()) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 0, "BigCommerce needs the " + what);
        }
        return value;
    }

    /** Ids are digits; anything else would change the request path. */
    static String pathSegment(String id) throws PlatformApiException {
        if (id == null || !id.matches("[0-9A-Za-z_-]+")) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 0, "invalid BigCommerce id");
        }
        return id;
    }

    static PlatformApiException unreadable(String description) {
        return new PlatformApiException(
                PlatformApiException.Kind.SERVER, 200, description + " returned an unexpected body");
    }
}
