package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderNote;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.WriteResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WooCommerce's writes on a simulated store (REST v3; {@code PUT}, {@code POST} and {@code PATCH} update alike):
 * {@code products/{id}} and {@code products/{id}/variations/{variation_id}} with {@code stock_quantity} (and {@code
 * manage_stock}), {@code regular_price} and {@code sale_price} (a sale: the price paid, the regular price its
 * compare-at; {@code ""} ends it), answered with the product or variation; {@code orders/{id}} with {@code
 * status} ({@code pending}, {@code processing}, {@code on-hold}, {@code completed}, {@code cancelled}, {@code
 * refunded}, {@code failed} — cancelling puts the units back in stock, as WooCommerce does; a status set to refunded
 * moves no money), answered with the order; {@code POST orders/{id}/notes} ({@code note}, {@code
 * customer_note}; 201 with the note: tracking where core WooCommerce has no fulfillment) and {@code GET
 * orders/{id}/notes}. Errors as WooCommerce's {@code {code, message, data: {status}}}.
 */
final class WooCommerceWrites {
    private static final Pattern PRODUCT = Pattern.compile("products/([0-9]+)");
    private static final Pattern VARIATION = Pattern.compile("products/([0-9]+)/variations/([0-9]+)");
    private static final Pattern ORDER = Pattern.compile("orders/([0-9]+)");
    private static final Pattern NOTES = Pattern.compile("orders/([0-9]+)/notes");
    private static final Set<String> UPDATE = Set.of("PUT", "POST", "PATCH");
    private static final Map<String, OrderStatus> STATUSES = Map.of(
            "pending", OrderStatus.PENDING,
            "processing", OrderStatus.PAID,
            "on-hold", OrderStatus.ON_HOLD,
            "completed", OrderStatus.FULFILLED,
            "cancelled", OrderStatus.CANCELLED,
            "refunded", OrderStatus.REFUNDED,
            "failed", OrderStatus.FAILED);

    private WooCommerceWrites() {}

