package dev.commercesync.platforms.woocommerce;

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
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WooWriteClient against canned WooCommerce REST v3 answers over real HTTP: the exact requests and the outcomes.
 *
 * <p>Canned answers follow the WooCommerce REST API docs (developer.woocommerce.com/docs/apis/rest-api/v3/, the same
 * text as woocommerce/woocommerce-rest-api-docs): products ({@code products/} "Update a product": the fixture
 * product.updated.json), product variations ("Retrieve a product variation": {@code type} variation, {@code
 * parent_id}), orders ("Create an order": the fixture order.created.json, order 727, lines 315 × 2 and 316 × 1),
 * order notes ("Create an order note": {@code {id, author, date_created, note, customer_note}}) and errors ({@code
 * {code, message, data: {status}}}; an update of an unknown id answers 400 {@code woocommerce_rest_*_invalid_id},
 * WC_REST_CRUD_Controller::update_item).
 */
class WooWriteClientTest {
    private static final String API = "/wp-json/wc/v3/";
    private static final ApiCredentials CREDENTIALS = new ApiCredentials.KeyAndSecret("ck_test", "cs_secret-value");

    private CannedHttpServer server;
    private CannedRoutes routes;
    private PlatformWriteClient client;

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
        routes = new CannedRoutes();
        server.handle(routes);
        client = new WooCommerceAdapter()
                .writeClient(new ApiConnection(server.baseUrl(), CREDENTIALS, Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- inventory ----

    @Test
    void setsTheStockOfASimpleProductAbsolutely() throws Exception {
        routes.on("GET", API + "products/794", 200, product())
                .on("PUT", API + "products/794", 200, product(p -> p.put("manage_stock", true)
                        .put("stock_quantity", 12)));

        Command command = setStock("794", 12L, null);
        WriteOutcome outcome = client.apply(command).value();

        WriteOutcome.Applied applied = assertInstanceOf(WriteOutcome.Applied.class, outcome);
        assertEquals(
                12,
                Json.MAPPER
                        .readTree(applied.resultingState())
                        .path("stock_quantity")
                        .asInt());
        List<CannedHttpServer.Recorded> requests = server.requests();
        assertSentAsDeclared(client.applyCost(command), requests);
        assertRequest(requests.get(0), "GET", API + "products/794", null);
        assertRequest(requests.get(1), "PUT", API + "products/794", "{\"manage_stock\":true,\"stock_quantity\":12}");
        String basic = "Basic " + Base64.getEncoder().encodeToString("ck_test:cs_secret-value".getBytes());
        assertEquals(basic, requests.get(1).header("Authorization"));
    }

    @Test
    void setsTheStockOfAVariationThroughItsParent() throws Exception {
        routes.on("GET", API + "products/733", 200, variation(5))
                .on("PUT", API + "products/22/variations/733", 200, variation(8));

        WriteOutcome outcome = client.apply(setStock("733", 8L, 5L)).value();

        assertInstanceOf(WriteOutcome.Applied.class, outcome);
        assertRequest(
                server.last(),
                "PUT",
                API + "products/22/variations/733",
                "{\"manage_stock\":true,\"stock_quantity\":8}");
    }

    @Test
    void aStaleCompareAndSetIsAConflictWithTheCurrentQuantityAndNoWrite() throws Exception {
        routes.on("GET", API + "products/733", 200, variation(7));

        WriteOutcome outcome = client.apply(setStock("733", 8L, 5L)).value();

        WriteOutcome.Rejected rejected = assertRejected(CommandResultReason.CONFLICT, outcome);
        assertEquals(
                7,
                Json.MAPPER
                        .readTree(rejected.currentState().orElseThrow())
                        .path("stock_quantity")
                        .asInt());
        assertTrue(rejected.platformError().contains("7"), rejected.platformError());
        assertEquals(1, server.requests().size(), "only the read");
    }

    @Test
    void anUnknownProductIsNotFoundWithoutAWrite() throws Exception {
        routes.on(
                "GET",
                API + "products/999",
                404,
                "{\"code\":\"woocommerce_rest_product_invalid_id\",\"message\":\"Invalid ID.\",\"data\":{\"status\":404}}");

        WriteOutcome outcome = client.apply(setStock("999", 3L, null)).value();

        assertRejected(CommandResultReason.NOT_FOUND, outcome);
        assertEquals(1, server.requests().size());
    }

    @Test
    void aValidationErrorIsRejectedWithWooCommercesMessage() throws Exception {
        routes.on("GET", API + "products/794", 200, product())
                .on(
                        "PUT",
                        API + "products/794",
                        400,
                        "{\"code\":\"rest_invalid_param\",\"message\":\"Invalid parameter(s): stock_quantity\","
                                + "\"data\":{\"status\":400,\"params\":{\"stock_quantity\":"
                                + "\"stock_quantity is not of type integer.\"}}}");

        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.VALIDATION,
                client.apply(setStock("794", 12L, null)).value());
        assertTrue(rejected.platformError().contains("rest_invalid_param"), rejected.platformError());
        assertTrue(rejected.platformError().contains("stock_quantity is not of type integer."));
    }

    @Test
    void aLocationIsRejectedWithoutARequest() throws Exception {
        WriteOutcome outcome = client.apply(
                        command(WooCommerceAdapter.NAME, "794@1", new SetInventoryLevel("794", "1", 3L, null)))
                .value();

        assertRejected(CommandResultReason.VALIDATION, outcome);
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void aDeadlinePassedDuringTheReadSendsNoWrite() throws Exception {
        routes.on("GET", API + "products/794", 200, product());
        Command late = command(
                WooCommerceAdapter.NAME,
                "794",
                new SetInventoryLevel("794", null, 3L, null),
                Instant.now().minusSeconds(1));

        assertInstanceOf(WriteOutcome.Expired.class, client.apply(late).value());
        assertEquals(1, server.requests().size(), "the read only");
    }

    @Test
    void http429IsRateLimitedWithItsRetryAfter() {
        routes.on("GET", API + "products/794", 429, Map.of("Retry-After", "7"), "{}");

        RateLimitedException limited =
                assertThrows(RateLimitedException.class, () -> client.apply(setStock("794", 1L, null)));

        assertEquals(Duration.ofSeconds(7), limited.retryAfter());
    }

    @Test
    void http5xxOnTheWriteIsAServerFailureForTheCallerToReadBack() throws IOException {
        routes.on("GET", API + "products/794", 200, product())
                .on("PUT", API + "products/794", 502, "<html>Bad Gateway</html>");

        PlatformApiException failure =
                assertThrows(PlatformApiException.class, () -> client.apply(setStock("794", 12L, null)));

        assertEquals(PlatformApiException.Kind.SERVER, failure.kind());
        assertEquals(502, failure.httpStatus());
    }

    @Test
    void readBackComparesTheStock() throws Exception {
        routes.on("GET", API + "products/733", 200, variation(8));
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(setStock("733", 8L, null)).value().effect());
        assertSentAsDeclared(client.readBackCost(setStock("733", 8L, null)), server.requests());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(setStock("733", 9L, null)).value().effect());
        routes.on("GET", API + "products/733", 404, "{\"code\":\"woocommerce_rest_product_invalid_id\"}");
        assertEquals(
                ReadBack.Effect.NOT_FOUND,
                client.readBack(setStock("733", 8L, null)).value().effect());
    }

