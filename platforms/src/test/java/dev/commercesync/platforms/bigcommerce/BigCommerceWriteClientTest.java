package dev.commercesync.platforms.bigcommerce;

import static dev.commercesync.platforms.contract.CannedRoutes.assertSentAsDeclared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.CannedHttpServer.Recorded;
import dev.commercesync.platforms.contract.CapabilityChecks;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.CancelReason;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BigCommerceWriteClient against a canned REST API: the exact requests it sends (method, path, body) and what it makes
 * of BigCommerce's answers. The canned answers have the shapes of developer.bigcommerce.com's reference pages, cited at
 * each.
 */
class BigCommerceWriteClientTest {
    private static final String TOKEN = "bc-write-secret";
    private static final Map<String, String> QUOTA =
            Map.of("X-Rate-Limit-Requests-Left", "140", "X-Rate-Limit-Requests-Quota", "150");

    private CannedHttpServer server;
    private BigCommerceWriteClient client;
    /** Canned answers by "METHOD path?query". */
    private final Map<String, Canned> answers = new LinkedHashMap<>();

    private record Canned(int status, Map<String, String> headers, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
        server.handle(exchange -> {
            Canned canned = answers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if (canned == null) {
                CannedHttpServer.respond(exchange, 404, Map.of(), "{\"status\": 404, \"title\": \"no canned answer\"}");
                return;
            }
            CannedHttpServer.respond(exchange, canned.status(), canned.headers(), canned.body());
        });
        client = new BigCommerceWriteClient(
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken(TOKEN), Duration.ofSeconds(5)),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void answer(String request, int status, String body) {
        answers.put(request, new Canned(status, QUOTA, body));
    }

    private static Command command(CommandKind kind, String commandId, Object action) {
        Command sample = CapabilityChecks.sampleCommand("bigcommerce", kind);
        sample.getMetadata().setCommandId(commandId);
        sample.getMetadata().setStore("abc123");
        sample.setAction(action);
        return sample;
    }

    /** The one recorded request with this method and path, checked to carry the token. */
    private JsonNode sent(String method, String path) throws IOException {
        List<Recorded> matching = server.requests().stream()
                .filter(r -> r.method().equals(method) && r.uri().getPath().equals(path))
                .toList();
        assertEquals(1, matching.size(), method + " " + path + " in " + server.requests());
        assertEquals(TOKEN, matching.get(0).header("X-Auth-Token"));
        return matching.get(0).body().isEmpty()
                ? null
                : Json.MAPPER.readTree(matching.get(0).body());
    }

    private long writes() {
        return server.requests().stream().filter(r -> !r.method().equals("GET")).count();
    }

    // --- inventory --------------------------------------------------------------------------------------------------

    private static final String LEVEL_READ = "GET /v3/inventory/locations/1/items?variant_id:in=77";
    private static final String ADJUST = "PUT /v3/inventory/adjustments/absolute";

    /**
     * One item of "Get inventory at a location"
     * (https://developer.bigcommerce.com/docs/rest-management/inventory/locations#get-inventory-at-a-location).
     */
    private static String level(long available, long onHand) {
        return "{\"data\": [{\"identity\": {\"sku\": \"SKU-77\", \"variant_id\": 77, \"product_id\": 111},"
                + " \"available_to_sell\": " + available + ", \"total_inventory_onhand\": " + onHand + ","
                + " \"settings\": {\"safety_stock\": " + (onHand - available) + ", \"is_in_stock\": true,"
                + " \"warning_level\": 0, \"bin_picking_number\": \"\"}}], \"meta\": {\"pagination\": {\"total\": 1,"
                + " \"count\": 1, \"per_page\": 50, \"current_page\": 1, \"total_pages\": 1}}}";
    }

    private static Command setInventory(long quantity, Long expected) {
        return command(CommandKind.SET_INVENTORY_LEVEL, "inv-1", new SetInventoryLevel("77", "1", quantity, expected));
    }

    @Test
    void setsTheAbsoluteOnHandThatMakesTheAvailableQuantity() throws Exception {
        answer(LEVEL_READ, 200, level(7, 9));
        // Absolute Adjustment answer
        // (https://developer.bigcommerce.com/docs/rest-management/inventory/adjustments#absolute-adjustment)
        answer(ADJUST, 200, "{\"transaction_id\": \"3ea7e4b0-6b71-4a58-a3b8-1f1a2c7e5d10\"}");

        var answer = client.apply(setInventory(12, 7L));

        WriteOutcome.Applied applied = assertInstanceOf(WriteOutcome.Applied.class, answer.value());
        assertTrue(applied.resultingState().contains("3ea7e4b0-6b71-4a58-a3b8-1f1a2c7e5d10"));
        assertEquals(140, answer.quota().orElseThrow().remaining());
        assertSentAsDeclared(client.applyCost(setInventory(12, 7L)), server.requests());
        JsonNode body = sent("PUT", "/v3/inventory/adjustments/absolute");
        assertEquals("commerce-sync command inv-1", body.path("reason").asText());
        JsonNode item = body.path("items").get(0);
        assertEquals(1, item.path("location_id").asLong());
        assertEquals(77, item.path("variant_id").asLong());
        assertEquals(14, item.path("quantity").asLong(), "12 available + the location's safety stock of 2");
    }

    @Test
    void aDifferentCurrentQuantityIsAConflictWithoutAWrite() throws Exception {
        answer(LEVEL_READ, 200, level(5, 5));

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(setInventory(12, 7L)).value());

        assertEquals(CommandResultReason.CONFLICT, rejected.reason());
        assertTrue(rejected.currentState().orElseThrow().contains("\"available_to_sell\":5"));
        assertEquals(0, writes());
    }

