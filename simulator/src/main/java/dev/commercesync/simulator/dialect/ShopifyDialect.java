package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.Customer;
import dev.commercesync.simulator.model.IdKind;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderLine;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.Refund;
import dev.commercesync.simulator.model.Shipment;
import dev.commercesync.simulator.model.SimEntity;
import dev.commercesync.simulator.model.StoreState;
import dev.commercesync.simulator.webhooks.DeliveryPolicy;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shopify: GraphQL Admin listing of changed orders, products and customers ({@code updated_at:>=} search, cursor
 * pagination, calculated query cost against a leaky bucket of 2,000 points restored at 100/s, THROTTLED answers with
 * HTTP 200), inventory levels (listed per location, fetched through their item), webhook subscriptions, and orders,
 * products, customers, refunds and fulfillments by id ({@link ShopifyGraphqlReads}); the legacy REST Admin get-by-id
 * of those, in the webhooks' shape (leaky bucket of 40 requests leaking 2/s, {@code
 * X-Shopify-Shop-Api-Call-Limit}, 429 with {@code Retry-After: 2.0}); webhooks with the REST shape, signed with
 * {@code X-Shopify-Hmac-Sha256}. Ids are above 2^53 so that any client rounding them is caught.
 */
public final class ShopifyDialect implements PlatformDialect {
    static final String API_VERSION = "2026-01";
    private static final long ID_BASE = 9_007_199_254_800_000L; // above 2^53
    private static final int MAX_PAGE = 250;
    private static final Pattern API_PATH = Pattern.compile("/admin/api/[0-9]{4}-[0-9]{2}/(.+)");
    private static final Pattern API_VERSION_IN_PATH = Pattern.compile("/admin/api/([0-9]{4}-[0-9]{2})/");
    private static final Pattern CONNECTION = Pattern.compile("\\b(orders|products|customers)\\s*\\(");
    private static final Pattern COUNT = Pattern.compile("\\b(orders|products|customers)Count\\s*\\(");
    private static final Pattern UPDATED_SINCE = Pattern.compile("updated_at:>=\\s*'?([^'\\s]+)'?");
    private static final Pattern UPDATED_BEFORE = Pattern.compile("updated_at:<\\s*'?([^'\\s]+)'?");
    /** An order node's {@code refunds { legacyResourceId createdAt }} list field. */
    private static final Pattern REFUNDS_FIELD = Pattern.compile("\\brefunds\\s*\\{");
    /** An order node's {@code fulfillments { legacyResourceId updatedAt }} list field (optionally with arguments). */
    private static final Pattern FULFILLMENTS_FIELD = Pattern.compile("\\bfulfillments\\s*(\\([^)]*\\))?\\s*\\{");

    private static final Pattern SUBSCRIPTIONS = Pattern.compile("\\bwebhookSubscriptions\\s*\\(");
    private static final Pattern SUBSCRIPTION_CREATE = Pattern.compile("\\bwebhookSubscriptionCreate\\s*\\(");
    private static final Pattern SUBSCRIPTION_DELETE = Pattern.compile("\\bwebhookSubscriptionDelete\\s*\\(");
    private static final Pattern LOCATIONS = Pattern.compile("\\blocations\\s*\\(");
    private static final Pattern LOCATION = Pattern.compile("\\blocation\\s*\\(");
    private static final Pattern INVENTORY_LEVELS = Pattern.compile("\\binventoryLevels\\s*\\(");
    /** An inventory level's {@code item { … }} field. */
    private static final Pattern ITEM_FIELD = Pattern.compile("\\bitem\\s*\\{");

    @Override
    public String platform() {
        return "shopify";
    }

    @Override
    public long firstId(IdKind kind) {
        return switch (kind) {
            case ORDER_NUMBER -> 1001;
            case LOCATION -> 24_826_418;
            default -> ID_BASE + (long) kind.ordinal() * 10_000_000L;
        };
    }

    @Override
    public String storeId(String storeKey, URI baseUrl) {
        return storeKey + ".myshopify.com";
    }

    @Override
    public ApiCredentials credentials(String storeKey) {
        return new ApiCredentials.AccessToken(Payloads.tokenFor("shpat_", storeKey));
    }

    /** A mutation spends {@link ShopifyWrites#MUTATION_COST} points of the GraphQL bucket. */
    @Override
    public WriteCost writeCost() {
        return new WriteCost("graphql", ShopifyWrites.MUTATION_COST);
    }

    @Override
    public Map<String, ApiBudget> budgets(TimeMeter time, boolean enforced) {
        int scale = enforced ? 1 : 1_000_000;
        return Map.of(
                "graphql", ApiBudget.refilling(2000L * scale, 100L * scale, time),
                "rest", ApiBudget.refilling(40L * scale, 2L * scale, time));
    }

    /** Shopify retries 8 times over 4 hours; here over about 2 minutes. */
    @Override
    public DeliveryPolicy deliveryPolicy() {
        return new DeliveryPolicy(8, Duration.ofSeconds(1), 0);
    }

    @Override
    public Set<String> topics() {
        return Set.of(
                "orders/create",
                "orders/updated",
                "products/create",
                "products/update",
                "customers/create",
                "customers/update",
                "refunds/create",
                "fulfillments/create",
                "fulfillments/update",
                "inventory_levels/update");
    }

    @Override
    public boolean authorized(ApiRequest request, StoreContext store) {
        return request.header("X-Shopify-Access-Token")
                .map(credentialsText(store.credentials())::equals)
                .orElse(false);
    }

    // ---- the app install: OAuth authorization-code grant, access scopes, app/uninstalled ----

    static final String UNINSTALL_TOPIC = "app/uninstalled";

