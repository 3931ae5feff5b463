package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.bigcommerce.BigCommerceApiClient.Answer;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Money;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes commands through BigCommerce's REST API, with {@link BigCommerceApiClient}'s requests (token, quota,
 * Retry-After and error classification). BigCommerce has no idempotency key and no compare-and-set: every write sets
 * an absolute value, and the writer reads before it writes (the current quantity, an existing shipment with the
 * tracking number, the order's status), so a retry finds an applied command applied and sends nothing.
 *
 * <ul>
 *   <li>SET_INVENTORY_LEVEL ({@code <variant_id>@<location_id>}): reads the level (Inventory API at the location),
 *       compares {@code available_to_sell} with the expected quantity (CONFLICT with the level when they differ), then
 *       {@code PUT /v3/inventory/adjustments/absolute} of the on-hand quantity that makes {@code available_to_sell}
 *       the command's quantity (the location's safety stock kept), the command_id in {@code reason}.
 *   <li>CREATE_SHIPMENT: reads the order's shipments (one with the tracking number: applied, nothing sent) and the
 *       order with its products ({@code order_address_id} of the lines, which must share one address), then {@code POST
 *       /v2/orders/{id}/shipments} with the items, {@code tracking_number}, {@code shipping_provider} and {@code
 *       tracking_carrier} when the carrier is one BigCommerce knows, else the carrier name as {@code shipping_method},
 *       {@code tracking_link} when given, and the command_id in {@code comments}. BigCommerce sends its shipment
 *       e-mail by the store's settings: {@code notify_customer} is not per request.
 *   <li>CANCEL_ORDER: {@code PUT /v2/orders/{id}} with {@code status_id} 5 (Cancelled, the mapping's id of
 *       CANCELLED) unless cancelled already;
 *       restocking and the customer e-mail follow the store's settings (the API has no per-request switch), the
 *       reason is not kept.
 *   <li>UPDATE_ORDER_STATUS: {@code status_id} of the canonical status ({@link BigCommerceOrderMapper#statusId}, the
 *       inverse of the status mapping); REFUNDED (it follows from refunds) and ARCHIVED (deleting the order) are
 *       REJECTED as UNSUPPORTED.
 *   <li>SET_PRICE: {@code PUT /v3/catalog/products/{id}/variants/{variant_id}} (or the product without a variant)
 *       with {@code price} and, when given, {@code retail_price} (the compare-at price, as the product mapper reads
 *       it), after checking the currency is the store's.
 * </ul>
 */
final class BigCommerceWriteClient implements PlatformWriteClient {
    static final Set<CommandKind> KINDS = EnumSet.allOf(CommandKind.class);

    /** {@code shipping_provider} values BigCommerce documents that are also tracking carriers of the same name. */
    private static final Set<String> PROVIDERS = Set.of("auspost", "canadapost", "usps", "fedex", "royalmail", "ups");

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private final BigCommerceApiClient api;
    private final Clock clock;

    BigCommerceWriteClient(ApiConnection connection, Clock clock) {
        this.api = new BigCommerceApiClient(connection, clock);
        this.clock = clock;
    }

    /** What names the command in BigCommerce's records (adjustment reason, shipment comments). */
    static String reference(Command command) {
        return CommandWrites.reference(command.getMetadata().getCommandId());
    }

    @Override
    public ApiResponse<WriteOutcome> apply(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            return setInventory(command, set);
        }
        if (action instanceof CreateShipment shipment) {
            return createShipment(command, shipment);
        }
        if (action instanceof CancelOrder cancel) {
            return setStatus(command, cancel.getOrderId(), OrderStatus.CANCELLED);
        }
        if (action instanceof UpdateOrderStatus update) {
            return setStatus(command, update.getOrderId(), update.getStatus());
        }
        if (action instanceof SetPrice price) {
            return setPrice(command, price);
        }
        return rejected(CommandResultReason.UNSUPPORTED, "bigcommerce does not support " + CommandKind.of(command));
    }

    /**
     * Requests, one unit each: the level's read and the adjustment (2); the shipments, the order, its products (one
     * page up to 250 lines) and the shipment (4); the order's status read and the update (2); the price's PUT (1, the
     * store's currency read once per client).
     */
    @Override
    public WriteCost applyCost(Command command) {
        return WriteCost.requests(
                switch (CommandKind.of(command)) {
                    case SET_INVENTORY_LEVEL, CANCEL_ORDER, UPDATE_ORDER_STATUS -> 2;
                    case CREATE_SHIPMENT -> 4;
                    case SET_PRICE -> 1;
                });
    }

    /** One GET: the level, the shipments, the order or the price. */
    @Override
    public WriteCost readBackCost(Command command) {
        return WriteCost.requests(1);
    }

    @Override
    public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            ApiResponse<Optional<JsonNode>> level = readLevel(set);
            return new ApiResponse<>(
                    level.value()
                            .map(l -> effect(available(l) == set.getQuantity(), l))
                            .orElse(ReadBack.notFound()),
                    level.quota());
        }
        if (action instanceof CreateShipment shipment) {
            Answer shipments = readShipments(shipment.getOrderId());
            if (shipments.status() == 404) {
                return new ApiResponse<>(ReadBack.notFound(), shipments.quota());
            }
            JsonNode list = shipmentList(shipments);
            return new ApiResponse<>(
                    effect(shipped(list, shipment.getTrackingNumber()).isPresent(), list), shipments.quota());
        }
        if (action instanceof CancelOrder || action instanceof UpdateOrderStatus) {
            String orderId = action instanceof CancelOrder cancel
                    ? cancel.getOrderId()
                    : ((UpdateOrderStatus) action).getOrderId();
            OrderStatus wanted =
                    action instanceof UpdateOrderStatus update ? update.getStatus() : OrderStatus.CANCELLED;
            Answer order = api.get("/v2/orders/" + BigCommerceApiClient.pathSegment(orderId), "read order status");
            if (order.status() != 200) {
                return new ApiResponse<>(ReadBack.notFound(), order.quota());
            }
            JsonNode json = order.json("read order status");
            return new ApiResponse<>(effect(status(json) == wanted, json), order.quota());
        }
        SetPrice price = (SetPrice) action;
        Answer target = api.get(pricePath(price), "read price");
        if (target.status() == 404) {
            return new ApiResponse<>(ReadBack.notFound(), target.quota());
        }
        JsonNode data = target.json("read price").path("data");
        return new ApiResponse<>(effect(priced(data, price), data), target.quota());
    }

    // --- SET_INVENTORY_LEVEL -------------------------------------------------------------------------------------

    private ApiResponse<Optional<JsonNode>> readLevel(SetInventoryLevel set) throws PlatformApiException {
        if (set.getLocationId() == null) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 0, "BigCommerce keeps inventory per location: no location_id");
        }
        return api.getInventoryLevel(BigCommerceInventoryLevelMapper.levelId(set.getItemId(), set.getLocationId()));
    }

    private static long available(JsonNode level) {
        return level.path("available_to_sell").asLong();
    }

    private ApiResponse<WriteOutcome> setInventory(Command command, SetInventoryLevel set) throws PlatformApiException {
        if (!isId(set.getItemId()) || set.getLocationId() == null || !isId(set.getLocationId())) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    "a BigCommerce inventory level is <variant_id>@<location_id>, both numeric: " + set.getItemId()
                            + "@" + set.getLocationId());
        }
        ApiResponse<Optional<JsonNode>> read = readLevel(set);
        if (read.value().isEmpty()) {
            return rejected(
                    CommandResultReason.NOT_FOUND,
                    "variant " + set.getItemId() + " has no inventory at location " + set.getLocationId());
        }
        JsonNode level = read.value().get();
        long available = available(level);
        if (set.getExpectedQuantity() != null && set.getExpectedQuantity() != available) {
            return new ApiResponse<>(
                    new WriteOutcome.Rejected(
                            CommandResultReason.CONFLICT,
                            "available_to_sell is " + available + ", not the expected " + set.getExpectedQuantity(),
                            Optional.of(Json.encode(level))),
                    read.quota());
        }
        // available_to_sell = on hand - safety stock: keep the location's safety stock out of the absolute value
        long reserved = level.path("total_inventory_onhand").asLong(available) - available;
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("reason", reference(command));
        ObjectNode item = body.putArray("items").addObject();
        item.put("location_id", Long.parseLong(set.getLocationId()));
        item.put("variant_id", Long.parseLong(set.getItemId()));
        item.put("quantity", set.getQuantity() + reserved);
        String description = "absolute inventory adjustment";
        Answer answer = api.call("PUT", "/v3/inventory/adjustments/absolute", body, description, true);
        Optional<ApiResponse<WriteOutcome>> refused = refused(answer, description);
        if (refused.isPresent()) {
            return refused.get();
        }
        ObjectNode state = Json.MAPPER.createObjectNode();
        state.set("transaction_id", answer.json(description).path("transaction_id"));
        state.set("item", item);
        return applied(state, answer);
    }

    // --- CREATE_SHIPMENT -----------------------------------------------------------------------------------------

    private Answer readShipments(String orderId) throws PlatformApiException {
        return api.get(
                "/v2/orders/" + BigCommerceApiClient.pathSegment(orderId) + "/shipments?limit="
                        + BigCommerceApiClient.MAX_PAGE_SIZE,
                "list order shipments");
    }

    /** The shipments of an answer (204: none). */
    private static JsonNode shipmentList(Answer shipments) throws PlatformApiException {
        if (shipments.status() != 200) {
            return Json.MAPPER.createArrayNode();
        }
        JsonNode list = shipments.json("list order shipments");
        if (!list.isArray()) {
            throw BigCommerceApiClient.unreadable("list order shipments");
        }
        return list;
    }

    private static Optional<JsonNode> shipped(JsonNode shipments, String trackingNumber) {
        for (JsonNode shipment : shipments) {
            if (trackingNumber.equals(shipment.path("tracking_number").asText())) {
                return Optional.of(shipment);
            }
        }
        return Optional.empty();
    }

    private ApiResponse<WriteOutcome> createShipment(Command command, CreateShipment shipment)
            throws PlatformApiException {
        boolean valid = isId(shipment.getOrderId()) && !shipment.getLines().isEmpty();
        for (ShipmentLine line : shipment.getLines()) {
            valid &= isId(line.getLineItemId()) && line.getQuantity() > 0;
        }
        if (!valid) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    "a BigCommerce shipment needs a numeric order id and at least one line of numeric order product"
                            + " id and positive quantity");
        }
        Answer shipments = readShipments(shipment.getOrderId());
        if (shipments.status() == 404) {
            return rejected(CommandResultReason.NOT_FOUND, "order " + shipment.getOrderId() + " not found");
        }
        Optional<JsonNode> existing = shipped(shipmentList(shipments), shipment.getTrackingNumber());
        if (existing.isPresent()) {
            return applied(existing.get(), shipments); // applied by an earlier attempt: never twice
        }
        // the order with all its products (BigCommerceApiClient's by-id fetch): each names its order_address_id
        JsonNode products = api.getById(EntityType.ORDER, shipment.getOrderId(), null)
                .value()
                .map(o -> o.path("products"))
                .orElse(Json.MAPPER.createArrayNode());
        Map<String, String> addressOfLine = new HashMap<>();
        for (JsonNode product : products) {
            addressOfLine.put(
                    product.path("id").asText(),
                    product.path("order_address_id").asText());
        }
        Set<String> addresses = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (ShipmentLine line : shipment.getLines()) {
            String address = addressOfLine.get(line.getLineItemId());
            if (address == null) {
                unknown.add(line.getLineItemId());
            } else {
                addresses.add(address);
            }
        }
        if (!unknown.isEmpty()) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    "order " + shipment.getOrderId() + " has no order products " + String.join(", ", unknown));
        }
        if (addresses.size() != 1 || !isId(addresses.iterator().next())) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    "the lines ship to " + addresses.size() + " addresses: a BigCommerce shipment goes to one");
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("order_address_id", Long.parseLong(addresses.iterator().next()));
        body.put("tracking_number", shipment.getTrackingNumber());
        String carrier = shipment.getCarrier().trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (PROVIDERS.contains(carrier)) {
            body.put("shipping_provider", carrier);
            body.put("tracking_carrier", carrier);
        } else {
            body.put("shipping_provider", "");
            body.put("shipping_method", shipment.getCarrier());
        }
        if (shipment.getTrackingUrl() != null) {
            body.put("tracking_link", shipment.getTrackingUrl());
        }
        body.put("comments", reference(command));
        ArrayNode items = body.putArray("items");
        for (ShipmentLine line : shipment.getLines()) {
            items.addObject()
                    .put("order_product_id", Long.parseLong(line.getLineItemId()))
                    .put("quantity", line.getQuantity());
        }
        String description = "create order shipment";
        Answer answer = api.call("POST", "/v2/orders/" + shipment.getOrderId() + "/shipments", body, description, true);
        Optional<ApiResponse<WriteOutcome>> refused = refused(answer, description);
        if (refused.isPresent()) {
            return refused.get();
        }
        return applied(answer.json(description), answer);
    }

    // --- CANCEL_ORDER and UPDATE_ORDER_STATUS --------------------------------------------------------------------

    private static OrderStatus status(JsonNode order) {
        return order.path("status_id").canConvertToLong()
                ? BigCommerceOrderMapper.status(order.path("status_id").asLong())
                : OrderStatus.UNKNOWN;
    }

    private ApiResponse<WriteOutcome> setStatus(Command command, String orderId, OrderStatus wanted)
            throws PlatformApiException {
        Optional<Integer> statusId =
                wanted == OrderStatus.REFUNDED ? Optional.empty() : BigCommerceOrderMapper.statusId(wanted);
        if (statusId.isEmpty()) {
            return rejected(
                    CommandResultReason.UNSUPPORTED,
                    "BigCommerce cannot set an order's status to " + wanted
                            + (wanted == OrderStatus.REFUNDED
                                    ? ": it follows from refunds, which commands do not create"
                                    : ": no status_id means it (archiving deletes the order)"));
        }
        if (!isId(orderId)) {
            return rejected(CommandResultReason.VALIDATION, "not a BigCommerce order id: " + orderId);
        }
        String path = "/v2/orders/" + orderId;
        Answer current = api.get(path, "read order status");
        if (current.status() != 200) {
            return rejected(CommandResultReason.NOT_FOUND, "order " + orderId + " not found");
        }
        JsonNode order = current.json("read order status");
        if (status(order) == wanted) {
            return applied(order, current);
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("status_id", statusId.get());
        String description = "update order status";
        Answer answer = api.call("PUT", path, body, description, true);
        Optional<ApiResponse<WriteOutcome>> refused = refused(answer, description);
        if (refused.isPresent()) {
            return refused.get();
        }
        return applied(answer.json(description), answer);
    }

    // --- SET_PRICE -----------------------------------------------------------------------------------------------

    private static String pricePath(SetPrice price) throws PlatformApiException {
        String product = "/v3/catalog/products/" + BigCommerceApiClient.pathSegment(price.getProductId());
        return price.getVariantId() == null
                ? product
                : product + "/variants/" + BigCommerceApiClient.pathSegment(price.getVariantId());
    }

    private static boolean priced(JsonNode data, SetPrice price) {
        return sameAmount(data.path("price"), price.getPrice())
                && (price.getCompareAtPrice() == null
                        || sameAmount(data.path("retail_price"), price.getCompareAtPrice()));
    }

    private static boolean sameAmount(JsonNode value, Money wanted) {
        return value.isNumber() && value.decimalValue().compareTo(wanted.getAmount()) == 0;
    }

    private ApiResponse<WriteOutcome> setPrice(Command command, SetPrice price) throws PlatformApiException {
        if (!isId(price.getProductId()) || (price.getVariantId() != null && !isId(price.getVariantId()))) {
            return rejected(CommandResultReason.VALIDATION, "BigCommerce product and variant ids are numeric");
        }
        Optional<String> currency = CommandWrites.currencyMismatch(api.storeCurrency(), price, "store");
        if (currency.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, currency.get());
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("price", decimal(price.getPrice()));
        if (price.getCompareAtPrice() != null) {
            body.put("retail_price", decimal(price.getCompareAtPrice()));
        }
        String description = price.getVariantId() == null ? "update product price" : "update variant price";
        Answer answer = api.call("PUT", pricePath(price), body, description, true);
        Optional<ApiResponse<WriteOutcome>> refused = refused(answer, description);
        if (refused.isPresent()) {
            return refused.get();
        }
        return applied(answer.json(description).path("data"), answer);
    }

    private static BigDecimal decimal(Money money) {
        return money.getAmount().stripTrailingZeros();
    }

    // --- shared --------------------------------------------------------------------------------------------------

    private static boolean isId(String id) {
        return id != null && DIGITS.matcher(id).matches();
    }

    private Optional<ApiResponse<WriteOutcome>> expired(Command command) {
        return CommandWrites.expired(command, clock);
    }

    /** A 4xx answer to a write as a rejection with BigCommerce's message (404: NOT_FOUND); empty for a 2xx. */
    private static Optional<ApiResponse<WriteOutcome>> refused(Answer answer, String description) {
        int status = answer.status();
        if (status < 400) {
            return Optional.empty();
        }
        CommandResultReason reason = status == 404
                ? CommandResultReason.NOT_FOUND
                : status == 409 ? CommandResultReason.CONFLICT : CommandResultReason.VALIDATION;
        return Optional.of(
                new ApiResponse<>(new WriteOutcome.Rejected(reason, errorText(answer, description)), answer.quota()));
    }

    /**
     * BigCommerce's error text: v3 {@code {title, errors: {field: message}}}, v2 {@code [{status, message}]}; the HTTP
     * status when the body says nothing readable.
     */
    static String errorText(Answer answer, String description) {
        List<String> texts = new ArrayList<>();
        try {
            JsonNode body = answer.json(description);
            if (body.isArray()) {
                body.forEach(error -> texts.add(error.path("message").asText("")));
            } else {
                texts.add(body.path("title").asText(""));
                body.path("errors")
                        .fields()
                        .forEachRemaining(e -> texts.add(e.getKey() + ": "
                                + (e.getValue().isValueNode() ? e.getValue().asText() : Json.encode(e.getValue()))));
            }
        } catch (PlatformApiException notJson) {
            // nothing readable: the status says it
        }
        texts.removeIf(String::isBlank);
        return texts.isEmpty()
                ? description + " failed with HTTP " + answer.status()
                : "HTTP " + answer.status() + ": " + String.join("; ", texts);
    }

    private static ReadBack effect(boolean applied, JsonNode state) {
        return applied ? ReadBack.applied(Json.encode(state)) : ReadBack.notApplied(Json.encode(state));
    }

    private static ApiResponse<WriteOutcome> applied(JsonNode state, Answer answer) {
        return new ApiResponse<>(new WriteOutcome.Applied(Json.encode(state), answer.requestId()), answer.quota());
    }

    private static ApiResponse<WriteOutcome> rejected(CommandResultReason reason, String text) {
        return CommandWrites.rejected(reason, text);
    }
}
