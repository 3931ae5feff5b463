package dev.commercesync.platforms.magento2;

import static dev.commercesync.platforms.contract.CannedRoutes.assertRejected;
import static dev.commercesync.platforms.contract.CannedRoutes.assertRequest;
import static dev.commercesync.platforms.contract.CannedRoutes.assertSentAsDeclared;
import static dev.commercesync.platforms.contract.CannedRoutes.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.CannedRoutes;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformWriteClient;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Magento2WriteClient against canned Adobe Commerce REST answers over real HTTP: the exact requests and the outcomes.
 *
 * <p>Canned answers follow Adobe's REST docs (developer.adobe.com/commerce/webapi/rest/): "Manage source items"
 * (inventory/manage-source-items: POST /V1/inventory/source-items answers {@code []}; the search answer is the fixture
 * source_items.rest_search_response.json), the order tutorial's "Create a shipment" (tutorials/orders/
 * order-create-shipment: POST /V1/order/3/ship with items, notify and a ups track, answered with the shipment id),
 * "Manage prices for multiple products" (modules/catalog/catalog-pricing: POST /V1/products/base-prices answers the
 * list of failed updates, {@code []} when none), order 3 of the order tutorial (fixture
 * order.rest_get_V1_orders_id.json, state {@code new}, items 3 to 11) and the error body {@code {message, parameters}}
 * (use-rest/error-format: {@code %1} and {@code %name} placeholders).
 */
class Magento2WriteClientTest {
    private static final String NOT_FOUND =
            "{\"message\":\"The entity that was requested doesn't exist." + " Verify the entity and try again.\"}";

