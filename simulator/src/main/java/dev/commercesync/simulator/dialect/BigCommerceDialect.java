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
import dev.commercesync.simulator.model.Address;
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
import dev.commercesync.simulator.webhooks.DeliveryPolicy;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import io.github.bucket4j.TimeMeter;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BigCommerce: v2 orders (RFC 2822 dates, no pagination metadata, 204 for an empty page, line items behind a link),
 * v3 catalog products, customers and refunds ({@code data} + {@code meta.pagination}), v3 webhooks ({@code
 * /v3/hooks}); a quota of 150 requests per 30 s window ({@code X-Rate-Limit-*} headers on every answer, 429 when
 * spent); thin webhooks signed per Standard Webhooks. The store hash is the store key.
 */
public final class BigCommerceDialect implements PlatformDialect {
    private static final int MAX_LIMIT = 250;
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Pattern ORDER = Pattern.compile("/v2/orders/([0-9]+)");
    private static final Pattern ORDER_PRODUCTS = Pattern.compile("/v2/orders/([0-9]+)/products");
    private static final Pattern ORDER_SHIPMENTS = Pattern.compile("/v2/orders/([0-9]+)/shipments");
    private static final Pattern ORDER_SHIPMENT = Pattern.compile("/v2/orders/([0-9]+)/shipments/([0-9]+)");
    private static final Pattern PRODUCT = Pattern.compile("/v3/catalog/products/([0-9]+)");
    private static final Pattern VARIANT = Pattern.compile("/v3/catalog/products/([0-9]+)/variants/([0-9]+)");
    private static final Pattern ORDER_REFUNDS = Pattern.compile("/v3/orders/([0-9]+)/payment_actions/refunds");
    private static final Pattern HOOK = Pattern.compile("/v3/hooks/([0-9]+)");
    private static final Pattern LOCATION_ITEMS = Pattern.compile("/v3/inventory/locations/([0-9]+)/items");
    /** The Inventory API's page limit ("Limit of 1000 items for payload length"). */
    private static final int MAX_INVENTORY_LIMIT = 1000;

    @Override
    public String platform() {
        return "bigcommerce";
    }

    @Override
    public long firstId(IdKind kind) {
        return switch (kind) {
            case ORDER, ORDER_NUMBER -> 100;
            case LOCATION -> 1;
            default -> 1 + (long) kind.ordinal() * 100_000L;
        };
    }

    /** BigCommerce keys stock by variant and location ({@code <variant_id>@<location_id>}), not by inventory item. */
    @Override
    public String platformId(SimEntity entity) {
        return entity instanceof InventoryLevel level ? level.variantId() + "@" + level.locationId() : entity.id();
    }

    /**
     * A shipment has no date_modified, only {@code date_created}, its version; a carrier's scan changes nothing
     * BigCommerce shows of it (no tracking progress).
     */
    @Override
    public Instant platformUpdatedAt(SimEntity entity) {
        return entity instanceof Shipment shipment ? shipment.createdAt() : entity.updatedAt();
    }

    @Override
    public String storeId(String storeKey, URI baseUrl) {
        return storeKey;
    }

    @Override
    public ApiCredentials credentials(String storeKey) {
        return new ApiCredentials.AccessToken(Payloads.tokenFor("bc", storeKey));
    }

    @Override
    public Map<String, ApiBudget> budgets(TimeMeter time, boolean enforced) {
        return Map.of("api", ApiBudget.windowed(enforced ? 150 : 150_000_000L, WINDOW, time));
    }

    /** BigCommerce retries for about 48 hours; here 8 attempts over about 2 minutes. */
    @Override
    public DeliveryPolicy deliveryPolicy() {
        return new DeliveryPolicy(8, Duration.ofSeconds(1), 0);
    }

    @Override
    public Set<String> topics() {
        return Set.of(
                "store/order/created",
                "store/order/updated",
                "store/order/refund/created",
                "store/shipment/created",
                "store/product/created",
                "store/product/updated",
                "store/product/inventory/updated",
                "store/customer/created",
                "store/customer/updated");
    }

    @Override
    public boolean authorized(ApiRequest request, StoreContext store) {
        return request.header("X-Auth-Token")
                .map(credentialsText(store.credentials())::equals)
                .orElse(false);
    }

    // ---- the single-click app: install button, token exchange, signed load/uninstall callbacks ----

    private static final Pattern APP_INSTALL = Pattern.compile("/app/([^/]+)/install");

