package dev.commercesync.platforms.woocommerce;

import static dev.commercesync.platforms.shared.CommandWrites.readBackOf;
import static dev.commercesync.platforms.shared.CommandWrites.rejected;
import static dev.commercesync.platforms.shared.CommandWrites.sameAmount;
import static dev.commercesync.platforms.shared.CommandWrites.state;
import static dev.commercesync.platforms.shared.CommandWrites.success;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes canonical commands to a WooCommerce store through REST v3 ({@code /wp-json/wc/v3}), with {@link WooApiClient}'s
 * HTTP, auth and error classification. WooCommerce has <b>no idempotency key and no conditional write</b>: every write
 * sets an absolute value, compare-and-set is read-before-write (a race between the read and the write is not
 * detected), and after an ambiguous failure the caller's {@link #readBack} decides; those are the whole guarantee.
 *
 * <ul>
 *   <li>SET_INVENTORY_LEVEL: {@code item_id} is the product id (simple product) or the variation id; {@code
 *       location_id} must be null (one stock per product). {@code GET /products/{item_id}} first (WooCommerce answers
 *       it for variations too, with {@code type} "variation" and {@code parent_id}: woocommerce issue 41374), for the
 *       compare-and-set and the route, then {@code PUT /products/{id}} or {@code PUT
 *       /products/{parent_id}/variations/{id}} with {@code manage_stock} true and {@code stock_quantity}.
 *   <li>SET_PRICE: {@code PUT /products/{product_id}} (no variant, or the variant is the simple product itself) or
 *       {@code /products/{product_id}/variations/{variant_id}}: {@code regular_price} = price; with a compare-at
 *       price, {@code regular_price} = compare-at and {@code sale_price} = price (WooCommerce's sale). The currency is
 *       not checked (product payloads name none): it must be the store's.
 *   <li>CREATE_SHIPMENT: core WooCommerce has no fulfillment. {@code GET /orders/{id}} (lines checked), {@code GET
 *       /orders/{id}/notes}, then, unless a note with the tracking number is there already, {@code POST
 *       /orders/{id}/notes} with carrier, tracking number and URL, the lines and the command id ({@code customer_note}
 *       = notify_customer: WooCommerce emails customer notes); then {@code PUT /orders/{id}} status {@code completed}
 *       only when the command ships every line of the order in full (an order shipped in parts is not completed by
 *       the writer). Applying it again does not add a second note. A refused completion after the note is REJECTED
 *       (OTHER) saying that the note is there.
 *   <li>CANCEL_ORDER: {@code PUT /orders/{id}} status {@code cancelled}. WooCommerce itself puts back the stock it
 *       had reduced for the order, so {@code restock=false} is rejected as UNSUPPORTED; reason and notify_customer
 *       are not sent (core WooCommerce records no reason and emails the cancellation to the store only).
 *   <li>UPDATE_ORDER_STATUS: {@code PUT /orders/{id}} with the WooCommerce status whose canonical status ({@link
 *       WooOrderMapper#orderStatus}) is the one wanted; ARCHIVED (trash, a DELETE) and UNKNOWN are UNSUPPORTED.
 * </ul>
 */
final class WooWriteClient implements PlatformWriteClient {
    /** WooCommerce statuses the REST API sets, in the order the inverse of WooOrderMapper.orderStatus prefers. */
    private static final List<String> SETTABLE_STATUSES =
            List.of("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed");

    static final Set<CommandKind> KINDS = EnumSet.allOf(CommandKind.class);

    private final WooApiClient api;
    private final Clock clock;

    WooWriteClient(WooApiClient api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    @Override
    public ApiResponse<WriteOutcome> apply(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            return setInventory(command, set);
        }
        if (action instanceof SetPrice price) {
            return setPrice(command, price);
        }
        if (action instanceof CreateShipment shipment) {
            return createShipment(command, shipment);
        }
        if (action instanceof CancelOrder cancel) {
            if (!cancel.getRestock()) {
                return rejected(
                        CommandResultReason.UNSUPPORTED,
                        "WooCommerce puts the stock of a cancelled order back itself: restock=false cannot be honoured");
            }
            return setOrderStatus(command, cancel.getOrderId(), "cancelled");
        }
        UpdateOrderStatus update = (UpdateOrderStatus) action;
        Optional<String> status = wooStatus(update.getStatus());
        if (status.isEmpty()) {
            return rejected(
                    CommandResultReason.UNSUPPORTED,
                    "WooCommerce has no order status the REST API sets for " + update.getStatus()
                            + (update.getStatus() == OrderStatus.ARCHIVED ? " (trashing an order is a DELETE)" : ""));
        }
        return setOrderStatus(command, update.getOrderId(), status.get());
    }

    /**
     * Requests, one unit each: the stock's read and write (2); the shipment's order, notes, note and completion (4);
     * one PUT for a price or an order status.
     */
    @Override
    public WriteCost applyCost(Command command) {
        return WriteCost.requests(
                switch (CommandKind.of(command)) {
                    case SET_INVENTORY_LEVEL -> 2;
                    case CREATE_SHIPMENT -> 4;
                    case SET_PRICE, CANCEL_ORDER, UPDATE_ORDER_STATUS -> 1;
                });
    }

    /** One GET; a shipment's two (the order and its notes). */
    @Override
    public WriteCost readBackCost(Command command) {
        return WriteCost.requests(CommandKind.of(command) == CommandKind.CREATE_SHIPMENT ? 2 : 1);
    }

    @Override
    public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            ApiResponse<Optional<JsonNode>> item = api.get(product(set.getItemId()), "WooCommerce get stock");
            return readBackOf(item, node -> stockIs(node, set.getQuantity()), STOCK_FIELDS);
        }
        if (action instanceof SetPrice price) {
            ApiResponse<Optional<JsonNode>> item = api.get(pricePath(price), "WooCommerce get price");
            Map<String, BigDecimal> wanted = priceFields(price);
            return readBackOf(
                    item,
                    node -> wanted.entrySet().stream().allMatch(e -> sameAmount(node.path(e.getKey()), e.getValue())),
                    PRICE_FIELDS);
        }
        if (action instanceof CreateShipment shipment) {
            ApiResponse<Optional<JsonNode>> order = getOrder(shipment.getOrderId());
            if (order.value().isEmpty()) {
                return new ApiResponse<>(ReadBack.notFound(), order.quota());
            }
            JsonNode orderNode = order.value().get();
            ApiResponse<Optional<JsonNode>> notes = getNotes(shipment.getOrderId());
            Optional<JsonNode> note = notes.value().flatMap(list -> noteWithTracking(list, shipment));
            boolean completedIfDue = !shipsEverything(orderNode, shipment)
                    || "completed".equals(orderNode.path("status").asText());
            String state = shipmentState(orderNode, note);
            return new ApiResponse<>(
                    note.isPresent() && completedIfDue ? ReadBack.applied(state) : ReadBack.notApplied(state),
                    notes.quota());
        }
        CommandWrites.WantedStatus wanted = CommandWrites.WantedStatus.of(action);
        return readBackOf(
                getOrder(wanted.orderId()),
                node -> WooOrderMapper.orderStatus(node.path("status").asText("")) == wanted.status(),
                ORDER_FIELDS);
    }

    // ---- inventory ----

    private static final List<String> STOCK_FIELDS =
            List.of("id", "parent_id", "type", "manage_stock", "stock_quantity", "stock_status");

    private ApiResponse<WriteOutcome> setInventory(Command command, SetInventoryLevel set) throws PlatformApiException {
        if (set.getLocationId() != null) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    "WooCommerce keeps one stock per product or variation: location_id must be null");
        }
        ApiResponse<Optional<JsonNode>> current = api.get(product(set.getItemId()), "WooCommerce get stock");
        if (current.value().isEmpty()) {
            return rejected(CommandResultReason.NOT_FOUND, "no product or variation " + set.getItemId());
        }
        JsonNode item = current.value().get();
        if (set.getExpectedQuantity() != null) {
            JsonNode quantity = item.path("stock_quantity");
            if (!stockIs(item, set.getExpectedQuantity())) {
                return new ApiResponse<>(
                        new WriteOutcome.Rejected(
                                CommandResultReason.CONFLICT,
                                "the stock_quantity is " + (quantity.isNull() ? "not managed" : quantity.asText())
                                        + ", not the expected " + set.getExpectedQuantity(),
                                Optional.of(state(item, STOCK_FIELDS))),
                        current.quota());
            }
        }
        Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
        if (expired.isPresent()) {
            return expired.get();
        }
        String id = item.path("id").asText(set.getItemId());
        String path = "variation".equals(item.path("type").asText())
                ? variation(item.path("parent_id").asText(), id)
                : product(id);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("manage_stock", true);
        body.put("stock_quantity", set.getQuantity());
        return outcome(api.write("PUT", path, body, "WooCommerce set stock"), STOCK_FIELDS);
    }

    /** Whether the product or variation manages its own stock and has the quantity. */
    private static boolean stockIs(JsonNode item, long quantity) {
        JsonNode stock = item.path("stock_quantity");
        return item.path("manage_stock").asBoolean(false) && stock.canConvertToLong() && stock.asLong() == quantity;
    }

    // ---- price ----

    private static final List<String> PRICE_FIELDS =
            List.of("id", "parent_id", "type", "price", "regular_price", "sale_price");

    private ApiResponse<WriteOutcome> setPrice(Command command, SetPrice price) throws PlatformApiException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        priceFields(price)
                .forEach((field, amount) ->
                        body.put(field, CommandWrites.plain(amount).toPlainString()));
        return outcome(api.write("PUT", pricePath(price), body, "WooCommerce set price"), PRICE_FIELDS);
    }

    private static String pricePath(SetPrice price) {
        String variant = price.getVariantId();
        return variant == null || variant.equals(price.getProductId())
                ? product(price.getProductId())
                : variation(price.getProductId(), variant);
    }

    /** regular_price = price; with a compare-at price, regular_price = compare-at and sale_price = price. */
    static Map<String, BigDecimal> priceFields(SetPrice price) {
        Map<String, BigDecimal> fields = new HashMap<>();
        if (price.getCompareAtPrice() == null) {
            fields.put("regular_price", price.getPrice().getAmount());
        } else {
            fields.put("regular_price", price.getCompareAtPrice().getAmount());
            fields.put("sale_price", price.getPrice().getAmount());
        }
        return fields;
    }

    // ---- orders ----

    private static final List<String> ORDER_FIELDS = List.of("id", "status", "date_modified_gmt");

    private ApiResponse<WriteOutcome> setOrderStatus(Command command, String orderId, String status)
            throws PlatformApiException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", status);
        return outcome(api.write("PUT", order(orderId), body, "WooCommerce set order status"), ORDER_FIELDS);
    }

    /** The first settable WooCommerce status whose canonical status is the one wanted. */
    static Optional<String> wooStatus(OrderStatus wanted) {
        return SETTABLE_STATUSES.stream()
                .filter(status -> WooOrderMapper.orderStatus(status) == wanted && wanted != OrderStatus.UNKNOWN)
                .findFirst();
    }

    private ApiResponse<Optional<JsonNode>> getOrder(String orderId) throws PlatformApiException {
        return api.get(order(orderId), "WooCommerce get order");
    }

    private ApiResponse<Optional<JsonNode>> getNotes(String orderId) throws PlatformApiException {
        return api.get(order(orderId) + "/notes", "WooCommerce list order notes");
    }

    // ---- shipment (an order note) ----

    private ApiResponse<WriteOutcome> createShipment(Command command, CreateShipment shipment)
            throws PlatformApiException {
        ApiResponse<Optional<JsonNode>> order = getOrder(shipment.getOrderId());
        if (order.value().isEmpty()) {
            return rejected(CommandResultReason.NOT_FOUND, "no order " + shipment.getOrderId());
        }
        JsonNode orderNode = order.value().get();
        Optional<String> invalid = invalidLines(orderNode, shipment);
        if (invalid.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, invalid.get());
        }
        ApiResponse<Optional<JsonNode>> notes = getNotes(shipment.getOrderId());
        if (notes.value().isEmpty()) {
            return rejected(CommandResultReason.NOT_FOUND, "no order " + shipment.getOrderId());
        }
        Optional<JsonNode> note = noteWithTracking(notes.value().get(), shipment);
        Optional<QuotaStatus> quota = notes.quota();
        if (note.isEmpty()) {
            Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
            if (expired.isPresent()) {
                return expired.get();
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("note", noteText(command, shipment));
            body.put("customer_note", shipment.getNotifyCustomer());
            HttpResponse<byte[]> response =
                    api.write("POST", order(shipment.getOrderId()) + "/notes", body, "WooCommerce add order note");
            if (!success(response)) {
                return rejection(response);
            }
            note = Optional.of(ApiHttp.json(response, "WooCommerce add order note"));
            quota = api.quotaOf(response);
        }
        if (shipsEverything(orderNode, shipment)
                && !"completed".equals(orderNode.path("status").asText())) {
            Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
            if (expired.isPresent()) {
                return expired.get();
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("status", "completed");
            HttpResponse<byte[]> response =
                    api.write("PUT", order(shipment.getOrderId()), body, "WooCommerce complete order");
            if (!success(response)) {
                // The note is there (a new attempt does not add another): say so, with the refusal.
                WriteOutcome.Rejected refused =
                        (WriteOutcome.Rejected) rejection(response).value();
                return new ApiResponse<>(
                        new WriteOutcome.Rejected(
                                CommandResultReason.OTHER,
                                "the tracking note is added; completing the order was refused: "
                                        + refused.platformError(),
                                Optional.of(shipmentState(orderNode, note))),
                        api.quotaOf(response));
            }
            orderNode = ApiHttp.json(response, "WooCommerce complete order");
            quota = api.quotaOf(response);
        }
        return new ApiResponse<>(new WriteOutcome.Applied(shipmentState(orderNode, note), Optional.empty()), quota);
    }

    /** The note: carrier, tracking number and URL, the lines, and the command id (for echo recognition). */
    static String noteText(Command command, CreateShipment shipment) {
        StringBuilder text = new StringBuilder("Shipped with ")
                .append(shipment.getCarrier())
                .append(", tracking number ")
                .append(shipment.getTrackingNumber());
        if (shipment.getTrackingUrl() != null) {
            text.append(" (").append(shipment.getTrackingUrl()).append(')');
        }
        text.append(". Items: ")
                .append(shipment.getLines().stream()
                        .map(line -> "line " + line.getLineItemId() + " × " + line.getQuantity())
                        .collect(Collectors.joining(", ")))
                .append(". Reference: ")
                .append(CommandWrites.reference(command.getMetadata().getCommandId()));
        return text.toString();
    }

    private static Optional<JsonNode> noteWithTracking(JsonNode notes, CreateShipment shipment) {
        for (JsonNode note : notes) {
            if (note.path("note").asText("").contains("tracking number " + shipment.getTrackingNumber())) {
                return Optional.of(note);
            }
        }
        return Optional.empty();
    }

    /** Lines the order does not have, or more units than it has; empty when every line is valid. */
    private static Optional<String> invalidLines(JsonNode order, CreateShipment shipment) {
        Map<String, Long> ordered = orderedUnits(order);
        for (Map.Entry<String, Long> line : shippedUnits(shipment).entrySet()) {
            Long units = ordered.get(line.getKey());
            if (units == null) {
                return Optional.of("the order has no line item " + line.getKey());
            }
            if (line.getValue() < 1 || line.getValue() > units) {
                return Optional.of("line item " + line.getKey() + " has " + units + " units, not " + line.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether the command ships every line of the order in full. */
    private static boolean shipsEverything(JsonNode order, CreateShipment shipment) {
        return orderedUnits(order).equals(shippedUnits(shipment));
    }

    private static Map<String, Long> orderedUnits(JsonNode order) {
        Map<String, Long> units = new HashMap<>();
        for (JsonNode line : order.path("line_items")) {
            units.merge(line.path("id").asText(), line.path("quantity").asLong(0), Long::sum);
        }
        return units;
    }

    private static Map<String, Long> shippedUnits(CreateShipment shipment) {
        Map<String, Long> units = new HashMap<>();
        for (ShipmentLine line : shipment.getLines()) {
            units.merge(line.getLineItemId(), line.getQuantity(), Long::sum);
        }
        return units;
    }

    private static String shipmentState(JsonNode order, Optional<JsonNode> note) {
        ObjectNode state = Json.MAPPER.createObjectNode();
        state.put("order_id", order.path("id").asText());
        state.set("status", order.path("status"));
        note.ifPresent(n -> state.set("note", CommandWrites.fields(n, List.of("id", "note", "customer_note"))));
        return Json.encode(state);
    }

    // ---- shared ----

    private static String product(String id) {
        return "products/" + WooApiClient.encode(id);
    }

    private static String variation(String productId, String variationId) {
        return product(productId) + "/variations/" + WooApiClient.encode(variationId);
    }

    private static String order(String id) {
        return "orders/" + WooApiClient.encode(id);
    }

    private ApiResponse<WriteOutcome> outcome(HttpResponse<byte[]> response, List<String> fields)
            throws PlatformApiException {
        if (!success(response)) {
            return rejection(response);
        }
        JsonNode body = ApiHttp.json(response, "WooCommerce write");
        return new ApiResponse<>(
                new WriteOutcome.Applied(state(body, fields), Optional.empty()), api.quotaOf(response));
    }

    /**
     * A refusal in WooCommerce's {@code {code, message, data: {status, params}}}: an unknown id ({@code
     * woocommerce_rest_*_invalid_id}, which updates answer with 400, or a 404) is NOT_FOUND, another 400 VALIDATION.
     */
    private ApiResponse<WriteOutcome> rejection(HttpResponse<byte[]> response) {
        JsonNode error;
        try {
            error = Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            error = Json.MAPPER.createObjectNode();
        }
        String code = error.path("code").asText("");
        StringBuilder text = new StringBuilder("HTTP ").append(response.statusCode());
        if (!code.isEmpty()) {
            text.append(' ').append(code);
        }
        if (error.hasNonNull("message")) {
            text.append(": ").append(error.path("message").asText());
        }
        JsonNode params = error.path("data").path("params");
        if (params.isObject() && !params.isEmpty()) {
            text.append(' ').append(Json.encode(params));
        }
        CommandResultReason reason = response.statusCode() == 404 || code.endsWith("_invalid_id")
                ? CommandResultReason.NOT_FOUND
                : response.statusCode() == 400 ? CommandResultReason.VALIDATION : CommandResultReason.OTHER;
        return new ApiResponse<>(new WriteOutcome.Rejected(reason, text.toString()), api.quotaOf(response));
    }
}
