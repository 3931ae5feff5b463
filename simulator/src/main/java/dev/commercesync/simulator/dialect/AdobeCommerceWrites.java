package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiRequest;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.StoreWrites;
import dev.commercesync.simulator.model.WriteResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adobe Commerce's writes on a simulated store: {@code POST /V1/inventory/source-items} ({@code sourceItems[{sku,
 * source_code, quantity, status}]}, all or nothing, answered {@code []}; the store's one source is {@code default});
 * {@code POST /V1/order/{id}/ship} ({@code items[{order_item_id, qty}]} — none: everything left —, {@code
 * tracks[{track_number, title, carrier_code}]}, {@code notify}; answered with the new shipment's id as a JSON string,
 * {@code "3"}); {@code POST /V1/orders/{id}/cancel} (answered {@code true}, {@code false} when the order is cancelled
 * already; MSI compensates the reservation, source quantities do not change); {@code POST /V1/orders/{id}/hold} and
 * {@code /unhold} (answered {@code true}; the held order's state is {@code holded}, with {@code hold_before_state}); {@code POST /V1/products/base-prices}
 * ({@code prices[{price, store_id, sku}]}; answered with the list of prices that failed, {@code []} when none). Errors
 * as Adobe Commerce's {@code {message, parameters}}.
 */
final class AdobeCommerceWrites {
    private static final Pattern SHIP = Pattern.compile("/V1/order/([0-9]+)/ship");
    private static final Pattern CANCEL = Pattern.compile("/V1/orders/([0-9]+)/cancel");
    private static final Pattern HOLD = Pattern.compile("/V1/orders/([0-9]+)/(hold|unhold)");

    private AdobeCommerceWrites() {}

    /** The answer of a write route, or empty when the request is not one. */
    static Optional<ApiAnswer> route(ApiRequest request, StoreContext store) {
        if (!request.method().equals("POST")) {
            return Optional.empty();
        }
        String path = request.path();
        Matcher m;
        if (path.equals("/V1/inventory/source-items")) {
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> sourceItems(b, store))
                    .orElseGet(AdobeCommerceWrites::badJson));
        }
        if (path.equals("/V1/products/base-prices")) {
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> basePrices(b, store))
                    .orElseGet(AdobeCommerceWrites::badJson));
        }
        if ((m = SHIP.matcher(path)).matches()) {
            String orderId = m.group(1);
            return Optional.of(Payloads.jsonObject(request)
                    .map(b -> ship(orderId, b, store))
                    .orElseGet(AdobeCommerceWrites::badJson));
        }
        if ((m = CANCEL.matcher(path)).matches()) {
            String orderId = m.group(1);
            WriteResult result = store.writer().apply(w -> w.cancelOrder(orderId, false));
            if (result instanceof WriteResult.NotFound) {
                return Optional.of(AdobeCommerceDialect.notFound());
            }
            return Optional.of(ApiAnswer.json(200, JsonNodeFactory.instance.booleanNode(result.applied())));
        }
        if ((m = HOLD.matcher(path)).matches()) {
            return Optional.of(hold(m.group(1), m.group(2).equals("hold"), store));
        }
        return Optional.empty();
    }

    /**
     * {@code POST /V1/orders/{id}/hold} and {@code /unhold}: {@code true}; an order that cannot be held (not new or
     * processing) or released (not held) is refused with Adobe Commerce's message.
     */
    private static ApiAnswer hold(String orderId, boolean hold, StoreContext store) {
        Optional<Order> order = store.state().get(EntityType.ORDER, orderId, Order.class);
        if (order.isEmpty()) {
            return AdobeCommerceDialect.notFound();
        }
        OrderStatus status = order.get().status();
        if (hold && status != OrderStatus.PENDING && status != OrderStatus.PAID) {
            return AdobeCommerceDialect.error(400, "A hold action is not available.");
        }
        if (!hold && status != OrderStatus.ON_HOLD) {
            return AdobeCommerceDialect.error(400, "You cannot remove the hold.");
        }
        store.writer().apply(w -> hold ? w.setOrderStatus(orderId, OrderStatus.ON_HOLD) : w.releaseOrder(orderId));
        return ApiAnswer.json(200, JsonNodeFactory.instance.booleanNode(true));
    }

    private static ApiAnswer badJson() {
        return AdobeCommerceDialect.error(400, "Decoding error: the request body is not a JSON object.");
    }

    private static ApiAnswer validationFailed(String message) {
        ObjectNode body = Payloads.object();
        body.put("message", "Validation Failed");
        ObjectNode error = body.putArray("errors").addObject();
        error.put("message", message);
        error.putArray("parameters");
        return ApiAnswer.json(400, body);
    }

    private static ApiAnswer sourceItems(JsonNode body, StoreContext store) {
        JsonNode items = body.path("sourceItems");
        if (!items.isArray() || items.isEmpty()) {
            return validationFailed("\"sourceItems\" is required. Enter and try again.");
        }
        List<Object[]> wanted = new ArrayList<>(); // product, quantity
        for (JsonNode item : items) {
            String sku = item.path("sku").asText("");
            Optional<Product> product = store.writer().read(w -> w.productBySku(sku));
            if (product.isEmpty()) {
                return validationFailed("Product with SKU \"" + sku + "\" does not exist.");
            }
            if (!item.path("source_code").asText("").equals("default")) {
                return validationFailed(
                        "Source with code \"" + item.path("source_code").asText("") + "\" does not exist.");
            }
            if (!item.path("quantity").isNumber() || item.path("quantity").asDouble() < 0) {
                return validationFailed("\"quantity\" must be a number, 0 or more.");
            }
            wanted.add(new Object[] {product.get(), (int) item.path("quantity").asDouble()});
        }
        store.writer()
                .apply(w -> w.setInventories(wanted.stream()
                        .map(i -> new StoreWrites.LevelSet(
                                ((Product) i[0]).inventoryItemId(), w.locationId(), (Integer) i[1], null))
                        .toList()));
        return ApiAnswer.json(200, Json.MAPPER.createArrayNode());
    }

    private static ApiAnswer basePrices(JsonNode body, StoreContext store) {
        JsonNode prices = body.path("prices");
        if (!prices.isArray()) {
            return validationFailed("\"prices\" is required. Enter and try again.");
        }
        ArrayNode failed = Json.MAPPER.createArrayNode();
        for (JsonNode price : prices) {
            String sku = price.path("sku").asText("");
            Optional<Product> product = store.writer().read(w -> w.productBySku(sku));
            BigDecimal value;
            try {
                value = new BigDecimal(price.path("price").asText(""));
            } catch (NumberFormatException e) {
                value = null;
            }
            if (product.isEmpty() || value == null || value.signum() < 0) {
                ObjectNode failure = failed.addObject();
                failure.put(
                        "message",
                        product.isEmpty()
                                ? "The SKU specified is incorrect or doesn't exist. Verify the SKU and try again."
                                : "Invalid attribute price = %value. Row ID: SKU = %SKU, Store ID: %storeId.");
                ArrayNode parameters = failure.putArray("parameters");
                parameters.add(sku);
                parameters.add(price.path("store_id").asText("0"));
                continue;
            }
            BigDecimal newPrice = value;
            store.writer().apply(w -> w.setPrice(product.get().id(), newPrice));
        }
        return ApiAnswer.json(200, failed);
    }

    private static ApiAnswer ship(String orderId, JsonNode body, StoreContext store) {
        if (store.state().get(EntityType.ORDER, orderId).isEmpty()) {
            return AdobeCommerceDialect.notFound();
        }
        List<StoreWrites.ShipLine> lines = new ArrayList<>();
        for (JsonNode item : body.path("items")) {
            lines.add(new StoreWrites.ShipLine(item.path("order_item_id").asText(""), (int)
                    item.path("qty").asDouble()));
        }
        JsonNode track = body.path("tracks").path(0);
        String code = track.path("carrier_code").asText("custom");
        String carrier =
                Payloads.carrierOf(code).orElseGet(() -> track.path("title").asText(code));
        String number = track.path("track_number").asText("");
        WriteResult result = store.writer().apply(w -> w.createShipment(orderId, lines, carrier, number, null));
        if (result instanceof WriteResult.Applied applied) {
            return ApiAnswer.json(
                    200, JsonNodeFactory.instance.textNode(applied.entity().id()));
        }
        String reason =
                result instanceof WriteResult.Invalid invalid ? invalid.message() : "the order item does not exist";
        return AdobeCommerceDialect.error(400, "Shipment Document Validation Error(s):\n" + reason);
    }
}