    private CannedHttpServer server;
    private CannedRoutes routes;
    private PlatformWriteClient client;

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
        routes = new CannedRoutes();
        server.handle(routes);
        client = new Magento2Adapter()
                .writeClient(new ApiConnection(
                        server.baseUrl(), new ApiCredentials.AccessToken("integration-token"), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- source items ----

    @Test
    void setsASourceItemAbsolutely() throws Exception {
        routes.on("POST", "/V1/inventory/source-items", 200, "[]");

        WriteOutcome outcome =
                client.apply(setStock("new_product2", "central", 12L, null)).value();

        assertInstanceOf(WriteOutcome.Applied.class, outcome);
        assertEquals(1, server.requests().size());
        assertSentAsDeclared(client.applyCost(setStock("new_product2", "central", 12L, null)), server.requests());
        assertRequest(
                server.last(),
                "POST",
                "/V1/inventory/source-items",
                "{\"sourceItems\":[{\"sku\":\"new_product2\",\"source_code\":\"central\",\"quantity\":12,\"status\":1}]}");
        assertEquals("Bearer integration-token", server.last().header("Authorization"));
        client.apply(setStock("new_product2", "central", 0L, null));
        assertEquals(
                0,
                Json.MAPPER
                        .readTree(server.last().body())
                        .at("/sourceItems/0/status")
                        .asInt(),
                "out of stock");
    }

    @Test
    void aCompareAndSetReadsTheSourceItemFirst() throws Exception {
        routes.on("GET", "/V1/inventory/source-items", 200, fixture("source_items.rest_search_response.json"))
                .on("POST", "/V1/inventory/source-items", 200, "[]");

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(setStock("new_product2", "central", 490L, 500L)).value());

        List<CannedHttpServer.Recorded> requests = server.requests();
        assertEquals(2, requests.size());
        assertSentAsDeclared(client.applyCost(setStock("new_product2", "central", 490L, 500L)), requests);
        assertEquals("GET", requests.get(0).method());
        String query = java.net.URLDecoder.decode(
                requests.get(0).uri().getRawQuery(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(query.contains("[field]=sku") && query.contains("[value]=new_product2"), query);
        assertTrue(query.contains("[field]=source_code") && query.contains("[value]=central"), query);
        assertEquals("POST", requests.get(1).method());
    }

    @Test
    void aStaleCompareAndSetIsAConflictWithTheCurrentQuantityAndNoWrite() throws Exception {
        routes.on("GET", "/V1/inventory/source-items", 200, fixture("source_items.rest_search_response.json"));

        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.CONFLICT,
                client.apply(setStock("new_product2", "central", 490L, 480L)).value());
        assertEquals(
                500,
                Json.MAPPER
                        .readTree(rejected.currentState().orElseThrow())
                        .path("quantity")
                        .asInt());
        assertEquals(1, server.requests().size(), "only the read");
    }

    @Test
    void aValidationErrorIsRejectedWithItsPlaceholdersFilled() throws Exception {
        routes.on(
                        "POST",
                        "/V1/inventory/source-items",
                        400,
                        "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":"
                                + "\"Source with code \\\"%1\\\" does not exist.\",\"parameters\":[\"north\"]}]}")
                .on("GET", "/V1/products/new_product2", 200, fixture("product.rest_post_V1_products_response.json"))
                .on("GET", "/V1/store/storeConfigs", 200, "[{\"id\":1,\"base_currency_code\":\"USD\"}]");

        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.VALIDATION,
                client.apply(setStock("new_product2", "north", 1L, null)).value());
        assertEquals(
                "HTTP 400: Validation Failed (Source with code \"north\" does not exist.)", rejected.platformError());
    }

    @Test
    void aSourceItemOfAnUnknownSkuIsNotFound() throws Exception {
        routes.on(
                        "POST",
                        "/V1/inventory/source-items",
                        400,
                        "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":"
                                + "\"Product with SKU \\\"%1\\\" does not exist.\",\"parameters\":[\"gone\"]}]}")
                .on("GET", "/V1/products/gone", 404, NOT_FOUND);

        assertRejected(
                CommandResultReason.NOT_FOUND,
                client.apply(setStock("gone", "central", 1L, null)).value());
    }

    @Test
    void aSourceItemWithoutSourceIsRejectedWithoutARequest() throws Exception {
        assertRejected(
                CommandResultReason.VALIDATION,
                client.apply(command(
                                Magento2Adapter.NAME,
                                "new_product2",
                                new SetInventoryLevel("new_product2", null, 1L, null)))
                        .value());
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void readBackComparesTheSourceItemAndAsksTheProductWhenThereIsNone() throws Exception {
        routes.on("GET", "/V1/inventory/source-items", 200, fixture("source_items.rest_search_response.json"));
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(setStock("new_product2", "central", 500L, null))
                        .value()
                        .effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(setStock("new_product2", "central", 12L, null))
                        .value()
                        .effect());

        routes.on("GET", "/V1/inventory/source-items", 200, "{\"items\":[],\"total_count\":0}")
                .on("GET", "/V1/products/gone", 404, NOT_FOUND)
                .on("GET", "/V1/products/MS-Champ-S", 200, fixture("product.rest_post_V1_products_response.json"))
                .on("GET", "/V1/store/storeConfigs", 200, "[{\"id\":1,\"base_currency_code\":\"USD\"}]");
        assertEquals(
                ReadBack.Effect.NOT_FOUND,
                client.readBack(setStock("gone", "central", 12L, null)).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(setStock("MS-Champ-S", "central", 12L, null))
                        .value()
                        .effect(),
                "the product is not assigned to the source yet");
    }

    @Test
    void http429IsRateLimitedWithItsRetryAfter() {
        routes.on("POST", "/V1/inventory/source-items", 429, Map.of("Retry-After", "3"), "{}");

        RateLimitedException limited = assertThrows(
                RateLimitedException.class, () -> client.apply(setStock("new_product2", "central", 1L, null)));

        assertEquals(Duration.ofSeconds(3), limited.retryAfter());
    }

    @Test
    void http5xxIsAServerFailureForTheCallerToReadBack() {
        routes.on("POST", "/V1/order/3/ship", 503, "{\"message\":\"Service Unavailable\"}");

        PlatformApiException failure = assertThrows(
                PlatformApiException.class, () -> client.apply(shipment(List.of(new ShipmentLine("3", 1L)))));

        assertEquals(PlatformApiException.Kind.SERVER, failure.kind());
        assertEquals(503, failure.httpStatus());
    }

    // ---- shipments ----

    @Test
    void shipsWithATrackAndNamesTheCommandInAComment() throws Exception {
        routes.on("POST", "/V1/order/3/ship", 200, "5");

        WriteOutcome.Applied applied = assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(shipment(List.of(new ShipmentLine("3", 1L), new ShipmentLine("5", 1L))))
                        .value());

        assertRequest(
                server.last(),
                "POST",
                "/V1/order/3/ship",
                "{\"items\":[{\"order_item_id\":3,\"qty\":1},{\"order_item_id\":5,\"qty\":1}],\"notify\":true,"
                        + "\"appendComment\":false,\"comment\":{\"comment\":\"commerce-sync command cmd-magento2-3\","
                        + "\"is_visible_on_front\":0},\"tracks\":[{\"track_number\":\"1Y-9876543210\","
                        + "\"title\":\"United Parcel Service\",\"carrier_code\":\"ups\"}]}");
        assertEquals(
                "5",
                Json.MAPPER
                        .readTree(applied.resultingState())
                        .path("shipment_id")
                        .asText());
    }

