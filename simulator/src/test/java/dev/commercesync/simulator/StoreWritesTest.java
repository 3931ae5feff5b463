package dev.commercesync.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderLine;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.Shipment;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writes to the simulated stores over HTTP, in each platform's request shapes: each applies, answers in the
 * platform's shape, and sends the webhook the platform would (through the store's delivery); not-found and stale
 * compare-and-set answers; Shopify's idempotency keys; the write faults apply first and fail after.
 */
class StoreWritesTest {
    private static final PlatformRegistry REGISTRY = PlatformRegistry.loadInstalled();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SHOPIFY_GRAPHQL = "/admin/api/2026-04/graphql.json";
    private static final String SET_QUANTITIES = "mutation set($input: InventorySetQuantitiesInput!) {"
            + " inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id changes {"
            + " name delta quantityAfterChange } } userErrors { code field message } } }";
    private static Simulator simulator;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(0);
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        simulator.close();
        receiver.close();
    }

    private static SimulatedStore store(String platform, String key, FaultProfile faults) {
        SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, key)
                .seed(23)
                .catalog(10, 5)
                .faults(faults)
                .build());
        store.step(40);
        store.subscribeAll(receiver.url(platform + "?store=" + key));
        return store;
    }

    // ---- HTTP ----

    private static HttpResponse<String> send(SimulatedStore store, String method, String path, Object body)
            throws Exception {
        return send(store, method, path, body, Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(
            SimulatedStore store, String method, String path, Object body, Duration timeout) throws Exception {
        String credentials = Dialects.get(store.platform()).credentialsText(store.credentials());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(store.apiBaseUrl() + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(Json.encode(Json.MAPPER.valueToTree(body))));
        switch (store.platform()) {
            case "shopify" -> request.header("X-Shopify-Access-Token", credentials);
            case "bigcommerce" -> request.header("X-Auth-Token", credentials);
            case "amazon" -> request.header("x-amz-access-token", amazonAccessToken(store));
            case "woocommerce" ->
                request.header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            default -> request.header("Authorization", "Bearer " + credentials);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A Login with Amazon access token of the store, exchanged for its refresh token as the adapter does. */
    private static String amazonAccessToken(SimulatedStore store) throws Exception {
        var refresh = (dev.commercesync.platforms.spi.ApiCredentials.RefreshToken) store.credentials();
        String form = "grant_type=refresh_token&refresh_token="
                + java.net.URLEncoder.encode(refresh.refreshToken(), StandardCharsets.UTF_8) + "&client_id="
                + java.net.URLEncoder.encode(refresh.clientId(), StandardCharsets.UTF_8) + "&client_secret="
                + java.net.URLEncoder.encode(refresh.clientSecret(), StandardCharsets.UTF_8);
        HttpResponse<String> token = HTTP.send(
                HttpRequest.newBuilder(URI.create(store.apiBaseUrl() + "/auth/o2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        return json(token).path("access_token").asText();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode graphql(SimulatedStore store, String query, Map<String, Object> variables)
            throws Exception {
        HttpResponse<String> response =
                send(store, "POST", SHOPIFY_GRAPHQL, Map.of("query", query, "variables", variables));
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    // ---- the store's state ----

    private static Product product(SimulatedStore store, int index) {
        return (Product) store.state().all(EntityType.PRODUCT).get(index);
    }

    private static Product product(SimulatedStore store, String id) {
        return store.state().get(EntityType.PRODUCT, id, Product.class).orElseThrow();
    }

    private static InventoryLevel level(SimulatedStore store, Product product) {
        return store.state().all(EntityType.INVENTORY_LEVEL).stream()
                .map(InventoryLevel.class::cast)
                .filter(l -> l.productId().equals(product.id()))
                .findFirst()
                .orElseThrow();
    }

    private static Order order(SimulatedStore store, String id) {
        return store.state().get(EntityType.ORDER, id, Order.class).orElseThrow();
    }

    /** An order with nothing shipped or refunded that is not cancelled (the n-th such). */
    private static Order openOrder(SimulatedStore store, int n) {
        return store.state().all(EntityType.ORDER).stream()
                .map(Order.class::cast)
                .filter(o -> o.status() == OrderStatus.PENDING || o.status() == OrderStatus.PAID)
                .filter(o -> o.refunded().signum() == 0)
                .filter(o -> store.state().shipmentsOf(o.id()).isEmpty())
                .skip(n)
                .findFirst()
                .orElseThrow();
    }

    /** Waits for the webhook of a topic whose body contains {@code text}. */
    private static WebhookRequest awaitWebhook(SimulatedStore store, String topic, String text) {
        return await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .alias(topic + " with " + text + " from " + store + "; received: " + received(store))
                .until(() -> webhooks(store, topic, text), list -> !list.isEmpty())
                .get(0);
    }

    /** What the store delivered, for a failure message. */
    private static List<String> received(SimulatedStore store) {
        return receiver.received().stream()
                .filter(r -> REGISTRY.get(store.platform())
                        .describeDelivery(r)
                        .store()
                        .map(store.storeId().toLowerCase()::equals)
                        .orElse(false))
                .map(r -> REGISTRY.get(store.platform()).describeDelivery(r).eventType() + " "
                        + new String(r.body(), StandardCharsets.UTF_8))
                .toList();
    }

    private static List<WebhookRequest> webhooks(SimulatedStore store, String topic, String text) {
        return receiver.received().stream()
                .filter(r -> {
                    var delivery = REGISTRY.get(store.platform()).describeDelivery(r);
                    return delivery.store()
                                    .map(store.storeId().toLowerCase()::equals)
                                    .orElse(false)
                            && delivery.eventType().map(topic::equals).orElse(false)
                            && new String(r.body(), StandardCharsets.UTF_8).contains(text);
                })
                .toList();
    }

    // ---- Shopify ----

    private static Map<String, Object> setQuantity(Product product, InventoryLevel level, int quantity, Integer from) {
        Map<String, Object> q = new java.util.HashMap<>();
        q.put("inventoryItemId", "gid://shopify/InventoryItem/" + product.inventoryItemId());
        q.put("locationId", "gid://shopify/Location/" + level.locationId());
        q.put("quantity", quantity);
        q.put("changeFromQuantity", from);
        return Map.of(
                "name",
                "available",
                "reason",
                "correction",
                "referenceDocumentUri",
                "commerce-sync://commands/1",
                "quantities",
                List.of(q));
    }

    @Test
    void shopifyInventorySetAppliesOnceUnderItsIdempotencyKeyAndEchoes() throws Exception {
        SimulatedStore store = store("shopify", "w-shop-inv", FaultProfile.none());
        Product product = product(store, 0);
        InventoryLevel level = level(store, product);
        int target = level.available() + 7;

        JsonNode first = graphql(
                store,
                SET_QUANTITIES,
                Map.of("key", "cmd-1", "input", setQuantity(product, level, target, level.available())));
        JsonNode payload = first.path("data").path("inventorySetQuantities");
        assertEquals(0, payload.path("userErrors").size(), first.toString());
        assertEquals(
                7,
                payload.path("inventoryAdjustmentGroup")
                        .path("changes")
                        .get(0)
                        .path("delta")
                        .asInt());
        assertEquals(target, level(store, product).available());
        WebhookRequest echo = awaitWebhook(store, "inventory_levels/update", "\"available\":" + target);
        assertTrue(new String(echo.body(), StandardCharsets.UTF_8).contains(product.inventoryItemId()));

        // Someone else sets it; replaying the first key answers the first answer and does not apply it again.
        JsonNode other =
                graphql(store, SET_QUANTITIES, Map.of("key", "cmd-2", "input", setQuantity(product, level, 3, target)));
        assertEquals(
                0,
                other.path("data")
                        .path("inventorySetQuantities")
                        .path("userErrors")
                        .size());
        JsonNode replay = graphql(
                store,
                SET_QUANTITIES,
                Map.of("key", "cmd-1", "input", setQuantity(product, level, target, level.available())));
        assertEquals(first, replay);
        assertEquals(3, level(store, product).available());
        assertEquals(1L, store.writesAppliedPerKey().get("idempotency-key:cmd-1"));
        assertEquals(0, store.stats().writesAppliedTwice());

        // Stale compare-and-set: refused, nothing changes.
        JsonNode stale = graphql(
                store, SET_QUANTITIES, Map.of("key", "cmd-3", "input", setQuantity(product, level, 50, target)));
        JsonNode error = stale.path("data")
                .path("inventorySetQuantities")
                .path("userErrors")
                .get(0);
        assertEquals("CHANGE_FROM_QUANTITY_STALE", error.path("code").asText(), stale.toString());
        assertTrue(stale.path("data")
                .path("inventorySetQuantities")
                .path("inventoryAdjustmentGroup")
                .isNull());
        assertEquals(3, level(store, product).available());

        // Not found: the platform's user error.
        Product missing = new Product(
                "1", "1", "424242", "x", "x", "x", "x", BigDecimal.ONE, 0, 1, product.createdAt(), product.createdAt());
        JsonNode notFound =
                graphql(store, SET_QUANTITIES, Map.of("key", "cmd-4", "input", setQuantity(missing, level, 1, null)));
        assertEquals(
                "INVALID_INVENTORY_ITEM",
                notFound.path("data")
                        .path("inventorySetQuantities")
                        .path("userErrors")
                        .get(0)
                        .path("code")
                        .asText());

        // The same absolute value again changes nothing and sends no webhook.
        assertTrue(store.awaitDeliveries(Duration.ofSeconds(10)));
        int before = webhooks(store, "inventory_levels/update", product.inventoryItemId())
                .size();
        graphql(store, SET_QUANTITIES, Map.of("key", "cmd-5", "input", setQuantity(product, level, 3, 3)));
        assertTrue(store.awaitDeliveries(Duration.ofSeconds(10)));
        assertEquals(
                before,
                webhooks(store, "inventory_levels/update", product.inventoryItemId())
                        .size());
        assertFalse(store.writesAppliedPerKey().containsKey("idempotency-key:cmd-5"));
    }

    /** The rules of each API version (Shopify's changelogs of 2025-12-12 for 2026-01 and 2026-04). */
    @Test
    void shopifyInventorySetFollowsTheRulesOfItsApiVersion() throws Exception {
        SimulatedStore store = store("shopify", "w-shop-versions", FaultProfile.none());
        Product product = product(store, 2);
        InventoryLevel level = level(store, product);
        int current = level.available();

        // 2026-01: a changeFromQuantity given overrides compareQuantity; null skips the check.
        Map<String, Object> stale = new java.util.HashMap<>(setQuantity(product, level, current + 1, current + 5));
        JsonNode staleAnswer = graphqlAt(store, "2026-01", SET_QUANTITIES, Map.of("key", "v-1", "input", stale));
        assertEquals(
                "CHANGE_FROM_QUANTITY_STALE",
                staleAnswer.at("/data/inventorySetQuantities/userErrors/0/code").asText(),
                staleAnswer.toString());
        Map<String, Object> q = new java.util.HashMap<>(setQuantity(product, level, current + 1, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> quantity =
                new java.util.HashMap<>(((List<Map<String, Object>>) q.get("quantities")).get(0));
        quantity.put("compareQuantity", current + 5);
        q.put("quantities", List.of(quantity));
        JsonNode skipped = graphqlAt(store, "2026-01", SET_QUANTITIES, Map.of("key", "v-2", "input", q));
        assertEquals(0, skipped.at("/data/inventorySetQuantities/userErrors").size(), skipped.toString());
        assertEquals(current + 1, level(store, product).available());

        // 2026-04: compareQuantity is gone, changeFromQuantity and @idempotent are required.
        JsonNode removed = graphqlAt(store, "2026-04", SET_QUANTITIES, Map.of("key", "v-3", "input", q));
        assertTrue(removed.path("errors").size() > 0, removed.toString());
        quantity.remove("compareQuantity");
        quantity.remove("changeFromQuantity");
        q.put("quantities", List.of(quantity));
        JsonNode missing = graphqlAt(store, "2026-04", SET_QUANTITIES, Map.of("key", "v-4", "input", q));
        assertEquals(
                "changeFromQuantity",
                missing.at("/data/inventorySetQuantities/userErrors/0/field/3").asText(),
                missing.toString());
        JsonNode noKey = graphqlAt(
                store,
                "2026-04",
                SET_QUANTITIES.replace(" @idempotent(key: $key)", ""),
                Map.of("input", setQuantity(product, level, current, current + 1)));
        assertTrue(noKey.path("errors").size() > 0, noKey.toString());
        assertEquals(current + 1, level(store, product).available());
    }

    private static JsonNode graphqlAt(SimulatedStore store, String version, String query, Map<String, Object> variables)
            throws Exception {
        HttpResponse<String> response = send(
                store,
                "POST",
                "/admin/api/" + version + "/graphql.json",
                Map.of("query", query, "variables", variables));
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    @Test
    void shopifyCompareAndSetGoesStaleWhenTheStoreChangesTheLevel() throws Exception {
        SimulatedStore store = store("shopify", "w-shop-cas", FaultProfile.none());
        Product product = product(store, 1);
        InventoryLevel read = level(store, product);
        // The store's own traffic moves stock (a sale, a delivery) after the client read the level.
        for (int i = 0; i < 5000 && level(store, product).available() == read.available(); i++) {
            store.step();
        }
        assertTrue(level(store, product).available() != read.available(), "a generated change moved the level");
        JsonNode stale = graphql(
                store,
                SET_QUANTITIES,
                Map.of("key", "cas-1", "input", setQuantity(product, read, read.available() + 1, read.available())));
        JsonNode errors = stale.path("data").path("inventorySetQuantities").path("userErrors");
        assertEquals("CHANGE_FROM_QUANTITY_STALE", errors.get(0).path("code").asText(), stale.toString());
        assertEquals(0, store.stats().writesApplied());
    }

    @Test
    void shopifyFulfillCancelAndPriceApplyAndEcho() throws Exception {
        SimulatedStore store = store("shopify", "w-shop-ops", FaultProfile.none());
        Order order = openOrder(store, 0);
        OrderLine line = order.lines().get(0);

        JsonNode orders = graphql(
                store,
                "query fo($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id status lineItems(first:"
                        + " 10) { nodes { id remainingQuantity lineItem { id } } } } } } }",
                Map.of("id", "gid://shopify/Order/" + order.id()));
        JsonNode fo = orders.path("data")
                .path("order")
                .path("fulfillmentOrders")
                .path("nodes")
                .get(0);
        assertEquals(
                "gid://shopify/FulfillmentOrder/" + order.id(), fo.path("id").asText());
        assertEquals("OPEN", fo.path("status").asText());
        JsonNode foLine = fo.path("lineItems").path("nodes").get(0);
        assertEquals(line.quantity(), foLine.path("remainingQuantity").asInt());

        JsonNode created = graphql(
                store,
                "mutation ship($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) {"
                        + " fulfillment { id status trackingInfo { company number url } } userErrors { field message } } }",
                Map.of(
                        "fulfillment",
                        Map.of(
                                "notifyCustomer",
                                false,
                                "trackingInfo",
                                Map.of("company", "UPS", "number", "1ZWRITE1", "url", "https://ups.example/1ZWRITE1"),
                                "lineItemsByFulfillmentOrder",
                                List.of(Map.of(
                                        "fulfillmentOrderId",
                                        fo.path("id").asText(),
                                        "fulfillmentOrderLineItems",
                                        List.of(Map.of(
                                                "id", foLine.path("id").asText(), "quantity", line.quantity())))))));
        JsonNode fulfillment = created.path("data").path("fulfillmentCreate").path("fulfillment");
        assertEquals("SUCCESS", fulfillment.path("status").asText(), created.toString());
        Shipment shipment = store.state().shipmentsOf(order.id()).get(0);
        assertEquals("1ZWRITE1", shipment.trackingNumber());
        assertEquals("https://ups.example/1ZWRITE1", shipment.trackingUrl());
        assertEquals(
                order.lines().size() == 1 ? OrderStatus.FULFILLED : order.status(),
                order(store, order.id()).status());
        awaitWebhook(store, "fulfillments/create", "1ZWRITE1");

        Order toCancel = openOrder(store, 0);
        OrderLine cancelled = toCancel.lines().get(0);
        int stockBefore = level(store, product(store, cancelled.productId())).available();
        String cancel = "mutation { orderCancel(orderId: \"gid://shopify/Order/" + toCancel.id()
                + "\", reason: CUSTOMER, refund: false, restock: true, notifyCustomer: false) { job { id done }"
                + " orderCancelUserErrors { code field message } } }";
        JsonNode answer = graphql(store, cancel, Map.of());
        assertTrue(
                answer.path("data").path("orderCancel").path("job").path("done").asBoolean(), answer.toString());
        assertEquals(OrderStatus.CANCELLED, order(store, toCancel.id()).status());
        int units = toCancel.lines().stream()
                .filter(l -> l.productId().equals(cancelled.productId()))
                .mapToInt(OrderLine::quantity)
                .sum();
        assertEquals(
                stockBefore + units,
                level(store, product(store, cancelled.productId())).available());
        awaitWebhook(store, "orders/updated", "\"cancelled_at\":\"");
        JsonNode again = graphql(store, cancel, Map.of());
        assertEquals(
                "INVALID",
                again.path("data")
                        .path("orderCancel")
                        .path("orderCancelUserErrors")
                        .get(0)
                        .path("code")
                        .asText());
        JsonNode missing = graphql(
                store,
                "mutation { orderCancel(orderId: \"gid://shopify/Order/1\", reason: OTHER, refund: false, restock:"
                        + " false) { job { id } orderCancelUserErrors { code } } }",
                Map.of());
        assertEquals(
                "NOT_FOUND",
                missing.path("data")
                        .path("orderCancel")
                        .path("orderCancelUserErrors")
                        .get(0)
                        .path("code")
                        .asText());

        Product product = product(store, 2);
        JsonNode priced = graphql(
                store,
                "mutation price($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {"
                        + " productVariantsBulkUpdate(productId: $productId, variants: $variants) { productVariants { id"
                        + " price } userErrors { code field message } } }",
                Map.of(
                        "productId",
                        "gid://shopify/Product/" + product.id(),
                        "variants",
                        List.of(Map.of(
                                "id", "gid://shopify/ProductVariant/" + product.variantId(), "price", "12.34"))));
        assertEquals(
                "12.34",
                priced.path("data")
                        .path("productVariantsBulkUpdate")
                        .path("productVariants")
                        .get(0)
                        .path("price")
                        .asText(),
                priced.toString());
        assertEquals(
                0,
                new BigDecimal("12.34").compareTo(product(store, product.id()).price()));
        awaitWebhook(store, "products/update", "\"price\":\"12.34\"");
    }

    // ---- BigCommerce ----

    @Test
    void bigCommerceWritesApplyAndEcho() throws Exception {
        SimulatedStore store = store("bigcommerce", "w-bc", FaultProfile.none());
        Product product = product(store, 0);
        InventoryLevel level = level(store, product);
        long leftAfterRead = Long.parseLong(send(store, "GET", "/v2/store", null)
                .headers()
                .firstValue("X-Rate-Limit-Requests-Left")
                .orElseThrow());
        HttpResponse<String> adjusted = send(
                store,
                "PUT",
                "/v3/inventory/adjustments/absolute",
                Map.of(
                        "reason",
                        "commerce-sync",
                        "items",
                        List.of(Map.of(
                                "location_id",
                                Long.parseLong(level.locationId()),
                                "variant_id",
                                Long.parseLong(product.variantId()),
                                "quantity",
                                77))));
        assertEquals(200, adjusted.statusCode(), adjusted.body());
        assertTrue(json(adjusted).path("transaction_id").isTextual());
        // Writes spend the store's one budget, as reads do (one request each; a new window starts at 149).
        long leftAfterWrite = Long.parseLong(
                adjusted.headers().firstValue("X-Rate-Limit-Requests-Left").orElseThrow());
        assertTrue(
                leftAfterWrite == leftAfterRead - 1 || leftAfterWrite == 149,
                leftAfterRead + " then " + leftAfterWrite);
        assertEquals(77, level(store, product).available());
        awaitWebhook(store, "store/product/inventory/updated", product.id());

        Order order = openOrder(store, 0);
        HttpResponse<String> shipped = send(
                store,
                "POST",
                "/v2/orders/" + order.id() + "/shipments",
                Map.of(
                        "order_address_id",
                        Long.parseLong(order.id()),
                        "tracking_number",
                        "BCTRACK1",
                        "shipping_provider",
                        "ups",
                        "items",
                        order.lines().stream()
                                .map(l -> Map.of("order_product_id", Long.parseLong(l.id()), "quantity", l.quantity()))
                                .toList()));
        assertEquals(201, shipped.statusCode(), shipped.body());
        assertEquals("BCTRACK1", json(shipped).path("tracking_number").asText());
        assertEquals(OrderStatus.FULFILLED, order(store, order.id()).status());
        awaitWebhook(store, "store/shipment/created", order.id());

        Order toCancel = openOrder(store, 0);
        HttpResponse<String> status = send(store, "PUT", "/v2/orders/" + toCancel.id(), Map.of("status_id", 5));
        assertEquals(200, status.statusCode(), status.body());
        assertEquals(5, json(status).path("status_id").asInt());
        assertEquals(OrderStatus.CANCELLED, order(store, toCancel.id()).status());
        awaitWebhook(store, "store/order/updated", toCancel.id());

        HttpResponse<String> priced = send(
                store,
                "PUT",
                "/v3/catalog/products/" + product.id() + "/variants/" + product.variantId(),
                Map.of("price", 19.99));
        assertEquals(200, priced.statusCode(), priced.body());
        assertEquals(
                0,
                new BigDecimal("19.99").compareTo(product(store, product.id()).price()));
        awaitWebhook(store, "store/product/updated", product.id());

        HttpResponse<String> missing = send(store, "PUT", "/v2/orders/999999", Map.of("status_id", 5));
        assertEquals(404, missing.statusCode());
        assertEquals(404, json(missing).get(0).path("status").asInt());
        assertEquals(
                404,
                send(store, "PUT", "/v3/catalog/products/" + product.id() + "/variants/1", Map.of("price", 1))
                        .statusCode());
        HttpResponse<String> unknownVariant = send(
                store,
                "PUT",
                "/v3/inventory/adjustments/absolute",
                Map.of("items", List.of(Map.of("location_id", 1, "variant_id", 1, "quantity", 1))));
        assertEquals(422, unknownVariant.statusCode());
    }

    // ---- WooCommerce ----

    @Test
    void wooCommerceWritesApplyAndEcho() throws Exception {
        SimulatedStore store = store("woocommerce", "w-woo", FaultProfile.none());
        Product product = product(store, 0);
        HttpResponse<String> updated = send(
                store,
                "PUT",
                "/wp-json/wc/v3/products/" + product.id(),
                Map.of("manage_stock", true, "stock_quantity", 55, "regular_price", "8.50"));
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals(55, json(updated).path("stock_quantity").asInt());
        assertEquals("8.50", json(updated).path("regular_price").asText());
        assertEquals(55, level(store, product).available());
        awaitWebhook(store, "product.updated", "\"regular_price\":\"8.50\"");

        HttpResponse<String> variation = send(
                store,
                "PUT",
                "/wp-json/wc/v3/products/" + product.id() + "/variations/" + product.variantId(),
                Map.of("stock_quantity", 54));
        assertEquals(200, variation.statusCode(), variation.body());
        assertEquals(54, level(store, product).available());

        Order order = openOrder(store, 0);
        HttpResponse<String> completed =
                send(store, "PUT", "/wp-json/wc/v3/orders/" + order.id(), Map.of("status", "completed"));
        assertEquals(200, completed.statusCode(), completed.body());
        assertEquals("completed", json(completed).path("status").asText());
        awaitWebhook(store, "order.updated", "\"status\":\"completed\"");
        HttpResponse<String> note = send(
                store,
                "POST",
                "/wp-json/wc/v3/orders/" + order.id() + "/notes",
                Map.of("note", "Shipped with UPS, tracking 1ZWOO", "customer_note", true));
        assertEquals(201, note.statusCode(), note.body());
        HttpResponse<String> notes = send(store, "GET", "/wp-json/wc/v3/orders/" + order.id() + "/notes", null);
        assertEquals(
                "Shipped with UPS, tracking 1ZWOO",
                json(notes).get(0).path("note").asText());

        HttpResponse<String> missing =
                send(store, "PUT", "/wp-json/wc/v3/products/999999", Map.of("stock_quantity", 1));
        assertEquals(404, missing.statusCode());
        assertEquals(
                "woocommerce_rest_product_invalid_id",
                json(missing).path("code").asText());
        HttpResponse<String> badStatus =
                send(store, "PUT", "/wp-json/wc/v3/orders/" + order.id(), Map.of("status", "teleported"));
        assertEquals(400, badStatus.statusCode());
    }

    // ---- Adobe Commerce ----

    @Test
    void adobeCommerceWritesApplyAndEcho() throws Exception {
        SimulatedStore store = store("magento2", "w-adobe", FaultProfile.none());
        Product product = product(store, 0);
        HttpResponse<String> items = send(
                store,
                "POST",
                "/V1/inventory/source-items",
                Map.of(
                        "sourceItems",
                        List.of(Map.of("sku", product.sku(), "source_code", "default", "quantity", 33, "status", 1))));
        assertEquals(200, items.statusCode(), items.body());
        assertEquals(33, level(store, product).available());
        awaitWebhook(store, "com.adobe.commerce.observer.catalog_product_save_commit_after", "\"qty\":\"33\"");

        Order order = openOrder(store, 0);
        HttpResponse<String> shipped = send(
                store,
                "POST",
                "/V1/order/" + order.id() + "/ship",
                Map.of(
                        "notify",
                        false,
                        "items",
                        order.lines().stream()
                                .map(l -> Map.of("order_item_id", Long.parseLong(l.id()), "qty", l.quantity()))
                                .toList(),
                        "tracks",
                        List.of(Map.of(
                                "track_number", "1ZADOBE", "title", "United Parcel Service", "carrier_code", "ups"))));
        assertEquals(200, shipped.statusCode(), shipped.body());
        String shipmentId = json(shipped).asText();
        assertEquals(
                "1ZADOBE",
                store.state()
                        .get(EntityType.SHIPMENT, shipmentId, Shipment.class)
                        .orElseThrow()
                        .trackingNumber());
        awaitWebhook(store, "com.adobe.commerce.observer.sales_order_shipment_save_commit_after", "1ZADOBE");

        Order toCancel = openOrder(store, 0);
        HttpResponse<String> cancelled = send(store, "POST", "/V1/orders/" + toCancel.id() + "/cancel", null);
        assertEquals("true", cancelled.body());
        assertEquals(OrderStatus.CANCELLED, order(store, toCancel.id()).status());
        awaitWebhook(store, "com.adobe.commerce.observer.sales_order_save_commit_after", "\"state\":\"canceled\"");
        assertEquals(
                "false",
                send(store, "POST", "/V1/orders/" + toCancel.id() + "/cancel", null)
                        .body());
        assertEquals(404, send(store, "POST", "/V1/orders/999999/cancel", null).statusCode());

        HttpResponse<String> prices = send(
                store,
                "POST",
                "/V1/products/base-prices",
                Map.of(
                        "prices",
                        List.of(
                                Map.of("sku", product.sku(), "price", 21.5, "store_id", 0),
                                Map.of("sku", "NO-SUCH-SKU", "price", 1, "store_id", 0))));
        assertEquals(200, prices.statusCode(), prices.body());
        assertEquals(1, json(prices).size());
        assertEquals(
                0,
                new BigDecimal("21.50").compareTo(product(store, product.id()).price()));
    }

    // ---- write faults, on every platform ----

    /** A write of the product's stock to {@code quantity} in the platform's request shape. */
    private static HttpResponse<String> setStock(SimulatedStore store, Product product, int quantity, Duration timeout)
            throws Exception {
        InventoryLevel level = level(store, product);
        return switch (store.platform()) {
            case "shopify" ->
                send(
                        store,
                        "POST",
                        SHOPIFY_GRAPHQL,
                        Map.of(
                                "query",
                                SET_QUANTITIES,
                                "variables",
                                Map.of(
                                        "key",
                                        "stock-" + quantity,
                                        "input",
                                        setQuantity(product, level, quantity, null))),
                        timeout);
            case "bigcommerce" ->
                send(
                        store,
                        "PUT",
                        "/v3/inventory/adjustments/absolute",
                        Map.of(
                                "items",
                                List.of(Map.of(
                                        "location_id",
                                        Long.parseLong(level.locationId()),
                                        "variant_id",
                                        Long.parseLong(product.variantId()),
                                        "quantity",
                                        quantity))),
                        timeout);
            case "woocommerce" ->
                send(
                        store,
                        "PUT",
                        "/wp-json/wc/v3/products/" + product.id(),
                        Map.of("stock_quantity", quantity),
                        timeout);
            case "amazon" ->
                send(
                        store,
                        "PATCH",
                        "/listings/2021-08-01/items/" + store.storeId() + "/" + product.sku()
                                + "?marketplaceIds=ATVPDKIKX0DER",
                        Map.of(
                                "productType",
                                "PRODUCT",
                                "patches",
                                List.of(Map.of(
                                        "op",
                                        "replace",
                                        "path",
                                        "/attributes/fulfillment_availability",
                                        "value",
                                        List.of(Map.of("fulfillment_channel_code", "DEFAULT", "quantity", quantity))))),
                        timeout);
            case "ebay" ->
                send(
                        store,
                        "POST",
                        "/sell/inventory/v1/bulk_update_price_quantity",
                        Map.of(
                                "requests",
                                List.of(Map.of(
                                        "sku",
                                        product.sku(),
                                        "shipToLocationAvailability",
                                        Map.of("quantity", quantity)))),
                        timeout);
            default ->
                send(
                        store,
                        "POST",
                        "/V1/inventory/source-items",
                        Map.of(
                                "sourceItems",
                                List.of(Map.of("sku", product.sku(), "source_code", "default", "quantity", quantity))),
                        timeout);
        };
    }

    @ParameterizedTest
    @MethodSource("dev.commercesync.simulator.SimulatedApiTest#platforms")
    void writeRateLimitedRefusesWithThePlatformsAnswer(String platform) throws Exception {
        SimulatedStore store = store(platform, platform + "-w429", FaultProfile.parse("none,write-rate-limited=1"));
        Product product = product(store, 0);
        int before = level(store, product).available();
        HttpResponse<String> answer = setStock(store, product, before + 5, Duration.ofSeconds(10));
        if (platform.equals("shopify")) {
            assertEquals(
                    "THROTTLED",
                    json(answer)
                            .path("errors")
                            .get(0)
                            .path("extensions")
                            .path("code")
                            .asText());
        } else {
            assertEquals(429, answer.statusCode());
            // SP-API names no wait, only the operation's rate; the others a Retry-After
            assertTrue(answer.headers()
                    .firstValue(
                            switch (platform) {
                                case "bigcommerce" -> "X-Retry-After";
                                case "amazon" -> "x-amzn-RateLimit-Limit";
                                default -> "Retry-After";
                            })
                    .isPresent());
        }
        assertEquals(before, level(store, product).available());
        assertEquals(1, store.stats().writesRefusedByFault());
        assertEquals(0, store.stats().writesApplied());
        assertEquals(1, store.stats().fault(Fault.WRITE_RATE_LIMITED));
    }

    @ParameterizedTest
    @MethodSource("dev.commercesync.simulator.SimulatedApiTest#platforms")
    void writeErrorAfterApplyAppliesThenAnswers5xx(String platform) throws Exception {
        SimulatedStore store =
                store(platform, platform + "-w5xx", FaultProfile.parse("none,write_error_after_apply=1"));
        Product product = product(store, 0);
        int target = level(store, product).available() + 9;
        HttpResponse<String> answer = setStock(store, product, target, Duration.ofSeconds(10));
        assertTrue(answer.statusCode() == 500 || answer.statusCode() == 503, answer.body());
        assertEquals(target, level(store, product).available());
        assertEquals(1, store.stats().writesApplied());
        assertEquals(1, store.stats().fault(Fault.WRITE_ERROR_AFTER_APPLY));
        assertTrue(store.awaitDeliveries(Duration.ofSeconds(10)));
        if (!store.topics().isEmpty()) { // Amazon (SQS/EventBridge only) and eBay send no stock webhooks
            assertTrue(store.stats().totalDelivered() > 0, "the write's webhooks went out");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.commercesync.simulator.SimulatedApiTest#platforms")
    void writeTimeoutAfterApplyAppliesThenHoldsTheAnswerPastTheClientsTimeout(String platform) throws Exception {
        SimulatedStore store = store(
                platform, platform + "-wtime", FaultProfile.parse("none,write-timeout-after-apply=1,write-hold=PT20S"));
        Product product = product(store, 0);
        int target = level(store, product).available() + 4;
        assertThrows(HttpTimeoutException.class, () -> setStock(store, product, target, Duration.ofMillis(300)));
        // On a loaded machine the client may give up before the store has even read the request: it applies then.
        await().atMost(Duration.ofSeconds(10)).until(() -> level(store, product).available() == target);
        assertEquals(1, store.stats().writesApplied());
        assertEquals(1, store.stats().fault(Fault.WRITE_TIMEOUT_AFTER_APPLY));
    }

    @Test
    void aWriteAppliedTwiceShowsInTheCountsPerKey() throws Exception {
        SimulatedStore store = store("woocommerce", "w-twice", FaultProfile.none());
        Order order = openOrder(store, 0);
        Map<String, Object> note = Map.of("note", "Tracking 1ZTWICE");
        send(store, "POST", "/wp-json/wc/v3/orders/" + order.id() + "/notes", note);
        send(store, "POST", "/wp-json/wc/v3/orders/" + order.id() + "/notes", note);
        assertEquals(1, store.stats().writesAppliedTwice());
        assertEquals(List.of(2L), store.writesAppliedPerKey().values().stream().toList());
        ObjectNode stats = Simulator.statsJson(store.stats());
        assertEquals(2, stats.path("writes_applied").asInt());
        assertEquals(1, stats.path("writes_applied_twice").asInt());
    }
}
