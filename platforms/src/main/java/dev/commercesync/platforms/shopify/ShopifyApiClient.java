package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Shopify Admin API client, GraphQL Admin API only ({@code POST /admin/api/<version>/graphql.json}; REST is legacy for
 * new public apps). Listing changes uses {@code updated_at:>=} search, cursor pagination with {@code
 * pageInfo{hasNextPage endCursor}} and the cost budget in {@code extensions.cost.throttleStatus}, and returns ids and
 * updated-at only. Fetching by id asks {@code order(id:)}, {@code product(id:)}, {@code customer(id:)}, {@code
 * refund(id:)}, {@code fulfillment(id:)} with their nested connections paged to the end, and {@link
 * ShopifyGraphqlShapes} converts the answer to the REST/webhook shape, so one mapper per type and its golden outputs
 * serve webhooks and fetches alike (fields GraphQL lacks are listed in platforms/README.md). Inventory levels,
 * webhook subscriptions and the token's access scopes are GraphQL too.
 *
 * <ul>
 *   <li>Inventory levels: {@code locations(first: 250) { nodes { legacyResourceId } }}, then per location {@code
 *       location(id:) { inventoryLevels(first:, after:, query: "updated_at:>='…'") { … } }}; the page cursor is
 *       {@code <locations still to list, comma-separated> <inventoryLevels endCursor>}. A level's webhook shape:
 *       {@code inventory_item_id}, {@code location_id}, {@code available} (null when the item is not tracked), {@code
 *       updated_at}, {@code admin_graphql_api_id} (the level's GraphQL id). There is no upper bound in the search
 *       syntax used here: it is applied here, and a count walks the listing.
 *   <li>Refunds: REST has no store-wide refund listing, but creating a refund updates its order's {@code updated_at};
 *       refunds created in {@code [a, b)} are the {@code refunds { legacyResourceId createdAt }} of the orders updated
 *       at or after {@code a} (GraphQL), kept when created in {@code [a, b)}; each names its order as parent, for the
 *       fetch by id. A count walks that listing.
 *   <li>Shipments (fulfillments) likewise: there is no store-wide fulfillment listing, and a fulfillment's creation
 *       or tracking update changes its order's {@code updated_at}; fulfillments updated in {@code [a, b)} are the
 *       {@code fulfillments { legacyResourceId updatedAt }} (Order.fulfillments, a list) of the orders updated at or
 *       after {@code a}, kept when updated in {@code [a, b)}, fetched by id ({@code fulfillment(id:)}, checked to belong
 *       to the order named). Cost: one GraphQL query per page of orders (2 + 2 points per order). A count walks that listing.
 *   <li>Webhook subscriptions: {@code webhookSubscriptions}, {@code webhookSubscriptionCreate(topic:,
 *       webhookSubscription: {uri, format: JSON})}, {@code webhookSubscriptionDelete(id:)}; topics are GraphQL enum
 *       values ({@code ORDERS_CREATE}) there and REST names ({@code orders/create}) everywhere else, ids are GraphQL
 *       ids ({@code gid://shopify/WebhookSubscription/<n>}; a bare REST id is accepted for deletion).
 * </ul>
 */
final class ShopifyApiClient implements PlatformApiClient {
    /** The default version: what a connection without one calls. */
    static final String API_VERSION = ShopifyAdapter.API_VERSIONS.defaultVersion();
    /** The header of Shopify's deprecation notices. */
    static final String DEPRECATED_REASON = "X-Shopify-API-Deprecated-Reason";

    private static final int MAX_PAGE_SIZE = 250;
    private static final String NUMERIC_ID = ShopifyGraphqlShapes.NUMERIC_ID;

    private final ApiHttp http;
    private final String accessToken;
    /** The Admin API version this client calls: part of every Admin API path, see {@link #adminPath}. */
    private final String apiVersion;

    ShopifyApiClient(ApiConnection connection, RateLimitProfile profile, Clock clock) {
        if (!(connection.credentials() instanceof ApiCredentials.AccessToken token)) {
            throw new IllegalArgumentException("Shopify needs an Admin API access token");
        }
        this.accessToken = token.token();
        String version = connection.apiVersionOr(ShopifyAdapter.API_VERSIONS);
        ShopifyAdapter.API_VERSIONS.resolve("shopify", java.util.Optional.of(version));
        this.apiVersion = version;
        this.http = new ApiHttp(connection, profile, ShopifyApiClient::restQuota, clock)
                .reportingDeprecations(DEPRECATED_REASON);
    }

    @Override
    public List<dev.commercesync.platforms.spi.ApiDeprecation> takeDeprecations() {
        return http.takeDeprecations();
    }

    /**
     * The one place an Admin API path is built: {@code /admin/api/<version>/<resource>}, e.g. {@code graphql.json}
     * (the GraphQL endpoint) or {@code orders/1.json}.
     */
    static String adminPath(String version, String resource) {
        return "/admin/api/" + version + "/" + resource;
    }

    private URI admin(String resource) {
        return http.resolve(adminPath(apiVersion, resource));
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
     * An inventory level's fields as fetched, for {@link ShopifyGraphqlShapes#levelPayload}; its location is the one asked for. Cost: 3
     * points a level (the level, its item, its quantities), so 250 levels of a location cost 753 of the 1,000 a query
     * may request.
     */
    private static final String LEVEL_FIELDS =
            "id updatedAt quantities(names: [\"available\"]) { name quantity }" + " item { legacyResourceId tracked }";

    /**
     * Inventory levels at every location changed since the request's start (see the class doc): the first page lists
     * the locations, each page lists one location's levels, the cursor names the locations still to list.
     */
    private ApiResponse<ChangedPage> listInventoryLevels(ListChangedRequest request) throws PlatformApiException {
        List<String> locations;
        String after;
        if (request.pageCursor() == null) {
            GraphqlAnswer answer = graphql(
                    "query Locations { locations(first: " + MAX_PAGE_SIZE + ") { nodes { legacyResourceId } } }",
                    Json.MAPPER.createObjectNode(),
                    "Shopify GraphQL list locations");
            locations = new ArrayList<>();
            for (JsonNode location : answer.data().path("locations").path("nodes")) {
                locations.add(location.path("legacyResourceId").asText());
            }
            if (locations.isEmpty()) {
                return new ApiResponse<>(
                        new ChangedPage(List.of(), Optional.empty(), Optional.empty()), answer.quota());
            }
            after = null;
        } else {
            String[] cursor = request.pageCursor().split(" ", 2);
            locations = List.of(cursor[0].split(","));
            after = cursor.length < 2 || cursor[1].isEmpty() ? null : cursor[1];
        }
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.put("location", ShopifyWriteClient.gid("Location", locations.get(0)));
        variables.put("first", Math.min(request.pageSize(), MAX_PAGE_SIZE));
        if (after == null) {
            variables.putNull("after");
        } else {
            variables.put("after", after);
        }
        variables.put("query", updatedAtSearch(request.changedSince(), null));
        String description = "Shopify GraphQL list inventory levels";
        GraphqlAnswer answer = graphql(
                "query LevelsSince($location: ID!, $first: Int!, $after: String, $query: String!) {"
                        + " location(id: $location) { inventoryLevels(first: $first, after: $after, query: $query) {"
                        + " pageInfo { hasNextPage endCursor } nodes { " + LEVEL_FIELDS + " } } } }",
                variables,
                description);
        JsonNode page = answer.data().path("location").path("inventoryLevels");
        List<ChangedEntity> entities = new ArrayList<>();
        for (JsonNode node : page.path("nodes")) {
            ObjectNode level = ShopifyGraphqlShapes.levelPayload(node, locations.get(0), description);
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
        Optional<String> next;
        JsonNode pageInfo = page.path("pageInfo");
        if (pageInfo.path("hasNextPage").asBoolean(false)) {
            next = Optional.of(String.join(",", locations) + " "
                    + pageInfo.path("endCursor").asText());
        } else if (locations.size() > 1) {
            next = Optional.of(String.join(",", locations.subList(1, locations.size())) + " ");
        } else {
            next = Optional.empty();
        }
        return new ApiResponse<>(new ChangedPage(entities, next, Optional.empty()), answer.quota());
    }

    /** {@code inventoryItem(id:) { inventoryLevel(locationId:) }}: one level, or empty when either is unknown. */
    private ApiResponse<Optional<JsonNode>> getInventoryLevel(String id) throws PlatformApiException {
        String[] itemAtLocation = id.split("@", 2);
        if (itemAtLocation.length != 2
                || !itemAtLocation[0].matches(NUMERIC_ID)
                || !itemAtLocation[1].matches(NUMERIC_ID)) {
            throw new IllegalArgumentException("inventory level ids are <inventory_item_id>@<location_id>: " + id);
        }
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.put("item", ShopifyWriteClient.gid("InventoryItem", itemAtLocation[0]));
        variables.put("location", ShopifyWriteClient.gid("Location", itemAtLocation[1]));
        String description = "Shopify GraphQL get INVENTORY_LEVEL";
        GraphqlAnswer answer = graphql(
                "query Level($item: ID!, $location: ID!) { inventoryItem(id: $item) {"
                        + " inventoryLevel(locationId: $location) { " + LEVEL_FIELDS + " } } }",
                variables,
                description);
        JsonNode level = answer.data().path("inventoryItem").path("inventoryLevel");
        return new ApiResponse<>(
                level.isObject()
                        ? Optional.of(ShopifyGraphqlShapes.levelPayload(level, itemAtLocation[1], description))
                        : Optional.empty(),
                answer.quota());
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
                authorized(http.request(admin("graphql.json")))
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

    /**
     * One entity by id through GraphQL ({@code order(id:)}, {@code product(id:)}, {@code customer(id:)}, {@code
     * refund(id:)}, {@code fulfillment(id:)}, {@code inventoryItem(id:) { inventoryLevel(locationId:) }}), its nested
     * connections paged to the end, converted to the REST/webhook shape by {@link ShopifyGraphqlShapes}; an unknown id
     * is empty (GraphQL answers {@code null}). An order's refunds and fulfillments are each fetched by their own query.
     * Refunds and fulfillments are global ids in GraphQL: {@code parentId} (their order) is checked against the answer.
     */
    @Override
    public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId)
            throws PlatformApiException {
        return switch (entityType) {
            case ORDER -> getOrder(id);
            case PRODUCT -> fetch(ShopifyGraphqlShapes.PRODUCT, id, ShopifyGraphqlShapes::product);
            case CUSTOMER -> fetch(ShopifyGraphqlShapes.CUSTOMER, id, ShopifyGraphqlShapes::customer);
            case REFUND ->
                ofOrder(
                        fetch(ShopifyGraphqlShapes.REFUND, id, ShopifyGraphqlShapes::refund),
                        requireParent(parentId, entityType));
            case SHIPMENT ->
                ofOrder(
                        fetch(ShopifyGraphqlShapes.FULFILLMENT, id, ShopifyGraphqlShapes::fulfillment),
                        requireParent(parentId, entityType));
            case INVENTORY_LEVEL -> getInventoryLevel(id);
            default -> throw new IllegalArgumentException("unsupported entity type " + entityType);
        };
    }

    /** A refund or fulfillment of another order than the one named is not the one asked for (REST answered 404). */
    private static ApiResponse<Optional<JsonNode>> ofOrder(ApiResponse<Optional<JsonNode>> found, String orderId) {
        return new ApiResponse<>(
                found.value().filter(e -> e.path("order_id").asText().equals(orderId)), found.quota());
    }

    /** A GraphQL answer converted to the REST shape. */
    @FunctionalInterface
    private interface Conversion {
        ObjectNode convert(JsonNode node, String description) throws PlatformApiException;
    }

    /** The order, then each of its refunds and fulfillments by its own query (see the class doc). */
    private ApiResponse<Optional<JsonNode>> getOrder(String id) throws PlatformApiException {
        String description = "Shopify GraphQL get ORDER";
        Fetched order = fetchNode(ShopifyGraphqlShapes.ORDER, id, description);
        if (order.node().isEmpty()) {
            return new ApiResponse<>(Optional.empty(), order.quota());
        }
        Optional<QuotaStatus> quota = order.quota();
        List<ObjectNode> refunds = new ArrayList<>();
        for (String refundId : ShopifyGraphqlShapes.childIds(order.node().get(), "refunds")) {
            ApiResponse<Optional<JsonNode>> refund =
                    fetch(ShopifyGraphqlShapes.REFUND, refundId, ShopifyGraphqlShapes::refund);
            quota = refund.quota().or(() -> order.quota());
            refund.value().ifPresent(r -> refunds.add((ObjectNode) r));
        }
        List<ObjectNode> fulfillments = new ArrayList<>();
        for (String fulfillmentId : ShopifyGraphqlShapes.childIds(order.node().get(), "fulfillments")) {
            ApiResponse<Optional<JsonNode>> fulfillment =
                    fetch(ShopifyGraphqlShapes.FULFILLMENT, fulfillmentId, ShopifyGraphqlShapes::fulfillment);
            quota = fulfillment.quota().or(() -> order.quota());
            fulfillment.value().ifPresent(f -> fulfillments.add((ObjectNode) f));
        }
        return new ApiResponse<>(
                Optional.of(ShopifyGraphqlShapes.order(order.node().get(), refunds, fulfillments, description)), quota);
    }

    private ApiResponse<Optional<JsonNode>> fetch(
            ShopifyGraphqlShapes.EntityQuery query, String id, Conversion conversion) throws PlatformApiException {
        String description = "Shopify GraphQL get " + query.root();
        Fetched fetched = fetchNode(query, id, description);
        if (fetched.node().isEmpty()) {
            return new ApiResponse<>(Optional.empty(), fetched.quota());
        }
        return new ApiResponse<>(Optional.of(conversion.convert(fetched.node().get(), description)), fetched.quota());
    }

    /** A node as fetched, its connections complete, and the budget the last query reported. */
    private record Fetched(Optional<JsonNode> node, Optional<QuotaStatus> quota) {}

    /**
     * The query's node for the id, with every nested connection's later pages appended (one query per further page,
     * {@link ShopifyGraphqlShapes.EntityQuery#nextPageQuery}); empty when the id is unknown.
     */
    private Fetched fetchNode(ShopifyGraphqlShapes.EntityQuery query, String id, String description)
            throws PlatformApiException {
        if (!id.matches(ShopifyGraphqlShapes.NUMERIC_ID)) {
            throw new IllegalArgumentException("Shopify ids are numbers: " + id);
        }
        ObjectNode variables = Json.MAPPER.createObjectNode().put("id", ShopifyWriteClient.gid(query.gidType(), id));
        GraphqlAnswer answer = graphql(query.query(), variables, description);
        Optional<QuotaStatus> quota = answer.quota();
        JsonNode node = answer.data().path(query.root());
        if (!node.isObject()) {
            return new Fetched(Optional.empty(), quota);
        }
        ObjectNode complete = node.deepCopy();
        for (ShopifyGraphqlShapes.Connection connection : query.connections()) {
            JsonNode page = complete.path(connection.field());
            ArrayNode nodes = page.path("nodes") instanceof ArrayNode array ? array : null;
            if (nodes == null) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER, 200, description + " returned no " + connection.field());
            }
            while (page.path("pageInfo").path("hasNextPage").asBoolean(false)) {
                ObjectNode more = variables
                        .deepCopy()
                        .put("after", page.path("pageInfo").path("endCursor").asText());
                GraphqlAnswer next = graphql(query.nextPageQuery(connection), more, description);
                quota = next.quota().or(() -> answer.quota());
                page = next.data().path(query.root()).path(connection.field());
                if (!page.path("nodes").isArray()) {
                    throw new PlatformApiException(
                            PlatformApiException.Kind.SERVER, 200, description + " returned no " + connection.field());
                }
                page.path("nodes").forEach(nodes::add);
            }
        }
        return new Fetched(Optional.of(complete), quota);
    }

    /**
     * {@code currentAppInstallation { accessScopes { handle } }}: the scopes this token holds, as {@code
     * access_scopes[].handle} (the shape of REST's {@code GET /admin/oauth/access_scopes.json}, which it replaces).
     */
    JsonNode accessScopes() throws PlatformApiException {
        GraphqlAnswer answer = graphql(
                "query AccessScopes { currentAppInstallation { accessScopes { handle } } }",
                Json.MAPPER.createObjectNode(),
                "Shopify GraphQL access scopes");
        ObjectNode scopes = Json.MAPPER.createObjectNode();
        ArrayNode handles = scopes.putArray("access_scopes");
        for (JsonNode scope : answer.data().path("currentAppInstallation").path("accessScopes")) {
            handles.addObject().set("handle", scope.path("handle"));
        }
        return scopes;
    }

    private static final String SUBSCRIPTION_FIELDS = "id topic uri";

    @Override
    public ApiResponse<List<WebhookSubscription>> listWebhooks() throws PlatformApiException {
        String description = "Shopify GraphQL list webhook subscriptions";
        List<WebhookSubscription> result = new ArrayList<>();
        Optional<QuotaStatus> quota;
        String after = null;
        do {
            ObjectNode variables = Json.MAPPER.createObjectNode().put("first", MAX_PAGE_SIZE);
            if (after == null) {
                variables.putNull("after");
            } else {
                variables.put("after", after);
            }
            GraphqlAnswer answer = graphql(
                    "query Subscriptions($first: Int!, $after: String) { webhookSubscriptions(first: $first,"
                            + " after: $after) { pageInfo { hasNextPage endCursor } nodes { " + SUBSCRIPTION_FIELDS
                            + " } } }",
                    variables,
                    description);
            quota = answer.quota();
            JsonNode page = answer.data().path("webhookSubscriptions");
            if (!page.isObject()) {
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER, 200, description + " returned no data");
            }
            for (JsonNode node : page.path("nodes")) {
                result.add(subscription(node));
            }
            JsonNode pageInfo = page.path("pageInfo");
            after = pageInfo.path("hasNextPage").asBoolean(false)
                    ? pageInfo.path("endCursor").asText()
                    : null;
        } while (after != null);
        return new ApiResponse<>(result, quota);
    }

    @Override
    public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret)
            throws PlatformApiException {
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.put("topic", graphqlTopic(topic));
        variables
                .putObject("webhookSubscription")
                .put("uri", address.toString())
                .put("format", "JSON");
        String description = "Shopify register webhook " + topic;
        GraphqlAnswer answer = graphql(
                "mutation SubscriptionCreate($topic: WebhookSubscriptionTopic!,"
                        + " $webhookSubscription: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic,"
                        + " webhookSubscription: $webhookSubscription) { webhookSubscription { " + SUBSCRIPTION_FIELDS
                        + " } userErrors { field message } } }",
                variables,
                description);
        JsonNode payload = answer.data().path("webhookSubscriptionCreate");
        throwIfUserErrors(payload, description);
        if (!payload.path("webhookSubscription").isObject()) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.SERVER, 200, description + " returned no subscription");
        }
        return new ApiResponse<>(subscription(payload.path("webhookSubscription")), answer.quota());
    }

    /** Deleting a subscription that is already gone succeeds, as REST's 404 did: the subscription is absent. */
    @Override
    public ApiResponse<Void> deleteWebhook(String subscriptionId) throws PlatformApiException {
        ObjectNode variables =
                Json.MAPPER.createObjectNode().put("id", ShopifyWriteClient.gid("WebhookSubscription", subscriptionId));
        GraphqlAnswer answer = graphql(
                "mutation SubscriptionDelete($id: ID!) { webhookSubscriptionDelete(id: $id) {"
                        + " deletedWebhookSubscriptionId userErrors { field message } } }",
                variables,
                "Shopify delete webhook");
        return new ApiResponse<>(null, answer.quota());
    }

    /** A mutation's {@code userErrors}, as a CLIENT failure naming their messages (Shopify's, with no secrets). */
    private static void throwIfUserErrors(JsonNode payload, String description) throws PlatformApiException {
        JsonNode errors = payload.path("userErrors");
        if (errors.isArray() && !errors.isEmpty()) {
            List<String> messages = new ArrayList<>();
            errors.forEach(e -> messages.add(e.path("message").asText()));
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 200, description + " failed: " + String.join("; ", messages));
        }
    }

    private static WebhookSubscription subscription(JsonNode node) {
        // Shopify deletes failing subscriptions instead of disabling them: a listed one is active.
        return new WebhookSubscription(
                node.path("id").asText(),
                restTopic(node.path("topic").asText()),
                URI.create(node.path("uri").asText()),
                true);
    }

    /** The GraphQL {@code WebhookSubscriptionTopic} of a REST topic: {@code orders/create} → {@code ORDERS_CREATE}. */
    static String graphqlTopic(String topic) {
        return topic.toUpperCase(Locale.ROOT).replace('/', '_');
    }

    /**
     * The REST topic of a {@code WebhookSubscriptionTopic}, for the topics this adapter knows ({@code
     * INVENTORY_LEVELS_UPDATE} → {@code inventory_levels/update}: the enum does not show where the slash was); another
     * topic stays as its enum value, which matches none of the topics subscribed here.
     */
    static String restTopic(String graphqlTopic) {
        return KNOWN_TOPICS.getOrDefault(graphqlTopic, graphqlTopic);
    }

    private static final Map<String, String> KNOWN_TOPICS = knownTopics();

    private static Map<String, String> knownTopics() {
        Map<String, String> topics = new HashMap<>();
        Set<String> rest = new TreeSet<>(ShopifyAdapter.ROUTES.keySet());
        rest.add(ShopifyInstallFlow.UNINSTALL_TOPIC);
        rest.addAll(ShopifyPrivacyRequests.topics());
        rest.forEach(topic -> topics.put(graphqlTopic(topic), topic));
        return Map.copyOf(topics);
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
}
