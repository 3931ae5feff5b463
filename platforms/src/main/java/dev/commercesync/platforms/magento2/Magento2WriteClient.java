package dev.commercesync.platforms.magento2;

import static dev.commercesync.platforms.shared.CommandWrites.readBackOf;
import static dev.commercesync.platforms.shared.CommandWrites.rejected;
import static dev.commercesync.platforms.shared.CommandWrites.sameAmount;
import static dev.commercesync.platforms.shared.CommandWrites.state;
import static dev.commercesync.platforms.shared.CommandWrites.success;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.EntityType;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Writes canonical commands to an Adobe Commerce store through its REST API, with {@link Magento2ApiClient}'s HTTP,
 * auth and error classification. Adobe Commerce has <b>no idempotency key and no conditional write</b> (its async bulk
 * API only numbers a batch): every write sets an absolute value, compare-and-set is read-before-write (a race between
 * the read and the write is not detected), and after an ambiguous failure the caller's {@link #readBack} decides;
 * those are the whole guarantee.
 *
 * <ul>
 *   <li>SET_INVENTORY_LEVEL ({@code <sku>@<source_code>}: item_id the SKU, location_id the source code, required):
 *       {@code POST /V1/inventory/source-items} with {@code sku, source_code, quantity} and {@code status} 1 (in
 *       stock) when the quantity is positive, else 0. A compare-and-set reads the source item first (the search
 *       {@link Magento2ApiClient#getById} makes). A refusal (400) of a SKU the catalog does not have is NOT_FOUND.
 *   <li>CREATE_SHIPMENT: {@code POST /V1/order/{id}/ship} with {@code items[{order_item_id, qty}]}, one track {@code
 *       {track_number, title: carrier, carrier_code}} (ups, usps, fedex, dhl, else custom), {@code notify} and a
 *       shipment comment naming the command (not e-mailed: {@code appendComment} false). Tracks have no URL field:
 *       tracking_url is not sent. The order becomes Complete when it is shipped and invoiced in full (Adobe Commerce).
 *   <li>CANCEL_ORDER: {@code POST /V1/orders/{id}/cancel}; {@code false} (not cancellable) is APPLIED when the order
 *       is cancelled already, else REJECTED. Cancelling always gives the units back to the salable quantity (MSI
 *       compensates the reservations), so {@code restock=false} is UNSUPPORTED; reason and notify_customer are not
 *       sent (the endpoint takes neither).
 *   <li>UPDATE_ORDER_STATUS: the canonical status is the order's state ({@link Magento2OrderMapper#status}), which
 *       Adobe Commerce derives from invoices, shipments and credit memos; an order comment with a status ({@code POST
 *       /V1/orders/{id}/comments}) changes only the label within the state. What the REST API sets: ON_HOLD ({@code
 *       POST /V1/orders/{id}/hold}), CANCELLED (cancel, as above), and leaving hold ({@code POST
 *       /V1/orders/{id}/unhold}) for PENDING or PROCESSING when that is the state the order had before the hold. An
 *       order already in the wanted state is APPLIED without a write; anything else is UNSUPPORTED.
 *   <li>SET_PRICE: {@code POST /V1/products/base-prices} {@code [{sku, price, store_id: 0}]}, sku the variant_id
 *       (a configurable's child) or else the product_id; the price's currency must be the store's base currency
 *       ({@code GET /V1/store/storeConfigs}, read once). A compare-at price would be a special price (with dates and
 *       scopes): UNSUPPORTED.
 * </ul>
 */
final class Magento2WriteClient implements PlatformWriteClient {
    static final Set<CommandKind> KINDS = EnumSet.allOf(CommandKind.class);

    private static final List<String> SOURCE_ITEM_FIELDS = List.of("sku", "source_code", "quantity", "status");
    private static final List<String> ORDER_FIELDS =
            List.of("entity_id", "increment_id", "state", "status", "hold_before_state", "updated_at");
    private static final List<String> PRICE_FIELDS = List.of("sku", "price", "updated_at");

    private final Magento2ApiClient api;
    private final Clock clock;

    Magento2WriteClient(Magento2ApiClient api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    @Override
    public ApiResponse<WriteOutcome> apply(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            return setSourceItem(command, set);
        }
        if (action instanceof SetPrice price) {
            return setPrice(command, price);
        }
        if (action instanceof CreateShipment shipment) {
            return ship(shipment, command.getMetadata().getCommandId());
        }
        if (action instanceof CancelOrder cancel) {
            if (!cancel.getRestock()) {
                return rejected(
                        CommandResultReason.UNSUPPORTED,
                        "Adobe Commerce returns a cancelled order's units to the salable quantity itself:"
                                + " restock=false cannot be honoured");
            }
            return toState(cancel.getOrderId(), "cancel", OrderStatus.CANCELLED);
        }
        UpdateOrderStatus update = (UpdateOrderStatus) action;
        return switch (update.getStatus()) {
            case CANCELLED -> toState(update.getOrderId(), "cancel", OrderStatus.CANCELLED);
            case ON_HOLD -> toState(update.getOrderId(), "hold", OrderStatus.ON_HOLD);
            case PENDING, PROCESSING -> unhold(command, update);
            default -> unsupportedStatus(update.getStatus());
        };
    }

    /**
     * Requests, one unit each: the source item's POST (1; 2 with the read a compare-and-set makes first); the ship
     * POST (1); cancel and hold, the POST and the order read after it (2); leaving hold, the order read first too
     * (3); the base price's POST (1, the base currency read once per client). A status the REST API does not set
     * sends nothing.
     */
    @Override
    public WriteCost applyCost(Command command) {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            return WriteCost.requests(set.getExpectedQuantity() == null ? 1 : 2);
        }
        if (action instanceof CancelOrder) {
            return WriteCost.requests(2);
        }
        if (action instanceof UpdateOrderStatus update) {
            return switch (update.getStatus()) {
                case CANCELLED, ON_HOLD -> WriteCost.requests(2);
                case PENDING, PROCESSING -> WriteCost.requests(3);
                default -> WriteCost.NONE;
            };
        }
        return WriteCost.requests(1);
    }

    /** One GET; a shipment's two (the order and its shipments). */
    @Override
    public WriteCost readBackCost(Command command) {
        return WriteCost.requests(command.getAction() instanceof CreateShipment ? 2 : 1);
    }

    @Override
    public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            if (invalidSourceItem(set).isPresent()) {
                // No source item has an id without a source code.
                return new ApiResponse<>(ReadBack.notFound(), Optional.empty());
            }
            return readSourceItem(set);
        }
        if (action instanceof SetPrice price) {
            return readBackOf(
                    api.getById(EntityType.PRODUCT, sku(price), null),
                    product ->
                            sameAmount(product.path("price"), price.getPrice().getAmount()),
                    PRICE_FIELDS);
        }
        if (action instanceof CreateShipment shipment) {
            ApiResponse<Optional<JsonNode>> order = order(shipment.getOrderId());
            if (order.value().isEmpty()) {
                return new ApiResponse<>(ReadBack.notFound(), order.quota());
            }
            JsonNode shipments = shipmentsOf(shipment.getOrderId());
            ObjectNode state = Json.MAPPER.createObjectNode();
            state.put("order_id", shipment.getOrderId());
            ArrayNode tracks = state.putArray("tracks");
            boolean found = false;
            for (JsonNode existing : shipments) {
                if (!shipment.getOrderId().equals(existing.path("order_id").asText())) {
                    continue; // a search that ignored the filter must not match another order's track
                }
                for (JsonNode track : existing.path("tracks")) {
                    ObjectNode t = CommandWrites.fields(track, List.of("track_number", "carrier_code", "title"));
                    t.set("shipment_id", existing.path("entity_id"));
                    tracks.add(t);
                    found |= shipment.getTrackingNumber()
                            .equals(track.path("track_number").asText());
                }
            }
            String encoded = Json.encode(state);
            return new ApiResponse<>(
                    found ? ReadBack.applied(encoded) : ReadBack.notApplied(encoded), Optional.empty());
        }
        CommandWrites.WantedStatus wanted = CommandWrites.WantedStatus.of(action);
        return readBackOf(order(wanted.orderId()), order -> statusOf(order) == wanted.status(), ORDER_FIELDS);
    }

    // ---- source items ----

    private static Optional<String> invalidSourceItem(SetInventoryLevel set) {
        if (set.getLocationId() == null || set.getLocationId().isBlank()) {
            return Optional.of("an Adobe Commerce source item needs its source code (location_id)");
        }
        return Optional.empty();
    }

    private ApiResponse<WriteOutcome> setSourceItem(Command command, SetInventoryLevel set)
            throws PlatformApiException {
        Optional<String> invalid = invalidSourceItem(set);
        if (invalid.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, invalid.get());
        }
        if (set.getExpectedQuantity() != null) {
            Optional<JsonNode> current = sourceItem(set);
            if (current.isEmpty() && !productExists(set.getItemId())) {
                return rejected(CommandResultReason.NOT_FOUND, "no product with SKU " + set.getItemId());
            }
            if (current.isEmpty()
                    || !sameAmount(current.get().path("quantity"), BigDecimal.valueOf(set.getExpectedQuantity()))) {
                return new ApiResponse<>(
                        new WriteOutcome.Rejected(
                                CommandResultReason.CONFLICT,
                                "the source item's quantity is "
                                        + current.map(i -> i.path("quantity").asText())
                                                .orElse("not assigned")
                                        + ", not the expected " + set.getExpectedQuantity(),
                                Optional.of(current.map(i -> state(i, SOURCE_ITEM_FIELDS))
                                        .orElseGet(() -> unassigned(set)))),
                        Optional.empty());
            }
            Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
            if (expired.isPresent()) {
                return expired.get();
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode item = body.putArray("sourceItems").addObject();
        item.put("sku", set.getItemId());
        item.put("source_code", set.getLocationId());
        item.put("quantity", set.getQuantity());
        item.put("status", set.getQuantity() > 0 ? 1 : 0);
        HttpResponse<byte[]> response = api.post("/V1/inventory/source-items", body, "set source item");
        if (!success(response)) {
            // Adobe Commerce refuses an unknown SKU as a validation failure (MSI's SKU validation): NOT_FOUND
            return response.statusCode() == 400 && !productExists(set.getItemId())
                    ? rejected(CommandResultReason.NOT_FOUND, "no product with SKU " + set.getItemId())
                    : rejection(response);
        }
        return applied(state(item, SOURCE_ITEM_FIELDS));
    }

    /**
     * The source item; when there is none, the product decides: absent → NOT_FOUND, else NOT_APPLIED (the product is
     * not assigned to the source yet: the write assigns it).
     */
    private ApiResponse<ReadBack> readSourceItem(SetInventoryLevel set) throws PlatformApiException {
        Optional<JsonNode> item = sourceItem(set);
        if (item.isPresent()) {
            String state = state(item.get(), SOURCE_ITEM_FIELDS);
            return new ApiResponse<>(
                    sameAmount(item.get().path("quantity"), BigDecimal.valueOf(set.getQuantity()))
                            ? ReadBack.applied(state)
                            : ReadBack.notApplied(state),
                    Optional.empty());
        }
        return new ApiResponse<>(
                productExists(set.getItemId()) ? ReadBack.notApplied(unassigned(set)) : ReadBack.notFound(),
                Optional.empty());
    }

    /** The source item {@code <sku>@<source_code>} (the search {@link Magento2ApiClient#getById} makes). */
    private Optional<JsonNode> sourceItem(SetInventoryLevel set) throws PlatformApiException {
        return api.getById(EntityType.INVENTORY_LEVEL, set.getItemId() + "@" + set.getLocationId(), null)
                .value();
    }

    private boolean productExists(String sku) throws PlatformApiException {
        return api.getById(EntityType.PRODUCT, sku, null).value().isPresent();
    }

    /** The state of a product not assigned to the source: no source item. */
    private static String unassigned(SetInventoryLevel set) {
        ObjectNode unassigned = Json.MAPPER.createObjectNode();
        unassigned.put("sku", set.getItemId());
        unassigned.put("source_code", set.getLocationId());
        unassigned.putNull("quantity");
        return Json.encode(unassigned);
    }

    // ---- shipments ----

    private ApiResponse<WriteOutcome> ship(CreateShipment shipment, String commandId) throws PlatformApiException {
        if (!shipment.getOrderId().matches("[0-9]+")) {
            return rejected(CommandResultReason.VALIDATION, "an Adobe Commerce order id is numeric");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (ShipmentLine line : shipment.getLines()) {
            if (!line.getLineItemId().matches("[0-9]+")) {
                return rejected(CommandResultReason.VALIDATION, "an Adobe Commerce order item id is numeric");
            }
            ObjectNode item = items.addObject();
            item.put("order_item_id", Long.parseLong(line.getLineItemId()));
            item.put("qty", line.getQuantity());
        }
        body.put("notify", shipment.getNotifyCustomer());
        body.put("appendComment", false);
        ObjectNode comment = body.putObject("comment");
        comment.put("comment", CommandWrites.reference(commandId));
        comment.put("is_visible_on_front", 0);
        ObjectNode track = body.putArray("tracks").addObject();
        track.put("track_number", shipment.getTrackingNumber());
        track.put("title", shipment.getCarrier());
        track.put("carrier_code", carrierCode(shipment.getCarrier()));
        HttpResponse<byte[]> response =
                api.post("/V1/order/" + shipment.getOrderId() + "/ship", body, "create shipment");
        if (!success(response)) {
            return rejection(response);
        }
        ObjectNode state = Json.MAPPER.createObjectNode();
        state.put("order_id", shipment.getOrderId());
        state.put("shipment_id", ApiHttp.json(response, "create shipment").asText());
        state.set("tracks", body.path("tracks"));
        return applied(Json.encode(state));
    }

    /** Adobe Commerce's carrier code of a carrier name: its offline carriers ups, usps, fedex, dhl, else custom. */
    static String carrierCode(String carrier) {
        String name = carrier.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        if (name.startsWith("dhl")) {
            return "dhl";
        }
        return switch (name) {
            case "ups", "unitedparcelservice" -> "ups";
            case "usps", "unitedstatespostalservice" -> "usps";
            case "fedex", "federalexpress" -> "fedex";
            default -> "custom";
        };
    }

    /** The shipments of an order (GET /V1/shipments, searchCriteria order_id). */
    private JsonNode shipmentsOf(String orderId) throws PlatformApiException {
        String sc = "searchCriteria";
        String query = Magento2ApiClient.q(sc + "[filter_groups][0][filters][0][field]") + "=order_id&"
                + Magento2ApiClient.q(sc + "[filter_groups][0][filters][0][value]") + "="
                + Magento2ApiClient.q(orderId);
        HttpResponse<byte[]> response = api.get("/V1/shipments?" + query, "list order shipments");
        return ApiHttp.json(response, "list order shipments").path("items");
    }

    // ---- order state ----

    /** {@code POST /V1/orders/{id}/<operation>} answering true or false; false is APPLIED when the order is there. */
    private ApiResponse<WriteOutcome> toState(String orderId, String operation, OrderStatus wanted)
            throws PlatformApiException {
        if (!orderId.matches("[0-9]+")) {
            return rejected(CommandResultReason.VALIDATION, "an Adobe Commerce order id is numeric");
        }
        HttpResponse<byte[]> response = api.post("/V1/orders/" + orderId + "/" + operation, null, operation + " order");
        if (!success(response)) {
            return rejection(response);
        }
        ApiResponse<Optional<JsonNode>> order = order(orderId);
        if (order.value().isEmpty()) {
            return rejected(CommandResultReason.NOT_FOUND, "no order " + orderId);
        }
        String state = state(order.value().get(), ORDER_FIELDS);
        if (statusOf(order.value().get()) == wanted) {
            return applied(state);
        }
        return new ApiResponse<>(
                new WriteOutcome.Rejected(
                        CommandResultReason.VALIDATION,
                        "Adobe Commerce answered "
                                + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).trim() + " to "
                                + operation
                                + ": the order in state "
                                + order.value().get().path("state").asText()
                                + " cannot be changed so",
                        Optional.of(state)),
                Optional.empty());
    }

    /** PENDING or PROCESSING: nothing to do when the order is there already; leaving hold when it was there before. */
    private ApiResponse<WriteOutcome> unhold(Command command, UpdateOrderStatus update) throws PlatformApiException {
        ApiResponse<Optional<JsonNode>> order = order(update.getOrderId());
        if (order.value().isEmpty()) {
            return rejected(CommandResultReason.NOT_FOUND, "no order " + update.getOrderId());
        }
        JsonNode current = order.value().get();
        if (statusOf(current) == update.getStatus()) {
            return applied(state(current, ORDER_FIELDS));
        }
        boolean heldFromWanted = "holded".equals(current.path("state").asText())
                && Magento2OrderMapper.status(current.path("hold_before_state").asText("")) == update.getStatus();
        if (!heldFromWanted) {
            return unsupportedStatus(update.getStatus());
        }
        Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
        if (expired.isPresent()) {
            return expired.get();
        }
        return toState(update.getOrderId(), "unhold", update.getStatus());
    }

    private static ApiResponse<WriteOutcome> unsupportedStatus(OrderStatus status) {
        return rejected(
                CommandResultReason.UNSUPPORTED,
                "Adobe Commerce derives an order's state from its invoices, shipments and credit memos; its REST API"
                        + " sets ON_HOLD (hold), CANCELLED (cancel) and, from hold, the state the order had before"
                        + " (unhold), not " + status);
    }

    private static OrderStatus statusOf(JsonNode order) {
        return Magento2OrderMapper.status(order.path("state").asText(""));
    }

    private ApiResponse<Optional<JsonNode>> order(String orderId) throws PlatformApiException {
        return api.getById(EntityType.ORDER, orderId, null);
    }

    // ---- prices ----

    private static String sku(SetPrice price) {
        return price.getVariantId() != null ? price.getVariantId() : price.getProductId();
    }

    private ApiResponse<WriteOutcome> setPrice(Command command, SetPrice price) throws PlatformApiException {
        if (price.getCompareAtPrice() != null) {
            return rejected(
                    CommandResultReason.UNSUPPORTED,
                    "a compare-at price would be an Adobe Commerce special price (with dates and scopes):"
                            + " not supported; send the command without compare_at_price");
        }
        String currency = api.baseCurrency();
        if (!currency.equals(price.getPrice().getCurrency())) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    "the price is in " + price.getPrice().getCurrency() + ", the store's base currency is " + currency);
        }
        Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode entry = body.putArray("prices").addObject();
        entry.put("price", CommandWrites.plain(price.getPrice().getAmount()));
        entry.put("store_id", 0);
        entry.put("sku", sku(price));
        HttpResponse<byte[]> response = api.post("/V1/products/base-prices", body, "set base price");
        if (!success(response)) {
            return rejection(response);
        }
        JsonNode failed = ApiHttp.json(response, "set base price");
        if (failed.isArray() && !failed.isEmpty()) {
            // The price update's own failures (unknown SKU, invalid price) come back as a 200 list of messages.
            return rejected(
                    productExists(sku(price)) ? CommandResultReason.VALIDATION : CommandResultReason.NOT_FOUND,
                    messages(failed));
        }
        return applied(state(entry, PRICE_FIELDS));
    }

    // ---- outcomes ----

    private static ApiResponse<WriteOutcome> applied(String state) {
        return new ApiResponse<>(new WriteOutcome.Applied(state, Optional.empty()), Optional.empty());
    }

    /** A 4xx in Adobe Commerce's {@code {message, parameters, errors}}: 404 NOT_FOUND, 400 VALIDATION. */
    private static ApiResponse<WriteOutcome> rejection(HttpResponse<byte[]> response) {
        JsonNode error;
        try {
            error = Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            error = Json.MAPPER.createObjectNode();
        }
        String text = "HTTP " + response.statusCode() + ": " + message(error);
        if (error.path("errors").isArray() && !error.path("errors").isEmpty()) {
            text += " (" + messages(error.path("errors")) + ")";
        }
        CommandResultReason reason = response.statusCode() == 404
                ? CommandResultReason.NOT_FOUND
                : response.statusCode() == 400 ? CommandResultReason.VALIDATION : CommandResultReason.OTHER;
        return rejected(reason, text);
    }

    private static String messages(JsonNode errors) {
        List<String> texts = new java.util.ArrayList<>();
        errors.forEach(e -> texts.add(message(e)));
        return String.join("; ", texts);
    }

    /**
     * An Adobe Commerce message with its placeholders filled: {@code %1}, {@code %2} … from a {@code parameters}
     * list, {@code %name} from a {@code parameters} object.
     */
    static String message(JsonNode error) {
        String message = error.path("message").asText("");
        JsonNode parameters = error.path("parameters");
        if (parameters.isArray()) {
            for (int i = parameters.size(); i >= 1; i--) {
                message = message.replace("%" + i, parameters.get(i - 1).asText());
            }
        } else if (parameters.isObject()) {
            for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) parameters::fields) {
                message = message.replace("%" + field.getKey(), field.getValue().asText());
            }
        }
        return message;
    }
}
