package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.Shipment;
import dev.commercesync.simulator.model.StoreWrites;
import dev.commercesync.simulator.model.WriteResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BigCommerce's writes on a simulated store: {@code PUT /v3/inventory/adjustments/absolute} (items by {@code
 * variant_id}, {@code product_id} or {@code sku} at a {@code location_id}; all or nothing; 200 with a {@code
 * transaction_id}), {@code POST /v2/orders/{id}/shipments} ({@code order_address_id}, {@code items[{order_product_id,
 * quantity}]}, {@code tracking_number}, {@code shipping_provider}, {@code tracking_carrier}, {@code tracking_link}; 201
 * with the shipment), {@code PUT /v2/orders/{id}} with {@code status_id} (1 Pending, 11 Awaiting Fulfillment, 2
 * Shipped, 10 Completed, 5 Cancelled, 6 Declined, 12 Manual Verification Required; 200 with the order), {@code PUT /v3/catalog/products/{id}/variants/{variant_id}}
 * and {@code PUT /v3/catalog/products/{id}} with {@code price} and {@code retail_price} (the compare-at price; 0 clears
 * it). Errors in BigCommerce's shapes: v2 a list of {@code
 * {status, message}}, v3 {@code {status, title, type, errors}}.
 */
final class BigCommerceWrites {
    private static final Pattern ORDER = Pattern.compile("/v2/orders/([0-9]+)");
    private static final Pattern ORDER_SHIPMENTS = Pattern.compile("/v2/orders/([0-9]+)/shipments");
    private static final Pattern PRODUCT = Pattern.compile("/v3/catalog/products/([0-9]+)");
    private static final Pattern VARIANT = Pattern.compile("/v3/catalog/products/([0-9]+)/variants/([0-9]+)");
    private static final int MAX_ITEMS = 2000;

    private BigCommerceWrites() {}

