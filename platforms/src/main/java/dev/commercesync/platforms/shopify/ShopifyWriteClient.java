package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shopify.ShopifyApiClient.GraphqlAnswer;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Writes commands through Shopify's GraphQL Admin API ({@link ShopifyApiClient#graphql}: its auth, throttling and
 * error classification). Ids in commands are the numeric ids the canonical events carry (or Shopify GIDs); they become
 * {@code gid://shopify/<Type>/<id>}.
 *
 * <ul>
 *   <li>SET_INVENTORY_LEVEL: {@code inventorySetQuantities} of the {@code available} quantity, reason {@code
 *       correction}, {@code referenceDocumentUri} {@value #REFERENCE_PREFIX}{@code <command_id>} (echo recognition),
 *       {@code @idempotent(key:)} a UUID derived from the command_id only, and {@code changeFromQuantity}: the
 *       command's expected quantity, or the current one read just before (mandatory from API 2026-04). Stale ({@code
 *       CHANGE_FROM_QUANTITY_STALE}) is CONFLICT with the level read afterwards.
 *   <li>CREATE_SHIPMENT: the order's fulfillment orders are read; a fulfillment already carrying the tracking number
 *       means the command is applied (nothing is sent); else the lines are allocated to the open fulfillment orders'
 *       line items and {@code fulfillmentCreate} sends them with {@code trackingInfo{company number url}}, {@code
 *       notifyCustomer} and the command_id as {@code message}.
 *   <li>CANCEL_ORDER: {@code orderCancel} (reason, restock, notifyCustomer, no refund: refunds are not part of the
 *       command; the command_id as {@code staffNote}) unless the order is cancelled already. Shopify cancels in a job:
 *       the answer is APPLIED when the job is accepted, and read-back confirms by the order's {@code cancelledAt}.
 *   <li>UPDATE_ORDER_STATUS: Shopify has no settable order status; the canonical one is derived from cancellation,
 *       closing and fulfillment ({@link ShopifyOrderMapper#orderStatus(boolean, boolean, String)}). ARCHIVED is {@code
 *       orderClose}, PROCESSING {@code orderOpen} of an open-able order (not cancelled, not fulfilled); every other
 *       status is REJECTED as UNSUPPORTED with the mutation that reaches it, if any.
 *   <li>SET_PRICE: {@code productVariantsBulkUpdate} of the variant's {@code price} (and {@code compareAtPrice} when
 *       given), after checking the price's currency is the shop's ({@code shop{currencyCode}}, read once).
 * </ul>
 *
 * <p>Costs ({@link #applyCost}): a mutation {@value #MUTATION_POINTS} points of the GraphQL bucket (Shopify's
 * documented cost), a single-object lookup {@value #LOOKUP_POINTS}, the fulfillment orders' read (connections) a
 * listing's {@value ShopifyAdapter#LISTING_POINTS}; the answers' {@code throttleStatus} corrects the caller's bucket.
 */
final class ShopifyWriteClient implements PlatformWriteClient {
    /** The {@code referenceDocumentUri} of our inventory changes: this prefix and the url-encoded command_id. */
    static final String REFERENCE_PREFIX = "gid://commerce-sync/Command/";

    static final Set<CommandKind> KINDS = EnumSet.allOf(CommandKind.class);

    /** What a mutation costs: Shopify's documented 10 points of the GraphQL bucket. */
    static final double MUTATION_POINTS = 10;

    /** What a query of one object and its fields costs (one point per object: the item and its level, an order). */
    static final double LOOKUP_POINTS = 2;

    private static final WriteCost LOOKUP = new WriteCost(1, LOOKUP_POINTS);
    private static final WriteCost SHIPMENT_TARGET = new WriteCost(1, ShopifyAdapter.LISTING_POINTS);

    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,20}");
    private static final String USER_ERRORS = "userErrors { field message code }";

    private final ShopifyApiClient api;
    private final Clock clock;
    private final AtomicReference<String> shopCurrency = new AtomicReference<>();

    ShopifyWriteClient(ApiConnection connection, RateLimitProfile profile, Clock clock) {
        this.api = new ShopifyApiClient(connection, profile, clock);
        this.clock = clock;
    }

    /** The {@code @idempotent} key of a command: a name-based UUID of its command_id, the same for every attempt. */
    static String idempotencyKey(Command command) {
        return UUID.nameUUIDFromBytes(
                        ("commerce-sync/command/" + command.getMetadata().getCommandId())
                                .getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** What names the command in Shopify's records ({@code referenceDocumentUri}, notes, messages). */
    static String reference(Command command) {
        return REFERENCE_PREFIX + URLEncoder.encode(command.getMetadata().getCommandId(), StandardCharsets.UTF_8);
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
            return cancelOrder(command, cancel);
        }
        if (action instanceof UpdateOrderStatus update) {
            return updateStatus(command, update);
        }
        if (action instanceof SetPrice price) {
            return setPrice(command, price);
        }
        return rejected(CommandResultReason.UNSUPPORTED, "shopify does not support " + CommandKind.of(command));
    }

    @Override
    public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            Level level = readLevel(set, "Shopify read inventory level");
            return new ApiResponse<>(
                    level.state().isEmpty()
                            ? ReadBack.notFound()
                            : effect(
                                    level.available() == set.getQuantity(),
                                    level.state().get()),
                    level.answer().quota());
        }
        if (action instanceof CreateShipment shipment) {
            GraphqlAnswer answer = readShipmentTarget(shipment.getOrderId());
            JsonNode order = answer.data().path("order");
            return new ApiResponse<>(
                    order.isObject()
                            ? effect(
                                    shipped(order, shipment.getTrackingNumber()).isPresent(),
                                    Json.encode(order.path("fulfillments")))
                            : ReadBack.notFound(),
                    answer.quota());
        }
        if (action instanceof CancelOrder cancel) {
            OrderState order = readOrder(cancel.getOrderId());
            return new ApiResponse<>(
                    order.state().isObject()
                            ? effect(order.cancelled(), Json.encode(order.state()))
                            : ReadBack.notFound(),
                    order.answer().quota());
        }
        if (action instanceof UpdateOrderStatus update) {
            OrderState order = readOrder(update.getOrderId());
            return new ApiResponse<>(
                    order.state().isObject()
                            ? effect(order.status() == update.getStatus(), Json.encode(order.state()))
                            : ReadBack.notFound(),
                    order.answer().quota());
        }
        SetPrice price = (SetPrice) action;
        GraphqlAnswer answer = readVariant(price);
        JsonNode variant = answer.data().path("productVariant");
        return new ApiResponse<>(
                variant.isObject() ? effect(priced(variant, price), Json.encode(variant)) : ReadBack.notFound(),
                answer.quota());
    }

    /**
     * The mutation, after the read the kind makes first: the level (unless the command names the expected quantity),
     * the fulfillment orders, the order. A price's currency is read once per client and not counted.
     */
    @Override
    public WriteCost applyCost(Command command) {
        WriteCost read =
                switch (CommandKind.of(command)) {
                    case SET_INVENTORY_LEVEL ->
                        ((SetInventoryLevel) command.getAction()).getExpectedQuantity() == null
                                ? LOOKUP
                                : WriteCost.NONE;
                    case CREATE_SHIPMENT -> SHIPMENT_TARGET;
                    case CANCEL_ORDER, UPDATE_ORDER_STATUS -> LOOKUP;
                    case SET_PRICE -> WriteCost.NONE;
                };
        return new WriteCost(read.requests() + 1, read.units() + MUTATION_POINTS);
    }

    /** One query: the level, the fulfillment orders, the order or the variant. */
    @Override
    public WriteCost readBackCost(Command command) {
        return CommandKind.of(command) == CommandKind.CREATE_SHIPMENT ? SHIPMENT_TARGET : LOOKUP;
    }

    // --- SET_INVENTORY_LEVEL -------------------------------------------------------------------------------------

    /** A level as read: its available quantity and state, empty when the item or its level at the location is gone. */
    private record Level(GraphqlAnswer answer, long available, Optional<String> state) {}

    private Level readLevel(SetInventoryLevel set, String description) throws PlatformApiException {
        if (set.getLocationId() == null) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 0, "Shopify keeps inventory per location: no location_id");
        }
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.put("item", gid("InventoryItem", set.getItemId()));
        variables.put("location", gid("Location", set.getLocationId()));
        GraphqlAnswer answer = api.graphql(
                "query Level($item: ID!, $location: ID!) { inventoryItem(id: $item) { id"
                        + " inventoryLevel(locationId: $location) { id quantities(names: [\"available\"])"
                        + " { name quantity } } } }",
                variables,
                description);
        JsonNode level = answer.data().path("inventoryItem").path("inventoryLevel");
        if (!level.isObject()) {
            return new Level(answer, 0, Optional.empty());
        }
        for (JsonNode quantity : level.path("quantities")) {
            if ("available".equals(quantity.path("name").asText())
                    && quantity.path("quantity").isIntegralNumber()) {
                return new Level(answer, quantity.path("quantity").asLong(), Optional.of(Json.encode(level)));
            }
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.SERVER, 200, description + " returned no available quantity");
    }

    private ApiResponse<WriteOutcome> setInventory(Command command, SetInventoryLevel set) throws PlatformApiException {
        Optional<String> invalid = invalidId("InventoryItem", set.getItemId())
                .or(() -> set.getLocationId() == null
                        ? Optional.of("Shopify keeps inventory per location: location_id is required")
                        : invalidId("Location", set.getLocationId()))
                .or(() -> fitsInt(set.getQuantity(), "quantity"))
                .or(() -> set.getExpectedQuantity() == null
                        ? Optional.empty()
                        : fitsInt(set.getExpectedQuantity(), "expected_quantity"));
        if (invalid.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, invalid.get());
        }
        Long changeFrom = set.getExpectedQuantity();
        if (changeFrom == null) {
            // changeFromQuantity is mandatory from 2026-04: without an expected quantity, the current one
            Level current = readLevel(set, "Shopify read inventory level before set");
            if (current.state().isEmpty()) {
                return rejected(CommandResultReason.NOT_FOUND, notStocked(set));
            }
            changeFrom = current.available();
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.put("name", "available");
        input.put("reason", "correction");
        input.put("referenceDocumentUri", reference(command));
        ObjectNode quantity = input.putArray("quantities").addObject();
        quantity.put("inventoryItemId", gid("InventoryItem", set.getItemId()));
        quantity.put("locationId", gid("Location", set.getLocationId()));
        quantity.put("quantity", set.getQuantity());
        quantity.put("changeFromQuantity", changeFrom);
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.set("input", input);
        String description = "Shopify inventorySetQuantities";
        GraphqlAnswer answer = api.graphql(
                "mutation SetInventory($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input)"
                        + " @idempotent(key: \"" + idempotencyKey(command) + "\") { inventoryAdjustmentGroup"
                        + " { id createdAt reason referenceDocumentUri changes { name delta quantityAfterChange } } "
                        + USER_ERRORS + " } }",
                variables,
                description);
        JsonNode payload = payload(answer, "inventorySetQuantities", description);
        JsonNode errors = payload.path("userErrors");
        if (!errors.isEmpty()) {
            if (hasCode(errors, "IDEMPOTENCY_CONCURRENT_REQUEST")) {
                // an attempt with this key is still running: whether it applies is not known yet
                throw new PlatformApiException(
                        PlatformApiException.Kind.SERVER, 200, description + " is in progress in another attempt");
            }
            CommandResultReason reason = inventoryReason(errors);
            Optional<String> state = reason == CommandResultReason.CONFLICT
                    ? readLevel(set, "Shopify read inventory level after conflict")
                            .state()
                    : Optional.empty();
            return rejected(reason, userErrorText(errors), state, answer);
        }
        JsonNode group = payload.path("inventoryAdjustmentGroup");
        return applied(group.isObject() ? group : quantity, answer);
    }

    private static CommandResultReason inventoryReason(JsonNode errors) {
        for (JsonNode error : errors) {
            switch (error.path("code").asText("")) {
                case "CHANGE_FROM_QUANTITY_STALE", "COMPARE_QUANTITY_STALE", "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" -> {
                    return CommandResultReason.CONFLICT;
                }
                case "INVALID_INVENTORY_ITEM", "INVALID_LOCATION", "ITEM_NOT_STOCKED_AT_LOCATION" -> {
                    return CommandResultReason.NOT_FOUND;
                }
                default -> {
                    // the next error may say more
                }
            }
        }
        return CommandResultReason.VALIDATION;
    }

    private static String notStocked(SetInventoryLevel set) {
        return "inventory item " + set.getItemId() + " is not stocked at location " + set.getLocationId();
    }

    // --- CREATE_SHIPMENT -----------------------------------------------------------------------------------------

    private GraphqlAnswer readShipmentTarget(String orderId) throws PlatformApiException {
        ObjectNode variables = Json.MAPPER.createObjectNode().put("id", gid("Order", orderId));
        return api.graphql(
                "query ShipmentTarget($id: ID!) { order(id: $id) { id"
                        + " fulfillments(first: 250) { id status trackingInfo(first: 10) { company number url } }"
                        + " fulfillmentOrders(first: 50) { nodes { id status"
                        + " lineItems(first: 250) { nodes { id remainingQuantity lineItem { id } } } } } } }",
                variables,
                "Shopify read order fulfillment orders");
    }

    /** The order's fulfillment (not cancelled) with this tracking number, if any. */
    private static Optional<JsonNode> shipped(JsonNode order, String trackingNumber) {
        for (JsonNode fulfillment : order.path("fulfillments")) {
            if ("CANCELLED".equals(fulfillment.path("status").asText())) {
                continue;
            }
            for (JsonNode tracking : fulfillment.path("trackingInfo")) {
                if (trackingNumber.equals(tracking.path("number").asText())) {
                    return Optional.of(fulfillment);
                }
            }
        }
        return Optional.empty();
    }

    private ApiResponse<WriteOutcome> createShipment(Command command, CreateShipment shipment)
            throws PlatformApiException {
        Optional<String> invalid = invalidId("Order", shipment.getOrderId());
        for (ShipmentLine line : shipment.getLines()) {
            invalid = invalid.or(() -> invalidId("LineItem", line.getLineItemId()));
        }
        if (shipment.getLines().isEmpty()) {
            invalid = Optional.of("a shipment needs at least one line");
        }
        if (invalid.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, invalid.get());
        }
        GraphqlAnswer target = readShipmentTarget(shipment.getOrderId());
        JsonNode order = target.data().path("order");
        if (!order.isObject()) {
            return rejected(CommandResultReason.NOT_FOUND, "order " + shipment.getOrderId() + " not found");
        }
        Optional<JsonNode> existing = shipped(order, shipment.getTrackingNumber());
        if (existing.isPresent()) {
            return applied(existing.get(), target); // applied by an earlier attempt: never twice
        }
        Map<String, ArrayNode> byFulfillmentOrder = new LinkedHashMap<>();
        for (ShipmentLine line : shipment.getLines()) {
            long needed = line.getQuantity();
            String lineItem = gid("LineItem", line.getLineItemId());
            for (JsonNode fulfillmentOrder : order.path("fulfillmentOrders").path("nodes")) {
                String status = fulfillmentOrder.path("status").asText();
                if (!status.equals("OPEN") && !status.equals("IN_PROGRESS")) {
                    continue;
                }
                for (JsonNode item : fulfillmentOrder.path("lineItems").path("nodes")) {
                    long remaining = item.path("remainingQuantity").asLong(0);
                    if (needed == 0
                            || remaining <= 0
                            || !lineItem.equals(item.path("lineItem").path("id").asText())) {
                        continue;
                    }
                    long taken = Math.min(needed, remaining);
                    byFulfillmentOrder
                            .computeIfAbsent(fulfillmentOrder.path("id").asText(), id -> Json.MAPPER.createArrayNode())
                            .addObject()
                            .put("id", item.path("id").asText())
                            .put("quantity", taken);
                    needed -= taken;
                }
            }
            if (needed > 0) {
                return rejected(
                        CommandResultReason.VALIDATION,
                        "order " + shipment.getOrderId() + " line " + line.getLineItemId() + " has fewer than "
                                + line.getQuantity() + " units left to fulfil on its open fulfillment orders");
            }
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode fulfillment = Json.MAPPER.createObjectNode();
        ArrayNode lines = fulfillment.putArray("lineItemsByFulfillmentOrder");
        byFulfillmentOrder.forEach((id, items) -> {
            ObjectNode group = lines.addObject().put("fulfillmentOrderId", id);
            group.set("fulfillmentOrderLineItems", items);
        });
        fulfillment.put("notifyCustomer", shipment.getNotifyCustomer());
        ObjectNode tracking = fulfillment.putObject("trackingInfo");
        tracking.put("company", shipment.getCarrier());
        tracking.put("number", shipment.getTrackingNumber());
        if (shipment.getTrackingUrl() != null) {
            tracking.put("url", shipment.getTrackingUrl());
        }
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.set("fulfillment", fulfillment);
        variables.put("message", reference(command));
        String description = "Shopify fulfillmentCreate";
        GraphqlAnswer answer = api.graphql(
                "mutation CreateFulfillment($fulfillment: FulfillmentInput!, $message: String) {"
                        + " fulfillmentCreate(fulfillment: $fulfillment, message: $message) { fulfillment { id status"
                        + " trackingInfo(first: 10) { company number url } } userErrors { field message } } }",
                variables,
                description);
        JsonNode payload = payload(answer, "fulfillmentCreate", description);
        if (!payload.path("userErrors").isEmpty()) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    userErrorText(payload.path("userErrors")),
                    Optional.empty(),
                    answer);
        }
        return applied(payload.path("fulfillment"), answer);
    }

    // --- CANCEL_ORDER and UPDATE_ORDER_STATUS --------------------------------------------------------------------

    /** An order's cancellation, closing and fulfillment; {@code state} is missing when the order is not found. */
    private record OrderState(GraphqlAnswer answer, JsonNode state) {
        boolean cancelled() {
            return state.hasNonNull("cancelledAt");
        }

        OrderStatus status() {
            return ShopifyOrderMapper.orderStatus(
                    cancelled(),
                    state.path("closed").asBoolean(false),
                    state.path("displayFulfillmentStatus").asText(null));
        }
    }

    private OrderState readOrder(String orderId) throws PlatformApiException {
        ObjectNode variables = Json.MAPPER.createObjectNode().put("id", gid("Order", orderId));
        GraphqlAnswer answer = api.graphql(
                "query OrderState($id: ID!) { order(id: $id) { id cancelledAt closed closedAt"
                        + " displayFulfillmentStatus } }",
                variables,
                "Shopify read order state");
        return new OrderState(answer, answer.data().path("order"));
    }

    private ApiResponse<WriteOutcome> cancelOrder(Command command, CancelOrder cancel) throws PlatformApiException {
        Optional<String> invalid = invalidId("Order", cancel.getOrderId());
        if (invalid.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, invalid.get());
        }
        OrderState order = readOrder(cancel.getOrderId());
        if (!order.state().isObject()) {
            return rejected(CommandResultReason.NOT_FOUND, "order " + cancel.getOrderId() + " not found");
        }
        if (order.cancelled()) {
            return applied(order.state(), order.answer());
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.put("orderId", gid("Order", cancel.getOrderId()));
        variables.put("reason", cancel.getReason().name()); // CUSTOMER, INVENTORY, FRAUD, DECLINED, OTHER: Shopify's
        variables.put("restock", cancel.getRestock());
        variables.put("notifyCustomer", cancel.getNotifyCustomer());
        variables.putObject("refundMethod").put("originalPaymentMethodsRefund", false);
        variables.put("staffNote", reference(command));
        String description = "Shopify orderCancel";
        GraphqlAnswer answer = api.graphql(
                "mutation CancelOrder($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!,"
                        + " $notifyCustomer: Boolean, $refundMethod: OrderCancelRefundMethodInput,"
                        + " $staffNote: String) { orderCancel(orderId: $orderId, reason: $reason, restock: $restock,"
                        + " notifyCustomer: $notifyCustomer, refundMethod: $refundMethod, staffNote: $staffNote)"
                        + " { job { id done } orderCancelUserErrors { field message code } } }",
                variables,
                description);
        JsonNode payload = payload(answer, "orderCancel", description);
        JsonNode errors = payload.path("orderCancelUserErrors");
        if (!errors.isEmpty()) {
            return rejected(
                    hasCode(errors, "NOT_FOUND") ? CommandResultReason.NOT_FOUND : CommandResultReason.VALIDATION,
                    userErrorText(errors),
                    Optional.empty(),
                    answer);
        }
        return applied(payload.path("job"), answer);
    }

    private ApiResponse<WriteOutcome> updateStatus(Command command, UpdateOrderStatus update)
            throws PlatformApiException {
        OrderStatus wanted = update.getStatus();
        if (wanted != OrderStatus.ARCHIVED && wanted != OrderStatus.PROCESSING) {
            return rejected(CommandResultReason.UNSUPPORTED, unsupportedStatus(wanted));
        }
        Optional<String> invalid = invalidId("Order", update.getOrderId());
        if (invalid.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, invalid.get());
        }
        OrderState order = readOrder(update.getOrderId());
        if (!order.state().isObject()) {
            return rejected(CommandResultReason.NOT_FOUND, "order " + update.getOrderId() + " not found");
        }
        OrderStatus current = order.status();
        if (current == wanted) {
            return applied(order.state(), order.answer());
        }
        if (wanted == OrderStatus.PROCESSING && current != OrderStatus.ARCHIVED) {
            // cancelled or fulfilled: opening it cannot make it PROCESSING
            return rejected(
                    CommandResultReason.VALIDATION,
                    "a " + current + " Shopify order cannot become PROCESSING (only a closed one is reopened)",
                    Optional.of(Json.encode(order.state())),
                    order.answer());
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        String mutation = wanted == OrderStatus.ARCHIVED ? "orderClose" : "orderOpen";
        String input = wanted == OrderStatus.ARCHIVED ? "OrderCloseInput" : "OrderOpenInput";
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.putObject("input").put("id", gid("Order", update.getOrderId()));
        String description = "Shopify " + mutation;
        GraphqlAnswer answer = api.graphql(
                "mutation SetOrderStatus($input: " + input + "!) { " + mutation + "(input: $input) { order { id"
                        + " cancelledAt closed closedAt displayFulfillmentStatus } userErrors { field message } } }",
                variables,
                description);
        JsonNode payload = payload(answer, mutation, description);
        if (!payload.path("userErrors").isEmpty()) {
            return rejected(
                    CommandResultReason.VALIDATION,
                    userErrorText(payload.path("userErrors")),
                    Optional.empty(),
                    answer);
        }
        return applied(payload.path("order"), answer);
    }

    private static String unsupportedStatus(OrderStatus status) {
        String how =
                switch (status) {
                    case CANCELLED -> "send a CancelOrder command (orderCancel)";
                    case COMPLETED -> "it follows from fulfilment: send CreateShipment commands";
                    case REFUNDED -> "it follows from refunds, which commands do not create";
                    default -> "Shopify derives an order's status from cancellation, closing and fulfilment";
                };
        return "Shopify cannot set an order's status to " + status + ": " + how
                + "; UpdateOrderStatus supports ARCHIVED (orderClose) and PROCESSING (orderOpen)";
    }

    // --- SET_PRICE -----------------------------------------------------------------------------------------------

    private GraphqlAnswer readVariant(SetPrice price) throws PlatformApiException {
        if (price.getVariantId() == null) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.CLIENT, 0, "Shopify prices variants: no variant_id");
        }
        ObjectNode variables = Json.MAPPER.createObjectNode().put("id", gid("ProductVariant", price.getVariantId()));
        return api.graphql(
                "query VariantPrice($id: ID!) { productVariant(id: $id) { id price compareAtPrice product { id } } }",
                variables,
                "Shopify read variant price");
    }

    private static boolean priced(JsonNode variant, SetPrice price) {
        return sameAmount(variant.path("price"), price.getPrice())
                && (price.getCompareAtPrice() == null
                        || sameAmount(variant.path("compareAtPrice"), price.getCompareAtPrice()));
    }

    private static boolean sameAmount(JsonNode value, Money wanted) {
        try {
            return value.isValueNode()
                    && !value.isNull()
                    && new BigDecimal(value.asText()).compareTo(wanted.getAmount()) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String shopCurrency() throws PlatformApiException {
        String known = shopCurrency.get();
        if (known != null) {
            return known;
        }
        String description = "Shopify read shop currency";
        GraphqlAnswer answer = api.graphql(
                "query ShopCurrency { shop { currencyCode } }", Json.MAPPER.createObjectNode(), description);
        String currency = answer.data().path("shop").path("currencyCode").asText("");
        if (currency.isEmpty()) {
            throw new PlatformApiException(PlatformApiException.Kind.SERVER, 200, description + " returned none");
        }
        shopCurrency.set(currency);
        return currency;
    }

    private ApiResponse<WriteOutcome> setPrice(Command command, SetPrice price) throws PlatformApiException {
        Optional<String> invalid = invalidId("Product", price.getProductId())
                .or(() -> price.getVariantId() == null
                        ? Optional.of("Shopify prices variants: variant_id is required (a product's only variant too)")
                        : invalidId("ProductVariant", price.getVariantId()));
        if (invalid.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, invalid.get());
        }
        Optional<String> currency = CommandWrites.currencyMismatch(shopCurrency(), price, "shop");
        if (currency.isPresent()) {
            return rejected(CommandResultReason.VALIDATION, currency.get());
        }
        Optional<ApiResponse<WriteOutcome>> expired = expired(command);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode variables = Json.MAPPER.createObjectNode();
        variables.put("productId", gid("Product", price.getProductId()));
        ObjectNode variant = variables.putArray("variants").addObject();
        variant.put("id", gid("ProductVariant", price.getVariantId()));
        variant.put("price", decimal(price.getPrice()));
        if (price.getCompareAtPrice() != null) {
            variant.put("compareAtPrice", decimal(price.getCompareAtPrice()));
        }
        String description = "Shopify productVariantsBulkUpdate";
        GraphqlAnswer answer = api.graphql(
                "mutation SetPrice($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {"
                        + " productVariantsBulkUpdate(productId: $productId, variants: $variants) {"
                        + " productVariants { id price compareAtPrice } " + USER_ERRORS + " } }",
                variables,
                description);
        JsonNode payload = payload(answer, "productVariantsBulkUpdate", description);
        JsonNode errors = payload.path("userErrors");
        if (!errors.isEmpty()) {
            boolean missing = hasCode(errors, "PRODUCT_DOES_NOT_EXIST")
                    || hasCode(errors, "PRODUCT_VARIANT_DOES_NOT_EXIST")
                    || hasCode(errors, "PRODUCT_VARIANT_ID_MISSING");
            return rejected(
                    missing ? CommandResultReason.NOT_FOUND : CommandResultReason.VALIDATION,
                    userErrorText(errors),
                    Optional.empty(),
                    answer);
        }
        return applied(payload.path("productVariants"), answer);
    }

    private static String decimal(Money money) {
        return money.getAmount().stripTrailingZeros().toPlainString();
    }

    // --- shared --------------------------------------------------------------------------------------------------

    /** A command's numeric id (or GID of that type) as a GID; callers have checked it with {@link #invalidId}. */
    static String gid(String type, String id) {
        return id.startsWith("gid://") ? id : "gid://shopify/" + type + "/" + id;
    }

    private static Optional<String> invalidId(String type, String id) {
        if (id != null && (NUMERIC_ID.matcher(id).matches() || id.matches("gid://shopify/" + type + "/[0-9]{1,20}"))) {
            return Optional.empty();
        }
        return Optional.of("not a Shopify " + type + " id: " + id);
    }

    private static Optional<String> fitsInt(long value, String field) {
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE
                ? Optional.of(field + " " + value + " is out of Shopify's Int range")
                : Optional.empty();
    }

    private Optional<ApiResponse<WriteOutcome>> expired(Command command) {
        return CommandWrites.expired(command, clock);
    }

    private static JsonNode payload(GraphqlAnswer answer, String mutation, String description)
            throws PlatformApiException {
        JsonNode payload = answer.data().path(mutation);
        if (!payload.isObject()) {
            throw new PlatformApiException(PlatformApiException.Kind.SERVER, 200, description + " returned no data");
        }
        return payload;
    }

    private static boolean hasCode(JsonNode errors, String code) {
        for (JsonNode error : errors) {
            if (code.equals(error.path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The platform's own text of userErrors: {@code CODE: message} joined with "; ". */
    static String userErrorText(JsonNode errors) {
        List<String> texts = new ArrayList<>();
        for (JsonNode error : errors) {
            String code = error.path("code").asText("");
            texts.add(
                    (code.isEmpty() ? "" : code + ": ") + error.path("message").asText(""));
        }
        return String.join("; ", texts);
    }

    private static ReadBack effect(boolean applied, String state) {
        return applied ? ReadBack.applied(state) : ReadBack.notApplied(state);
    }

    private static ApiResponse<WriteOutcome> applied(JsonNode state, GraphqlAnswer answer) {
        return new ApiResponse<>(new WriteOutcome.Applied(Json.encode(state), answer.requestId()), answer.quota());
    }

    private static ApiResponse<WriteOutcome> rejected(CommandResultReason reason, String text) {
        return CommandWrites.rejected(reason, text);
    }

    private static ApiResponse<WriteOutcome> rejected(
            CommandResultReason reason, String text, Optional<String> state, GraphqlAnswer answer) {
        return new ApiResponse<>(new WriteOutcome.Rejected(reason, text, state), answer.quota());
    }
}
