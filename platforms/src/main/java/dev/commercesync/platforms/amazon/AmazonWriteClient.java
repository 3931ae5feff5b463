package dev.commercesync.platforms.amazon;

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
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.ShipmentLine;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes commands to one seller through SP-API, with {@link AmazonApiClient}'s requests (LWA token, 429 and error
 * classification). SP-API has no idempotency key and no compare-and-set: the writer reads before it writes, so a retry
 * finds an applied command applied and sends nothing.
 *
 * <ul>
 *   <li>SET_INVENTORY_LEVEL ({@code <seller_sku>@<marketplace_id>}, {@link AmazonListings}: a listing's quantity is
 *       per seller SKU and marketplace, the level the adapter reads with searchListingsItems): Listings Items {@code getListingsItem} (summaries: the product type the patch must name;
 *       fulfillmentAvailability: the DEFAULT, merchant-fulfilled, quantity), the expected quantity compared (CONFLICT
 *       when it differs), then {@code patchListingsItem} replacing {@code /attributes/fulfillment_availability} with
 *       {@code [{fulfillment_channel_code: DEFAULT, quantity}]}. Amazon processes the patch asynchronously: ACCEPTED
 *       is applied, INVALID a VALIDATION rejection with Amazon's issues. FBA quantities are Amazon's and not written.
 *   <li>CREATE_SHIPMENT: the order (Orders API v2026-01-01 getOrder; a package with the tracking number means an
 *       earlier attempt applied it), then Orders API v0 {@code confirmShipment} (v2026-01-01 has none) with the order's
 *       marketplace, a {@code packageReferenceId} derived from the command_id (positive, numeric, as Amazon requires:
 *       a retry confirms the same package), the carrier as {@code carrierCode} when Amazon knows it, else {@code
 *       Other} with {@code carrierName}, the tracking number, the lines and the ship date (now).
 *   <li>CANCEL_ORDER, UPDATE_ORDER_STATUS, SET_PRICE: not applied (UNSUPPORTED). SP-API has no seller order
 *       cancellation or status operation in the Orders API (cancellations go through feeds), and prices go through
 *       listings offers, which this writer does not model yet.
 * </ul>
 */
final class AmazonWriteClient implements PlatformWriteClient {
    static final Set<CommandKind> KINDS = EnumSet.of(CommandKind.SET_INVENTORY_LEVEL, CommandKind.CREATE_SHIPMENT);

    /** Carrier codes of confirmShipment's list that canonical carrier names match (case-insensitive). */
    private static final Map<String, String> CARRIER_CODES = Map.of(
            "usps", "USPS",
            "ups", "UPS",
            "fedex", "FedEx",
            "dhl", "DHL",
            "royal mail", "Royal Mail",
            "dpd", "DPD",
            "canada post", "Canada Post",
            "australia post", "Australia Post");

    /** What Amazon accepts in a path segment of an order id (3-7-7 digits) or a seller SKU (any text, encoded). */
    private static final Pattern ORDER_ID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final AmazonApiClient api;
    private final Clock clock;

    AmazonWriteClient(AmazonApiClient api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    @Override
    public ApiResponse<WriteOutcome> apply(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            return setQuantity(command, set);
        }
        if (action instanceof CreateShipment shipment) {
            return confirmShipment(command, shipment);
        }
        return CommandWrites.rejected(
                CommandResultReason.UNSUPPORTED, "amazon does not support " + CommandKind.of(command) + " commands");
    }

    /** getListingsItem and patchListingsItem; getOrder and confirmShipment: each in searchOrders units. */
    @Override
    public WriteCost applyCost(Command command) {
        return switch (CommandKind.of(command)) {
            case SET_INVENTORY_LEVEL ->
                new WriteCost(
                        2,
                        AmazonOperation.GET_LISTINGS_ITEM.unitsOfSearchOrders()
                                + AmazonOperation.PATCH_LISTINGS_ITEM.unitsOfSearchOrders());
            case CREATE_SHIPMENT ->
                new WriteCost(
                        2,
                        AmazonOperation.GET_ORDER.unitsOfSearchOrders()
                                + AmazonOperation.CONFIRM_SHIPMENT.unitsOfSearchOrders());
            default -> WriteCost.NONE;
        };
    }

    @Override
    public WriteCost readBackCost(Command command) {
        return switch (CommandKind.of(command)) {
            case SET_INVENTORY_LEVEL -> new WriteCost(1, AmazonOperation.GET_LISTINGS_ITEM.unitsOfSearchOrders());
            case CREATE_SHIPMENT -> new WriteCost(1, AmazonOperation.GET_ORDER.unitsOfSearchOrders());
            default -> WriteCost.NONE;
        };
    }