    /**
     * {@code GET /app/<client_id>/install?redirect_uri&scope} stands in for the merchant installing the app at
     * BigCommerce: approved at once, the browser is sent to the auth callback ({@code redirect_uri}: BigCommerce uses
     * the one registered with the app) with {@code code, scope, context=stores/<hash>, account_uuid}, unsigned. {@code
     * POST /oauth2/token} (form: {@code client_id, client_secret, code, scope, grant_type, redirect_uri, context}; the
     * client secret is the store's webhook secret) answers {@code {"access_token", "scope", "context", "user",
     * "owner", "account_uuid"}} once per code.
     */
    @Override
    public ApiAnswer appInstall(ApiRequest request, StoreContext store) {
        Matcher install = APP_INSTALL.matcher(request.path());
        if (install.matches() && request.method().equals("GET")) {
            String redirect = request.param("redirect_uri").orElse("");
            if (redirect.isEmpty()) {
                return Payloads.error(400, "error", "no auth callback URL is registered for the app");
            }
            Set<String> scopes = new java.util.TreeSet<>();
            for (String scope : request.param("scope").orElse("").split("[\\s,]+")) {
                if (!scope.isBlank()) {
                    scopes.add(scope);
                }
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("account_uuid", Payloads.uuid("bigcommerce account " + store.storeKey()));
            query.put("code", store.appInstalls().issue(install.group(1), scopes));
            query.put("context", "stores/" + store.storeId());
            query.put(
                    "scope",
                    String.join(
                            " ",
                            store.appInstalls()
                                    .peek(query.get("code"))
                                    .orElseThrow()
                                    .scopes()));
            String location = redirect
                    + (redirect.contains("?") ? "&" : "?")
                    + query.entrySet().stream()
                            .map(e ->
                                    e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(java.util.stream.Collectors.joining("&"));
            return ApiAnswer.empty(302).withHeader("Location", location);
        }
        if (request.path().equals("/oauth2/token") && request.method().equals("POST")) {
            Map<String, String> form = ApiRequest.parseQuery(new String(request.body(), StandardCharsets.UTF_8));
            boolean secretMatches = java.security.MessageDigest.isEqual(
                    form.getOrDefault("client_secret", "").getBytes(StandardCharsets.UTF_8),
                    store.webhookSecret().bytes());
            boolean wellFormed = "authorization_code".equals(form.get("grant_type"))
                    && ("stores/" + store.storeId()).equals(form.get("context"))
                    && !form.getOrDefault("redirect_uri", "").isEmpty();
            Optional<AppInstalls.IssuedCode> issued = secretMatches && wellFormed
                    ? store.appInstalls().redeem(form.get("code")).filter(code -> code.clientId()
                            .equals(form.get("client_id")))
                    : Optional.empty();
            if (issued.isEmpty()) {
                return Payloads.error(400, "error", "Invalid client id, client secret, code or context");
            }
            ObjectNode token = Payloads.object();
            token.put("access_token", credentialsText(store.credentials()));
            token.put("scope", String.join(" ", issued.get().scopes()));
            token.putObject("user").put("id", 24654).put("username", "merchant").put("email", "merchant@example.com");
            token.putObject("owner")
                    .put("id", 24654)
                    .put("username", "merchant")
                    .put("email", "merchant@example.com");
            token.put("context", "stores/" + store.storeId());
            token.put("account_uuid", Payloads.uuid("bigcommerce account " + store.storeKey()));
            return ApiAnswer.json(200, token);
        }
        return null;
    }

    /**
     * The {@code signed_payload_jwt} BigCommerce sends to the app's load or uninstall callback: an HS256 JWT signed
     * with the app's client secret (the store's webhook secret), {@code aud} the client id, {@code iss "bc"}, {@code
     * sub "stores/<hash>"}, valid for 15 minutes.
     */
    @Override
    public Optional<String> signedAppCallback(String kind, String clientId, StoreContext store) {
        long now = store.clock().instant().getEpochSecond();
        ObjectNode header = Payloads.object().put("typ", "JWT").put("alg", "HS256");
        ObjectNode claims = Payloads.object();
        claims.put("aud", clientId);
        claims.put("iss", "bc");
        claims.put("iat", now);
        claims.put("nbf", now - 5);
        claims.put("exp", now + 900);
        claims.put("jti", Payloads.uuid("bigcommerce " + kind + " " + store.storeKey() + " " + System.nanoTime()));
        claims.put("sub", "stores/" + store.storeId());
        claims.putObject("user")
                .put("id", 24654)
                .put("email", "merchant@example.com")
                .put("locale", "en-US");
        claims.putObject("owner").put("id", 24654).put("email", "merchant@example.com");
        claims.put("url", "/");
        claims.put("channel_id", (String) null);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed = b64.encodeToString(Payloads.bytes(header)) + "." + b64.encodeToString(Payloads.bytes(claims));
        return Optional.of(signed + "."
                + b64.encodeToString(
                        HmacSignatures.hmacSha256(store.webhookSecret(), signed.getBytes(StandardCharsets.US_ASCII))));
    }

    @Override
    public ApiAnswer handle(ApiRequest request, StoreContext store) {
        ApiBudget.Outcome budget = store.budget("api").consume(1);
        if (!budget.granted()) {
            store.stats().apiRateLimited();
            return tooManyRequests(budget);
        }
        return quotaHeaders(route(request, store), budget);
    }

    @Override
    public ApiAnswer rateLimited(ApiRequest request, StoreContext store) {
        ApiBudget api = store.budget("api");
        return tooManyRequests(
                new ApiBudget.Outcome(false, 0, api.capacity(), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    private static ApiAnswer tooManyRequests(ApiBudget.Outcome budget) {
        ObjectNode body = Payloads.object();
        body.put("status", 429);
        body.put("title", "Too many requests");
        body.put("type", "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes");
        long resetMs = Math.max(budget.retryAfter().toMillis(), budget.resetIn().toMillis());
        return quotaHeaders(
                        ApiAnswer.json(429, body),
                        new ApiBudget.Outcome(
                                false, 0, budget.capacity(), budget.retryAfter(), Duration.ofMillis(resetMs)))
                .withHeader("X-Retry-After", Long.toString(Math.max(1, (resetMs + 999) / 1000)));
    }

    private static ApiAnswer quotaHeaders(ApiAnswer answer, ApiBudget.Outcome budget) {
        return answer.withHeader("X-Rate-Limit-Requests-Left", Long.toString(budget.remaining()))
                .withHeader("X-Rate-Limit-Requests-Quota", Long.toString(budget.capacity()))
                .withHeader("X-Rate-Limit-Time-Window-Ms", Long.toString(WINDOW.toMillis()))
                .withHeader(
                        "X-Rate-Limit-Time-Reset-Ms",
                        Long.toString(budget.resetIn().toMillis()));
    }

    private ApiAnswer route(ApiRequest request, StoreContext store) {
        String path = request.path();
        String method = request.method();
        Matcher m;
        Optional<ApiAnswer> written = BigCommerceWrites.route(request, store);
        if (written.isPresent()) {
            return written.get();
        }
        if (method.equals("GET")) {
            if (path.equals("/v2/store")) {
                ObjectNode info = Payloads.object();
                info.put("id", store.storeKey());
                info.put("domain", store.storeKey() + ".mybigcommerce.com");
                info.put("name", "Simulated store " + store.storeKey());
                info.put("currency", "USD");
                info.put("currency_symbol", "$");
                info.put("decimal_places", 2);
                info.put("timezone", Payloads.object().put("name", "Etc/UTC"));
                return ApiAnswer.json(200, info);
            }
            if (path.equals("/v2/orders")) {
                return listV2Orders(request, store);
            }
            if (path.equals("/v2/orders/count")) {
                Optional<Instant[]> range = range(request, "min_date_modified", "max_date_modified");
                if (range.isEmpty()) {
                    return ApiAnswer.json(400, v2Error(400, "The date filters are invalid."));
                }
                ObjectNode count = Payloads.object();
                count.putArray("statuses");
                count.put(
                        "count",
                        store.state()
                                .changedBetween(EntityType.ORDER, range.get()[0], range.get()[1])
                                .size());
                return ApiAnswer.json(200, count);
            }
            if ((m = ORDER.matcher(path)).matches()) {
                return store.state()
                        .get(EntityType.ORDER, m.group(1), Order.class)
                        .map(o -> ApiAnswer.json(200, order(o, store)))
                        .orElseGet(BigCommerceDialect::v2NotFound);
            }
            if ((m = ORDER_PRODUCTS.matcher(path)).matches()) {
                Optional<Order> order = store.state().get(EntityType.ORDER, m.group(1), Order.class);
                if (order.isEmpty()) {
                    return v2NotFound();
                }
                List<OrderLine> page = page(order.get().lines(), request);
                if (page.isEmpty()) {
                    return ApiAnswer.empty(204);
                }
                ArrayNode lines = Json.MAPPER.createArrayNode();
                page.forEach(line -> lines.add(orderProduct(order.get(), line)));
                return ApiAnswer.json(200, lines);
            }
            if ((m = ORDER_SHIPMENTS.matcher(path)).matches()) {
                Optional<Order> order = store.state().get(EntityType.ORDER, m.group(1), Order.class);
                if (order.isEmpty()) {
                    return v2NotFound();
                }
                List<Shipment> page = page(store.state().shipmentsOf(m.group(1)), request);
                if (page.isEmpty()) {
                    return ApiAnswer.empty(204);
                }
                ArrayNode shipments = Json.MAPPER.createArrayNode();
                page.forEach(shipment -> shipments.add(shipment(shipment, order.get())));
                return ApiAnswer.json(200, shipments);
            }
            if ((m = ORDER_SHIPMENT.matcher(path)).matches()) {
                String orderId = m.group(1);
                return store.state()
                        .get(EntityType.SHIPMENT, m.group(2), Shipment.class)
                        .filter(shipment -> shipment.orderId().equals(orderId))
                        .flatMap(shipment -> store.state()
                                .get(EntityType.ORDER, orderId, Order.class)
                                .map(order -> ApiAnswer.json(200, shipment(shipment, order))))
                        .orElseGet(BigCommerceDialect::v2NotFound);
            }
            if (path.equals("/v3/catalog/products")) {
                return listV3(request, store, EntityType.PRODUCT, "date_modified:min", e -> product((Product) e));
            }
            if ((m = PRODUCT.matcher(path)).matches()) {
                return store.state()
                        .get(EntityType.PRODUCT, m.group(1), Product.class)
                        .map(p -> v3One(product(p)))
                        .orElseGet(BigCommerceDialect::v3NotFound);
            }
            if ((m = VARIANT.matcher(path)).matches()) {
                String variantId = m.group(2);
                return store.state()
                        .get(EntityType.PRODUCT, m.group(1), Product.class)
                        .filter(p -> p.variantId().equals(variantId))
                        .map(p -> v3One(variant(p, store)))
                        .orElseGet(BigCommerceDialect::v3NotFound);
            }
            if (path.equals("/v3/customers")) {
                Optional<String> ids = request.param("id:in");
                if (ids.isPresent()) {
                    List<SimEntity> matching = new ArrayList<>();
                    for (String id : ids.get().split(",")) {
                        store.state().get(EntityType.CUSTOMER, id.trim()).ifPresent(matching::add);
                    }
                    return v3List(
                            matching, matching.size(), 1, Math.max(1, matching.size()), e -> customer((Customer) e));
                }
                return listV3(request, store, EntityType.CUSTOMER, "date_modified:min", e -> customer((Customer) e));
            }
            if (path.equals("/v3/orders/payment_actions/refunds")) {
                return listV3(request, store, EntityType.REFUND, "created:min", e -> refund((Refund) e));
            }
            if ((m = ORDER_REFUNDS.matcher(path)).matches()) {
                if (store.state().get(EntityType.ORDER, m.group(1)).isEmpty()) {
                    return v3NotFound();
                }
                List<SimEntity> refunds = new ArrayList<>(store.state().refundsOf(m.group(1)));
                return v3List(refunds, refunds.size(), 1, Math.max(1, refunds.size()), e -> refund((Refund) e));
            }
            if (path.equals("/v3/inventory/items")) {
                List<SimEntity> levels = store.state().all(EntityType.INVENTORY_LEVEL);
                return inventoryList(levels, request, e -> inventoryItem((InventoryLevel) e, store));
            }
            if ((m = LOCATION_ITEMS.matcher(path)).matches()) {
                String location = m.group(1);
                List<SimEntity> levels = new ArrayList<>();
                Optional<Set<String>> variants = request.param("variant_id:in").map(BigCommerceDialect::idSet);
                Optional<Set<String>> products = request.param("product_id:in").map(BigCommerceDialect::idSet);
                boolean locationExists = false;
                for (SimEntity e : store.state().all(EntityType.INVENTORY_LEVEL)) {
                    InventoryLevel level = (InventoryLevel) e;
                    if (!level.locationId().equals(location)) {
                        continue;
                    }
                    locationExists = true;
                    if (variants.map(v -> v.contains(level.variantId())).orElse(true)
                            && products.map(v -> v.contains(level.productId())).orElse(true)) {
                        levels.add(level);
                    }
                }
                if (!locationExists) {
                    return v3NotFound();
                }
                return inventoryList(levels, request, e -> locationItem((InventoryLevel) e, store));
            }
            if (path.equals("/v3/hooks")) {
                List<Subscription> all = store.subscriptions().all();
                int limit = Math.min(MAX_LIMIT, Math.max(1, request.intParam("limit", 50)));
                int page = Math.max(1, request.intParam("page", 1));
                List<Subscription> slice =
                        all.subList(Math.min(all.size(), (page - 1) * limit), Math.min(all.size(), page * limit));
                ObjectNode root = Payloads.object();
                ArrayNode data = root.putArray("data");
                slice.forEach(s -> data.add(hook(s, store)));
                pagination(root, all.size(), slice.size(), limit, page);
                return ApiAnswer.json(200, root);
            }
        }
        if (method.equals("POST") && path.equals("/v3/hooks")) {
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(request.body());
            } catch (IOException e) {
                return v3Error(400, "The request body is not JSON");
            }
            String scope = body.path("scope").asText("");
            String destination = body.path("destination").asText("");
            if (!offersTopic(scope) || !destination.startsWith("http")) {
                return v3Error(422, "scope or destination is invalid");
            }
            Subscription created = store.subscriptions()
                    .create(scope, URI.create(destination), null, store.clock().instant());
            return v3One(hook(created, store));
        }
        if (method.equals("DELETE") && (m = HOOK.matcher(path)).matches()) {
            return store.subscriptions()
                    .delete(m.group(1))
                    .map(s -> v3One(hook(s, store)))
                    .orElseGet(BigCommerceDialect::v3NotFound);
        }
        return v3NotFound();
    }

    private ApiAnswer listV2Orders(ApiRequest request, StoreContext store) {
        Optional<Instant[]> range = range(request, "min_date_modified", "max_date_modified");
        if (range.isEmpty()) {
            return ApiAnswer.json(400, v2Error(400, "The date filters are invalid."));
        }
        List<SimEntity> changed = store.state().changedBetween(EntityType.ORDER, range.get()[0], range.get()[1]);
        List<SimEntity> page = page(changed, request);
        if (page.isEmpty()) {
            return ApiAnswer.empty(204);
        }
        ArrayNode orders = Json.MAPPER.createArrayNode();
        page.forEach(o -> orders.add(order((Order) o, store)));
        return ApiAnswer.json(200, orders);
    }

    private ApiAnswer listV3(
            ApiRequest request,
            StoreContext store,
            EntityType type,
            String sinceParam,
            Function<SimEntity, ObjectNode> render) {
        Optional<Instant[]> range = range(request, sinceParam, sinceParam.replace(":min", ":max"));
        if (range.isEmpty()) {
            return v3Error(422, "The filter '" + sinceParam + "' is invalid.");
        }
        List<SimEntity> changed = store.state().changedBetween(type, range.get()[0], range.get()[1]);
        int limit = Math.min(MAX_LIMIT, Math.max(1, request.intParam("limit", 50)));
        int page = Math.max(1, request.intParam("page", 1));
        return v3List(page(changed, request), changed.size(), page, limit, render);
    }

    private static ApiAnswer v3List(
            List<SimEntity> slice, int total, int page, int limit, Function<SimEntity, ObjectNode> render) {
        ObjectNode root = Payloads.object();
        ArrayNode data = root.putArray("data");
        slice.forEach(e -> data.add(render.apply(e)));
        pagination(root, total, slice.size(), limit, page);
        return ApiAnswer.json(200, root);
    }

    private static void pagination(ObjectNode root, int total, int count, int limit, int page) {
        ObjectNode pagination = root.putObject("meta").putObject("pagination");
        int totalPages = Math.max(1, (total + limit - 1) / limit);
        pagination.put("total", total);
        pagination.put("count", count);
        pagination.put("per_page", limit);
        pagination.put("current_page", page);
        pagination.put("total_pages", totalPages);
        ObjectNode links = pagination.putObject("links");
        if (page > 1) {
            links.put("previous", "?page=" + (page - 1) + "&limit=" + limit);
        }
        links.put("current", "?page=" + page + "&limit=" + limit);
        if (page < totalPages) {
            links.put("next", "?page=" + (page + 1) + "&limit=" + limit);
        }
    }

    /** An Inventory API list: page/limit up to 1000 per page, v3 pagination. */
    private static ApiAnswer inventoryList(
            List<SimEntity> levels, ApiRequest request, Function<SimEntity, ObjectNode> render) {
        int limit = Math.min(MAX_INVENTORY_LIMIT, Math.max(1, request.intParam("limit", 50)));
        int page = Math.max(1, request.intParam("page", 1));
        return v3List(page(levels, request, MAX_INVENTORY_LIMIT), levels.size(), page, limit, render);
    }

    private static Set<String> idSet(String commaSeparated) {
        Set<String> ids = new java.util.HashSet<>();
        for (String id : commaSeparated.split(",")) {
            ids.add(id.trim());
        }
        return ids;
    }

    /** A product's one variant as GET /v3/catalog/products/{id}/variants/{variant_id} shows it. */
    static ObjectNode variant(Product product, StoreContext store) {
        ObjectNode variant = Payloads.object();
        variant.put("id", Payloads.id(product.variantId()));
        variant.put("product_id", Payloads.id(product.id()));
        variant.put("sku", product.sku());
        variant.put("price", product.price());
        variant.put("calculated_price", product.price());
        variant.put(
                "retail_price",
                store.writer().read(w -> w.compareAtPrice(product.id())).orElse(BigDecimal.ZERO));
        variant.put("inventory_level", product.stock());
        variant.putArray("option_values");
        return variant;
    }

    /** One item of GET /v3/inventory/locations/{id}/items (LocationItemsResponse). */
    private static ObjectNode locationItem(InventoryLevel level, StoreContext store) {
        ObjectNode item = Payloads.object();
        inventoryIdentity(item, level, store);
        item.put("available_to_sell", level.available());
        item.put("total_inventory_onhand", level.available());
        inventorySettings(item, level);
        return item;
    }

    /** One item of GET /v3/inventory/items (ItemResponse): the variant and its stock per location. */
    private static ObjectNode inventoryItem(InventoryLevel level, StoreContext store) {
        ObjectNode item = Payloads.object();
        inventoryIdentity(item, level, store).putNull("sku_id");
        ObjectNode location = item.putArray("locations").addObject();
        location.put("location_id", Payloads.id(level.locationId()));
        location.put("location_code", "BC-LOCATION-" + level.locationId());
        location.put("location_name", "Default location");
        location.put("available_to_sell", level.available());
        location.put("total_inventory_onhand", level.available());
        location.put("location_enabled", true);
        inventorySettings(location, level);
        return item;
    }

    private static ObjectNode inventoryIdentity(ObjectNode item, InventoryLevel level, StoreContext store) {
        ObjectNode identity = item.putObject("identity");
        store.state()
                .get(EntityType.PRODUCT, level.productId(), Product.class)
                .ifPresent(product -> identity.put("sku", product.sku()));
        identity.put("variant_id", Payloads.id(level.variantId()));
        identity.put("product_id", Payloads.id(level.productId()));
        return identity;
    }

    private static void inventorySettings(ObjectNode item, InventoryLevel level) {
        ObjectNode settings = item.putObject("settings");
        settings.put("safety_stock", 0);
        settings.put("is_in_stock", level.available() > 0);
        settings.put("warning_level", 0);
        settings.put("bin_picking_number", "");
    }

    /** {@code page} (from 1) and {@code limit} (default 50, at most 250) of a list. */
    private static <T> List<T> page(List<T> all, ApiRequest request) {
        return page(all, request, MAX_LIMIT);
    }

    /** {@code page} (from 1) and {@code limit} (default 50, at most {@code maxLimit}) of a list. */
    private static <T> List<T> page(List<T> all, ApiRequest request, int maxLimit) {
        int limit = Math.min(maxLimit, Math.max(1, request.intParam("limit", 50)));
        int page = Math.max(1, request.intParam("page", 1));
        long from = (long) (page - 1) * limit;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + limit));
    }

    /**
     * A min/max filter pair as {@code [since, before)}: BigCommerce's bounds are inclusive at whole seconds, so the
     * exclusive upper bound is max + 1 s. Empty when a bound is present but unreadable.
     */
    private static Optional<Instant[]> range(ApiRequest request, String minParam, String maxParam) {
        Optional<Instant> min = parseTime(request.param(minParam));
        Optional<Instant> max = parseTime(request.param(maxParam));
        if ((request.param(minParam).isPresent() && min.isEmpty())
                || (request.param(maxParam).isPresent() && max.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new Instant[] {
            min.orElse(Instant.EPOCH), max.map(m -> m.plusSeconds(1)).orElse(null)
        });
    }

    /** BigCommerce takes ISO 8601 or RFC 2822 dates in its filters. */
    private static Optional<Instant> parseTime(Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get().trim();
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException notIso) {
            try {
                return Optional.of(
                        OffsetDateTime.parse(value, Payloads.RFC_2822).toInstant());
            } catch (DateTimeParseException notRfc) {
                try {
                    return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
                } catch (NumberFormatException notEpoch) {
                    return Optional.empty();
                }
            }
        }
    }

    static ApiAnswer v2NotFound() {
        ArrayNode body = Json.MAPPER.createArrayNode();
        body.add(v2Error(404, "The requested resource was not found."));
        return ApiAnswer.json(404, body);
    }

    static ObjectNode v2Error(int status, String message) {
        ObjectNode error = Payloads.object();
        error.put("status", status);
        error.put("message", message);
        return error;
    }

    static ApiAnswer v3NotFound() {
        return v3Error(404, "The requested resource was not found.");
    }

    static ApiAnswer v3Error(int status, String title) {
        ObjectNode body = Payloads.object();
        body.put("status", status);
        body.put("title", title);
        body.put("type", "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes");
        body.putObject("errors");
        return ApiAnswer.json(status, body);
    }

    static ApiAnswer v3One(ObjectNode data) {
        ObjectNode root = Payloads.object();
        root.set("data", data);
        root.putObject("meta");
        return ApiAnswer.json(200, root);
    }

    private static ObjectNode hook(Subscription subscription, StoreContext store) {
        ObjectNode hook = Payloads.object();
        hook.put("id", Long.parseLong(subscription.id()));
        hook.put("client_id", "simulated-app");
        hook.put("store_hash", store.storeKey());
        hook.put("scope", subscription.topic());
        hook.put("destination", subscription.address().toString());
        hook.putObject("headers");
        hook.put("is_active", subscription.active());
        hook.put("created_at", subscription.createdAt().getEpochSecond());
        hook.put("updated_at", subscription.createdAt().getEpochSecond());
        return hook;
    }

    // ---- webhooks: thin, Standard Webhooks signatures ----

    @Override
    public List<WebhookMessage> webhooks(Notification notification, String eventSeed, StoreContext store) {
        SimEntity entity = notification.entity();
        boolean created = notification.kind() == Notification.Kind.CREATED;
        ObjectNode data = Payloads.object();
        String scope;
        if (entity instanceof Order order) {
            scope = created ? "store/order/created" : "store/order/updated";
            data.put("type", "order");
            data.put("id", Payloads.id(order.id()));
        } else if (entity instanceof Refund refund) {
            scope = "store/order/refund/created";
            data.put("type", "order");
            data.put("id", Payloads.id(refund.orderId()));
            data.putObject("refund").put("refund_id", Payloads.id(refund.id()));
        } else if (entity instanceof Shipment shipment) {
            if (!created) {
                return List.of(); // a carrier's scan: BigCommerce's shipment shows no progress, it does not change
            }
            scope = "store/shipment/created";
            data.put("type", "shipment");
            data.put("id", Payloads.id(shipment.id()));
            data.put("orderId", Payloads.id(shipment.orderId()));
        } else if (entity instanceof Product product) {
            scope = created ? "store/product/created" : "store/product/updated";
            data.put("type", "product");
            data.put("id", Payloads.id(product.id()));
        } else if (entity instanceof InventoryLevel level) {
            scope = "store/product/inventory/updated";
            data.put("type", "product");
            data.put("id", Payloads.id(level.productId()));
            ObjectNode inventory = data.putObject("inventory");
            inventory.put("product_id", Payloads.id(level.productId()));
            inventory.put("method", "absolute");
            inventory.put("value", level.available());
        } else {
            scope = created ? "store/customer/created" : "store/customer/updated";
            data.put("type", "customer");
            data.put("id", Payloads.id(entity.id()));
        }
        ObjectNode body = Payloads.object();
        body.put("scope", scope);
        body.put(
                "store_id",
                Long.toString(1_000_000 + Math.floorMod(store.storeKey().hashCode(), 9_000_000)));
        body.set("data", data);
        body.put("hash", Payloads.sha1Hex(Payloads.bytes(data)));
        body.put("created_at", entity.updatedAt().getEpochSecond());
        body.put("producer", "stores/" + store.storeKey());
        String eventId = "msg_"
                + Payloads.uuid("bigcommerce/" + store.storeId() + "/" + eventSeed)
                        .replace("-", "");
        return List.of(new WebhookMessage(
                scope, Payloads.bytes(body), eventId, entity.updatedAt(), entity.type(), entity.id()));
    }

    @Override
    public Map<String, String> deliveryHeaders(
            Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt, StoreContext store) {
        String timestamp = Long.toString(sentAt.getEpochSecond());
        byte[] signed = (message.eventId() + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[signed.length + message.body().length];
        System.arraycopy(signed, 0, content, 0, signed.length);
        System.arraycopy(message.body(), 0, content, signed.length, message.body().length);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        // Standard Webhooks: the id is the event's (the same on retries and duplicates), the timestamp the attempt's.
        headers.put("webhook-id", message.eventId());
        headers.put("webhook-timestamp", timestamp);
        headers.put(
                "webhook-signature",
                "v1," + HmacSignatures.base64HmacSha256(signingKey(store.webhookSecret()), content));
        return headers;
    }

    /** As the verifier reads secrets: {@code whsec_<base64>} is the key's serialization, anything else the key. */
    private static WebhookSecret signingKey(WebhookSecret secret) {
        String text = new String(secret.bytes(), StandardCharsets.UTF_8);
        return text.startsWith("whsec_")
                ? WebhookSecret.ofBytes(Base64.getDecoder().decode(text.substring("whsec_".length())))
                : secret;
    }

    // ---- API resources, from BigCommerce's published examples ----

    static ObjectNode order(Order order, StoreContext store) {
        ObjectNode json = Payloads.template("bigcommerce/v2_order.get_order_218.json");
        json.put("id", Payloads.id(order.id()));
        json.put("customer_id", Payloads.id(order.customerId()));
        json.put("date_created", Payloads.rfc2822(order.createdAt()));
        json.put("date_modified", Payloads.rfc2822(order.updatedAt()));
        json.put("date_shipped", order.status() == OrderStatus.FULFILLED ? Payloads.rfc2822(order.updatedAt()) : "");
        int statusId;
        String status;
        if (order.status() == OrderStatus.CANCELLED) {
            statusId = 5;
            status = "Cancelled";
        } else if (order.refunded().signum() > 0) {
            statusId = order.fullyRefunded() ? 4 : 14;
            status = order.fullyRefunded() ? "Refunded" : "Partially Refunded";
        } else if (order.status() == OrderStatus.FULFILLED) {
            statusId = 2;
            status = "Shipped";
        } else if (order.status() == OrderStatus.PAID) {
            statusId = 11;
            status = "Awaiting Fulfillment";
        } else if (order.status() == OrderStatus.ON_HOLD) {
            statusId = 12;
            status = "Manual Verification Required";
        } else if (order.status() == OrderStatus.FAILED) {
            statusId = 6;
            status = "Declined";
        } else {
            statusId = 1;
            status = "Pending";
        }
        json.put("status_id", statusId);
        json.put("status", status);
        json.put("custom_status", status);
        BigDecimal zero = BigDecimal.ZERO;
        json.put("subtotal_ex_tax", Payloads.money4(order.subtotal()));
        json.put("subtotal_inc_tax", Payloads.money4(order.subtotal()));
        json.put("subtotal_tax", Payloads.money4(zero));
        json.put("base_shipping_cost", Payloads.money4(order.shipping()));
        json.put("shipping_cost_ex_tax", Payloads.money4(order.shipping()));
        json.put("shipping_cost_inc_tax", Payloads.money4(order.shipping()));
        json.put("shipping_cost_tax", Payloads.money4(zero));
        json.put("total_ex_tax", Payloads.money4(order.total()));
        json.put("total_inc_tax", Payloads.money4(order.total()));
        json.put("total_tax", Payloads.money4(zero));
        json.put("items_total", order.itemCount());
        json.put(
                "items_shipped",
                store.state().shipmentsOf(order.id()).stream()
                        .flatMap(shipment -> shipment.lines().stream())
                        .mapToInt(Shipment.Line::quantity)
                        .sum());
        json.put("payment_method", "Credit Card");
        json.put(
                "payment_status",
                order.status() == OrderStatus.PENDING || order.status() == OrderStatus.CANCELLED
                        ? ""
                        : order.refunded().signum() > 0
                                ? (order.fullyRefunded() ? "refunded" : "partially refunded")
                                : "captured");
        json.put("refunded_amount", Payloads.money4(order.refunded()));
        json.put("discount_amount", Payloads.money4(zero));
        json.put("coupon_discount", Payloads.money4(zero));
        json.put("currency_code", order.currency());
        json.put("default_currency_code", order.currency());
        json.put("staff_notes", order.note() == null ? "" : order.note());
        json.put("customer_message", "");
        json.put("cart_id", Payloads.uuid("cart/" + order.id()));
        json.put("external_order_id", (String) null);
        ObjectNode billing = (ObjectNode) json.path("billing_address");
        billing.put("first_name", order.firstName());
        billing.put("last_name", order.lastName());
        address(billing, order.address(), "street_1", "state", "zip", "country_iso2");
        billing.put("email", order.email());
        billing.putArray("form_fields");
        String base = store.baseUrl() + "/v2/orders/" + order.id();
        link(json, "products", base + "/products", "/orders/" + order.id() + "/products");
        link(json, "shipping_addresses", base + "/shippingaddresses", "/orders/" + order.id() + "/shippingaddresses");
        link(json, "coupons", base + "/coupons", "/orders/" + order.id() + "/coupons");
        link(json, "shipments", base + "/shipments", "/orders/" + order.id() + "/shipments");
        json.putArray("fees");
        return json;
    }

    /** A v2 order shipment: carrier, method and tracking number, no carrier progress (BigCommerce has none). */
    static ObjectNode shipment(Shipment shipment, Order order) {
        ObjectNode json = Payloads.template("bigcommerce/v2_shipment.get_shipment_11.json");
        json.put("id", Payloads.id(shipment.id()));
        json.put("order_id", Payloads.id(order.id()));
        json.put("customer_id", Payloads.id(order.customerId()));
        json.put("order_address_id", Payloads.id(order.id()));
        json.put("date_created", Payloads.rfc2822(shipment.createdAt()));
        json.put("tracking_number", shipment.trackingNumber());
        json.put("shipping_method", shipment.service());
        json.put("comments", "");
        json.put(
                "shipping_provider",
                switch (shipment.carrier()) {
                    case "UPS", "USPS", "FedEx" -> shipment.carrier().toLowerCase(Locale.ROOT);
                    default -> "custom";
                });
        json.put("shipping_provider_display_name", shipment.carrier());
        json.put("tracking_carrier", "");
        json.put("tracking_link", "");
        json.put("generated_tracking_link", shipment.trackingUrl());
        for (String side : List.of("billing_address", "shipping_address")) {
            ObjectNode address = (ObjectNode) json.path(side);
            address.put("first_name", order.firstName());
            address.put("last_name", order.lastName());
            address(address, order.address(), "street_1", "state", "zip", "country_iso2");
            address.put("email", order.email());
        }
        ArrayNode items = json.putArray("items");
        for (Shipment.Line line : shipment.lines()) {
            items.addObject()
                    .put("order_product_id", Payloads.id(line.orderLineId()))
                    .put("product_id", Payloads.id(line.productId()))
                    .put("quantity", line.quantity());
        }
        return json;
    }

    private static void link(ObjectNode json, String field, String url, String resource) {
        ObjectNode link = json.putObject(field);
        link.put("url", url);
        link.put("resource", resource);
    }

    private static void address(ObjectNode json, Address a, String street, String state, String zip, String iso2) {
        json.put("company", "");
        json.put(street, a.address1());
        json.put(street.replace('1', '2'), "");
        json.put("city", a.city());
        json.put(state, a.province());
        json.put(zip, a.zip());
        json.put("country", a.country());
        json.put(iso2, a.countryCode());
        json.put("phone", a.phone());
    }

    private static ObjectNode orderProduct(Order order, OrderLine line) {
        ObjectNode json =
                (ObjectNode) Payloads.templateArray("bigcommerce/v2_order_products.get_order_products_149.json")
                        .get(0);
        json.put("id", Payloads.id(line.id()));
        json.put("order_id", Payloads.id(order.id()));
        json.put("product_id", Payloads.id(line.productId()));
        json.put("variant_id", Payloads.id(line.variantId()));
        json.put("order_address_id", Payloads.id(order.id()));
        json.put("name", line.title());
        json.put("name_customer", line.title());
        json.put("name_merchant", line.title());
        json.put("sku", line.sku());
        json.put("upc", "");
        String unit = Payloads.money4(line.unitPrice());
        String total = Payloads.money4(line.total());
        String zero = Payloads.money4(BigDecimal.ZERO);
        for (String field : List.of("base_price", "price_ex_tax", "price_inc_tax")) {
            json.put(field, unit);
        }
        for (String field : List.of("base_total", "total_ex_tax", "total_inc_tax", "discounted_total_inc_tax")) {
            json.put(field, total);
        }
        json.put("price_tax", zero);
        json.put("total_tax", zero);
        json.put("quantity", line.quantity());
        json.put("is_refunded", line.refundedQuantity() > 0);
        json.put("quantity_refunded", line.refundedQuantity());
        json.put(
                "refund_amount",
                Payloads.money4(line.unitPrice().multiply(BigDecimal.valueOf(line.refundedQuantity()))));
        json.put("quantity_shipped", order.status() == OrderStatus.FULFILLED ? line.quantity() : 0);
        json.put("fixed_shipping_cost", zero);
        json.putNull("option_set_id");
        json.putArray("applied_discounts");
        json.putArray("product_options");
        return json;
    }

    static ObjectNode product(Product product) {
        ObjectNode json = (ObjectNode)
                Payloads.template("bigcommerce/v3_product.get_product_174.json").path("data");
        json.put("id", Payloads.id(product.id()));
        json.put("name", product.title());
        json.put("sku", product.sku());
        json.put("description", "<p>" + product.title() + "</p>");
        json.put("price", product.price());
        json.put("calculated_price", product.price());
        json.put("cost_price", 0);
        json.put("retail_price", 0);
        json.put("sale_price", 0);
        json.put("inventory_level", product.stock());
        json.put("inventory_tracking", "product");
        json.put("total_sold", 0);
        json.putArray("categories");
        json.putArray("related_products");
        json.put("date_created", Payloads.iso(product.createdAt()));
        json.put("date_modified", Payloads.iso(product.updatedAt()));
        json.put("preorder_release_date", (String) null);
        json.put("base_variant_id", Payloads.id(product.variantId()));
        ObjectNode url = json.putObject("custom_url");
        url.put("url", "/" + product.handle() + "/");
        url.put("is_customized", false);
        return json;
    }

    private static ObjectNode customer(Customer customer) {
        ObjectNode json = Payloads.template("bigcommerce/v3_customer.get_customers_item.json");
        json.put("id", Payloads.id(customer.id()));
        json.put("email", customer.email());
        json.put("first_name", customer.firstName());
        json.put("last_name", customer.lastName());
        json.put("company", "");
        json.put("phone", customer.address().phone());
        json.put("notes", "");
        json.put("date_created", customer.createdAt().toString());
        json.put("date_modified", customer.updatedAt().toString());
        ObjectNode address = json.putArray("addresses").addObject();
        address.put("id", Payloads.id(customer.id()));
        address.put("customer_id", Payloads.id(customer.id()));
        address.put("first_name", customer.firstName());
        address.put("last_name", customer.lastName());
        address.put("company", "");
        address.put("address1", customer.address().address1());
        address.put("address2", "");
        address.put("city", customer.address().city());
        address.put("state_or_province", customer.address().province());
        address.put("postal_code", customer.address().zip());
        address.put("country", customer.address().country());
        address.put("country_code", customer.address().countryCode());
        address.put("phone", customer.address().phone());
        address.put("address_type", "residential");
        return json;
    }

    private static ObjectNode refund(Refund refund) {
        ObjectNode json = (ObjectNode) Payloads.template("bigcommerce/v3_refund.create_refund_response.json")
                .path("data");
        json.put("id", Payloads.id(refund.id()));
        json.put("order_id", Payloads.id(refund.orderId()));
        json.put("user_id", 0);
        json.put("created", Payloads.iso(refund.createdAt()));
        json.put("reason", refund.reason());
        json.put("total_amount", refund.amount());
        json.put("total_tax", 0);
        ArrayNode items = json.putArray("items");
        ObjectNode item = items.addObject();
        item.put("item_type", "PRODUCT");
        item.put("item_id", Payloads.id(refund.lineId()));
        item.put("reason", refund.reason());
        item.put("quantity", refund.quantity());
        item.put("requested_amount", refund.amount());
        ObjectNode payment = json.putArray("payments").addObject();
        payment.put("id", Payloads.id(refund.id()));
        payment.put("provider_id", "simulated");
        payment.put("amount", refund.amount());
        payment.put("offline", false);
        payment.put("is_declined", false);
        payment.put("declined_message", "");
        return json;
    }
}
