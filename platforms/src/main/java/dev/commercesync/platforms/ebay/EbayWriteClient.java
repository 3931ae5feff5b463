package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.ApiHttp;
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
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.ShipmentLine;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes commands through eBay's Sell APIs, with {@link EbayApiClient}'s requests (token, Retry-After, error
 * classification). eBay has no idempotency key and no compare-and-set on these calls: every write sets an absolute
 * value after a read, so a retry finds an applied command applied and sends nothing.
 *
 * <ul>
 *   <li>SET_INVENTORY_LEVEL (item id = the SKU, no location): reads the inventory item, compares {@code
 *       availability.shipToLocationAvailability.quantity} with the expected quantity (CONFLICT when they differ),
 *       then {@code POST /sell/inventory/v1/bulk_update_price_quantity} with {@code {"requests": [{"sku",
 *       "shipToLocationAvailability": {"quantity"}}]}}; eBay answers per SKU ({@code responses[].statusCode}, {@code
 *       errors}), a refused one is REJECTED with eBay's errors. eBay allows 250 revisions of a listing a day; the
 *       251st is refused by eBay and rejected with its error. A {@code location_id} is VALIDATION: eBay keeps one
 *       ship-to quantity per SKU.
 *   <li>CREATE_SHIPMENT: reads the order's shipping fulfillments (one with the tracking number: applied, nothing
 *       sent), then {@code POST /sell/fulfillment/v1/order/{orderId}/shipping_fulfillment} with {@code lineItems
 *       [{lineItemId, quantity}]}, {@code shippingCarrierCode} (the carrier as given: eBay's carrier codes, {@code
 *       USPS}, {@code UPS}, ...) and {@code trackingNumber}; eBay answers 201 with the new fulfillment's URI in {@code
 *       Location}. eBay notifies the buyer itself ({@code notify_customer} is not per request); a tracking URL has no
 *       field.
 *   <li>CANCEL_ORDER: UNSUPPORTED. A seller cancels through the Post-Order API's cancellation requests (or Seller
 *       Hub), which the buyer may have to accept: not a one-call write.
 *   <li>UPDATE_ORDER_STATUS: UNSUPPORTED. eBay's order states follow from payment, fulfillments and cancellations.
 *   <li>SET_PRICE: UNSUPPORTED in this version. eBay prices live on offers ({@code bulk_update_price_quantity}'s
 *       {@code offers[].price}, by offer id), and this adapter does not map offers to canonical products yet.
 * </ul>
 */
final class EbayWriteClient implements PlatformWriteClient {
    static final Set<CommandKind> KINDS = EnumSet.of(CommandKind.SET_INVENTORY_LEVEL, CommandKind.CREATE_SHIPMENT);

    private final EbayApiClient api;
    private final Clock clock;

    EbayWriteClient(ApiConnection connection, Clock clock) {
        this(new EbayApiClient(connection, clock), clock);
    }

    EbayWriteClient(EbayApiClient api, Clock clock) {
        this.api = api;
        this.clock = clock;
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
        return CommandWrites.rejected(
                CommandResultReason.UNSUPPORTED, "ebay does not support " + CommandKind.of(command) + " commands");
    }

    /** The read and the write: 2 requests, one unit each. */
    @Override
    public WriteCost applyCost(Command command) {
        return KINDS.contains(CommandKind.of(command)) ? WriteCost.requests(2) : WriteCost.NONE;
    }

    @Override
    public WriteCost readBackCost(Command command) {
        return KINDS.contains(CommandKind.of(command)) ? WriteCost.requests(1) : WriteCost.NONE;
    }