    @Override
    public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
        Object action = command.getAction();
        if (action instanceof SetInventoryLevel set) {
            if (set.getLocationId() == null) {
                return new ApiResponse<>(ReadBack.notFound(), Optional.empty());
            }
            Optional<JsonNode> listing = readListing(command, set);
            return CommandWrites.readBackOf(
                    new ApiResponse<>(listing, Optional.empty()),
                    l -> quantity(l).filter(q -> q == set.getQuantity()).isPresent(),
                    List.of("sku", "fulfillmentAvailability"));
        }
        if (action instanceof CreateShipment shipment) {
            ApiResponse<Optional<JsonNode>> order = api.getById(EntityType.ORDER, shipment.getOrderId(), null);
            return CommandWrites.readBackOf(
                    order,
                    o -> trackedPackage(o, shipment.getTrackingNumber()).isPresent(),
                    List.of("orderId", "packages"));
        }
        throw new PlatformApiException(
                PlatformApiException.Kind.CLIENT,
                0,
                "amazon does not support " + CommandKind.of(command) + " commands");
    }

    // --- SET_INVENTORY_LEVEL -------------------------------------------------------------------------------------

    /** The listing a SetInventoryLevel names: the SKU ({@code item_id}) in the marketplace ({@code location_id}). */
    private static String listingPath(Command command, SetInventoryLevel set) {
        return AmazonListings.itemPath(command.getMetadata().getStore(), set.getItemId(), set.getLocationId());
    }

    private Optional<JsonNode> readListing(Command command, SetInventoryLevel set) throws PlatformApiException {
        return api.listing(command.getMetadata().getStore(), set.getItemId(), set.getLocationId());
    }

    private static Optional<Long> quantity(JsonNode listing) {
        return AmazonListings.mfnQuantity(listing);
    }

    private ApiResponse<WriteOutcome> setQuantity(Command command, SetInventoryLevel set) throws PlatformApiException {
        if (set.getLocationId() == null || set.getLocationId().isBlank() || set.getQuantity() < 0) {
            return CommandWrites.rejected(
                    CommandResultReason.VALIDATION,
                    "an Amazon listing quantity is <seller_sku>@<marketplace_id> with a quantity of at least 0");
        }
        Optional<JsonNode> listing = readListing(command, set);
        if (listing.isEmpty()) {
            return CommandWrites.rejected(
                    CommandResultReason.NOT_FOUND,
                    "no listing of SKU " + set.getItemId() + " in marketplace " + set.getLocationId());
        }
        Optional<Long> current = quantity(listing.get());
        String state = CommandWrites.state(listing.get(), List.of("sku", "fulfillmentAvailability"));
        if (set.getExpectedQuantity() != null && !current.equals(Optional.of(set.getExpectedQuantity()))) {
            return new ApiResponse<>(
                    new WriteOutcome.Rejected(
                            CommandResultReason.CONFLICT,
                            "the listing's quantity is "
                                    + current.map(String::valueOf).orElse("not set") + ", not the expected "
                                    + set.getExpectedQuantity(),
                            Optional.of(state)),
                    Optional.empty());
        }
        if (current.equals(Optional.of(set.getQuantity()))) {
            return new ApiResponse<>(new WriteOutcome.Applied(state, Optional.empty()), Optional.empty());
        }
        String productType = "";
        for (JsonNode summary : listing.get().path("summaries")) {
            if (set.getLocationId().equals(summary.path("marketplaceId").asText())) {
                productType = summary.path("productType").asText("");
            }
        }
        if (productType.isEmpty()) {
            return CommandWrites.rejected(
                    CommandResultReason.VALIDATION,
                    "the listing of SKU " + set.getItemId() + " names no product type in marketplace "
                            + set.getLocationId());
        }
        Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("productType", productType);
        ObjectNode patch = body.putArray("patches").addObject();
        patch.put("op", "replace");
        patch.put("path", "/attributes/fulfillment_availability");
        ObjectNode value = patch.putArray("value").addObject();
        value.put("fulfillment_channel_code", AmazonListings.MFN_CHANNEL);
        value.put("quantity", set.getQuantity());
        HttpResponse<byte[]> response = write(
                "PATCH",
                listingPath(command, set),
                body,
                "Amazon patchListingsItem",
                AmazonOperation.PATCH_LISTINGS_ITEM);
        if (response.statusCode() == 404) {
            return CommandWrites.rejected(CommandResultReason.NOT_FOUND, "listing " + set.getItemId() + " not found");
        }
        JsonNode answer = ApiHttp.json(response, "Amazon patchListingsItem");
        if (!CommandWrites.success(response)
                || !"ACCEPTED".equals(answer.path("status").asText())) {
            return new ApiResponse<>(
                    new WriteOutcome.Rejected(CommandResultReason.VALIDATION, errors(answer)), Optional.empty());
        }
        ObjectNode resulting = Json.MAPPER.createObjectNode();
        resulting.put("sku", set.getItemId());
        resulting.put("marketplaceId", set.getLocationId());
        resulting.put("quantity", set.getQuantity());
        resulting.set("submissionId", answer.path("submissionId"));
        return new ApiResponse<>(
                new WriteOutcome.Applied(Json.encode(resulting), requestId(response)), Optional.empty());
    }

    // --- CREATE_SHIPMENT -----------------------------------------------------------------------------------------

    private static Optional<JsonNode> trackedPackage(JsonNode order, String trackingNumber) {
        for (JsonNode pkg : order.path("packages")) {
            if (trackingNumber.equals(pkg.path("trackingNumber").asText())) {
                return Optional.of(pkg);
            }
        }
        return Optional.empty();
    }

    private ApiResponse<WriteOutcome> confirmShipment(Command command, CreateShipment shipment)
            throws PlatformApiException {
        boolean valid = ORDER_ID.matcher(shipment.getOrderId()).matches()
                && !shipment.getLines().isEmpty();
        for (ShipmentLine line : shipment.getLines()) {
            valid &= line.getQuantity() > 0 && !line.getLineItemId().isBlank();
        }
        if (!valid) {
            return CommandWrites.rejected(
                    CommandResultReason.VALIDATION,
                    "an Amazon shipment needs an order id and lines of order item id and positive quantity");
        }
        Optional<JsonNode> order =
                api.getById(EntityType.ORDER, shipment.getOrderId(), null).value();
        if (order.isEmpty()) {
            return CommandWrites.rejected(
                    CommandResultReason.NOT_FOUND, "order " + shipment.getOrderId() + " not found");
        }
        Optional<JsonNode> existing = trackedPackage(order.get(), shipment.getTrackingNumber());
        if (existing.isPresent()) {
            return new ApiResponse<>(
                    new WriteOutcome.Applied(Json.encode(existing.get()), Optional.empty()), Optional.empty());
        }
        String marketplaceId =
                order.get().path("salesChannel").path("marketplaceId").asText("");
        if (marketplaceId.isEmpty()) {
            return CommandWrites.rejected(
                    CommandResultReason.VALIDATION, "order " + shipment.getOrderId() + " names no marketplace");
        }
        Optional<ApiResponse<WriteOutcome>> expired = CommandWrites.expired(command, clock);
        if (expired.isPresent()) {
            return expired.get();
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("marketplaceId", marketplaceId);
        ObjectNode detail = body.putObject("packageDetail");
        detail.put(
                "packageReferenceId", packageReferenceId(command.getMetadata().getCommandId()));
        String code = CARRIER_CODES.get(shipment.getCarrier().trim().toLowerCase(Locale.ROOT));
        if (code != null) {
            detail.put("carrierCode", code);
        } else {
            detail.put("carrierCode", "Other");
            detail.put("carrierName", shipment.getCarrier());
        }
        detail.put("trackingNumber", shipment.getTrackingNumber());
        detail.put("shipDate", AmazonApiClient.iso(clock.instant()));
        ArrayNode items = detail.putArray("orderItems");
        for (ShipmentLine line : shipment.getLines()) {
            items.addObject().put("orderItemId", line.getLineItemId()).put("quantity", line.getQuantity());
        }
        HttpResponse<byte[]> response = write(
                "POST",
                "/orders/v0/orders/" + AmazonApiClient.encode(shipment.getOrderId()) + "/shipmentConfirmation",
                body,
                "Amazon confirmShipment",
                AmazonOperation.CONFIRM_SHIPMENT);
        if (response.statusCode() == 404) {
            return CommandWrites.rejected(
                    CommandResultReason.NOT_FOUND, "order " + shipment.getOrderId() + " not found");
        }
        if (!CommandWrites.success(response)) {
            return new ApiResponse<>(
                    new WriteOutcome.Rejected(
                            CommandResultReason.VALIDATION, errors(ApiHttp.json(response, "Amazon confirmShipment"))),
                    Optional.empty());
        }
        return new ApiResponse<>(new WriteOutcome.Applied(Json.encode(detail), requestId(response)), Optional.empty());
    }

    /**
     * A positive number naming the command (confirmShipment's packageReferenceId accepts only positive numeric
     * values): the first 60 bits of the command_id's SHA-256, so a retry names the same package.
     */
    static String packageReferenceId(String commandId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(commandId.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (hash[i] & 0xff);
            }
            return Long.toString((value >>> 4) + 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- shared --------------------------------------------------------------------------------------------------

    private HttpResponse<byte[]> write(
            String method, String pathAndQuery, JsonNode body, String description, AmazonOperation operation)
            throws PlatformApiException {
        HttpRequest request = api.authorized(api.http().request(api.http().resolve(pathAndQuery)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(Json.encode(body)))
                .build();
        return api.send(request, description, true, operation);
    }

    /** Amazon's error list ({@code errors[].code/message}) or a listing submission's issues, for the result. */
    private static String errors(JsonNode answer) {
        StringBuilder text = new StringBuilder();
        for (JsonNode error : answer.path("errors")) {
            text.append(error.path("code").asText())
                    .append(": ")
                    .append(error.path("message").asText())
                    .append("; ");
        }
        for (JsonNode issue : answer.path("issues")) {
            text.append(issue.path("code").asText())
                    .append(": ")
                    .append(issue.path("message").asText())
                    .append("; ");
        }
        String result = text.toString().strip();
        return result.isEmpty() ? "Amazon refused the request" : result.substring(0, Math.min(result.length(), 1000));
    }

    private static Optional<String> requestId(HttpResponse<byte[]> response) {
        return response.headers().firstValue("x-amzn-RequestId");
    }
}
