package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.OAuth1Signatures;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Adobe Commerce REST API of one store; the connection's base URL is the store's REST root with its store code
 * ({@code https://shop.example.com/rest/default}), credentials an integration's: its four OAuth 1.0a values, every
 * request signed with them (HMAC-SHA256, as Adobe Commerce documents; the only way since 2.4.4 unless the merchant
 * allows access tokens as standalone Bearer tokens), or its access token alone, sent as a Bearer token.
 *
 * <ul>
 *   <li>Changed orders, products, customers (GET /V1/customers/search), shipments (GET /V1/shipments) and credit
 *       memos (GET /V1/creditmemos): {@code searchCriteria} with one filter {@code updated_at gteq <UTC
 *       YYYY-MM-DD HH:MM:SS>}, sorted by {@code updated_at ASC}, {@code pageSize} ≤ 300 and {@code currentPage}; the
 *       next page exists while {@code currentPage × pageSize < total_count} (Magento answers a page past the end
 *       with the last page again, so the count decides, not an empty page).
 *   <li>By id: GET /V1/orders/{id}, /V1/customers/{id}, /V1/shipment/{id}, /V1/creditmemo/{id}; GET /V1/products/{sku} (with the store's base currency, GET
 *       /V1/store/storeConfigs, added as {@link Magento2Payloads#CURRENCY_ANNOTATION}); a source item {@code
 *       sku@source_code} through a source-items search.
 *   <li>Every source item as it is now ({@link #listSnapshot}): the same search unfiltered (source items have no
 *       updated_at).
 *   <li>Webhook subscriptions are not the store's API: Adobe I/O Events registrations live in the Adobe Developer
 *       Console project (I/O Events API {@code /events/{org}/{project}/{workspace}/registrations}, IMS
 *       credentials), and the Commerce side subscribes events with {@code bin/magento events:subscribe}. They are
 *       not modelled: the webhook methods fail with CLIENT.
 * </ul>
 *
 * Adobe Commerce sends no quota headers; a 429 (Fastly) is honoured through its Retry-After.
 */
final class Magento2ApiClient implements PlatformApiClient {
    static final int MAX_PAGE_SIZE = 300;
    private static final DateTimeFormatter MAGENTO_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final ApiHttp http;
    private final ApiCredentials credentials;
    private final Clock clock;
    private final AtomicReference<String> baseCurrency = new AtomicReference<>();

    Magento2ApiClient(ApiConnection connection, Clock clock) {
        if (!(connection.credentials() instanceof ApiCredentials.AccessToken
                || connection.credentials() instanceof ApiCredentials.OAuth1)) {
            throw new IllegalArgumentException(
                    "Adobe Commerce needs an integration's OAuth 1.0a credentials or its access token");
        }
        this.credentials = connection.credentials();
        this.clock = clock;
        this.http = new ApiHttp(connection, Magento2Adapter.RATE_LIMIT_PROFILE, response -> Optional.empty(), clock);
    }

    /** The {@code Authorization} header of a request: OAuth 1.0a-signed, or the Bearer token. */
    private String authorization(String method, URI uri) {
        if (credentials instanceof ApiCredentials.OAuth1 oauth) {
            return OAuth1Signatures.authorization(
                    OAuth1Signatures.Method.HMAC_SHA256,
                    method,
                    uri,
                    new OAuth1Signatures.Keys(
                            oauth.consumerKey(), oauth.consumerSecret(), oauth.token(), oauth.tokenSecret()),
                    Map.of(),
                    clock);
        }
        return "Bearer " + ((ApiCredentials.AccessToken) credentials).token();
    }

    HttpResponse<byte[]> get(String pathAndQuery, String description) throws PlatformApiException {
        URI uri = http.resolve(pathAndQuery);
        return http.send(
                http.request(uri)
                        .header("Authorization", authorization("GET", uri))
                        .GET()
                        .build(),
                description);
    }

    /**
     * A {@code POST} with a JSON body (none when {@code body} is null): 2xx and 4xx other than 401/403/429 are
     * returned (the writer reads Adobe Commerce's {@code {message, parameters}} error), the rest fails as for reads
     * ({@link ApiHttp#sendWrite}).
     */
    HttpResponse<byte[]> post(String path, JsonNode body, String description) throws PlatformApiException {
        URI uri = http.resolve(path);
        return http.sendWrite(
                http.request(uri)
                        .header("Authorization", authorization("POST", uri))
                        .header("Content-Type", "application/json")
                        .POST(
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(Json.encode(body)))
                        .build(),
                description);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The searchCriteria query of updated-at in {@code [since, before)}: filter groups are ANDed, so {@code gteq
     * since} and {@code lt before} (when bounded) are two groups. Magento stores updated_at in whole seconds (UTC).
     */
    static String changedQuery(Instant since, Instant before, int pageSize, int page) {
        String sc = "searchCriteria";
        String query = q(sc + "[filter_groups][0][filters][0][field]") + "=updated_at&"
                + q(sc + "[filter_groups][0][filters][0][value]") + "=" + q(MAGENTO_UTC.format(since)) + "&"
                + q(sc + "[filter_groups][0][filters][0][condition_type]") + "=gteq&";
        if (before != null) {
            Instant ceiling = before.truncatedTo(ChronoUnit.SECONDS);
            if (ceiling.isBefore(before)) {
                ceiling = ceiling.plusSeconds(1);
            }
            query += q(sc + "[filter_groups][1][filters][0][field]") + "=updated_at&"
                    + q(sc + "[filter_groups][1][filters][0][value]") + "=" + q(MAGENTO_UTC.format(ceiling)) + "&"
                    + q(sc + "[filter_groups][1][filters][0][condition_type]") + "=lt&";
        }
        return query
                + q(sc + "[sortOrders][0][field]") + "=updated_at&"
                + q(sc + "[sortOrders][0][direction]") + "=ASC&"
                + q(sc + "[pageSize]") + "=" + pageSize + "&"
                + q(sc + "[currentPage]") + "=" + page;
    }

    private static String resource(EntityType type) throws PlatformApiException {
        return switch (type) {
            case ORDER -> "/V1/orders";
            case PRODUCT -> "/V1/products";
            case CUSTOMER -> "/V1/customers/search";
            case SHIPMENT -> "/V1/shipments";
            case REFUND -> "/V1/creditmemos";
            default ->
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT, 0, "Adobe Commerce has no updated_at listing for " + type);
        };
    }

    /** The listing's search with {@code pageSize=1}: its {@code total_count} is the count. One request. */
    @Override
    public ApiResponse<ChangeCount> countChanged(EntityType entityType, Instant from, Instant toExclusive)
            throws PlatformApiException {
        String description = "count changed " + entityType.name().toLowerCase(java.util.Locale.ROOT);
        HttpResponse<byte[]> response =
                get(resource(entityType) + "?" + changedQuery(from, toExclusive, 1, 1), description);
        JsonNode total = ApiHttp.json(response, description).path("total_count");
        if (!total.isIntegralNumber()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, response.statusCode(), description + " returned no total_count");
        }
        return new ApiResponse<>(new ChangeCount(total.asLong(), 1), Optional.empty());
    }

    @Override
    public ApiResponse<ChangedPage> listChanged(ListChangedRequest request) throws PlatformApiException {
        String resource = resource(request.entityType());
        int page = page(request.pageCursor());
        int size = Math.min(request.pageSize(), MAX_PAGE_SIZE);
        String description = "list changed " + request.entityType().name().toLowerCase(java.util.Locale.ROOT);
        HttpResponse<byte[]> response = get(
                resource + "?" + changedQuery(request.changedSince(), request.changedBefore(), size, page),
                description);
        JsonNode root = ApiHttp.json(response, description);
        JsonNode items = root.path("items");
        long total = root.path("total_count").asLong(0);
        String currency = request.entityType() == EntityType.PRODUCT && items.size() > 0 ? baseCurrency() : null;
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode item : items) {
            try {
                PayloadObject entity = PayloadObject.root(item);
                String id =
                        switch (request.entityType()) {
                            case PRODUCT -> entity.requiredText("sku");
                            case CUSTOMER -> entity.requiredId("id");
                            default -> entity.requiredId("entity_id");
                        };
                JsonNode body = item;
                if (currency != null) {
                    body = item.deepCopy();
                    ((ObjectNode) body).put(Magento2Payloads.CURRENCY_ANNOTATION, currency);
                }
                entities.add(
                        new ChangedEntity(id, entity.utcInstant("updated_at").orElse(null), Optional.of(body)));
            } catch (MappingException e) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER, 200, description + " returned an unexpected item");
            }
        }
        return new ApiResponse<>(
                new ChangedPage(entities, next(page, size, total), Optional.of(total)), Optional.empty());
    }

    @Override
    public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException {
        switch (entityType) {
            case ORDER -> {
                return byNumericId("/V1/orders/", id, "order");
            }
            case CUSTOMER -> {
                return byNumericId("/V1/customers/", id, "customer");
            }
            case SHIPMENT -> {
                return byNumericId("/V1/shipment/", id, "shipment");
            }
            case REFUND -> {
                return byNumericId("/V1/creditmemo/", id, "credit memo");
            }
            case PRODUCT -> {
                HttpResponse<byte[]> response = get("/V1/products/" + q(id).replace("+", "%20"), "get product");
                if (response.statusCode() == 404) {
                    return new ApiResponse<>(Optional.empty(), Optional.empty());
                }
                JsonNode product = ApiHttp.json(response, "get product");
                if (!product.isObject()) {
                    throw new PlatformApiException(
                            PlatformApiException.Kind.SERVER, 200, "get product returned an unexpected body");
                }
                ((ObjectNode) product).put(Magento2Payloads.CURRENCY_ANNOTATION, baseCurrency());
                return new ApiResponse<>(Optional.of(product), Optional.empty());
            }
            case INVENTORY_LEVEL -> {
                int at = id.lastIndexOf('@');
                if (at <= 0 || at == id.length() - 1) {
                    throw new PlatformApiException(
                            PlatformApiException.Kind.CLIENT, 0, "a source item id is <sku>@<source_code>");
                }
                String sc = "searchCriteria";
                String query = q(sc + "[filter_groups][0][filters][0][field]") + "=sku&"
                        + q(sc + "[filter_groups][0][filters][0][value]") + "=" + q(id.substring(0, at)) + "&"
                        + q(sc + "[filter_groups][1][filters][0][field]") + "=source_code&"
                        + q(sc + "[filter_groups][1][filters][0][value]") + "=" + q(id.substring(at + 1));
                HttpResponse<byte[]> response = get("/V1/inventory/source-items?" + query, "get source item");
                JsonNode items = ApiHttp.json(response, "get source item").path("items");
                return new ApiResponse<>(
                        items.size() > 0 ? Optional.of(items.get(0)) : Optional.empty(), Optional.empty());
            }
            default ->
                throw new PlatformApiException(
                        PlatformApiException.Kind.CLIENT, 0, "Adobe Commerce adapter does not fetch " + entityType);
        }
    }

    /**
     * Every MSI source item as it is now (they have no updated_at): GET /V1/inventory/source-items with no filter,
     * sorted by sku and source_code so pages do not shift, {@code pageSize} ≤ 300 and {@code currentPage} while
     * {@code currentPage × pageSize < total_count}. Items are in the shape {@link #getById} returns (the same search
     * filtered to one), so the same mapper and content fingerprint apply; ids {@code <sku>@<source_code>}.
     */
    @Override
    public ApiResponse<ChangedPage> listSnapshot(EntityType entityType, String pageCursor, int pageSize)
            throws PlatformApiException {
        if (entityType != EntityType.INVENTORY_LEVEL) {
            return PlatformApiClient.super.listSnapshot(entityType, pageCursor, pageSize);
        }
        int page = page(pageCursor);
        int size = Math.min(pageSize, MAX_PAGE_SIZE);
        String sc = "searchCriteria";
        String description = "list source items";
        HttpResponse<byte[]> response = get(
                "/V1/inventory/source-items?"
                        + q(sc + "[sortOrders][0][field]") + "=sku&"
                        + q(sc + "[sortOrders][0][direction]") + "=ASC&"
                        + q(sc + "[sortOrders][1][field]") + "=source_code&"
                        + q(sc + "[sortOrders][1][direction]") + "=ASC&"
                        + q(sc + "[pageSize]") + "=" + size + "&"
                        + q(sc + "[currentPage]") + "=" + page,
                description);
        JsonNode root = ApiHttp.json(response, description);
        JsonNode items = root.path("items");
        JsonNode total = root.path("total_count");
        if (!items.isArray() || !total.isIntegralNumber()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, response.statusCode(), description + " returned no items");
        }
        List<ChangedEntity> levels = new ArrayList<>();
        for (JsonNode item : items) {
            try {
                levels.add(new ChangedEntity(
                        Magento2SourceItemMapper.levelId(PayloadObject.root(item)), null, Optional.of(item)));
            } catch (MappingException e) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER, 200, description + " returned an unexpected item");
            }
        }
        return new ApiResponse<>(
                new ChangedPage(levels, next(page, size, total.asLong()), Optional.empty()), Optional.empty());
    }

    /** A page cursor: the searchCriteria currentPage, 1 when there is none. */
    private static int page(String pageCursor) throws PlatformApiException {
        try {
            return pageCursor == null ? 1 : Integer.parseInt(pageCursor);
        } catch (NumberFormatException e) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 0, "invalid Adobe Commerce page cursor");
        }
    }

    /** The next page while {@code page × size < total} (Magento answers a page past the end with the last again). */
    private static Optional<String> next(int page, int size, long total) {
        return (long) page * size < total ? Optional.of(Integer.toString(page + 1)) : Optional.empty();
    }

    /** GET {@code <resource>/<id>} of an entity with a numeric id; 404 is absent. */
    private ApiResponse<Optional<JsonNode>> byNumericId(String resource, String id, String what)
            throws PlatformApiException {
        if (!id.matches("[0-9]+")) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 0, "invalid " + what + " id");
        }
        String description = "get " + what;
        HttpResponse<byte[]> response = get(resource + id, description);
        return new ApiResponse<>(
                response.statusCode() == 404 ? Optional.empty() : Optional.of(ApiHttp.json(response, description)),
                Optional.empty());
    }

    /** The base currency of the store (GET /V1/store/storeConfigs, first entry), read once per client. */
    String baseCurrency() throws PlatformApiException {
        String known = baseCurrency.get();
        if (known != null) {
            return known;
        }
        HttpResponse<byte[]> response = get("/V1/store/storeConfigs", "get store configs");
        String currency = ApiHttp.json(response, "get store configs")
                .path(0)
                .path("base_currency_code")
                .asText("");
        if (currency.isEmpty()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, response.statusCode(), "get store configs has no currency");
        }
        baseCurrency.set(currency);
        return currency;
    }

    private static PlatformApiException notModelled() {
        return new PlatformApiException(
                PlatformApiException.Kind.CLIENT,
                0,
                "Adobe I/O Events registrations are managed in the Adobe Developer Console, not the store API");
    }

    /**
     * The first order: the read every use of the store needs (ACL {@code Magento_Sales::actions_view}). Adobe Commerce
     * answers 401 alike for refused credentials and for a resource the integration may not use.
     */
    @Override
    public ApiResponse<Void> verifyCredentials() throws PlatformApiException {
        get("/V1/orders?" + q("searchCriteria[pageSize]") + "=1", "read the first order");
        return new ApiResponse<>(null, Optional.empty());
    }

    @Override
    public ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException {
        throw notModelled();
    }

    @Override
    public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        throw notModelled();
    }

    @Override
    public ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException {
        throw notModelled();
    }
}