    // ---- price ----

    @Test
    void setsTheRegularPriceAndWithACompareAtPriceASale() throws Exception {
        routes.on("PUT", API + "products/794", 200, product(p -> p.put("regular_price", "24.99")
                        .put("sale_price", "19.99")
                        .put("price", "19.99")))
                .on("PUT", API + "products/22/variations/733", 200, variation(5));

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(price("794", null, "19.99", "24.99")).value());
        assertRequest(
                server.last(), "PUT", API + "products/794", "{\"regular_price\":\"24.99\",\"sale_price\":\"19.99\"}");

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(price("22", "733", "9.5", null)).value());
        assertRequest(server.last(), "PUT", API + "products/22/variations/733", "{\"regular_price\":\"9.5\"}");
    }

    @Test
    void anUnknownProductOnUpdateIsNotFound() throws Exception {
        routes.on(
                "PUT",
                API + "products/999",
                400,
                "{\"code\":\"woocommerce_rest_product_invalid_id\",\"message\":\"Invalid ID.\",\"data\":{\"status\":400}}");

        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.NOT_FOUND,
                client.apply(price("999", null, "1", null)).value());
        assertEquals("HTTP 400 woocommerce_rest_product_invalid_id: Invalid ID.", rejected.platformError());
    }

    @Test
    void readBackComparesThePrices() throws Exception {
        routes.on("GET", API + "products/794", 200, product());
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(price("794", "794", "24.540000", null)).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(price("794", null, "19.99", "24.54")).value().effect(),
                "no sale price set");
    }

    // ---- shipment: an order note ----

    @Test
    void aFullShipmentAddsATrackingNoteAndCompletesTheOrder() throws Exception {
        routes.on("GET", API + "orders/727", 200, fixture("order.created.json"))
                .on("GET", API + "orders/727/notes", 200, "[]")
                .on("POST", API + "orders/727/notes", 201, note(281, "Shipped with UPS, tracking number 1Z999"))
                .on("PUT", API + "orders/727", 200, order(o -> o.put("status", "completed")));
        Command ship = shipment(List.of(new ShipmentLine("315", 2L), new ShipmentLine("316", 1L)), true);

        WriteOutcome.Applied applied =
                assertInstanceOf(WriteOutcome.Applied.class, client.apply(ship).value());

        List<CannedHttpServer.Recorded> requests = server.requests();
        assertSentAsDeclared(client.applyCost(ship), requests);
        assertRequest(requests.get(0), "GET", API + "orders/727", null);
        assertRequest(requests.get(1), "GET", API + "orders/727/notes", null);
        ObjectNode note = Json.MAPPER.createObjectNode();
        note.put(
                "note",
                "Shipped with UPS, tracking number 1Z999 (https://track.example/1Z999)."
                        + " Items: line 315 × 2, line 316 × 1. Reference: commerce-sync command cmd-woocommerce-727");
        note.put("customer_note", true);
        assertRequest(requests.get(2), "POST", API + "orders/727/notes", Json.encode(note));
        assertRequest(requests.get(3), "PUT", API + "orders/727", "{\"status\":\"completed\"}");
        JsonNode state = Json.MAPPER.readTree(applied.resultingState());
        assertEquals("completed", state.path("status").asText());
        assertEquals(281, state.path("note").path("id").asInt());
    }

    @Test
    void aPartialShipmentOnlyAddsTheNote() throws Exception {
        routes.on("GET", API + "orders/727", 200, fixture("order.created.json"))
                .on("GET", API + "orders/727/notes", 200, "[]")
                .on("POST", API + "orders/727/notes", 201, note(281, "Shipped with UPS, tracking number 1Z999"));

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(shipment(List.of(new ShipmentLine("315", 1L)), false))
                        .value());

        assertEquals(3, server.requests().size());
        assertEquals(
                false,
                Json.MAPPER.readTree(server.last().body()).path("customer_note").asBoolean(true));
    }

    @Test
    void aRefusedCompletionSaysTheNoteIsThere() throws Exception {
        routes.on("GET", API + "orders/727", 200, fixture("order.created.json"))
                .on("GET", API + "orders/727/notes", 200, "[]")
                .on("POST", API + "orders/727/notes", 201, note(281, "Shipped with UPS, tracking number 1Z999"))
                .on(
                        "PUT",
                        API + "orders/727",
                        400,
                        "{\"code\":\"woocommerce_rest_cannot_edit\",\"message\":\"Sorry, you cannot edit this"
                                + " resource.\",\"data\":{\"status\":400}}");

        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.OTHER,
                client.apply(shipment(List.of(new ShipmentLine("315", 2L), new ShipmentLine("316", 1L)), true))
                        .value());

        assertTrue(rejected.platformError().startsWith("the tracking note is added"), rejected.platformError());
        assertEquals(
                281,
                Json.MAPPER
                        .readTree(rejected.currentState().orElseThrow())
                        .path("note")
                        .path("id")
                        .asInt());
    }

    @Test
    void aShipmentWhoseNoteExistsIsNotNotedTwice() throws Exception {
        routes.on("GET", API + "orders/727", 200, fixture("order.created.json"))
                .on(
                        "GET",
                        API + "orders/727/notes",
                        200,
                        "[" + note(281, "Shipped with UPS, tracking number 1Z999") + "]");

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(shipment(List.of(new ShipmentLine("315", 1L)), false))
                        .value());

        assertTrue(server.requests().stream().noneMatch(r -> r.method().equals("POST")));
    }

    @Test
    void aLineTheOrderDoesNotHaveIsAValidationError() throws Exception {
        routes.on("GET", API + "orders/727", 200, fixture("order.created.json"));

        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.VALIDATION,
                client.apply(shipment(List.of(new ShipmentLine("999", 1L)), false))
                        .value());
        assertEquals(1, server.requests().size());
    }

    @Test
    void readBackFindsTheNoteAndTheCompletion() throws Exception {
        Command full = shipment(List.of(new ShipmentLine("315", 2L), new ShipmentLine("316", 1L)), true);
        Command partial = shipment(List.of(new ShipmentLine("315", 1L)), true);
        routes.on("GET", API + "orders/727", 200, fixture("order.created.json"))
                .on(
                        "GET",
                        API + "orders/727/notes",
                        200,
                        "[" + note(281, "Shipped with UPS, tracking number 1Z999") + "]");
        assertEquals(ReadBack.Effect.APPLIED, client.readBack(partial).value().effect());
        assertSentAsDeclared(client.readBackCost(partial), server.requests());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(full).value().effect(),
                "the note is there, the order is not completed yet");
        routes.on("GET", API + "orders/727/notes", 200, "[]");
        assertEquals(
                ReadBack.Effect.NOT_APPLIED, client.readBack(partial).value().effect());
        routes.on("GET", API + "orders/727", 404, "{\"code\":\"woocommerce_rest_shop_order_invalid_id\"}");
        assertEquals(ReadBack.Effect.NOT_FOUND, client.readBack(partial).value().effect());
    }

    // ---- order status and cancel ----

    @Test
    void cancelsAndSetsStatusesThroughTheOrderMappersStatuses() throws Exception {
        routes.on("PUT", API + "orders/727", 200, fixture("order.created.json"));

        Command cancel =
                command(WooCommerceAdapter.NAME, "727", new CancelOrder("727", CancelReason.CUSTOMER, true, false));
        client.apply(cancel);
        assertRequest(server.last(), "PUT", API + "orders/727", "{\"status\":\"cancelled\"}");
        assertSentAsDeclared(client.applyCost(cancel), server.requests());
        client.apply(status(OrderStatus.ON_HOLD));
        assertRequest(server.last(), "PUT", API + "orders/727", "{\"status\":\"on-hold\"}");
        client.apply(status(OrderStatus.PENDING));
        assertRequest(server.last(), "PUT", API + "orders/727", "{\"status\":\"pending\"}");
    }

    /** Requests, one unit each (the writer's tests above check them against the requests sent). */
    @Test
    void declaresTheRequestsOfEachKind() {
        assertEquals(WriteCost.requests(2), client.applyCost(setStock("794", 12L, null)), "GET, then PUT");
        assertEquals(WriteCost.requests(1), client.readBackCost(setStock("794", 12L, null)));
        assertEquals(WriteCost.requests(1), client.applyCost(price("794", null, "19.99", null)));
        assertEquals(
                WriteCost.requests(4),
                client.applyCost(shipment(List.of(new ShipmentLine("315", 2L)), true)),
                "the order, its notes, the note, the completion");
        assertEquals(WriteCost.requests(2), client.readBackCost(shipment(List.of(new ShipmentLine("315", 2L)), true)));
        assertEquals(WriteCost.requests(1), client.applyCost(status(OrderStatus.ON_HOLD)));
    }

    @Test
    void whatWooCommerceCannotDoIsUnsupportedWithoutARequest() throws Exception {
        WriteOutcome noRestock = client.apply(command(
                        WooCommerceAdapter.NAME, "727", new CancelOrder("727", CancelReason.OTHER, false, false)))
                .value();
        WriteOutcome archive = client.apply(status(OrderStatus.ARCHIVED)).value();

        assertRejected(CommandResultReason.UNSUPPORTED, noRestock);
        assertRejected(CommandResultReason.UNSUPPORTED, archive);
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void anUnknownOrderOnUpdateIsNotFound() throws Exception {
        routes.on(
                "PUT",
                API + "orders/727",
                400,
                "{\"code\":\"woocommerce_rest_shop_order_invalid_id\",\"message\":\"Invalid ID.\",\"data\":{\"status\":400}}");

        assertRejected(
                CommandResultReason.NOT_FOUND,
                client.apply(status(OrderStatus.COMPLETED)).value());
    }

    @Test
    void readBackComparesTheCanonicalStatus() throws Exception {
        routes.on("GET", API + "orders/727", 200, fixture("order.created.json"));
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(status(OrderStatus.PROCESSING)).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(status(OrderStatus.COMPLETED)).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(command(
                                WooCommerceAdapter.NAME,
                                "727",
                                new CancelOrder("727", CancelReason.CUSTOMER, true, false)))
                        .value()
                        .effect());
    }

    // ---- helpers ----

    private static Command setStock(String itemId, Long quantity, Long expected) {
        return command(WooCommerceAdapter.NAME, itemId, new SetInventoryLevel(itemId, null, quantity, expected));
    }

    private static Command price(String productId, String variantId, String price, String compareAt) {
        return command(
                WooCommerceAdapter.NAME,
                productId,
                new SetPrice(
                        productId,
                        variantId,
                        new Money(new BigDecimal(price).setScale(6), "USD"),
                        compareAt == null ? null : new Money(new BigDecimal(compareAt).setScale(6), "USD")));
    }

    private static Command shipment(List<ShipmentLine> lines, boolean notify) {
        return command(
                WooCommerceAdapter.NAME,
                "727",
                new CreateShipment("727", lines, "UPS", "1Z999", "https://track.example/1Z999", notify));
    }

    private static Command status(OrderStatus status) {
        return command(WooCommerceAdapter.NAME, "727", new UpdateOrderStatus("727", status));
    }

    private static String fixture(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/fixtures/woocommerce", name));
    }

    private static String product() throws IOException {
        return fixture("product.updated.json");
    }

    private static String product(java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode product = (ObjectNode) Json.MAPPER.readTree(product());
        change.accept(product);
        return Json.encode(product);
    }

    private static String order(java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode order = (ObjectNode) Json.MAPPER.readTree(fixture("order.created.json"));
        change.accept(order);
        return Json.encode(order);
    }

    /** A variation as "Retrieve a product variation" shows it (abridged), of variable product 22. */
    private static String variation(int stock) {
        return "{\"id\":733,\"parent_id\":22,\"type\":\"variation\",\"sku\":\"\",\"price\":\"9.00\","
                + "\"regular_price\":\"9.00\",\"sale_price\":\"\",\"manage_stock\":true,\"stock_quantity\":" + stock
                + ",\"stock_status\":\"instock\"}";
    }

    /** An order note as "Create an order note" answers it. */
    private static String note(int id, String text) {
        return "{\"id\":" + id + ",\"author\":\"system\",\"date_created\":\"2026-12-06T10:00:00\","
                + "\"date_created_gmt\":\"2026-12-06T10:00:00\",\"note\":\"" + text + ". Items: line 315 × 2\","
                + "\"customer_note\":false}";
    }
}
