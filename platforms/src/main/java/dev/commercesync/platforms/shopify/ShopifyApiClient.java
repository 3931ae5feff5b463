package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.Json;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shopify Admin API client. Listing changes uses the GraphQL Admin API ({@code updated_at:>=} search, cursor
 * pagination with {@code pageInfo{hasNextPage endCursor}}, cost budget in {@code extensions.cost.throttleStatus}) and
 * returns ids and updated-at only: GraphQL nodes are not shaped like webhook payloads, so entities are fetched by id
 * through the REST Admin API, whose shape is the webhooks' and thus maps with the same mappers.
 *
 * <ul>
 *   <li>Inventory levels: REST {@code GET inventory_levels.json?location_ids=…&updated_at_min=…&limit=250} (one of
 *       {@code location_ids}/{@code inventory_item_ids} is required; the locations come from {@code GET
 *       locations.json}), cursor pagination through the {@code Link} header's {@code page_info}. The levels are in
 *       their webhooks' shape, so the listing carries the bodies. There is no {@code updated_at_max}: an upper bound
 *       is applied here, and a count walks the listing.
 *   <li>Refunds: REST has no store-wide refund listing, but creating a refund updates its order's {@code updated_at};
 *       refunds created in {@code [a, b)} are the {@code refunds { legacyResourceId createdAt }} of the orders updated
 *       at or after {@code a} (GraphQL), kept when created in {@code [a, b)}; each names its order as parent, for the
 *       fetch by id. A count walks that listing.
 *   <li>Shipments (fulfillments) likewise: there is no store-wide fulfillment listing, and a fulfillment's creation
 *       or tracking update changes its order's {@code updated_at}; fulfillments updated in {@code [a, b)} are the
 *       {@code fulfillments { legacyResourceId updatedAt }} (Order.fulfillments, a list) of the orders updated at or
 *       after {@code a}, kept when updated in {@code [a, b)}, fetched by id through their order (REST {@code
 *       orders/<o>/fulfillments/<id>.json}, the webhooks' shape). Cost: one GraphQL query per page of orders (2 + 2
 *       points per order), one REST request per fulfillment fetched. A count walks that listing.
 * </ul>
 */
final class ShopifyApiClient implements PlatformApiClient {
    /** The default version: what a connection without one calls. */
    static final String API_VERSION = ShopifyAdapter.API_VERSIONS.defaultVersion();
    /** The header of Shopify's deprecation notices. */
    static final String DEPRECATED_REASON = "X-Shopify-API-Deprecated-Reason";

    private static final int MAX_PAGE_SIZE = 250;

    private final ApiHttp http;
    private final String accessToken;
    /** {@code /admin/api/<version>/}: the version is in every Admin API path. */
    private final String apiBase;

    ShopifyApiClient(ApiConnection connection, RateLimitProfile profile, Clock clock) {
        if (!(connection.credentials() instanceof ApiCredentials.AccessToken token)) {
            throw new IllegalArgumentException("Shopify needs an Admin API access token");
        }
        this.accessToken = token.token();
        String version = connection.apiVersionOr(ShopifyAdapter.API_VERSIONS);
        ShopifyAdapter.API_VERSIONS.resolve("shopify", java.util.Optional.of(version));
        this.apiBase = "/admin/api/" + version + "/";
        this.http = new ApiHttp(connection, profile, ShopifyApiClient::restQuota, clock)
                .reportingDeprecations(DEPRECATED_REASON);
    }

    @Override
    public List<dev.commercesync.platforms.spi.ApiDeprecation> takeDeprecations() {
        return http.takeDeprecations();
    }

    /** The REST resource (and polled event type) of an entity type, null for types Shopify cannot list. */
    static EntityType entityTypeOfResource(String resource) {
        return switch (resource) {
            case "orders" -> EntityType.ORDER;
            case "products" -> EntityType.PRODUCT;
            case "customers" -> EntityType.CUSTOMER;
            case "inventory_levels" -> EntityType.INVENTORY_LEVEL;
            case "fulfillments" -> EntityType.SHIPMENT;
            case "refunds" -> EntityType.REFUND;
            default -> null;
        };
    }

    private static String graphqlConnection(EntityType type) {
        return switch (type) {
            case ORDER -> "orders";
            case PRODUCT -> "products";
            case CUSTOMER -> "customers";
            default ->
                throw new IllegalArgumentException(
                        "Shopify cannot list " + type + " by updated_at; it arrives with its order or product");
        };
    }