    /**
     * {@code GET /admin/oauth/authorize?client_id&scope&redirect_uri&state}: the merchant approves at once; the
     * browser is sent to {@code redirect_uri} with {@code code, hmac, host, shop, state, timestamp}, {@code hmac} the
     * hex HMAC-SHA256 with the app's client secret (the store's webhook secret) of the other parameters sorted and
     * joined with {@code &}. {@code POST /admin/oauth/access_token} (form or JSON {@code client_id, client_secret,
     * code}) answers {@code {"access_token", "scope"}} once per code.
     */
    @Override
    public ApiAnswer appInstall(ApiRequest request, StoreContext store) {
        if (request.path().equals("/admin/oauth/authorize") && request.method().equals("GET")) {
            String clientId = request.param("client_id").orElse("");
            String redirect = request.param("redirect_uri").orElse("");
            String state = request.param("state").orElse("");
            if (clientId.isEmpty() || redirect.isEmpty() || state.isEmpty()) {
                return Payloads.error(
                        400, "errors", "Oauth error invalid_request: missing client_id, redirect_uri or state");
            }
            Set<String> scopes = new TreeSet<>();
            for (String scope : request.param("scope").orElse("").split(",")) {
                if (!scope.isBlank()) {
                    scopes.add(scope.trim());
                }
            }
            Map<String, String> query = new TreeMap<>();
            query.put("code", store.appInstalls().issue(clientId, scopes));
            query.put(
                    "host",
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(
                                    ("admin.shopify.com/store/" + store.storeKey()).getBytes(StandardCharsets.UTF_8)));
            query.put("shop", store.storeId());
            query.put("state", state);
            query.put("timestamp", Long.toString(store.clock().instant().getEpochSecond()));
            String signed = query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining("&"));
            query.put(
                    "hmac",
                    HexFormat.of()
                            .formatHex(HmacSignatures.hmacSha256(
                                    store.webhookSecret(), signed.getBytes(StandardCharsets.UTF_8))));
            String location = redirect
                    + (redirect.contains("?") ? "&" : "?")
                    + query.entrySet().stream()
                            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(java.util.stream.Collectors.joining("&"));
            return ApiAnswer.empty(302).withHeader("Location", location);
        }
        if (request.path().equals("/admin/oauth/access_token")
                && request.method().equals("POST")) {
            Map<String, String> form;
            String body = new String(request.body(), StandardCharsets.UTF_8);
            if (body.stripLeading().startsWith("{")) {
                try {
                    form = Json.MAPPER.convertValue(
                            Json.MAPPER.readTree(body),
                            new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
                } catch (IOException | IllegalArgumentException e) {
                    return Payloads.error(400, "errors", "Bad Request");
                }
            } else {
                form = ApiRequest.parseQuery(body);
            }
            boolean secretMatches = java.security.MessageDigest.isEqual(
                    form.getOrDefault("client_secret", "").getBytes(StandardCharsets.UTF_8),
                    store.webhookSecret().bytes());
            Optional<AppInstalls.IssuedCode> issued = secretMatches
                    ? store.appInstalls().redeem(form.get("code")).filter(code -> code.clientId()
                            .equals(form.get("client_id")))
                    : Optional.empty();
            if (issued.isEmpty()) {
                ObjectNode error = Payloads.object();
                error.put("error", "invalid_request");
                error.put("error_description", "The authorization code was not found or was already used");
                return ApiAnswer.json(400, error);
            }
            ObjectNode token = Payloads.object();
            token.put("access_token", credentialsText(store.credentials()));
            token.put("scope", String.join(",", issued.get().scopes()));
            return ApiAnswer.json(200, token);
        }
        return null;
    }

    /** {@code app/uninstalled}: the shop object, as Shopify's example payload of the topic. */
    @Override
    public List<WebhookMessage> uninstallWebhooks(StoreContext store) {
        ObjectNode shop = Payloads.object();
        shop.put("id", 548380009L);
        shop.put("name", store.storeKey());
        shop.put("domain", store.storeId());
        shop.put("myshopify_domain", store.storeId());
        Instant now = store.clock().instant();
        return List.of(new WebhookMessage(
                UNINSTALL_TOPIC,
                Payloads.bytes(shop),
                Payloads.uuid("shopify/" + store.storeId() + "/uninstalled/" + now.toEpochMilli()),
                now,
                null,
                store.storeId()));
    }

    @Override
    public boolean offersTopic(String topic) {
        return UNINSTALL_TOPIC.equals(topic) || PlatformDialect.super.offersTopic(topic);
    }

    /**
     * Requests on an Admin API version older than this are answered with {@code X-Shopify-API-Deprecated-Reason}, as
     * Shopify flags calls using what a later release removed (here: 2026-04 dropped {@code compareQuantity}).
     */
    static final String OLDEST_UNDEPRECATED_VERSION = "2026-04";

    static final String DEPRECATED_REASON_HEADER = "X-Shopify-API-Deprecated-Reason";

    @Override
    public ApiAnswer handle(ApiRequest request, StoreContext store) {
        ApiAnswer answer = answer(request, store);
        Matcher version = API_VERSION_IN_PATH.matcher(request.path());
        if (version.lookingAt() && version.group(1).compareTo(OLDEST_UNDEPRECATED_VERSION) < 0) {
            return answer.withHeader(
                    DEPRECATED_REASON_HEADER,
                    "API version " + version.group(1) + " is deprecated; upgrade to " + OLDEST_UNDEPRECATED_VERSION
                            + " or later (https://shopify.dev/docs/api/usage/versioning)");
        }
        return answer;
    }

    private ApiAnswer answer(ApiRequest request, StoreContext store) {
        if (request.path().equals("/admin/oauth/access_scopes.json")
                && request.method().equals("GET")) {
            ObjectNode root = Payloads.object();
            ArrayNode scopes = root.putArray("access_scopes");
            store.appInstalls().grantedScopes().forEach(scope -> scopes.addObject()
                    .put("handle", scope));
            return ApiAnswer.json(200, root);
        }
        Matcher path = API_PATH.matcher(request.path());
        if (!path.matches()) {
            return Payloads.error(404, "errors", "Not Found");
        }
        String resource = path.group(1);
        if (resource.equals("graphql.json") && request.method().equals("POST")) {
            return graphql(request, store);
        }
        ApiBudget.Outcome budget = store.budget("rest").consume(1);
        if (!budget.granted()) {
            store.stats().apiRateLimited();
            return restThrottled(budget);
        }
        ApiAnswer answer = rest(request, resource, store);
        return answer.withHeader(
                "X-Shopify-Shop-Api-Call-Limit", (budget.capacity() - budget.remaining()) + "/" + budget.capacity());
    }

