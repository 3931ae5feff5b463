package dev.commercesync.platforms.woocommerce;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.commercesync.platforms.spi.RateLimitProfile;
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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * WooCommerce REST API v3 client: {@code modified_after} (GMT) with {@code page}/{@code per_page} (≤ 100) pagination,
 * {@code X-WP-Total}/{@code X-WP-TotalPages}; HTTP Basic auth with the consumer key and secret (HTTPS only in
 * production). The page cursor is the next page number. Listing returns full entities (same shape as webhooks).
 * Refunds, which have no webhook topic, are listed store-wide by creation date ({@code GET /refunds?after=…}, each
 * naming its order as {@code parent_id}) and fetched through their order for its currency.
 */
final class WooApiClient implements PlatformApiClient {
    private static final String API = "/wp-json/wc/v3/";
    private static final int MAX_PAGE_SIZE = 100;
    private static final DateTimeFormatter GMT_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final ApiHttp http;
    private final String authorization;

    WooApiClient(ApiConnection connection, RateLimitProfile profile, Clock clock) {
        if (!(connection.credentials() instanceof ApiCredentials.KeyAndSecret keyAndSecret)) {
            throw new IllegalArgumentException("WooCommerce needs a consumer key and secret");
        }
        this.authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (keyAndSecret.key() + ":" + keyAndSecret.secret()).getBytes(StandardCharsets.UTF_8));
        this.http = new ApiHttp(connection, profile, WooApiClient::quota, clock);
    }

    /** The REST collection (and polled event type) of an entity type; null when WooCommerce has none. */
    static EntityType entityTypeOfResource(String resource) {
        return switch (resource) {
            case "orders" -> EntityType.ORDER;
            case "products" -> EntityType.PRODUCT;
            case "customers" -> EntityType.CUSTOMER;
            case "refunds" -> EntityType.REFUND;
            default -> null;
        };
    }

    private static String collection(EntityType type) {
        return switch (type) {
            case ORDER -> "orders";
            case PRODUCT -> "products";
            case CUSTOMER -> "customers";
            case REFUND -> "refunds";
            default -> throw new IllegalArgumentException("WooCommerce cannot list " + type + " by modification date");
        };
    }

    /** {@code RateLimit-Limit}/{@code RateLimit-Remaining} (window-based: no continuous refill). */
    static Optional<QuotaStatus> quota(HttpResponse<byte[]> response) {
        Optional<Double> limit = ApiHttp.numericHeader(response.headers(), "RateLimit-Limit");
        Optional<Double> remaining = ApiHttp.numericHeader(response.headers(), "RateLimit-Remaining");
        if (limit.isEmpty() || remaining.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QuotaStatus(remaining.get(), limit.get(), 0));
    }

    /**
     * The date filter of {@code [since, before)}: WordPress' date query compares {@code modified_after} and {@code
     * modified_before} strictly (not inclusive) at whole seconds, so "at or after since" is "after since − 1 s".
     * Refunds are immutable (their creation is their only version) and the store-wide {@code /refunds} collection
     * filters by creation date ({@code after}/{@code before}, compared the same way).
     */
    private static String modifiedRange(EntityType type, Instant since, Instant before) {
        String prefix = type == EntityType.REFUND ? "" : "modified_";
        String query = prefix + "after="
                + encode(gmt(since.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1))) + "&dates_are_gmt=true";
        if (before != null) {
            Instant ceiling = before.truncatedTo(ChronoUnit.SECONDS);
            if (ceiling.isBefore(before)) {
                ceiling = ceiling.plusSeconds(1);
            }
            query += "&" + prefix + "before=" + encode(gmt(ceiling));
        }
        return query;
    }

    /** WordPress' REST date format needs the seconds, which {@code LocalDateTime.toString()} drops when zero. */
    private static String gmt(Instant instant) {
        return GMT_SECONDS.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    public ApiResponse<ChangedPage> listChanged(ListChangedRequest request) throws PlatformApiException {
        String collection = collection(request.entityType());
        int page = request.pageCursor() == null ? 1 : Integer.parseInt(request.pageCursor());
        // Sorting by modification keeps pages stable-ish while the poller's overlap window covers entities that move
        // between pages during the walk.
        boolean refunds = request.entityType() == EntityType.REFUND;
        String query = "?" + modifiedRange(request.entityType(), request.changedSince(), request.changedBefore())
                + (refunds ? "&orderby=date" : "&orderby=modified") + "&order=asc" + "&page=" + page + "&per_page="
                + Math.min(request.pageSize(), MAX_PAGE_SIZE);
        if (request.entityType() == EntityType.CUSTOMER) {
            // The customers collection has no modified_after; it is listed whole and filtered here.
            query = "?orderby=id&order=asc&role=all&page=" + page + "&per_page="
                    + Math.min(request.pageSize(), MAX_PAGE_SIZE);
        }
        String description = "WooCommerce list " + collection;
        HttpResponse<byte[]> response =
                send(http.request(http.resolve(API + collection + query)).GET(), description);
        JsonNode body = ApiHttp.json(response, description);
        if (!body.isArray()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, response.statusCode(), description + " did not return a list");
        }
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode entity : body) {
            try {
                PayloadObject object = PayloadObject.root(entity);
                Instant modified = object.utcInstant(refunds ? "date_created_gmt" : "date_modified_gmt")
                        .orElse(null);
                if (request.entityType() == EntityType.CUSTOMER
                        && modified != null
                        && (modified.isBefore(request.changedSince())
                                || request.upperBound()
                                        .filter(b -> !modified.isBefore(b))
                                        .isPresent())) {
                    continue;
                }
                if (refunds) {
                    // A refund's payload names no currency: the poller fetches it through its order (getById).
                    entities.add(new ChangedEntity(
                            object.requiredId("id"), modified, Optional.empty(), object.requiredId("parent_id")));
                } else {
                    entities.add(new ChangedEntity(object.requiredId("id"), modified, Optional.of(entity)));
                }
            } catch (MappingException e) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER,
                        response.statusCode(),
                        description + " returned an entity without " + e.fieldPath());
            }
        }
        Optional<Long> totalPages =
                ApiHttp.numericHeader(response.headers(), "X-WP-TotalPages").map(Double::longValue);
        Optional<Long> total =
                ApiHttp.numericHeader(response.headers(), "X-WP-Total").map(Double::longValue);
        Optional<String> next = totalPages.isPresent() && page < totalPages.get()
                ? Optional.of(Integer.toString(page + 1))
                : Optional.empty();
        return new ApiResponse<>(new ChangedPage(entities, next, total), http.quota(response));
    }

    /**
     * One request with {@code per_page=1}: the {@code X-WP-Total} header is the count. Customers have no modification
     * filter, so their count walks the listing (the SPI's default, one request per page).
     */
    @Override
    public ApiResponse<ChangeCount> countChanged(EntityType entityType, Instant from, Instant toExclusive)
            throws PlatformApiException {
        if (entityType == EntityType.CUSTOMER) {
            return PlatformApiClient.super.countChanged(entityType, from, toExclusive);
        }
        String collection = collection(entityType);
        String description = "WooCommerce count " + collection;
        HttpResponse<byte[]> response = send(
                http.request(http.resolve(API + collection + "?" + modifiedRange(entityType, from, toExclusive)
                                + "&per_page=1&_fields=id"))
                        .GET(),
                description);
        long total = ApiHttp.numericHeader(response.headers(), "X-WP-Total")
                .map(Double::longValue)
                .orElseThrow(() -> new PlatformApiException(
                        PlatformApiException.Kind.SERVER, response.statusCode(), description + " sent no X-WP-Total"));
        return new ApiResponse<>(new ChangeCount(total, 1), http.quota(response));
    }

    /**
     * Refunds are fetched through their order, and their payload names no currency: the order's currency is added as
     * a top-level {@code currency} field (what {@code WooRefundMapper} reads).
     */
    @Override
    public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException {
        if (entityType == EntityType.REFUND) {
            if (parentId == null) {
                throw new IllegalArgumentException("WooCommerce fetches a refund through its order: parentId needed");
            }
            ApiResponse<Optional<JsonNode>> order = get("orders/" + encode(parentId), "WooCommerce get ORDER");
            if (order.value().isEmpty()) {
                return order;
            }
            ApiResponse<Optional<JsonNode>> refund =
                    get("orders/" + encode(parentId) + "/refunds/" + encode(id), "WooCommerce get REFUND");
            if (refund.value().isEmpty() || !refund.value().get().isObject()) {
                return refund;
            }
            ObjectNode withCurrency = ((ObjectNode) refund.value().get()).deepCopy();
            withCurrency.set("currency", order.value().get().path("currency"));
            return new ApiResponse<>(Optional.of(withCurrency), refund.quota());
        }
        return get(collection(entityType) + "/" + encode(id), "WooCommerce get " + entityType);
    }

    /** GET of a resource under {@code /wp-json/wc/v3/}; 404 is empty. */
    ApiResponse<Optional<JsonNode>> get(String path, String description) throws PlatformApiException {
        HttpResponse<byte[]> response =
                send(http.request(http.resolve(API + path)).GET(), description);
        if (response.statusCode() == 404) {
            return new ApiResponse<>(Optional.empty(), http.quota(response));
        }
        return new ApiResponse<>(Optional.of(ApiHttp.json(response, description)), http.quota(response));
    }

    @Override
    public ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException {
        String description = "WooCommerce list webhooks";
        HttpResponse<byte[]> response =
                send(http.request(http.resolve(API + "webhooks?per_page=100")).GET(), description);
        List<WebhookSubscription> result = new ArrayList<>();
        for (JsonNode webhook : ApiHttp.json(response, description)) {
            result.add(subscription(webhook));
        }
        return new ApiResponse<>(result, http.quota(response));
    }

    @Override
    public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("name", "commerce-sync " + topic);
        body.put("topic", topic);
        body.put("delivery_url", address.toString());
        body.put("secret", new String(secret.bytes(), StandardCharsets.UTF_8));
        body.put("status", "active");
        String description = "WooCommerce register webhook " + topic;
        HttpResponse<byte[]> response = send(
                http.request(http.resolve(API + "webhooks"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body))),
                description);
        return new ApiResponse<>(subscription(ApiHttp.json(response, description)), http.quota(response));
    }

    @Override
    public ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException {
        HttpResponse<byte[]> response = send(
                http.request(http.resolve(API + "webhooks/" + encode(subscriptionId) + "?force=true"))
                        .DELETE(),
                "WooCommerce delete webhook");
        return new ApiResponse<>(null, http.quota(response));
    }

    /** WooCommerce disables a webhook after repeated failed deliveries: status "disabled" (or "paused"). */
    private static WebhookSubscription subscription(JsonNode webhook) {
        return new WebhookSubscription(
                webhook.path("id").asText(),
                webhook.path("topic").asText(),
                URI.create(webhook.path("delivery_url").asText()),
                "active".equals(webhook.path("status").asText()));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, String description) throws PlatformApiException {
        return http.send(request.header("Authorization", authorization).build(), description);
    }

    /**
     * A write ({@code PUT}/{@code POST} with a JSON body) to a resource under {@code /wp-json/wc/v3/}: 2xx and 4xx
     * other than 401/403/429 are returned (the writer reads WooCommerce's {@code {code, message, data}} error), the
     * rest fails as for reads ({@link ApiHttp#sendWrite}).
     */
    HttpResponse<byte[]> write(String method, String path, JsonNode body, String description)
            throws PlatformApiException {
        return http.sendWrite(
                http.request(http.resolve(API + path))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(Json.encode(body)))
                        .build(),
                description);
    }

    Optional<QuotaStatus> quotaOf(HttpResponse<byte[]> response) {
        return http.quota(response);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