    @Override
    public ApiResponse<ChangedPage> listChanged(ListChangedRequest request) throws PlatformApiException {
        return switch (request.entityType()) {
            case INVENTORY_LEVEL -> listInventoryLevels(request);
            case REFUND, SHIPMENT -> listOrderParts(request);
            default -> listConnection(request);
        };
    }

    private ApiResponse<ChangedPage> listConnection(ListChangedRequest request) throws PlatformApiException {
        String connectionName = graphqlConnection(request.entityType());
        String query = "query ChangedSince($first: Int!, $after: String, $query: String!) { " + connectionName
                + "(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {"
                + " pageInfo { hasNextPage endCursor } nodes { legacyResourceId updatedAt } } }";
        return graphqlPage(
                request, connectionName, query, updatedAtSearch(request.changedSince(), request.changedBefore()));
    }

    /** An order's list field of a type listed through its orders, and the field of its version time. */
    private record OrderPart(String field, String timeField) {
        static Optional<OrderPart> of(EntityType type) {
            return switch (type) {
                case REFUND -> Optional.of(new OrderPart("refunds", "createdAt"));
                case SHIPMENT -> Optional.of(new OrderPart("fulfillments", "updatedAt"));
                default -> Optional.empty();
            };
        }
    }

    /**
     * Refunds created, or fulfillments updated, in the request's range, found on the orders updated since its start
     * (see the class doc).
     */
    private ApiResponse<ChangedPage> listOrderParts(ListChangedRequest request) throws PlatformApiException {
        OrderPart part = OrderPart.of(request.entityType()).orElseThrow();
        String query = "query PartsSince($first: Int!, $after: String, $query: String!) {"
                + " orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {"
                + " pageInfo { hasNextPage endCursor }"
                + " nodes { legacyResourceId updatedAt " + part.field() + " { legacyResourceId " + part.timeField()
                + " } } } }";
        ApiResponse<ChangedPage> orders =
                graphqlPage(request, "orders", query, updatedAtSearch(request.changedSince(), null));
        return new ApiResponse<>(
                new ChangedPage(
                        orders.value().entities().stream()
                                .filter(p -> !p.updatedAt().isBefore(request.changedSince())
                                        && request.upperBound()
                                                .map(b -> p.updatedAt().isBefore(b))
                                                .orElse(true))
                                .toList(),
                        orders.value().nextPageCursor(),
                        Optional.empty()),
                orders.quota());
    }

    /**
     * One page of a GraphQL connection searched by {@code search}: its nodes' ids and updated-at, or, for orders asked
     * with their refunds or fulfillments, those (id, version time, order as parent).
     */
    private ApiResponse<ChangedPage> graphqlPage(
            ListChangedRequest request, String connectionName, String query, String search)
            throws PlatformApiException {
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.put("first", Math.min(request.pageSize(), MAX_PAGE_SIZE));
        if (request.pageCursor() == null) {
            variables.putNull("after");
        } else {
            variables.put("after", request.pageCursor());
        }
        variables.put("query", search);
        String description = "Shopify GraphQL list " + connectionName;
        GraphqlAnswer answer = graphql(query, variables, description);
        Optional<QuotaStatus> quota = answer.quota();
        JsonNode page = answer.data().path(connectionName);
        if (!page.isObject()) {
            throw new PlatformApiException(PlatformApiException.Kind.SERVER, 200, description + " returned no data");
        }
        List<ChangedEntity> entities = new ArrayList<>();
        Optional<OrderPart> part = OrderPart.of(request.entityType());
        for (JsonNode node : page.path("nodes")) {
            if (part.isPresent()) {
                for (JsonNode child : node.path(part.get().field())) {
                    entities.add(new ChangedEntity(
                            child.path("legacyResourceId").asText(),
                            Instant.parse(child.path(part.get().timeField()).asText()),
                            Optional.empty(),
                            node.path("legacyResourceId").asText()));
                }
                continue;
            }
            entities.add(new ChangedEntity(
                    node.path("legacyResourceId").asText(),
                    Instant.parse(node.path("updatedAt").asText()),
                    Optional.empty()));
        }
        JsonNode pageInfo = page.path("pageInfo");
        Optional<String> next = pageInfo.path("hasNextPage").asBoolean(false)
                ? Optional.of(pageInfo.path("endCursor").asText())
                : Optional.empty();
        return new ApiResponse<>(new ChangedPage(entities, next, Optional.empty()), quota);
    }