    @Test
    void aValidationErrorIsRejectedWithBigCommercesMessage() throws Exception {
        answer(LEVEL_READ, 200, level(7, 7));
        // 422 error body (https://developer.bigcommerce.com/docs/start/about/status-codes, v3 error shape)
        answer(
                ADJUST,
                422,
                "{\"status\": 422, \"title\": \"JSON data is missing or invalid\", \"type\":"
                        + " \"https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes\","
                        + " \"errors\": {\"items.0.quantity\": \"must be less than or equal to 2147483647\"}}");

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class,
                client.apply(setInventory(12, null)).value());

        assertEquals(CommandResultReason.VALIDATION, rejected.reason());
        assertEquals(
                "HTTP 422: JSON data is missing or invalid; items.0.quantity: must be less than or equal to 2147483647",
                rejected.platformError());
    }

    @Test
    void anUnknownVariantIsNotFound() throws Exception {
        answer(LEVEL_READ, 200, "{\"data\": [], \"meta\": {\"pagination\": {\"total\": 0}}}");

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class,
                client.apply(setInventory(12, null)).value());

        assertEquals(CommandResultReason.NOT_FOUND, rejected.reason());
        assertEquals(0, writes());
        assertEquals(
                ReadBack.Effect.NOT_FOUND,
                client.readBack(setInventory(12, null)).value().effect());
    }

    @Test
    void http429IsRateLimitedWithBigCommercesReset() {
        answer(LEVEL_READ, 200, level(7, 7));
        // 429 headers (https://developer.bigcommerce.com/docs/start/best-practices/api-rate-limits)
        answers.put(
                ADJUST,
                new Canned(
                        429,
                        Map.of("X-Rate-Limit-Time-Reset-Ms", "4500", "X-Rate-Limit-Requests-Left", "0"),
                        "{\"status\": 429, \"title\": \"Too many requests\"}"));

        RateLimitedException e = assertThrows(RateLimitedException.class, () -> client.apply(setInventory(12, null)));

        assertEquals(Duration.ofMillis(4500), e.retryAfter());
    }

    @Test
    void http5xxIsAServerFailureForTheExecutorToReadBack() {
        answer(LEVEL_READ, 200, level(7, 7));
        answer(ADJUST, 502, "{\"status\": 502, \"title\": \"Bad Gateway\"}");

        PlatformApiException e = assertThrows(PlatformApiException.class, () -> client.apply(setInventory(12, null)));

        assertEquals(PlatformApiException.Kind.SERVER, e.kind());
        assertFalse(e.getMessage().contains(TOKEN));
    }

    /** Requests, one unit each (the tests above check them against the requests sent). */
    @Test
    void declaresTheRequestsOfEachKind() {
        assertEquals(WriteCost.requests(2), client.applyCost(setInventory(12, null)), "read the level, then adjust");
        assertEquals(WriteCost.requests(2), client.applyCost(setInventory(12, 7L)));
        assertEquals(WriteCost.requests(1), client.readBackCost(setInventory(12, 7L)));
        assertEquals(
                WriteCost.requests(4),
                client.applyCost(shipment("UPS")),
                "the shipments, the order, its products, the shipment");
        assertEquals(WriteCost.requests(1), client.readBackCost(shipment("UPS")));
        assertEquals(
                WriteCost.requests(2),
                client.applyCost(command(
                        CommandKind.UPDATE_ORDER_STATUS,
                        "status-1",
                        new UpdateOrderStatus("120", OrderStatus.ON_HOLD))));
        assertEquals(WriteCost.requests(1), client.applyCost(price("USD")), "the store's currency is read once");
    }

    @Test
    void readBackComparesTheAvailableQuantity() throws Exception {
        answer(LEVEL_READ, 200, level(12, 14));
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(setInventory(12, 7L)).value().effect());
        assertSentAsDeclared(client.readBackCost(setInventory(12, 7L)), server.requests());
        answer(LEVEL_READ, 200, level(7, 9));
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(setInventory(12, 7L)).value().effect());
        assertEquals(0, writes());
    }

    // --- shipments --------------------------------------------------------------------------------------------------

    private static final String SHIPMENTS = "GET /v2/orders/120/shipments?limit=250";
    private static final String PRODUCTS = "GET /v2/orders/120/products?page=1&limit=250";

    /** The order the shipment's lines are looked up in (its products follow at PRODUCTS). */
    private void orderToShip() {
        answer("GET /v2/orders/120", 200, order(11));
    }

    /** One v2 shipment (https://developer.bigcommerce.com/docs/rest-management/orders/order-shipments). */
    private static String shipments(String trackingNumber) {
        return "[{\"id\": 1, \"order_id\": 120, \"customer_id\": 11, \"order_address_id\": 21, \"date_created\":"
                + " \"Tue, 20 Nov 2026 00:00:00 +0000\", \"tracking_number\": \"" + trackingNumber + "\","
                + " \"shipping_provider\": \"ups\", \"tracking_carrier\": \"ups\", \"comments\": \"\", \"items\":"
                + " [{\"order_product_id\": 64, \"product_id\": 111, \"quantity\": 1}]}]";
    }

    private static Command shipment(String carrier) {
        return command(
                CommandKind.CREATE_SHIPMENT,
                "ship-1",
                new CreateShipment(
                        "120", List.of(new ShipmentLine("64", 2L)), carrier, "1Z999AA10123456784", null, true));
    }

    @Test
    void createsAShipmentToTheLinesAddress() throws Exception {
        answer(SHIPMENTS, 204, "");
        orderToShip();
        // order products (https://developer.bigcommerce.com/docs/rest-management/orders/order-products)
        answer(
                PRODUCTS,
                200,
                "[{\"id\": 64, \"order_id\": 120, \"product_id\": 111, \"order_address_id\": 21, \"name\": \"Tee\","
                        + " \"quantity\": 2, \"quantity_shipped\": 0}]");
        answer(
                "POST /v2/orders/120/shipments",
                201,
                shipments("1Z999AA10123456784").replaceAll("^\\[|\\]$", ""));

        assertInstanceOf(
                WriteOutcome.Applied.class, client.apply(shipment("UPS")).value());
        assertSentAsDeclared(client.applyCost(shipment("UPS")), server.requests());

        JsonNode body = sent("POST", "/v2/orders/120/shipments");
        assertEquals(21, body.path("order_address_id").asLong());
        assertEquals("1Z999AA10123456784", body.path("tracking_number").asText());
        assertEquals("ups", body.path("shipping_provider").asText());
        assertEquals("ups", body.path("tracking_carrier").asText());
        assertEquals("commerce-sync command ship-1", body.path("comments").asText());
        assertEquals(64, body.path("items").get(0).path("order_product_id").asLong());
        assertEquals(2, body.path("items").get(0).path("quantity").asLong());
    }

    @Test
    void aCarrierBigCommerceDoesNotKnowIsNamedAsTheShippingMethod() throws Exception {
        answer(SHIPMENTS, 204, "");
        orderToShip();
        answer(PRODUCTS, 200, "[{\"id\": 64, \"order_address_id\": 21}]");
        answer(
                "POST /v2/orders/120/shipments",
                201,
                shipments("1Z999AA10123456784").replaceAll("^\\[|\\]$", ""));

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(shipment("Acme Freight")).value());

        JsonNode body = sent("POST", "/v2/orders/120/shipments");
        assertEquals("", body.path("shipping_provider").asText());
        assertTrue(body.path("tracking_carrier").isMissingNode());
        assertEquals("Acme Freight", body.path("shipping_method").asText());
    }

    @Test
    void aShipmentWithTheTrackingNumberIsNeverCreatedTwice() throws Exception {
        answer(SHIPMENTS, 200, shipments("1Z999AA10123456784"));

        assertInstanceOf(
                WriteOutcome.Applied.class, client.apply(shipment("UPS")).value());
        assertEquals(0, writes());
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(shipment("UPS")).value().effect());

        answer(SHIPMENTS, 200, shipments("OTHER-NUMBER"));
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(shipment("UPS")).value().effect());
    }

    @Test
    void aShipmentOfAnUnknownOrderIsNotFound() throws Exception {
        answer(SHIPMENTS, 404, "[{\"status\": 404, \"message\": \"The requested resource was not found.\"}]");

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(shipment("UPS")).value());

        assertEquals(CommandResultReason.NOT_FOUND, rejected.reason());
        assertEquals(
                ReadBack.Effect.NOT_FOUND,
                client.readBack(shipment("UPS")).value().effect());
    }

    @Test
    void aV2RefusalCarriesItsMessage() throws Exception {
        answer(SHIPMENTS, 204, "");
        orderToShip();
        answer(PRODUCTS, 200, "[{\"id\": 64, \"order_address_id\": 21}]");
        // v2 error body (https://developer.bigcommerce.com/docs/rest-management/orders/order-shipments)
        answer(
                "POST /v2/orders/120/shipments",
                400,
                "[{\"status\": 400, \"message\": \"The quantity specified is greater than the quantity of the product"
                        + " that is available to ship.\"}]");

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(shipment("UPS")).value());

        assertEquals(CommandResultReason.VALIDATION, rejected.reason());
        assertTrue(rejected.platformError().contains("greater than the quantity"));
    }

    // --- order status -----------------------------------------------------------------------------------------------

    /** A v2 order's status fields (https://developer.bigcommerce.com/docs/rest-management/orders#get-an-order). */
    private static String order(int statusId) {
        return "{\"id\": 120, \"status_id\": " + statusId + ", \"status\": \"s\", \"is_deleted\": false}";
    }

    @Test
    void cancelsWithStatusFiveAndReadsItBack() throws Exception {
        Command cancel = command(
                CommandKind.CANCEL_ORDER, "cancel-1", new CancelOrder("120", CancelReason.CUSTOMER, true, true));
        answer("GET /v2/orders/120", 200, order(11));
        answer("PUT /v2/orders/120", 200, order(5));

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(cancel).value());
        assertSentAsDeclared(client.applyCost(cancel), server.requests());
        assertEquals(5, sent("PUT", "/v2/orders/120").path("status_id").asInt());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED, client.readBack(cancel).value().effect());

        answer("GET /v2/orders/120", 200, order(5));
        assertEquals(ReadBack.Effect.APPLIED, client.readBack(cancel).value().effect());
        assertInstanceOf(WriteOutcome.Applied.class, client.apply(cancel).value());
        assertEquals(1, writes(), "a cancelled order is not cancelled again");
    }

    @Test
    void updatesTheStatusByTheInvertedMapping() throws Exception {
        answer("GET /v2/orders/120", 200, order(11));
        answer("PUT /v2/orders/120", 200, order(12));
        Command hold =
                command(CommandKind.UPDATE_ORDER_STATUS, "status-1", new UpdateOrderStatus("120", OrderStatus.ON_HOLD));

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(hold).value());
        assertEquals(12, sent("PUT", "/v2/orders/120").path("status_id").asInt());

        answer("GET /v2/orders/120", 200, order(2)); // Shipped: COMPLETED, as the order mapper reads it
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(command(
                                CommandKind.UPDATE_ORDER_STATUS,
                                "status-2",
                                new UpdateOrderStatus("120", OrderStatus.COMPLETED)))
                        .value()
                        .effect());

        WriteOutcome.Rejected refunded = assertInstanceOf(
                WriteOutcome.Rejected.class,
                client.apply(command(
                                CommandKind.UPDATE_ORDER_STATUS,
                                "status-3",
                                new UpdateOrderStatus("120", OrderStatus.REFUNDED)))
                        .value());
        assertEquals(CommandResultReason.UNSUPPORTED, refunded.reason());
        assertEquals(1, writes());
    }

    @Test
    void anUnknownOrderIsNotFound() throws Exception {
        Command hold =
                command(CommandKind.UPDATE_ORDER_STATUS, "status-1", new UpdateOrderStatus("120", OrderStatus.ON_HOLD));

        assertEquals(
                CommandResultReason.NOT_FOUND,
                assertInstanceOf(WriteOutcome.Rejected.class, client.apply(hold).value())
                        .reason());
        assertEquals(ReadBack.Effect.NOT_FOUND, client.readBack(hold).value().effect());
    }

    // --- prices -----------------------------------------------------------------------------------------------------

    private static final String STORE = "GET /v2/store";
    private static final String VARIANT = "/v3/catalog/products/111/variants/77";

    private static Command price(String currency) {
        return command(
                CommandKind.SET_PRICE,
                "price-1",
                new SetPrice(
                        "111",
                        "77",
                        new Money(new BigDecimal("19.990000"), currency),
                        new Money(new BigDecimal("25.000000"), currency)));
    }

    /** A catalog variant (https://developer.bigcommerce.com/docs/rest-catalog/product-variants). */
    private static String variant(String price) {
        return "{\"data\": {\"id\": 77, \"product_id\": 111, \"sku\": \"SKU-77\", \"price\": " + price
                + ", \"retail_price\": 25, \"sale_price\": null}, \"meta\": {}}";
    }

    @Test
    void setsTheVariantsPriceAndCompareAtAsRetailPrice() throws Exception {
        // store information (https://developer.bigcommerce.com/docs/rest-management/settings/store-information)
        answer(STORE, 200, "{\"id\": \"abc123\", \"currency\": \"USD\"}");
        answer("PUT " + VARIANT, 200, variant("19.99"));

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(price("USD")).value());
        JsonNode body = sent("PUT", VARIANT);
        assertEquals(0, new BigDecimal("19.99").compareTo(body.path("price").decimalValue()));
        assertEquals(0, new BigDecimal("25").compareTo(body.path("retail_price").decimalValue()));

        assertEquals(
                CommandResultReason.VALIDATION,
                assertInstanceOf(
                                WriteOutcome.Rejected.class,
                                client.apply(price("EUR")).value())
                        .reason());

        answer("GET " + VARIANT, 200, variant("19.99"));
        assertEquals(
                ReadBack.Effect.APPLIED, client.readBack(price("USD")).value().effect());
        answer("GET " + VARIANT, 200, variant("21.5"));
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(price("USD")).value().effect());
    }

    @Test
    void aProductWithoutVariantIsPricedAsAWhole() throws Exception {
        answer(STORE, 200, "{\"id\": \"abc123\", \"currency\": \"USD\"}");
        // a catalog product (https://developer.bigcommerce.com/docs/rest-catalog/products#update-a-product)
        answer("PUT /v3/catalog/products/111", 200, "{\"data\": {\"id\": 111, \"price\": 19.99}, \"meta\": {}}");
        Command command = price("USD");
        ((SetPrice) command.getAction()).setVariantId(null);
        ((SetPrice) command.getAction()).setCompareAtPrice(null);

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(command).value());

        JsonNode body = sent("PUT", "/v3/catalog/products/111");
        assertEquals(0, new BigDecimal("19.99").compareTo(body.path("price").decimalValue()));
        assertTrue(body.path("retail_price").isMissingNode(), "a null compare-at price leaves it unchanged");
    }

    @Test
    void anUnknownVariantsPriceIsNotFound() throws Exception {
        answer(STORE, 200, "{\"id\": \"abc123\", \"currency\": \"USD\"}");
        answer("PUT " + VARIANT, 404, "{\"status\": 404, \"title\": \"Variant not found\"}");

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(price("USD")).value());

        assertEquals(CommandResultReason.NOT_FOUND, rejected.reason());
        assertEquals("HTTP 404: Variant not found", rejected.platformError());
    }
}