    @Test
    void shipmentRefusalsAreRejections() throws Exception {
        routes.on("POST", "/V1/order/3/ship", 404, NOT_FOUND);
        assertRejected(
                CommandResultReason.NOT_FOUND,
                client.apply(shipment(List.of(new ShipmentLine("3", 1L)))).value());
        routes.on(
                "POST",
                "/V1/order/3/ship",
                400,
                "{\"message\":\"Shipment Document Validation Error(s):\\nThe order does not allow a shipment to be"
                        + " created.\"}");
        WriteOutcome.Rejected invalid = assertRejected(
                CommandResultReason.VALIDATION,
                client.apply(shipment(List.of(new ShipmentLine("3", 1L)))).value());
        assertTrue(invalid.platformError().contains("does not allow a shipment"), invalid.platformError());
    }

    @Test
    void readBackLooksForTheTrackingNumberInTheOrdersShipments() throws Exception {
        routes.on("GET", "/V1/orders/3", 200, fixture("order.rest_get_V1_orders_id.json"))
                .on(
                        "GET",
                        "/V1/shipments",
                        200,
                        "{\"items\":[" + fixture("shipment.assembled_from_shipment_tutorial.json")
                                + "],\"total_count\":1}");
        Command ship = shipment(List.of(new ShipmentLine("3", 1L)));

        ReadBack found = client.readBack(ship).value();

        assertEquals(ReadBack.Effect.APPLIED, found.effect());
        assertSentAsDeclared(client.readBackCost(ship), server.requests());
        String query =
                java.net.URLDecoder.decode(server.last().uri().getRawQuery(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(query.contains("[field]=order_id") && query.contains("[value]=3"), query);
        routes.on("GET", "/V1/shipments", 200, "{\"items\":[],\"total_count\":0}");
        assertEquals(ReadBack.Effect.NOT_APPLIED, client.readBack(ship).value().effect());
        routes.on("GET", "/V1/orders/3", 404, NOT_FOUND);
        assertEquals(ReadBack.Effect.NOT_FOUND, client.readBack(ship).value().effect());
    }

    // ---- cancel and status ----

    @Test
    void cancelsAndReadsTheResultingState() throws Exception {
        routes.on("POST", "/V1/orders/3/cancel", 200, "true")
                .on("GET", "/V1/orders/3", 200, order("canceled", "canceled"));

        WriteOutcome outcome = client.apply(cancel(true)).value();

        assertInstanceOf(WriteOutcome.Applied.class, outcome);
        List<CannedHttpServer.Recorded> requests = server.requests();
        assertSentAsDeclared(client.applyCost(cancel(true)), requests);
        assertEquals("POST", requests.get(0).method());
        assertEquals("/V1/orders/3/cancel", requests.get(0).uri().getRawPath());
        assertTrue(requests.get(0).body().isEmpty());
    }

    @Test
    void aCancelAnsweredFalseIsAppliedWhenTheOrderIsCancelledAlreadyElseRejected() throws Exception {
        routes.on("POST", "/V1/orders/3/cancel", 200, "false")
                .on("GET", "/V1/orders/3", 200, order("canceled", "canceled"));
        assertInstanceOf(WriteOutcome.Applied.class, client.apply(cancel(true)).value());

        routes.on("GET", "/V1/orders/3", 200, order("complete", "complete"));
        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.VALIDATION, client.apply(cancel(true)).value());
        assertTrue(rejected.platformError().contains("complete"), rejected.platformError());
    }

    @Test
    void holdsAndReleasesAHoldToTheStateBefore() throws Exception {
        routes.on("POST", "/V1/orders/3/hold", 200, "true").on("GET", "/V1/orders/3", 200, order("holded", "holded"));
        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(status(OrderStatus.ON_HOLD)).value());
        assertEquals("/V1/orders/3/hold", server.requests().get(0).uri().getRawPath());

        ObjectNode held = (ObjectNode) Json.MAPPER.readTree(order("holded", "holded"));
        held.put("hold_before_state", "processing");
        routes.on("GET", "/V1/orders/3", 200, Json.encode(held));
        routes.on("POST", "/V1/orders/3/unhold", 200, "true");
        String released = order("processing", "processing");
        server.handle(exchange -> {
            boolean unhold = exchange.getRequestURI().getRawPath().equals("/V1/orders/3/unhold");
            routes.handle(exchange);
            if (unhold) {
                routes.on("GET", "/V1/orders/3", 200, released);
            }
        });

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(status(OrderStatus.PROCESSING)).value());