    /** The answer of a write route, or empty when the request is not one. */
    static Optional<ApiAnswer> route(ApiRequest request, StoreContext store) {
        String path = request.path();
        String method = request.method();
        Matcher m;
        if (method.equals("PUT") && path.equals("/v3/inventory/adjustments/absolute")) {
            return Optional.of(
                    Payloads.jsonObject(request).map(b -> absolute(b, store)).orElseGet(() -> badJson(true)));
        }
        if (method.equals("POST") && (m = ORDER_SHIPMENTS.matcher(path)).matches()) {
            String orderId = m.group(1);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> shipment(orderId, b, store))
                    .orElseGet(() -> badJson(false)));
        }
        if (method.equals("PUT") && (m = ORDER.matcher(path)).matches()) {
            String orderId = m.group(1);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> orderStatus(orderId, b, store))
                    .orElseGet(() -> badJson(false)));
        }
        if (method.equals("PUT") && (m = VARIANT.matcher(path)).matches()) {
            String productId = m.group(1);
            String variantId = m.group(2);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> price(productId, variantId, b, store))
                    .orElseGet(() -> badJson(true)));
        }
        if (method.equals("PUT") && (m = PRODUCT.matcher(path)).matches()) {
            String productId = m.group(1);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> price(productId, null, b, store))
                    .orElseGet(() -> badJson(true)));
        }
        return Optional.empty();
    }

    private static ApiAnswer badJson(boolean v3) {
        if (v3) {
            return BigCommerceDialect.v3Error(400, "The request body is not a JSON object");
        }
        ArrayNode body = Json.MAPPER.createArrayNode();
        body.add(BigCommerceDialect.v2Error(400, "The request body is not a JSON object."));
        return ApiAnswer.json(400, body);
    }

    private static ApiAnswer v2(int status, String message) {
        ArrayNode body = Json.MAPPER.createArrayNode();
        body.add(BigCommerceDialect.v2Error(status, message));
        return ApiAnswer.json(status, body);
    }

    private static ApiAnswer v3Unprocessable(String field, String message) {
        ApiAnswer answer = BigCommerceDialect.v3Error(422, "JSON data is missing or invalid");
        try {
            ObjectNode body = (ObjectNode) Json.MAPPER.readTree(answer.body());
            ((ObjectNode) body.path("errors")).put(field, message);
            return ApiAnswer.json(422, body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- inventory ----

    private static ApiAnswer absolute(JsonNode body, StoreContext store) {
        JsonNode items = body.path("items");
        if (!items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
            return v3Unprocessable("items", "items must list 1 to " + MAX_ITEMS + " items");
        }
        List<String[]> wanted = new ArrayList<>(); // inventory item id, location id, quantity
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            Optional<Product> product = store.writer().read(w -> productOf(item, w, store));
            String location = item.path("location_id").asText("");
            if (product.isEmpty()) {
                return v3Unprocessable("items." + i, "The item (variant_id, product_id or sku) does not exist.");
            }
            if (store.state()
                    .get(EntityType.INVENTORY_LEVEL, product.get().inventoryItemId() + "@" + location)
                    .isEmpty()) {
                return v3Unprocessable("items." + i + ".location_id", "The location does not exist.");
            }
            if (!item.path("quantity").canConvertToInt()
                    || item.path("quantity").asInt() < 0) {
                return v3Unprocessable("items." + i + ".quantity", "quantity must be a whole number, 0 or more");
            }
            wanted.add(new String[] {
                product.get().inventoryItemId(),
                location,
                Integer.toString(item.path("quantity").asInt())
            });
        }
        store.writer()
                .apply(w -> w.setInventories(wanted.stream()
                        .map(i -> new StoreWrites.LevelSet(i[0], i[1], Integer.parseInt(i[2]), null))
                        .toList()));
        ObjectNode answer = Payloads.object();
        answer.put(
                "transaction_id",
                Payloads.uuid("bc-adjustment/" + store.storeKey() + "/"
                        + store.clock().millis() + "/" + body.hashCode()));
        return ApiAnswer.json(200, answer);
    }

    private static Optional<Product> productOf(JsonNode item, StoreWrites writes, StoreContext store) {
        if (item.hasNonNull("variant_id")) {
            return writes.productByVariant(item.path("variant_id").asText());
        }
        if (item.hasNonNull("sku")) {
            return writes.productBySku(item.path("sku").asText());
        }
        return store.state().get(EntityType.PRODUCT, item.path("product_id").asText(""), Product.class);
    }

    // ---- shipments ----

    private static ApiAnswer shipment(String orderId, JsonNode body, StoreContext store) {
        Optional<Order> order = store.state().get(EntityType.ORDER, orderId, Order.class);
        if (order.isEmpty()) {
            return v2(404, "The requested resource was not found.");
        }
        if (!body.hasNonNull("order_address_id")
                || !body.path("items").isArray()
                || body.path("items").isEmpty()) {
            return v2(400, "The field 'order_address_id' and at least one item are required.");
        }
        if (!body.path("order_address_id").asText().equals(orderId)) {
            return v2(400, "The field 'order_address_id' is invalid.");
        }
        List<StoreWrites.ShipLine> lines = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            lines.add(new StoreWrites.ShipLine(
                    item.path("order_product_id").asText(""),
                    item.path("quantity").asInt()));
        }
        String provider = body.path("shipping_provider").asText("");
        String named = body.path("tracking_carrier").asText("");
        String carrier =
                Payloads.carrierOf(provider).orElse(!named.isEmpty() ? named : provider.isEmpty() ? "Other" : provider);
        String link = body.path("tracking_link").asText("");
        WriteResult result = store.writer()
                .apply(w -> w.createShipment(
                        orderId,
                        lines,
                        carrier,
                        body.path("tracking_number").asText(""),
                        link.isEmpty() ? null : link));
        if (result instanceof WriteResult.Applied applied) {
            Order now =
                    store.state().get(EntityType.ORDER, orderId, Order.class).orElseThrow();
            return ApiAnswer.json(201, BigCommerceDialect.shipment((Shipment) applied.entity(), now));
        }
        if (result instanceof WriteResult.NotFound) {
            return v2(400, "The field 'order_product_id' is invalid.");
        }
        return v2(400, ((WriteResult.Invalid) result).message());
    }

    // ---- order status ----

    private static final Map<Integer, OrderStatus> STATUSES = Map.of(
            1, OrderStatus.PENDING,
            11, OrderStatus.PAID,
            2, OrderStatus.FULFILLED,
            10, OrderStatus.FULFILLED,
            5, OrderStatus.CANCELLED,
            6, OrderStatus.FAILED,
            12, OrderStatus.ON_HOLD);

    private static ApiAnswer orderStatus(String orderId, JsonNode body, StoreContext store) {
        if (store.state().get(EntityType.ORDER, orderId).isEmpty()) {
            return v2(404, "The requested resource was not found.");
        }
        if (!body.path("status_id").canConvertToInt()
                || !STATUSES.containsKey(body.path("status_id").asInt())) {
            return v2(400, "The field 'status_id' is invalid (the simulator takes 1, 11, 2, 10, 5, 6 and 12).");
        }
        OrderStatus status = STATUSES.get(body.path("status_id").asInt());
        store.writer().apply(w -> w.setOrderStatus(orderId, status));
        Order now = store.state().get(EntityType.ORDER, orderId, Order.class).orElseThrow();
        return ApiAnswer.json(200, BigCommerceDialect.order(now, store));
    }

    // ---- prices ----

    private static ApiAnswer price(String productId, String variantId, JsonNode body, StoreContext store) {
        Optional<Product> product = store.state().get(EntityType.PRODUCT, productId, Product.class);
        if (product.isEmpty()
                || (variantId != null && !product.get().variantId().equals(variantId))) {
            return BigCommerceDialect.v3NotFound();
        }
        if (body.has("price") || body.has("retail_price")) {
            BigDecimal price;
            BigDecimal retail;
            try {
                price = body.has("price")
                        ? new BigDecimal(body.path("price").asText())
                        : product.get().price();
                retail = body.has("retail_price")
                        ? new BigDecimal(body.path("retail_price").asText())
                        : null;
            } catch (NumberFormatException e) {
                return v3Unprocessable("price", "price and retail_price must be numbers");
            }
            // retail_price (the compare-at price): 0 clears it; absent leaves it as it is
            BigDecimal compareAt = retail == null
                    ? store.writer().read(w -> w.compareAtPrice(productId)).orElse(null)
                    : retail.signum() == 0 ? null : retail;
            WriteResult result = store.writer().apply(w -> w.setPrices(productId, price, compareAt));
            if (result instanceof WriteResult.Invalid invalid) {
                return v3Unprocessable("price", invalid.message());
            }
        }
        Product now =
                store.state().get(EntityType.PRODUCT, productId, Product.class).orElseThrow();
        if (variantId == null) {
            return BigCommerceDialect.v3One(BigCommerceDialect.product(now));
        }
        return BigCommerceDialect.v3One(BigCommerceDialect.variant(now, store));
    }
}