    /** The answer of a write route (or of the notes listing), or empty when the request is not one. */
    static Optional<ApiAnswer> route(ApiRequest request, String resource, StoreContext store) {
        String method = request.method();
        Matcher m;
        if ((m = NOTES.matcher(resource)).matches()) {
            String orderId = m.group(1);
            if (method.equals("GET")) {
                return Optional.of(notes(orderId, store));
            }
            if (method.equals("POST")) {
                return Optional.of(Payloads.jsonObject(request)
                        .map(b -> addNote(orderId, b, store))
                        .orElseGet(WooCommerceWrites::badJson));
            }
        }
        if (!UPDATE.contains(method)) {
            return Optional.empty();
        }
        if ((m = VARIATION.matcher(resource)).matches()) {
            String productId = m.group(1);
            String variationId = m.group(2);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> product(productId, variationId, b, store))
                    .orElseGet(WooCommerceWrites::badJson));
        }
        if ((m = PRODUCT.matcher(resource)).matches()) {
            String productId = m.group(1);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> product(productId, null, b, store))
                    .orElseGet(WooCommerceWrites::badJson));
        }
        if ((m = ORDER.matcher(resource)).matches()) {
            String orderId = m.group(1);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> order(orderId, b, store))
                    .orElseGet(WooCommerceWrites::badJson));
        }
        return Optional.empty();
    }

    private static ApiAnswer badJson() {
        return error(400, "rest_invalid_json", "Invalid JSON body passed.");
    }

    private static ApiAnswer error(int status, String code, String message) {
        ObjectNode error = Payloads.object();
        error.put("code", code);
        error.put("message", message);
        error.putObject("data").put("status", status);
        return ApiAnswer.json(status, error);
    }

    private static ApiAnswer invalidParam(String param, String message) {
        ApiAnswer answer = error(400, "rest_invalid_param", "Invalid parameter(s): " + param);
        try {
            ObjectNode body = (ObjectNode) Json.MAPPER.readTree(answer.body());
            ((ObjectNode) body.path("data")).putObject("params").put(param, message);
            return ApiAnswer.json(400, body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiAnswer product(String productId, String variationId, JsonNode body, StoreContext store) {
        Optional<Product> product = store.state().get(EntityType.PRODUCT, productId, Product.class);
        if (product.isEmpty()) {
            return WooCommerceDialect.notFound("woocommerce_rest_product_invalid_id", "Invalid ID.");
        }
        if (variationId != null && !product.get().variantId().equals(variationId)) {
            return WooCommerceDialect.notFound("woocommerce_rest_product_variation_invalid_id", "Invalid ID.");
        }
        Optional<BigDecimal> regular;
        Optional<BigDecimal> sale;
        try {
            regular = amount(body, "regular_price");
            sale = amount(body, "sale_price");
        } catch (IllegalArgumentException e) {
            return invalidParam(e.getMessage(), e.getMessage() + " is not a number, 0 or more.");
        }
        Integer stock = null;
        if (body.hasNonNull("stock_quantity")) {
            if (!body.path("stock_quantity").canConvertToInt()) {
                return invalidParam("stock_quantity", "stock_quantity is not of type integer.");
            }
            stock = body.path("stock_quantity").asInt();
        }
        Product p = product.get();
        if (stock != null) {
            int quantity = stock;
            store.writer().apply(w -> w.setInventory(p.inventoryItemId(), w.locationId(), quantity, null));
        }
        if (body.has("regular_price") || body.has("sale_price")) {
            // WooCommerce's pair: a sale price below the regular one is what is paid; "" ends the sale.
            BigDecimal onSaleFrom =
                    store.writer().read(w -> w.compareAtPrice(productId)).orElse(null);
            BigDecimal newRegular = body.has("regular_price")
                    ? regular.orElse(onSaleFrom != null ? onSaleFrom : p.price())
                    : onSaleFrom != null ? onSaleFrom : p.price();
            BigDecimal newSale = body.has("sale_price") ? sale.orElse(null) : onSaleFrom != null ? p.price() : null;
            store.writer()
                    .apply(w -> newSale == null
                            ? w.setPrices(productId, newRegular, null)
                            : w.setPrices(productId, newSale, newRegular));
        }
        Product now =
                store.state().get(EntityType.PRODUCT, productId, Product.class).orElseThrow();
        ObjectNode json = WooCommerceDialect.product(now, store);
        if (variationId != null) {
            json.put("id", Payloads.id(now.variantId()));
            json.put("parent_id", Payloads.id(now.id()));
            json.put("type", "variation");
        }
        return ApiAnswer.json(200, json);
    }

    /** A price field: empty when absent or "" (WooCommerce's "no sale price"); IllegalArgumentException if invalid. */
    private static Optional<BigDecimal> amount(JsonNode body, String field) {
        String text = body.path(field).asText("");
        if (!body.has(field) || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() < 0) {
                throw new IllegalArgumentException(field);
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field);
        }
    }

    private static ApiAnswer order(String orderId, JsonNode body, StoreContext store) {
        if (store.state().get(EntityType.ORDER, orderId).isEmpty()) {
            return WooCommerceDialect.notFound("woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
        }
        if (body.has("status")) {
            OrderStatus status = STATUSES.get(body.path("status").asText(""));
            if (status == null) {
                return invalidParam(
                        "status",
                        "status is not one of pending, processing, on-hold, completed, cancelled, refunded, failed.");
            }
            store.writer()
                    .apply(w -> status == OrderStatus.CANCELLED
                            ? w.cancelOrder(orderId, true)
                            : w.setOrderStatus(orderId, status));
        }
        Order now = store.state().get(EntityType.ORDER, orderId, Order.class).orElseThrow();
        return ApiAnswer.json(200, WooCommerceDialect.order(now, store));
    }

    private static ApiAnswer addNote(String orderId, JsonNode body, StoreContext store) {
        String text = body.path("note").asText("");
        if (text.isBlank()) {
            return error(400, "rest_missing_callback_param", "Missing parameter(s): note");
        }
        boolean customerNote = body.path("customer_note").asBoolean(false);
        WriteResult result = store.writer().apply(w -> w.addNote(orderId, text, customerNote));
        if (!result.applied()) {
            return error(400, "woocommerce_rest_order_invalid_id", "Invalid order ID.");
        }
        List<OrderNote> notes = store.state().notesOf(orderId);
        return ApiAnswer.json(201, note(notes.get(notes.size() - 1)));
    }

    private static ApiAnswer notes(String orderId, StoreContext store) {
        if (store.state().get(EntityType.ORDER, orderId).isEmpty()) {
            return error(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.");
        }
        ArrayNode notes = Json.MAPPER.createArrayNode();
        // Newest first, as WooCommerce lists them.
        List<OrderNote> all = new ArrayList<>(store.state().notesOf(orderId));
        Collections.reverse(all);
        all.forEach(n -> notes.add(note(n)));
        return ApiAnswer.json(200, notes);
    }

    private static ObjectNode note(OrderNote note) {
        ObjectNode json = Payloads.object();
        json.put("id", Payloads.id(note.id()));
        json.put("author", "WooCommerce");
        json.put("date_created", Payloads.local(note.createdAt()));
        json.put("date_created_gmt", Payloads.local(note.createdAt()));
        json.put("note", note.note());
        json.put("customer_note", note.customerNote());
        return json;
    }
}