        List<String> paths = server.requests().stream()
                .map(r -> r.method() + " " + r.uri().getRawPath())
                .toList();
        assertEquals(
                List.of("GET /V1/orders/3", "POST /V1/orders/3/unhold", "GET /V1/orders/3"),
                paths.subList(paths.size() - 3, paths.size()));
    }

    /** Requests, one unit each (the tests above check them against the requests sent). */
    @Test
    void declaresTheRequestsOfEachKind() {
        assertEquals(WriteCost.requests(1), client.applyCost(setStock("new_product2", "central", 12L, null)));
        assertEquals(
                WriteCost.requests(2),
                client.applyCost(setStock("new_product2", "central", 12L, 5L)),
                "a compare-and-set reads first");
        assertEquals(WriteCost.requests(1), client.applyCost(shipment(List.of(new ShipmentLine("3", 1L)))));
        assertEquals(WriteCost.requests(2), client.readBackCost(shipment(List.of(new ShipmentLine("3", 1L)))));
        assertEquals(WriteCost.requests(2), client.applyCost(cancel(true)), "the cancel, then the order");
        assertEquals(WriteCost.requests(3), client.applyCost(status(OrderStatus.PROCESSING)), "read, unhold, read");
        assertEquals(WriteCost.NONE, client.applyCost(status(OrderStatus.COMPLETED)));
        assertEquals(WriteCost.requests(1), client.applyCost(price("new_product2", "10", null)));
    }

    @Test
    void whatTheRestApiCannotSetIsUnsupportedWithoutARequest() throws Exception {
        for (Command command : List.of(
                status(OrderStatus.COMPLETED),
                status(OrderStatus.REFUNDED),
                cancel(false),
                price("MS-Champ-S", "20", "25"))) {
            WriteOutcome.Rejected rejected = assertRejected(
                    CommandResultReason.UNSUPPORTED, client.apply(command).value());
        }
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void aPendingOrderIsNotReleasedFromAHoldItIsNotIn() throws Exception {
        routes.on("GET", "/V1/orders/3", 200, fixture("order.rest_get_V1_orders_id.json"));

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(status(OrderStatus.PENDING)).value());
        assertRejected(
                CommandResultReason.UNSUPPORTED,
                client.apply(status(OrderStatus.PROCESSING)).value());
        assertTrue(server.requests().stream().allMatch(r -> r.method().equals("GET")));
    }

    @Test
    void readBackComparesTheOrdersState() throws Exception {
        routes.on("GET", "/V1/orders/3", 200, fixture("order.rest_get_V1_orders_id.json"));
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(status(OrderStatus.PENDING)).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(cancel(true)).value().effect());
        routes.on("GET", "/V1/orders/3", 200, order("canceled", "canceled"));
        assertEquals(
                ReadBack.Effect.APPLIED, client.readBack(cancel(true)).value().effect());
    }

    // ---- prices ----

    @Test
    void setsTheBasePriceInTheStoresBaseCurrency() throws Exception {
        routes.on("GET", "/V1/store/storeConfigs", 200, "[{\"id\":1,\"base_currency_code\":\"USD\"}]")
                .on("POST", "/V1/products/base-prices", 200, "[]");

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(price("MS-Champ-S", "19.99", null)).value());

        assertRequest(
                server.last(),
                "POST",
                "/V1/products/base-prices",
                "{\"prices\":[{\"price\":19.99,\"store_id\":0,\"sku\":\"MS-Champ-S\"}]}");
    }

    @Test
    void aPriceInAnotherCurrencyOrAFailedUpdateIsRejected() throws Exception {
        routes.on("GET", "/V1/store/storeConfigs", 200, "[{\"id\":1,\"base_currency_code\":\"EUR\"}]");
        assertRejected(
                CommandResultReason.VALIDATION,
                client.apply(price("MS-Champ-S", "19.99", null)).value());
        assertTrue(server.requests().stream().noneMatch(r -> r.method().equals("POST")));
    }

    @Test
    void anUnknownSkusPriceFailureIsNotFound() throws Exception {
        routes.on("GET", "/V1/store/storeConfigs", 200, "[{\"id\":1,\"base_currency_code\":\"USD\"}]")
                .on(
                        "POST",
                        "/V1/products/base-prices",
                        200,
                        "[{\"message\":\"The SKU specified is incorrect or doesn't exist. Verify the SKU and try"
                                + " again.\",\"parameters\":[\"gone\",\"0\"]}]")
                .on("GET", "/V1/products/gone", 404, NOT_FOUND);

        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.NOT_FOUND,
                client.apply(price("gone", "19.99", null)).value());
        assertTrue(rejected.platformError().startsWith("The SKU specified is incorrect"), rejected.platformError());
    }

    @Test
    void readBackComparesThePrice() throws Exception {
        routes.on("GET", "/V1/store/storeConfigs", 200, "[{\"id\":1,\"base_currency_code\":\"USD\"}]")
                .on("GET", "/V1/products/MS-Champ-S", 200, fixture("product.rest_post_V1_products_response.json"));
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(price("MS-Champ-S", "25", null)).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(price("MS-Champ-S", "19.99", null)).value().effect());
    }

    // ---- helpers ----

    private static Command setStock(String sku, String source, Long quantity, Long expected) {
        return command(
                Magento2Adapter.NAME, sku + "@" + source, new SetInventoryLevel(sku, source, quantity, expected));
    }

    private static Command shipment(List<ShipmentLine> lines) {
        return command(
                Magento2Adapter.NAME,
                "3",
                new CreateShipment("3", lines, "United Parcel Service", "1Y-9876543210", null, true));
    }

    private static Command cancel(boolean restock) {
        return command(Magento2Adapter.NAME, "3", new CancelOrder("3", CancelReason.CUSTOMER, restock, false));
    }

    private static Command status(OrderStatus status) {
        return command(Magento2Adapter.NAME, "3", new UpdateOrderStatus("3", status));
    }

    private static Command price(String sku, String price, String compareAt) {
        return command(
                Magento2Adapter.NAME,
                sku,
                new SetPrice(
                        sku,
                        null,
                        new Money(new BigDecimal(price).setScale(6), "USD"),
                        compareAt == null ? null : new Money(new BigDecimal(compareAt).setScale(6), "USD")));
    }

    private static String fixture(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/fixtures/magento2", name));
    }

    /** Order 3 of the order tutorial in another state and status. */
    private static String order(String state, String status) throws IOException {
        JsonNode order = Json.MAPPER.readTree(fixture("order.rest_get_V1_orders_id.json"));
        ((ObjectNode) order).put("state", state).put("status", status);
        return Json.encode(order);
    }
}