    /** GraphQL mutations, but for webhook subscriptions': those are not writes to the store's entities. */
    @Override
    public boolean isWrite(ApiRequest request) {
        if (!request.method().equals("POST") || !request.path().endsWith("/graphql.json")) {
            return false;
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        return ShopifyWrites.isMutation(body)
                && !SUBSCRIPTION_CREATE.matcher(body).find()
                && !SUBSCRIPTION_DELETE.matcher(body).find();
    }

    @Override
    public ApiAnswer rateLimited(ApiRequest request, StoreContext store) {
        if (request.path().endsWith("/graphql.json")) {
            // another app spent the bucket: nothing is left for the request's cost
            ApiBudget graphql = store.budget("graphql");
            long requested = isWrite(request) ? ShopifyWrites.MUTATION_COST : 1;
            return throttled(requested, graphql, 0);
        }
        ApiBudget rest = store.budget("rest");
        return restThrottled(new ApiBudget.Outcome(false, 0, rest.capacity(), Duration.ofSeconds(2), Duration.ZERO));
    }

    private static ApiAnswer restThrottled(ApiBudget.Outcome budget) {
        return Payloads.error(
                        429,
                        "errors",
                        "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted"
                                + " service.")
                .withHeader("Retry-After", "2.0")
                .withHeader("X-Shopify-Shop-Api-Call-Limit", budget.capacity() + "/" + budget.capacity());
    }

    // ---- GraphQL Admin: changed-since listing ----

    private ApiAnswer graphql(ApiRequest request, StoreContext store) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(request.body());
        } catch (IOException e) {
            return Payloads.error(400, "errors", "Bad Request");
        }
        String query = body.path("query").asText("");
        JsonNode variables = body.path("variables");
        Matcher subscriptionCreate = SUBSCRIPTION_CREATE.matcher(query);
        if (subscriptionCreate.find()) {
            return subscriptionCreate(query, subscriptionCreate.end(), variables, store);
        }
        Matcher subscriptionDelete = SUBSCRIPTION_DELETE.matcher(query);
        if (subscriptionDelete.find()) {
            return subscriptionDelete(query, subscriptionDelete.end(), variables, store);
        }
        if (SUBSCRIPTIONS.matcher(query).find()) {
            return subscriptions(variables, store);
        }
        if (LOCATION.matcher(query).find() && INVENTORY_LEVELS.matcher(query).find()) {
            return locationLevels(query, variables, store);
        }
        if (LOCATIONS.matcher(query).find()) {
            return locations(store);
        }
        if (ShopifyWrites.isMutation(query)) {
            return ShopifyWrites.mutation(request, query, variables, store);
        }
        Optional<ApiAnswer> read = ShopifyGraphqlReads.answer(query, variables, store, entity -> render(entity, store));
        if (read.isPresent()) {
            return read.get();
        }
        Optional<ApiAnswer> lookup = ShopifyWrites.lookup(query, variables, store);
        if (lookup.isPresent()) {
            return lookup.get();
        }
        Matcher count = COUNT.matcher(query);
        if (count.find()) {
            return graphqlCount(count.group(1), variables, store);
        }
        Matcher connection = CONNECTION.matcher(query);
        if (!connection.find()) {
            return graphqlError("the simulator serves only orders, products and customers connections");
        }
        int first = variables.path("first").asInt(0);
        if (first < 1 || first > MAX_PAGE) {
            return graphqlError("first must be between 1 and " + MAX_PAGE);
        }
        EntityType type =
                switch (connection.group(1)) {
                    case "orders" -> EntityType.ORDER;
                    case "products" -> EntityType.PRODUCT;
                    default -> EntityType.CUSTOMER;
                };
        Optional<Instant[]> range = searchRange(variables.path("query").asText(""));
        if (range.isEmpty()) {
            return graphqlError("invalid updated_at in query");
        }
        boolean withRefunds =
                type == EntityType.ORDER && REFUNDS_FIELD.matcher(query).find();
        boolean withFulfillments =
                type == EntityType.ORDER && FULFILLMENTS_FIELD.matcher(query).find();
        // Cost as Shopify calculates it: the connection (2) plus one object per requested node (and per node's
        // nested refunds and fulfillments lists, when asked).
        long perNode = 1L + (withRefunds ? 1 : 0) + (withFulfillments ? 1 : 0);
        long requested = 2L + perNode * first;
        ApiBudget bucket = store.budget("graphql");
        ApiBudget.Outcome outcome = bucket.consume(requested);
        if (!outcome.granted()) {
            store.stats().apiRateLimited();
            return throttled(requested, bucket);
        }
        List<SimEntity> changed = store.state().changedBetween(type, range.get()[0], range.get()[1]);
        int start = 0;
        JsonNode after = variables.path("after");
        if (after.isTextual()) {
            Optional<Cursor> cursor = Cursor.decode(after.asText());
            if (cursor.isEmpty()) {
                bucket.refund(requested);
                return graphqlError("Invalid cursor for current pagination sort.");
            }
            while (start < changed.size() && !cursor.get().isBefore(changed.get(start))) {
                start++;
            }
        }
        List<SimEntity> page = changed.subList(start, Math.min(changed.size(), start + first));
        ObjectNode root = Payloads.object();
        ObjectNode connectionNode = root.putObject("data").putObject(connection.group(1));
        ArrayNode nodes = connectionNode.putArray("nodes");
        for (SimEntity entity : page) {
            ObjectNode node = nodes.addObject();
            node.put("legacyResourceId", entity.id());
            node.put("updatedAt", entity.updatedAt().toString());
            if (withRefunds) {
                ArrayNode refunds = node.putArray("refunds");
                for (Refund refund : store.state().refundsOf(entity.id())) {
                    refunds.addObject()
                            .put("legacyResourceId", refund.id())
                            .put("createdAt", refund.createdAt().toString());
                }
            }
            if (withFulfillments) {
                ArrayNode fulfillments = node.putArray("fulfillments");
                for (Shipment shipment : store.state().shipmentsOf(entity.id())) {
                    fulfillments
                            .addObject()
                            .put("legacyResourceId", shipment.id())
                            .put("createdAt", shipment.createdAt().toString())
                            .put("updatedAt", shipment.updatedAt().toString());
                }
            }
        }
        ObjectNode pageInfo = connectionNode.putObject("pageInfo");
        pageInfo.put("hasNextPage", start + page.size() < changed.size());
        pageInfo.put("hasPreviousPage", start > 0);
        if (page.isEmpty()) {
            pageInfo.putNull("startCursor");
            pageInfo.putNull("endCursor");
        } else {
            pageInfo.put("startCursor", Cursor.of(page.get(0)).encode());
            pageInfo.put("endCursor", Cursor.of(page.get(page.size() - 1)).encode());
        }
        long actual = 2L + perNode * page.size();
        bucket.refund(requested - actual);
        cost(root, requested, actual, bucket);
        return ApiAnswer.json(200, root);
    }

    /** {@code updated_at:>='…'} and {@code updated_at:<'…'} of a search: [since, before), before null when absent. */
    private static Optional<Instant[]> searchRange(String search) {
        try {
            Matcher since = UPDATED_SINCE.matcher(search);
            Matcher before = UPDATED_BEFORE.matcher(search);
            return Optional.of(new Instant[] {
                since.find() ? Instant.parse(since.group(1)) : Instant.EPOCH,
                before.find() ? Instant.parse(before.group(1)) : null
            });
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code ordersCount(query:, limit: null)}: an exact count at the cost of one object. */
    private ApiAnswer graphqlCount(String connection, JsonNode variables, StoreContext store) {
        EntityType type =
                switch (connection) {
                    case "orders" -> EntityType.ORDER;
                    case "products" -> EntityType.PRODUCT;
                    default -> EntityType.CUSTOMER;
                };
        Optional<Instant[]> range = searchRange(variables.path("query").asText(""));
        if (range.isEmpty()) {
            return graphqlError("invalid updated_at in query");
        }
        ApiBudget bucket = store.budget("graphql");
        if (!bucket.consume(1).granted()) {
            store.stats().apiRateLimited();
            return throttled(1, bucket);
        }
        ObjectNode root = Payloads.object();
        ObjectNode count = root.putObject("data").putObject(connection + "Count");
        count.put(
                "count",
                store.state()
                        .changedBetween(type, range.get()[0], range.get()[1])
                        .size());
        count.put("precision", "EXACT");
        cost(root, 1, 1L, bucket);
        return ApiAnswer.json(200, root);
    }

    /** Shopify's cursors are base64 of the last row's sort value and id; so are these (keyset pagination). */
    private record Cursor(Instant lastValue, String lastId) {
        static Cursor of(SimEntity entity) {
            return new Cursor(entity.updatedAt(), entity.id());
        }

        String encode() {
            ObjectNode json = Payloads.object();
            if (!lastId.isEmpty() && lastId.chars().allMatch(Character::isDigit)) {
                json.put("last_id", Long.parseLong(lastId));
            } else {
                json.put("last_id", lastId); // an inventory level's id: <item>@<location>
            }
            json.put("last_value", lastValue.toString());
            return Base64.getEncoder().encodeToString(Payloads.bytes(json));
        }

        static Optional<Cursor> decode(String text) {
            try {
                JsonNode json = Json.MAPPER.readTree(Base64.getDecoder().decode(text));
                return Optional.of(new Cursor(
                        Instant.parse(json.path("last_value").asText()),
                        json.path("last_id").asText()));
            } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                return Optional.empty();
            }
        }

        /** Whether the entity sorts after this cursor's row. */
        boolean isBefore(SimEntity entity) {
            int byTime = lastValue.compareTo(entity.updatedAt());
            return byTime < 0 || (byTime == 0 && StoreState.compareIds(lastId, entity.id()) < 0);
        }
    }

    static ApiAnswer throttled(long requested, ApiBudget bucket) {
        return throttled(requested, bucket, bucket.available());
    }

    /** A THROTTLED answer whose throttle status shows {@code available} points left. */
    static ApiAnswer throttled(long requested, ApiBudget bucket, double available) {
        ObjectNode root = Payloads.object();
        ObjectNode error = root.putArray("errors").addObject();
        error.put("message", "Throttled");
        ObjectNode extensions = error.putObject("extensions");
        extensions.put("code", "THROTTLED");
        extensions.put("documentation", "https://shopify.dev/api/usage/rate-limits");
        cost(root, requested, null, bucket);
        ((ObjectNode) root.path("extensions").path("cost").path("throttleStatus")).put("currentlyAvailable", available);
        return ApiAnswer.json(200, root);
    }

    static void cost(ObjectNode root, long requested, Long actual, ApiBudget bucket) {
        ObjectNode cost = root.putObject("extensions").putObject("cost");
        cost.put("requestedQueryCost", requested);
        if (actual == null) {
            cost.putNull("actualQueryCost");
        } else {
            cost.put("actualQueryCost", actual);
        }
        ObjectNode status = cost.putObject("throttleStatus");
        status.put("maximumAvailable", (double) bucket.capacity());
        status.put("currentlyAvailable", bucket.available());
        status.put("restoreRate", bucket.refillPerSecond());
    }

    static ApiAnswer graphqlError(String message) {
        ObjectNode root = Payloads.object();
        root.putArray("errors").addObject().put("message", message);
        return ApiAnswer.json(200, root);
    }

    // ---- GraphQL Admin: locations, inventory levels, webhook subscriptions ----

    /** Points of a listed inventory level: the level, its {@code item} and its {@code quantities}. */
    private static final long LEVEL_COST = 3;

    /** {@code locations(first:) { nodes { legacyResourceId } }}: the store's one location. */
    private ApiAnswer locations(StoreContext store) {
        ApiBudget bucket = store.budget("graphql");
        long requested = 2L + MAX_PAGE;
        if (!bucket.consume(requested).granted()) {
            store.stats().apiRateLimited();
            return throttled(requested, bucket);
        }
        ObjectNode root = Payloads.object();
        ObjectNode location =
                root.putObject("data").putObject("locations").putArray("nodes").addObject();
        String id = Long.toString(firstId(IdKind.LOCATION));
        location.put("id", gid("Location", id));
        location.put("legacyResourceId", id);
        location.put("name", "Main warehouse");
        location.put("isActive", true);
        bucket.refund(requested - 3);
        cost(root, requested, 3L, bucket);
        return ApiAnswer.json(200, root);
    }

    /**
     * {@code location(id:) { inventoryLevels(first:, after:, query: "updated_at:>='…'") { pageInfo nodes { id
     * updatedAt quantities(names:) { name quantity } item { legacyResourceId tracked } } } }}: by updated-at, then id,
     * keyset cursors; costs 1 + 2 + 3 a level (refunded down to the levels returned). An unknown location is null.
     */
    private ApiAnswer locationLevels(String query, JsonNode variables, StoreContext store) {
        int first = variables.path("first").asInt(0);
        if (first < 1 || first > MAX_PAGE) {
            return graphqlError("first must be between 1 and " + MAX_PAGE);
        }
        Optional<Instant[]> range = searchRange(variables.path("query").asText(""));
        if (range.isEmpty()) {
            return graphqlError("invalid updated_at in query");
        }
        long requested = 3L + LEVEL_COST * first;
        ApiBudget bucket = store.budget("graphql");
        if (!bucket.consume(requested).granted()) {
            store.stats().apiRateLimited();
            return throttled(requested, bucket);
        }
        String locationId = ShopifyWrites.idOf(variables.path("location").asText(""));
        ObjectNode root = Payloads.object();
        ObjectNode data = root.putObject("data");
        if (!locationId.equals(Long.toString(firstId(IdKind.LOCATION)))) {
            data.putNull("location");
            bucket.refund(requested - 1);
            cost(root, requested, 1L, bucket);
            return ApiAnswer.json(200, root);
        }
        List<SimEntity> changed =
                new ArrayList<>(store.state().changedBetween(EntityType.INVENTORY_LEVEL, range.get()[0], null));
        changed.removeIf(e -> !((InventoryLevel) e).locationId().equals(locationId));
        int start = 0;
        JsonNode after = variables.path("after");
        if (after.isTextual()) {
            Optional<Cursor> cursor = Cursor.decode(after.asText());
            if (cursor.isEmpty()) {
                bucket.refund(requested);
                return graphqlError("Invalid cursor for current pagination sort.");
            }
            while (start < changed.size() && !cursor.get().isBefore(changed.get(start))) {
                start++;
            }
        }
        List<SimEntity> page = changed.subList(start, Math.min(changed.size(), start + first));
        ObjectNode location = data.putObject("location");
        location.put("id", gid("Location", locationId));
        ObjectNode levels = location.putObject("inventoryLevels");
        ArrayNode nodes = levels.putArray("nodes");
        page.forEach(level -> nodes.add(graphqlLevel((InventoryLevel) level, query)));
        ObjectNode pageInfo = levels.putObject("pageInfo");
        pageInfo.put("hasNextPage", start + page.size() < changed.size());
        pageInfo.put("hasPreviousPage", start > 0);
        if (page.isEmpty()) {
            pageInfo.putNull("startCursor");
            pageInfo.putNull("endCursor");
        } else {
            pageInfo.put("startCursor", Cursor.of(page.get(0)).encode());
            pageInfo.put("endCursor", Cursor.of(page.get(page.size() - 1)).encode());
        }
        long actual = 3L + LEVEL_COST * page.size();
        bucket.refund(requested - actual);
        cost(root, requested, actual, bucket);
        return ApiAnswer.json(200, root);
    }

    /**
     * An {@code InventoryLevel} node: its id, {@code quantities} (the available one), and when the query asks, its
     * {@code updatedAt} and {@code item { id legacyResourceId tracked }} (every simulated item is tracked).
     */
    static ObjectNode graphqlLevel(InventoryLevel level, String query) {
        ObjectNode node = Payloads.object();
        node.put("id", gid("InventoryLevel", level.locationId()) + "?inventory_item_id=" + level.inventoryItemId());
        if (query.contains("updatedAt")) {
            node.put("updatedAt", level.updatedAt().toString());
        }
        ObjectNode available = node.putArray("quantities").addObject();
        available.put("name", "available");
        available.put("quantity", level.available());
        if (ITEM_FIELD.matcher(query).find()) {
            node.putObject("item")
                    .put("id", gid("InventoryItem", level.inventoryItemId()))
                    .put("legacyResourceId", level.inventoryItemId())
                    .put("tracked", true);
        }
        return node;
    }

    /**
     * {@code webhookSubscriptions(first:, after:) { pageInfo nodes { id topic uri … } }}, by id; topics are {@code
     * WebhookSubscriptionTopic} values.
     */
    private ApiAnswer subscriptions(JsonNode variables, StoreContext store) {
        int first = variables.path("first").asInt(0);
        if (first < 1 || first > MAX_PAGE) {
            return graphqlError("first must be between 1 and " + MAX_PAGE);
        }
        long requested = 2L + first;
        ApiBudget bucket = store.budget("graphql");
        if (!bucket.consume(requested).granted()) {
            store.stats().apiRateLimited();
            return throttled(requested, bucket);
        }
        List<Subscription> all = new ArrayList<>(store.subscriptions().all());
        all.sort((a, b) -> StoreState.compareIds(a.id(), b.id()));
        int start = 0;
        JsonNode after = variables.path("after");
        if (after.isTextual()) {
            String lastId;
            try {
                lastId = new String(Base64.getDecoder().decode(after.asText()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                bucket.refund(requested);
                return graphqlError("Invalid cursor for current pagination sort.");
            }
            while (start < all.size() && StoreState.compareIds(all.get(start).id(), lastId) <= 0) {
                start++;
            }
        }
        List<Subscription> page = all.subList(start, Math.min(all.size(), start + first));
        ObjectNode root = Payloads.object();
        ObjectNode connection = root.putObject("data").putObject("webhookSubscriptions");
        ArrayNode nodes = connection.putArray("nodes");
        page.forEach(subscription -> nodes.add(subscription(subscription)));
        ObjectNode pageInfo = connection.putObject("pageInfo");
        pageInfo.put("hasNextPage", start + page.size() < all.size());
        pageInfo.put("hasPreviousPage", start > 0);
        if (page.isEmpty()) {
            pageInfo.putNull("endCursor");
        } else {
            pageInfo.put(
                    "endCursor",
                    Base64.getEncoder()
                            .encodeToString(page.get(page.size() - 1).id().getBytes(StandardCharsets.UTF_8)));
        }
        long actual = 2L + page.size();
        bucket.refund(requested - actual);
        cost(root, requested, actual, bucket);
        return ApiAnswer.json(200, root);
    }

    /**
     * {@code webhookSubscriptionCreate(topic:, webhookSubscription: {uri, format})}: a topic this store does not offer
     * is a GraphQL error (an invalid enum value); a blank uri or a topic already sent to the same uri are {@code
     * userErrors}, as Shopify answers them.
     */
    private ApiAnswer subscriptionCreate(String query, int from, JsonNode variables, StoreContext store) {
        Map<String, JsonNode> arguments = ShopifyWrites.arguments(query, from, variables);
        String enumTopic = arguments.getOrDefault("topic", Payloads.object()).asText("");
        Optional<String> topic = restTopic(enumTopic);
        if (topic.isEmpty()) {
            return graphqlError(
                    "Variable $topic of type WebhookSubscriptionTopic! was provided invalid value: " + enumTopic);
        }
        JsonNode input = arguments.getOrDefault("webhookSubscription", Payloads.object());
        String uri = input.path("uri").asText(input.path("callbackUrl").asText(""));
        Optional<ApiAnswer> throttled = spendMutation(store);
        if (throttled.isPresent()) {
            return throttled.get();
        }
        ObjectNode root = Payloads.object();
        ObjectNode payload = root.putObject("data").putObject("webhookSubscriptionCreate");
        ArrayNode errors = payload.putArray("userErrors");
        if (uri.isBlank()) {
            userError(errors, "Address can't be blank", "webhookSubscription", "uri");
        } else if (store.subscriptions().all().stream()
                .anyMatch(s ->
                        s.topic().equals(topic.get()) && s.address().toString().equals(uri))) {
            userError(errors, "Address for this topic has already been taken", "webhookSubscription", "uri");
        }
        if (errors.isEmpty()) {
            Subscription created = store.subscriptions()
                    .create(topic.get(), URI.create(uri), null, store.clock().instant());
            payload.set("webhookSubscription", subscription(created));
        } else {
            payload.putNull("webhookSubscription");
        }
        cost(root, ShopifyWrites.MUTATION_COST, ShopifyWrites.MUTATION_COST, store.budget("graphql"));
        return ApiAnswer.json(200, root);
    }

    /** {@code webhookSubscriptionDelete(id:)}: an unknown id is a userError, as Shopify answers it. */
    private ApiAnswer subscriptionDelete(String query, int from, JsonNode variables, StoreContext store) {
        Map<String, JsonNode> arguments = ShopifyWrites.arguments(query, from, variables);
        String gid = arguments.getOrDefault("id", Payloads.object()).asText("");
        Optional<ApiAnswer> throttled = spendMutation(store);
        if (throttled.isPresent()) {
            return throttled.get();
        }
        ObjectNode root = Payloads.object();
        ObjectNode payload = root.putObject("data").putObject("webhookSubscriptionDelete");
        ArrayNode errors = payload.putArray("userErrors");
        if (gid.startsWith("gid://shopify/WebhookSubscription/")
                && store.subscriptions().delete(ShopifyWrites.idOf(gid)).isPresent()) {
            payload.put("deletedWebhookSubscriptionId", gid);
        } else {
            payload.putNull("deletedWebhookSubscriptionId");
            userError(errors, "Webhook subscription does not exist", "id");
        }
        cost(root, ShopifyWrites.MUTATION_COST, ShopifyWrites.MUTATION_COST, store.budget("graphql"));
        return ApiAnswer.json(200, root);
    }

    private static Optional<ApiAnswer> spendMutation(StoreContext store) {
        ApiBudget bucket = store.budget("graphql");
        if (bucket.consume(ShopifyWrites.MUTATION_COST).granted()) {
            return Optional.empty();
        }
        store.stats().apiRateLimited();
        return Optional.of(throttled(ShopifyWrites.MUTATION_COST, bucket));
    }

    private static void userError(ArrayNode errors, String message, String... field) {
        ObjectNode error = errors.addObject();
        ArrayNode path = error.putArray("field");
        for (String name : field) {
            path.add(name);
        }
        error.put("message", message);
    }

    /**
     * The REST topic ({@code orders/create}) of a {@code WebhookSubscriptionTopic} ({@code ORDERS_CREATE}), among the
     * topics this store offers ({@link #offersTopic}: its own, the adapter's, {@code app/uninstalled}).
     */
    private Optional<String> restTopic(String enumTopic) {
        Set<String> offered = new TreeSet<>(topics());
        offered.add(UNINSTALL_TOPIC);
        dev.commercesync.platforms.PlatformRegistry.loadInstalled()
                .find(platform())
                .ifPresent(adapter -> offered.addAll(adapter.webhookTopics()));
        return offered.stream()
                .filter(t -> enumTopic(t).equals(enumTopic) && offersTopic(t))
                .findFirst();
    }

    static String enumTopic(String topic) {
        return topic.toUpperCase(Locale.ROOT).replace('/', '_');
    }

    /** A {@code WebhookSubscription} node (2026-01: {@code uri}; {@code endpoint}/{@code callbackUrl} deprecated). */
    private static ObjectNode subscription(Subscription subscription) {
        ObjectNode node = Payloads.object();
        node.put("id", gid("WebhookSubscription", subscription.id()));
        node.put("legacyResourceId", subscription.id());
        node.put("topic", enumTopic(subscription.topic()));
        node.put("uri", subscription.address().toString());
        node.put("format", "JSON");
        node.put("createdAt", subscription.createdAt().toString());
        node.put("updatedAt", subscription.createdAt().toString());
        return node;
    }

    // ---- REST Admin: get by id ----

    private static final Pattern ENTITY = Pattern.compile("(orders|products|customers)/([0-9]+)\\.json");
    private static final Pattern REFUND = Pattern.compile("orders/([0-9]+)/refunds/([0-9]+)\\.json");
    private static final Pattern FULFILLMENT = Pattern.compile("orders/([0-9]+)/fulfillments/([0-9]+)\\.json");

    private ApiAnswer rest(ApiRequest request, String resource, StoreContext store) {
        String method = request.method();
        Matcher m;
        if (method.equals("GET") && (m = ENTITY.matcher(resource)).matches()) {
            EntityType type =
                    switch (m.group(1)) {
                        case "orders" -> EntityType.ORDER;
                        case "products" -> EntityType.PRODUCT;
                        default -> EntityType.CUSTOMER;
                    };
            String key = m.group(1).substring(0, m.group(1).length() - 1);
            return store.state()
                    .get(type, m.group(2))
                    .map(entity -> wrapped(key, render(entity, store)))
                    .orElseGet(ShopifyDialect::notFound);
        }
        if (method.equals("GET") && (m = REFUND.matcher(resource)).matches()) {
            String orderId = m.group(1);
            return store.state()
                    .get(EntityType.REFUND, m.group(2), Refund.class)
                    .filter(r -> r.orderId().equals(orderId))
                    .map(r -> wrapped("refund", render(r, store)))
                    .orElseGet(ShopifyDialect::notFound);
        }
        if (method.equals("GET") && (m = FULFILLMENT.matcher(resource)).matches()) {
            String orderId = m.group(1);
            return store.state()
                    .get(EntityType.SHIPMENT, m.group(2), Shipment.class)
                    .filter(f -> f.orderId().equals(orderId))
                    .map(f -> wrapped("fulfillment", render(f, store)))
                    .orElseGet(ShopifyDialect::notFound);
        }
        return notFound();
    }

    private static ApiAnswer notFound() {
        return Payloads.error(404, "errors", "Not Found");
    }

    private static ApiAnswer wrapped(String key, JsonNode entity) {
        ObjectNode root = Payloads.object();
        root.set(key, entity);
        return ApiAnswer.json(200, root);
    }

    // ---- webhooks ----

    @Override
    public List<WebhookMessage> webhooks(Notification notification, String eventSeed, StoreContext store) {
        SimEntity entity = notification.entity();
        boolean created = notification.kind() == Notification.Kind.CREATED;
        String topic =
                switch (entity.type()) {
                    case ORDER -> created ? "orders/create" : "orders/updated";
                    case PRODUCT -> created ? "products/create" : "products/update";
                    case CUSTOMER -> created ? "customers/create" : "customers/update";
                    case REFUND -> "refunds/create";
                    case SHIPMENT -> created ? "fulfillments/create" : "fulfillments/update";
                    case INVENTORY_LEVEL -> "inventory_levels/update";
                    default -> null;
                };
        if (topic == null) {
            return List.of();
        }
        return List.of(new WebhookMessage(
                topic,
                Payloads.bytes(render(entity, store)),
                Payloads.uuid("shopify/" + store.storeId() + "/" + eventSeed),
                entity.updatedAt(),
                entity.type(),
                entity.id()));
    }

    @Override
    public Map<String, String> deliveryHeaders(
            Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt, StoreContext store) {
        WebhookSecret secret = store.webhookSecret();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Shopify-Topic", message.topic());
        headers.put("X-Shopify-Hmac-Sha256", HmacSignatures.base64HmacSha256(secret, message.body()));
        headers.put("X-Shopify-Shop-Domain", store.storeId());
        headers.put("X-Shopify-API-Version", API_VERSION);
        headers.put("X-Shopify-Webhook-Id", deliveryId);
        headers.put("X-Shopify-Event-Id", message.eventId());
        headers.put("X-Shopify-Triggered-At", message.triggeredAt().toString());
        return headers;
    }

    // ---- payloads, from Shopify's published webhook examples ----

    ObjectNode render(SimEntity entity, StoreContext store) {
        if (entity instanceof Order order) {
            return order(order, store);
        }
        if (entity instanceof Product product) {
            return product(product);
        }
        if (entity instanceof Customer customer) {
            return customer(customer);
        }
        if (entity instanceof Refund refund) {
            return refund(refund, store);
        }
        if (entity instanceof Shipment shipment) {
            return fulfillment(shipment, store);
        }
        return inventoryLevel((InventoryLevel) entity);
    }

    private static void money(ObjectNode node, String field, BigDecimal amount) {
        String text = Payloads.money(amount);
        if (node.has(field)) {
            node.put(field, text);
        }
        if (node.has(field + "_set")) {
            node.set(field + "_set", moneySet(text));
        }
    }

    private static ObjectNode moneySet(String amount) {
        ObjectNode set = Payloads.object();
        for (String side : List.of("shop_money", "presentment_money")) {
            ObjectNode money = set.putObject(side);
            money.put("amount", amount);
            money.put("currency_code", "USD");
        }
        return set;
    }

    static String gid(String type, String id) {
        return "gid://shopify/" + type + "/" + id;
    }

    private static ObjectNode order(Order order, StoreContext store) {
        ObjectNode json = Payloads.template("shopify/orders_create.json");
        json.put("id", Payloads.id(order.id()));
        json.put("admin_graphql_api_id", gid("Order", order.id()));
        json.put("name", "#" + order.number());
        json.put("number", order.number() - 1000);
        json.put("order_number", order.number());
        json.put("created_at", Payloads.iso(order.createdAt()));
        json.put("processed_at", Payloads.iso(order.createdAt()));
        json.put("updated_at", Payloads.iso(order.updatedAt()));
        json.put("email", order.email());
        json.put("contact_email", order.email());
        json.put("currency", order.currency());
        json.put("presentment_currency", order.currency());
        json.put("test", false);
        json.put("confirmed", true);
        json.put("token", Payloads.uuid("token/" + order.id()).replace("-", ""));
        json.put("order_status_url", "https://simulated.example/orders/" + order.id());
        json.put("tags", "");
        if (order.note() == null) {
            json.putNull("note");
        } else {
            json.put("note", order.note());
        }
        json.put("financial_status", financialStatus(order));
        if (order.status() == OrderStatus.FULFILLED) {
            json.put("fulfillment_status", "fulfilled");
        } else {
            json.putNull("fulfillment_status");
        }
        if (order.status() == OrderStatus.CLOSED) {
            json.put("closed_at", Payloads.iso(order.updatedAt())); // orderClose: archived
        }
        if (order.status() == OrderStatus.CANCELLED) {
            json.put("cancel_reason", "customer");
            json.put("cancelled_at", Payloads.iso(order.updatedAt()));
        } else {
            json.putNull("cancel_reason");
            json.putNull("cancelled_at");
        }
        BigDecimal zero = BigDecimal.ZERO;
        BigDecimal current = order.total().subtract(order.refunded());
        money(json, "subtotal_price", order.subtotal());
        money(json, "total_line_items_price", order.subtotal());
        money(json, "total_price", order.total());
        money(json, "total_discounts", zero);
        money(json, "total_tax", zero);
        money(json, "current_subtotal_price", order.subtotal().subtract(order.refunded()));
        money(json, "current_total_price", current);
        money(json, "current_total_discounts", zero);
        money(json, "current_total_tax", zero);
        money(json, "current_shipping_price", order.shipping());
        money(json, "total_shipping_price", order.shipping());
        json.put(
                "total_outstanding",
                Payloads.money(order.status() == OrderStatus.PENDING ? order.total() : BigDecimal.ZERO));
        json.put("total_weight", 0);
        ObjectNode address = address(order.firstName(), order.lastName(), order.address());
        json.set("billing_address", address);
        json.set("shipping_address", address.deepCopy());
        ObjectNode customer = (ObjectNode) json.path("customer");
        customer.put("id", Payloads.id(order.customerId()));
        customer.put("admin_graphql_api_id", gid("Customer", order.customerId()));
        customer.put("email", order.email());
        customer.put("first_name", order.firstName());
        customer.put("last_name", order.lastName());
        customer.put("state", "enabled");
        ObjectNode defaultAddress = address(order.firstName(), order.lastName(), order.address());
        defaultAddress.put("id", Payloads.id(order.customerId()));
        defaultAddress.put("customer_id", Payloads.id(order.customerId()));
        defaultAddress.put("default", true);
        customer.set("default_address", defaultAddress);
        ObjectNode lineTemplate = (ObjectNode) json.path("line_items").get(0);
        ArrayNode lines = json.putArray("line_items");
        for (OrderLine line : order.lines()) {
            lines.add(lineItem(lineTemplate.deepCopy(), line));
        }
        ObjectNode shipping = (ObjectNode) json.path("shipping_lines").get(0);
        shipping.put("id", Payloads.id(order.id()));
        money(shipping, "price", order.shipping());
        money(shipping, "discounted_price", order.shipping());
        json.putArray("shipping_lines").add(shipping);
        json.putArray("refunds");
        ArrayNode fulfillments = json.putArray("fulfillments");
        for (Shipment shipment : store.state().shipmentsOf(order.id())) {
            fulfillments.add(fulfillment(shipment, order));
        }
        json.putArray("discount_codes");
        json.putArray("discount_applications");
        json.putArray("line_item_groups");
        return json;
    }

    private static String financialStatus(Order order) {
        if (order.status() == OrderStatus.CANCELLED) {
            return "voided";
        }
        if (order.status() == OrderStatus.PENDING) {
            return "pending";
        }
        if (order.refunded().signum() == 0) {
            return "paid";
        }
        return order.fullyRefunded() ? "refunded" : "partially_refunded";
    }

    private static ObjectNode lineItem(ObjectNode item, OrderLine line) {
        item.put("id", Payloads.id(line.id()));
        item.put("admin_graphql_api_id", gid("LineItem", line.id()));
        item.putArray("attributed_staffs");
        item.put("current_quantity", line.quantity() - line.refundedQuantity());
        item.put("fulfillable_quantity", line.quantity() - line.refundedQuantity());
        item.put("name", line.title());
        item.put("title", line.title());
        money(item, "price", line.unitPrice());
        money(item, "total_discount", BigDecimal.ZERO);
        item.put("product_exists", true);
        item.put("product_id", Payloads.id(line.productId()));
        item.put("variant_id", Payloads.id(line.variantId()));
        item.put("variant_title", "Default Title");
        item.put("quantity", line.quantity());
        item.put("sku", line.sku());
        item.put("vendor", "Simulated Goods");
        item.putNull("sales_line_item_group_id");
        return item;
    }

    private static ObjectNode address(String first, String last, dev.commercesync.simulator.model.Address a) {
        ObjectNode address = Payloads.object();
        address.put("first_name", first);
        address.put("address1", a.address1());
        address.put("phone", a.phone());
        address.put("city", a.city());
        address.put("zip", a.zip());
        address.put("province", a.province());
        address.put("country", a.country());
        address.put("last_name", last);
        address.putNull("address2");
        address.putNull("company");
        address.putNull("latitude");
        address.putNull("longitude");
        address.put("name", first + " " + last);
        address.put("country_code", a.countryCode());
        address.put("province_code", a.provinceCode());
        return address;
    }

    private static ObjectNode product(Product product) {
        ObjectNode json = Payloads.template("shopify/products_update.json");
        json.put("id", Payloads.id(product.id()));
        json.put("admin_graphql_api_id", gid("Product", product.id()));
        json.put("title", product.title());
        json.put("handle", product.handle());
        json.put("body_html", "<p>" + product.title() + "</p>");
        json.put("vendor", product.vendor());
        json.put("product_type", "Simulated");
        json.put("created_at", Payloads.iso(product.createdAt()));
        json.put("updated_at", Payloads.iso(product.updatedAt()));
        json.put("published_at", Payloads.iso(product.createdAt()));
        json.put("tags", "simulated");
        ObjectNode variant = (ObjectNode) json.path("variants").get(0);
        variant.put("admin_graphql_api_id", gid("ProductVariant", product.variantId()));
        variant.put("id", Payloads.id(product.variantId()));
        variant.put("product_id", Payloads.id(product.id()));
        variant.put("price", Payloads.money(product.price()));
        variant.putNull("compare_at_price");
        variant.put("sku", product.sku());
        variant.put("title", "Default Title");
        variant.put("option1", "Default Title");
        variant.put("created_at", Payloads.iso(product.createdAt()));
        variant.put("updated_at", Payloads.iso(product.updatedAt()));
        variant.put("inventory_item_id", Payloads.id(product.inventoryItemId()));
        variant.put("inventory_quantity", product.stock());
        variant.put("old_inventory_quantity", product.stock());
        json.putArray("variants").add(variant);
        ObjectNode variantGid = Payloads.object();
        variantGid.put("admin_graphql_api_id", gid("ProductVariant", product.variantId()));
        variantGid.put("updated_at", product.updatedAt().toString());
        json.putArray("variant_gids").add(variantGid);
        return json;
    }

    private static ObjectNode customer(Customer customer) {
        ObjectNode json = Payloads.template("shopify/customers_create.json");
        json.put("id", Payloads.id(customer.id()));
        json.put("admin_graphql_api_id", gid("Customer", customer.id()));
        json.put("created_at", Payloads.iso(customer.createdAt()));
        json.put("updated_at", Payloads.iso(customer.updatedAt()));
        json.put("first_name", customer.firstName());
        json.put("last_name", customer.lastName());
        json.put("email", customer.email());
        json.put("state", "enabled");
        json.put("total_spent", "0.00"); // the REST customer's, absent from the webhook example; GraphQL's amountSpent
        json.putNull("note");
        ObjectNode address = address(customer.firstName(), customer.lastName(), customer.address());
        address.put("id", Payloads.id(customer.id()));
        address.put("customer_id", Payloads.id(customer.id()));
        address.put("country_name", customer.address().country());
        address.put("default", true);
        json.set("default_address", address);
        json.putArray("addresses").add(address.deepCopy());
        return json;
    }

    private static ObjectNode refund(Refund refund, StoreContext store) {
        ObjectNode json = Payloads.template("shopify/refunds_create.json");
        Order order = store.state()
                .get(EntityType.ORDER, refund.orderId(), Order.class)
                .orElseThrow();
        OrderLine line = order.lines().stream()
                .filter(l -> l.id().equals(refund.lineId()))
                .findFirst()
                .orElseThrow();
        json.put("id", Payloads.id(refund.id()));
        json.put("order_id", Payloads.id(refund.orderId()));
        json.put("created_at", Payloads.iso(refund.createdAt()));
        json.put("processed_at", Payloads.iso(refund.createdAt()));
        json.put("note", refund.reason());
        json.put("admin_graphql_api_id", gid("Refund", refund.id()));
        ObjectNode refundLine = (ObjectNode) json.path("refund_line_items").get(0);
        refundLine.put("id", Payloads.id(refund.id()));
        refundLine.put("quantity", refund.quantity());
        refundLine.put("line_item_id", Payloads.id(line.id()));
        refundLine.put("subtotal", refund.amount());
        refundLine.set("subtotal_set", moneySet(Payloads.money(refund.amount())));
        lineItem((ObjectNode) refundLine.path("line_item"), line);
        json.putArray("refund_line_items").add(refundLine);
        ObjectNode transaction = (ObjectNode) json.path("transactions").get(0);
        transaction.put("id", Payloads.id(refund.id()));
        transaction.put("order_id", Payloads.id(refund.orderId()));
        transaction.put("created_at", Payloads.iso(refund.createdAt()));
        transaction.put("amount", Payloads.money(refund.amount()));
        transaction.put("message", refund.reason());
        transaction.put("payment_id", "#" + order.number() + ".1");
        transaction.put("admin_graphql_api_id", gid("OrderTransaction", refund.id()));
        json.putArray("transactions").add(transaction);
        return json;
    }

    private static ObjectNode fulfillment(Shipment shipment, StoreContext store) {
        return fulfillment(
                shipment,
                store.state()
                        .get(EntityType.ORDER, shipment.orderId(), Order.class)
                        .orElseThrow());
    }

    /** A fulfillment in the REST shape (its webhooks', and each entry of its order's {@code fulfillments}). */
    private static ObjectNode fulfillment(Shipment shipment, Order order) {
        ObjectNode json = Payloads.template("shopify/fulfillments_create.json");
        json.put("id", Payloads.id(shipment.id()));
        json.put("order_id", Payloads.id(shipment.orderId()));
        json.put("admin_graphql_api_id", gid("Fulfillment", shipment.id()));
        json.put("name", "#" + order.number() + ".1"); // one parcel per order
        json.put("status", "success");
        json.put("shipment_status", shipment.progress().name().toLowerCase(Locale.ROOT));
        json.put("created_at", Payloads.iso(shipment.createdAt()));
        json.put("updated_at", Payloads.iso(shipment.updatedAt()));
        json.put("service", "manual");
        json.put("tracking_company", shipment.carrier());
        json.put("email", order.email());
        String url = shipment.trackingUrl();
        json.put("tracking_number", shipment.trackingNumber());
        json.putArray("tracking_numbers").add(shipment.trackingNumber());
        json.put("tracking_url", url);
        json.putArray("tracking_urls").add(url);
        json.set("destination", address(order.firstName(), order.lastName(), order.address()));
        ObjectNode lineTemplate = (ObjectNode) json.path("line_items").get(0);
        ArrayNode lines = json.putArray("line_items");
        for (Shipment.Line shipped : shipment.lines()) {
            OrderLine line = order.lines().stream()
                    .filter(l -> l.id().equals(shipped.orderLineId()))
                    .findFirst()
                    .orElseThrow();
            ObjectNode item = lineItem(lineTemplate.deepCopy(), line);
            item.put("quantity", shipped.quantity());
            item.put("fulfillable_quantity", 0);
            item.put("fulfillment_status", "fulfilled");
            lines.add(item);
        }
        return json;
    }

    private static ObjectNode inventoryLevel(InventoryLevel level) {
        ObjectNode json = Payloads.template("shopify/inventory_levels_update.json");
        json.put("inventory_item_id", Payloads.id(level.inventoryItemId()));
        json.put("location_id", Payloads.id(level.locationId()));
        json.put("available", level.available());
        json.put("updated_at", Payloads.iso(level.updatedAt()));
        json.put(
                "admin_graphql_api_id",
                "gid://shopify/InventoryLevel/" + level.locationId() + "?inventory_item_id=" + level.inventoryItemId());
        return json;
    }
}