    /**
     * Inventory levels at every location changed since the request's start: the first page names the locations
     * ({@code GET locations.json}) and the filter; later pages are the {@code page_info} of the previous page's {@code
     * Link: <…>; rel="next"} (Shopify allows only {@code limit} beside it).
     */
    private ApiResponse<ChangedPage> listInventoryLevels(ListChangedRequest request) throws PlatformApiException {
        String base = apiBase;
        int limit = Math.min(request.pageSize(), MAX_PAGE_SIZE);
        String path;
        if (request.pageCursor() == null) {
            String description = "Shopify list locations";
            HttpResponse<byte[]> response = http.send(
                    authorized(http.request(http.resolve(base + "locations.json")))
                            .GET()
                            .build(),
                    description);
            List<String> locations = new ArrayList<>();
            for (JsonNode location : ApiHttp.json(response, description).path("locations")) {
                locations.add(location.path("id").asText());
            }
            if (locations.isEmpty()) {
                return new ApiResponse<>(
                        new ChangedPage(List.of(), Optional.empty(), Optional.empty()), http.quota(response));
            }
            path = base + "inventory_levels.json?location_ids=" + segment(String.join(",", locations))
                    + "&updated_at_min="
                    + segment(request.changedSince()
                            .truncatedTo(ChronoUnit.SECONDS)
                            .toString())
                    + "&limit=" + limit;
        } else {
            path = base + "inventory_levels.json?limit=" + limit + "&page_info=" + segment(request.pageCursor());
        }
        String description = "Shopify list inventory_levels";
        HttpResponse<byte[]> response =
                http.send(authorized(http.request(http.resolve(path))).GET().build(), description);
        JsonNode levels = ApiHttp.json(response, description).path("inventory_levels");
        if (!levels.isArray()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, response.statusCode(), description + " returned no list");
        }
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode level : levels) {
            Instant updatedAt = Instant.parse(level.path("updated_at").asText());
            if (request.upperBound().filter(b -> !updatedAt.isBefore(b)).isPresent()) {
                continue;
            }
            entities.add(new ChangedEntity(
                    level.path("inventory_item_id").asText() + "@"
                            + level.path("location_id").asText(),
                    updatedAt,
                    Optional.of(level)));
        }
        return new ApiResponse<>(
                new ChangedPage(entities, nextPageInfo(response), Optional.empty()), http.quota(response));
    }

    /** The {@code page_info} of the {@code Link} header's {@code rel="next"} target, if any. */
    static Optional<String> nextPageInfo(HttpResponse<byte[]> response) {
        for (String header : response.headers().allValues("Link")) {
            for (String link : header.split(",")) {
                String[] parts = link.split(";");
                boolean next = false;
                for (int i = 1; i < parts.length; i++) {
                    next |= parts[i].trim().replace(" ", "").equals("rel=\"next\"");
                }
                String target = parts[0].trim();
                if (!next || !target.startsWith("<") || !target.endsWith(">")) {
                    continue;
                }
                String query =
                        URI.create(target.substring(1, target.length() - 1)).getRawQuery();
                for (String param : query == null ? new String[0] : query.split("&")) {
                    if (param.startsWith("page_info=")) {
                        return Optional.of(java.net.URLDecoder.decode(
                                param.substring("page_info=".length()), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Shopify search syntax for updated-at in {@code [since, before)}; {@code before} may be null (unbounded). */
    static String updatedAtSearch(Instant since, Instant before) {
        String search = "updated_at:>='" + since.truncatedTo(ChronoUnit.SECONDS) + "'";
        return before == null ? search : search + " updated_at:<'" + before.truncatedTo(ChronoUnit.SECONDS) + "'";
    }

    /**
     * One GraphQL query of the connection's count field ({@code ordersCount}, {@code productsCount}, {@code
     * customersCount}) with the same search as the listing and {@code limit: null}, so the count is exact rather than
     * capped at 10,000 (precision {@code AT_LEAST}, which is refused here).
     */
    @Override
    public ApiResponse<ChangeCount> countChanged(EntityType entityType, Instant from, Instant toExclusive)
            throws PlatformApiException {
        if (entityType == EntityType.INVENTORY_LEVEL || OrderPart.of(entityType).isPresent()) {
            return PlatformApiClient.super.countChanged(entityType, from, toExclusive); // no count: walk the listing
        }
        String field = graphqlConnection(entityType) + "Count";
        ObjectNode variables = Json.MAPPER.createObjectNode().put("query", updatedAtSearch(from, toExclusive));
        String description = "Shopify GraphQL " + field;
        GraphqlAnswer answer = graphql(
                "query CountChanged($query: String!) { " + field + "(query: $query, limit: null) { count precision } }",
                variables,
                description);
        JsonNode count = answer.data().path(field);
        if (!count.path("count").isIntegralNumber()
                || !"EXACT".equals(count.path("precision").asText())) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " returned no exact count");
        }
        return new ApiResponse<>(new ChangeCount(count.path("count").asLong(), 1), answer.quota());
    }

    /**
     * A GraphQL answer without errors.
     *
     * @param data the answer's {@code data} (a missing node when absent)
     * @param quota the cost budget it reported ({@code extensions.cost.throttleStatus})
     * @param requestId Shopify's {@code X-Request-Id} of the request, for its support
     */
    record GraphqlAnswer(JsonNode data, Optional<QuotaStatus> quota, Optional<String> requestId) {}

    /**
     * One GraphQL Admin API request ({@code POST /admin/api/<version>/graphql.json}). Throttling (an error of code
     * THROTTLED) is a {@link RateLimitedException}, other GraphQL errors a CLIENT failure; mutations' {@code
     * userErrors} are data, left to the caller.
     */
    GraphqlAnswer graphql(String query, ObjectNode variables, String description) throws PlatformApiException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("query", query);
        body.set("variables", variables);
        HttpResponse<byte[]> response = http.send(
                authorized(http.request(http.resolve(apiBase + "graphql.json")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)))
                        .build(),
                description);
        JsonNode json = ApiHttp.json(response, description);
        Optional<QuotaStatus> quota = graphqlQuota(json);
        throwIfGraphqlErrors(json, quota, description);
        return new GraphqlAnswer(json.path("data"), quota, response.headers().firstValue("X-Request-Id"));
    }

    /** GraphQL answers throttling with HTTP 200 and an error of code THROTTLED; the wait follows from the bucket. */
    private void throwIfGraphqlErrors(JsonNode json, Optional<QuotaStatus> quota, String description)
            throws PlatformApiException {
        JsonNode errors = json.path("errors");
        if (!errors.isArray() || errors.isEmpty()) {
            return;
        }
        for (JsonNode error : errors) {
            if ("THROTTLED".equals(error.path("extensions").path("code").asText())) {
                double requested = json.path("extensions")
                        .path("cost")
                        .path("requestedQueryCost")
                        .asDouble(0);
                Duration wait = quota.filter(q -> q.refillPerSecond() > 0)
                        .map(q -> Duration.ofMillis(
                                (long) Math.ceil(Math.max(0, requested - q.remaining()) / q.refillPerSecond() * 1000)))
                        .orElse(Duration.ofSeconds(1));
                throw new RateLimitedException(200, description + " was throttled", wait, quota);
            }
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.CLIENT, 200, description + " returned " + errors.size() + " GraphQL errors");
    }

    static Optional<QuotaStatus> graphqlQuota(JsonNode json) {
        JsonNode status = json.path("extensions").path("cost").path("throttleStatus");
        if (!status.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new QuotaStatus(
                status.path("currentlyAvailable").asDouble(),
                status.path("maximumAvailable").asDouble(),
                status.path("restoreRate").asDouble()));
    }

    /** REST: {@code X-Shopify-Shop-Api-Call-Limit: 32/40} is used/size of a bucket leaking 2 requests a second. */
    static Optional<QuotaStatus> restQuota(HttpResponse<byte[]> response) {
        Optional<String> header = response.headers().firstValue("X-Shopify-Shop-Api-Call-Limit");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = header.get().trim().split("/");
        try {
            double used = Double.parseDouble(parts[0]);
            double size = Double.parseDouble(parts[1]);
            return Optional.of(new QuotaStatus(size - used, size, 2));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException {
        String path;
        String key;
        switch (entityType) {
            case ORDER -> {
                path = "orders/" + segment(id) + ".json";
                key = "order";
            }
            case PRODUCT -> {
                path = "products/" + segment(id) + ".json";
                key = "product";
            }
            case CUSTOMER -> {
                path = "customers/" + segment(id) + ".json";
                key = "customer";
            }
            case REFUND -> {
                path = "orders/" + segment(requireParent(parentId, entityType)) + "/refunds/" + segment(id) + ".json";
                key = "refund";
            }
            case SHIPMENT -> {
                path = "orders/" + segment(requireParent(parentId, entityType)) + "/fulfillments/" + segment(id)
                        + ".json";
                key = "fulfillment";
            }
            case INVENTORY_LEVEL -> {
                String[] itemAtLocation = id.split("@", 2);
                if (itemAtLocation.length != 2) {
                    throw new IllegalArgumentException("inventory level ids are <inventory_item_id>@<location_id>");
                }
                path = "inventory_levels.json?inventory_item_ids=" + segment(itemAtLocation[0]) + "&location_ids="
                        + segment(itemAtLocation[1]);
                key = "inventory_levels";
            }
            default -> throw new IllegalArgumentException("unsupported entity type " + entityType);
        }
        String description = "Shopify get " + entityType;
        HttpResponse<byte[]> response = http.send(
                authorized(http.request(http.resolve(apiBase + path))).GET().build(), description);
        Optional<QuotaStatus> quota = http.quota(response);
        if (response.statusCode() == 404) {
            return new ApiResponse<>(Optional.empty(), quota);
        }
        JsonNode entity = ApiHttp.json(response, description).path(key);
        if (entity.isArray()) {
            entity = entity.isEmpty() ? null : entity.get(0);
        }
        return new ApiResponse<>(Optional.ofNullable(entity).filter(JsonNode::isObject), quota);
    }

    /** {@code GET /admin/oauth/access_scopes.json}: the scopes this token holds ({@code access_scopes[].handle}). */
    JsonNode accessScopes() throws PlatformApiException {
        String description = "Shopify access scopes";
        HttpResponse<byte[]> response = http.send(
                authorized(http.request(http.resolve("/admin/oauth/access_scopes.json")))
                        .GET()
                        .build(),
                description);
        return ApiHttp.json(response, description);
    }

    @Override
    public ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException {
        String description = "Shopify list webhooks";
        HttpResponse<byte[]> response = http.send(
                authorized(http.request(http.resolve(apiBase + "webhooks.json")))
                        .GET()
                        .build(),
                description);
        List<WebhookSubscription> result = new ArrayList<>();
        for (JsonNode webhook : ApiHttp.json(response, description).path("webhooks")) {
            result.add(subscription(webhook));
        }
        return new ApiResponse<>(result, http.quota(response));
    }

    @Override
    public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode webhook = body.putObject("webhook");
        webhook.put("topic", topic);
        webhook.put("address", address.toString());
        webhook.put("format", "json");
        String description = "Shopify register webhook " + topic;
        HttpResponse<byte[]> response = http.send(
                authorized(http.request(http.resolve(apiBase + "webhooks.json")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)))
                        .build(),
                description);
        if (response.statusCode() == 404) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, 404, description + " failed with 404");
        }
        return new ApiResponse<>(
                subscription(ApiHttp.json(response, description).path("webhook")), http.quota(response));
    }

    @Override
    public ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException {
        HttpResponse<byte[]> response = http.send(
                authorized(http.request(http.resolve(apiBase + "webhooks/" + segment(subscriptionId) + ".json")))
                        .DELETE()
                        .build(),
                "Shopify delete webhook");
        return new ApiResponse<>(null, http.quota(response));
    }

    private static WebhookSubscription subscription(JsonNode webhook) {
        // Shopify deletes failing subscriptions instead of disabling them: a listed one is active.
        return new WebhookSubscription(
                webhook.path("id").asText(),
                webhook.path("topic").asText(),
                URI.create(webhook.path("address").asText()),
                true);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("X-Shopify-Access-Token", accessToken);
    }

    private static String requireParent(String parentId, EntityType type) {
        if (parentId == null) {
            throw new IllegalArgumentException("Shopify fetches a " + type + " through its order: parentId needed");
        }
        return parentId;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