    @Override
    public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            return CommandWrites.readBackOf(
                    api.getById(dev.commercesync.schemas.canonical.EntityType.INVENTORY_LEVEL, set.getItemId(), null),
                    item -> quantity(item) == set.getQuantity(),
                    List.of("sku", "availability"));
        }
        if (action instanceof CreateShipment shipment) {
            Optional<JsonNode> fulfillments = readFulfillments(shipment.getOrderId());
            if (fulfillments.isEmpty()) {
                return new ApiResponse<>(ReadBack.notFound(), Optional.empty());
            }
            String state = Json.encode(fulfillments.get());
            return new ApiResponse<>(
                    tracked(fulfillments.get(), shipment.getTrackingNumber()).isPresent()
                            ? ReadBack.applied(state)
                            : ReadBack.notApplied(state),
                    Optional.empty());
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.CLIENT, 0, "ebay does not support " + CommandKind.of(command) + " commands");
    }

    // --- SET_INVENTORY_LEVEL -------------------------------------------------------------------------------------

    private static long quantity(JsonNode item) {
        JsonNode quantity =
                item.path("availability").path("shipToLocationAvailability").path("quantity");
        return quantity.canConvertToLong() ? quantity.asLong() : 0;
    }

    private ApiResponse<WriteOutcome> setInventory(Command command, SetInventoryLevel set) throws PlatformApiException {
        if (set.getLocationId() != null) {
            return CommandWrites.rejected(
                    CommandResultReason.VALIDATION,
                    "eBay keeps one ship-to quantity per SKU: a location_id cannot be written");
        }
        if (set.getQuantity() < 0) {
            return CommandWrites.rejected(CommandResultReason.VALIDATION, "eBay quantities are not negative");
        }
        ApiResponse<Optional<JsonNode>> read =
                api.getById(dev.commercesync.schemas.canonical.EntityType.INVENTORY_LEVEL, set.getItemId(), null);
        if (read.value().isEmpty()) {
            return CommandWrites.rejected(
                    CommandResultReason.NOT_FOUND, "eBay has no inventory item with SKU " + set.getItemId());
        }
        JsonNode item = read.value().get();
        String current = CommandWrites.state(item, List.of("sku", "availability"));
        if (quantity(item) == set.getQuantity()) {
            return new ApiResponse<>(new WriteOutcome.Applied(current, Optional.empty()), Optional.empty());
        }
        if (set.getExpectedQuantity() != null && quantity(item) != set.getExpectedQuantity()) {
            return new ApiResponse<>(
                    new WriteOutcome.Rejected(
                            CommandResultReason.CONFLICT,
                            "the quantity is " + quantity(item) + ", not the expected " + set.getExpectedQuantity(),
                            Optional.of(current)),
                    Optional.empty());
        }
        Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode request = body.putArray("requests").addObject();
        request.put("sku", set.getItemId());
        request.putObject("shipToLocationAvailability").put("quantity", set.getQuantity());
        HttpResponse<byte[]> response = api.send(
                "POST", EbayApiClient.INVENTORY + "/bulk_update_price_quantity", body, "eBay bulkUpdatePriceQuantity");
        JsonNode answer = ApiHttp.json(response, "eBay bulkUpdatePriceQuantity");
        JsonNode first = answer.path("responses").path(0);
        int status = first.path("statusCode").asInt(response.statusCode());
        if (CommandWrites.success(response) && status >= 200 && status < 300) {
            ObjectNode state = Json.MAPPER.createObjectNode().put("sku", set.getItemId());
            state.putObject("availability")
                    .putObject("shipToLocationAvailability")
                    .put("quantity", set.getQuantity());
            return new ApiResponse<>(new WriteOutcome.Applied(Json.encode(state), Optional.empty()), Optional.empty());
        }
        JsonNode errors = first.has("errors") ? first.path("errors") : answer.path("errors");
        return new ApiResponse<>(
                new WriteOutcome.Rejected(
                        status == 404 ? CommandResultReason.NOT_FOUND : CommandResultReason.VALIDATION,
                        "eBay refused the quantity: " + Json.encode(errors),
                        Optional.of(current)),
                Optional.empty());
    }

    // --- CREATE_SHIPMENT -----------------------------------------------------------------------------------------

    /** The order's fulfillments ({@code {"fulfillments": [...], "total"}}), or empty when the order does not exist. */
    private Optional<JsonNode> readFulfillments(String orderId) throws PlatformApiException {
        HttpResponse<byte[]> response = api.get(
                EbayApiClient.FULFILLMENT + "/order/" + EbayApiClient.pathSegment(orderId) + "/shipping_fulfillment",
                "eBay getShippingFulfillments");
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(ApiHttp.json(response, "eBay getShippingFulfillments"));
    }

    private static Optional<JsonNode> tracked(JsonNode fulfillments, String trackingNumber) {
        for (JsonNode fulfillment : fulfillments.path("fulfillments")) {
            if (trackingNumber.equals(fulfillment.path("shipmentTrackingNumber").asText())) {
                return Optional.of(fulfillment);
            }
        }
        return Optional.empty();
    }

    private ApiResponse<WriteOutcome> createShipment(Command command, CreateShipment shipment)
            throws PlatformApiException {
        if (shipment.getLines().isEmpty()) {
            return CommandWrites.rejected(CommandResultReason.VALIDATION, "an eBay shipping fulfillment needs lines");
        }
        Optional<JsonNode> existing = readFulfillments(shipment.getOrderId());
        if (existing.isEmpty()) {
            return CommandWrites.rejected(CommandResultReason.NOT_FOUND, "eBay has no order " + shipment.getOrderId());
        }
        Optional<JsonNode> done = tracked(existing.get(), shipment.getTrackingNumber());
        if (done.isPresent()) {
            return new ApiResponse<>(
                    new WriteOutcome.Applied(
                            Json.encode(done.get()),
                            Optional.of(done.get().path("fulfillmentId").asText())),
                    Optional.empty());
        }
        Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode lines = body.putArray("lineItems");
        for (ShipmentLine line : shipment.getLines()) {
            lines.addObject().put("lineItemId", line.getLineItemId()).put("quantity", line.getQuantity());
        }
        body.put("shippedDate", EbayApiClient.filterTime(clock.instant()));
        body.put("shippingCarrierCode", shipment.getCarrier());
        body.put("trackingNumber", shipment.getTrackingNumber());
        HttpResponse<byte[]> response = api.send(
                "POST",
                EbayApiClient.FULFILLMENT + "/order/" + EbayApiClient.pathSegment(shipment.getOrderId())
                        + "/shipping_fulfillment",
                body,
                "eBay createShippingFulfillment");
        if (CommandWrites.success(response)) {
            Optional<String> fulfillmentId = response.headers()
                    .firstValue("Location")
                    .map(location -> location.substring(location.lastIndexOf('/') + 1))
                    .filter(id -> !id.isBlank());
            ObjectNode state = body.deepCopy();
            fulfillmentId.ifPresent(id -> state.put("fulfillmentId", id));
            return new ApiResponse<>(new WriteOutcome.Applied(Json.encode(state), fulfillmentId), Optional.empty());
        }
        String errors = response.body().length == 0
                ? "HTTP " + response.statusCode()
                : Json.encode(
                        ApiHttp.json(response, "eBay createShippingFulfillment").path("errors"));
        return new ApiResponse<>(
                new WriteOutcome.Rejected(
                        response.statusCode() == 404 ? CommandResultReason.NOT_FOUND : CommandResultReason.VALIDATION,
                        "eBay refused the shipping fulfillment: " + errors,
                        Optional.of(Json.encode(existing.get()))),
                Optional.empty());
    }
}
