package dev.commercesync.platforms.shopify;

import static dev.commercesync.platforms.contract.CannedRoutes.assertSentAsDeclared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ShopifyWriteClient against a canned GraphQL Admin API: the exact mutations and variables it sends, and what it makes
 * of Shopify's answers. The canned answers have the shapes of shopify.dev's reference pages (API 2026-01), cited at
 * each.
 */
class ShopifyWriteClientTest {
    private static final String GRAPHQL = "/admin/api/" + ShopifyApiClient.API_VERSION + "/graphql.json";
    private static final String TOKEN = "shpat_write-secret";
    /** extensions.cost of every answer (https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits). */
    private static final String COST = ", \"extensions\": {\"cost\": {\"requestedQueryCost\": 10,"
            + " \"actualQueryCost\": 10, \"throttleStatus\": {\"maximumAvailable\": 2000.0,"
            + " \"currentlyAvailable\": 1990, \"restoreRate\": 100.0}}}";

    private CannedHttpServer server;
    private ShopifyWriteClient client;
    /** Canned answers by the GraphQL operation name the request's query contains. */
    private final Map<String, Canned> answers = new LinkedHashMap<>();

    private record Canned(int status, Map<String, String> headers, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
        server.handle(exchange -> {
            String query = Json.MAPPER
                    .readTree(exchange.getRequestBody())
                    .path("query")
                    .asText();
            for (Map.Entry<String, Canned> answer : answers.entrySet()) {
                if (query.contains(answer.getKey())) {
                    Canned canned = answer.getValue();
                    CannedHttpServer.respond(exchange, canned.status(), canned.headers(), canned.body());
                    return;
                }
            }
            CannedHttpServer.respond(exchange, 400, Map.of(), "{\"errors\": \"no canned answer\"}");
        });
        client = new ShopifyWriteClient(
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken(TOKEN), Duration.ofSeconds(5)),
                new ShopifyAdapter().rateLimitProfile(),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void answer(String operation, String data) {
        answers.put(
                operation,
                new Canned(200, Map.of("X-Request-Id", "req-" + operation), "{\"data\": " + data + COST + "}"));
    }

    private void answer(String operation, int status, Map<String, String> headers, String body) {
        answers.put(operation, new Canned(status, headers, body));
    }

    private static Command command(CommandKind kind, String commandId, Object action) {
        Command sample = CapabilityChecks.sampleCommand("shopify", kind);
        sample.getMetadata().setCommandId(commandId);
        sample.getMetadata().setStore("acme.myshopify.com");
        sample.setAction(action);
        return sample;
    }

    private static Command setInventory(String commandId, long quantity, Long expected) {
        return command(
                CommandKind.SET_INVENTORY_LEVEL,
                commandId,
                new SetInventoryLevel("30322695", "124656943", quantity, expected));
    }

    /** The recorded request of an operation: checked to be a POST to the GraphQL endpoint with the token. */
    private JsonNode sent(String operation) throws IOException {
        for (Recorded request : server.requests()) {
            JsonNode body = Json.MAPPER.readTree(request.body());
            if (body.path("query").asText().contains(operation)) {
                assertEquals("POST", request.method());
                assertEquals(GRAPHQL, request.uri().getPath());
                assertEquals(TOKEN, request.header("X-Shopify-Access-Token"));
                return body;
            }
        }
        throw new AssertionError(operation + " was not sent; sent: " + server.requests());
    }

    // inventoryItem.inventoryLevel (https://shopify.dev/docs/api/admin-graphql/2026-01/objects/InventoryLevel)
    private static String level(long available) {
        return "{\"inventoryItem\": {\"id\": \"gid://shopify/InventoryItem/30322695\", \"inventoryLevel\":"
                + " {\"id\": \"gid://shopify/InventoryLevel/523463154?inventory_item_id=30322695\", \"quantities\":"
                + " [{\"name\": \"available\", \"quantity\": " + available + "}]}}}";
    }

    // inventorySetQuantities payload
    // (https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/inventorySetQuantities, its example answer)
    private static final String SET_APPLIED = "{\"inventorySetQuantities\": {\"inventoryAdjustmentGroup\":"
            + " {\"id\": \"gid://shopify/InventoryAdjustmentGroup/1\", \"createdAt\": \"2026-12-06T16:00:00Z\","
            + " \"reason\": \"correction\", \"referenceDocumentUri\": \"gid://commerce-sync/Command/cmd-1\","
            + " \"changes\": [{\"name\": \"available\", \"delta\": 5, \"quantityAfterChange\": 12}]},"
            + " \"userErrors\": []}}";

    private static String setRejected(String code, String message) {
        return "{\"inventorySetQuantities\": {\"inventoryAdjustmentGroup\": null, \"userErrors\": [{\"field\":"
                + " [\"input\", \"quantities\", \"0\", \"changeFromQuantity\"], \"message\": \"" + message
                + "\", \"code\": \"" + code + "\"}]}}";
    }

    @Test
    void setsInventoryWithTheExpectedQuantityTheCommandsKeyAndReference() throws Exception {
        answer("mutation SetInventory", SET_APPLIED);

        var answer = client.apply(setInventory("cmd-1", 12, 7L));

        WriteOutcome.Applied applied = assertInstanceOf(WriteOutcome.Applied.class, answer.value());
        assertEquals("req-mutation SetInventory", applied.platformRequestId().orElseThrow());
        assertTrue(applied.resultingState().contains("InventoryAdjustmentGroup/1"));
        assertEquals(1990, answer.quota().orElseThrow().remaining());
        assertEquals(1, server.requests().size(), "the expected quantity is the compare-and-set: no read first");
        assertSentAsDeclared(client.applyCost(setInventory("cmd-1", 12, 7L)), server.requests());
        JsonNode sent = sent("mutation SetInventory");
        String key =
                UUID.nameUUIDFromBytes("commerce-sync/command/cmd-1".getBytes()).toString();
        assertTrue(sent.path("query").asText().contains("@idempotent(key: \"" + key + "\")"), sent.toString());
        JsonNode input = sent.path("variables").path("input");
        assertEquals("available", input.path("name").asText());
        assertEquals("correction", input.path("reason").asText());
        assertEquals(
                "gid://commerce-sync/Command/cmd-1",
                input.path("referenceDocumentUri").asText());
        JsonNode quantity = input.path("quantities").get(0);
        assertEquals(
                "gid://shopify/InventoryItem/30322695",
                quantity.path("inventoryItemId").asText());
        assertEquals(
                "gid://shopify/Location/124656943", quantity.path("locationId").asText());
        assertEquals(12, quantity.path("quantity").asLong());
        assertEquals(7, quantity.path("changeFromQuantity").asLong());
    }

    /** Points of the GraphQL bucket: a mutation 10, a lookup 2, the fulfillment orders' read a listing's 50. */
    @Test
    void declaresThePointsOfEachKind() {
        assertEquals(new WriteCost(1, 10), client.applyCost(setInventory("cmd-1", 12, 7L)), "the mutation only");
        assertEquals(new WriteCost(2, 12), client.applyCost(setInventory("cmd-1", 12, null)), "read, then mutation");
        assertEquals(new WriteCost(1, 2), client.readBackCost(setInventory("cmd-1", 12, null)));
        assertEquals(new WriteCost(2, 60), client.applyCost(shipment(2)));
        assertEquals(new WriteCost(1, 50), client.readBackCost(shipment(2)));
        Command cancel = command(
                CommandKind.CANCEL_ORDER,
                "cancel-1",
                new CancelOrder("450789469", CancelReason.INVENTORY, true, false));
        assertEquals(new WriteCost(2, 12), client.applyCost(cancel));
        assertEquals(new WriteCost(1, 10), client.applyCost(price("USD")), "the shop's currency is read once");
    }

    @Test
    void theIdempotencyKeyIsTheCommandsOnly() {
        Command first = setInventory("cmd-1", 12, 7L);
        assertEquals(
                ShopifyWriteClient.idempotencyKey(first),
                ShopifyWriteClient.idempotencyKey(setInventory("cmd-1", 99, null)),
                "every attempt of one command (and its replay) sends the same key");
        assertNotEquals(
                ShopifyWriteClient.idempotencyKey(first),
                ShopifyWriteClient.idempotencyKey(setInventory("cmd-2", 12, 7L)));
    }

    @Test
    void withoutAnExpectedQuantityTheCurrentOneIsReadAndSentAsChangeFromQuantity() throws Exception {
        answer("query Level", level(9));
        answer("mutation SetInventory", SET_APPLIED);

        assertInstanceOf(
                WriteOutcome.Applied.class,
                client.apply(setInventory("cmd-1", 12, null)).value());

        assertEquals(2, server.requests().size());
        assertSentAsDeclared(client.applyCost(setInventory("cmd-1", 12, null)), server.requests());
        JsonNode read = sent("query Level");
        assertEquals(
                "gid://shopify/InventoryItem/30322695",
                read.path("variables").path("item").asText());
        assertEquals(
                9,
                sent("mutation SetInventory")
                        .path("variables")
                        .path("input")
                        .path("quantities")
                        .get(0)
                        .path("changeFromQuantity")
                        .asLong());
    }

    @Test
    void aStaleChangeFromQuantityIsAConflictWithTheCurrentLevel() throws Exception {
        // InventorySetQuantitiesUserErrorCode CHANGE_FROM_QUANTITY_STALE
        // (https://shopify.dev/docs/api/admin-graphql/2026-01/enums/InventorySetQuantitiesUserErrorCode)
        answer(
                "mutation SetInventory",
                setRejected(
                        "CHANGE_FROM_QUANTITY_STALE", "The changeFromQuantity value does not match persisted value."));
        answer("query Level", level(4));

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class,
                client.apply(setInventory("cmd-1", 12, 7L)).value());

        assertEquals(CommandResultReason.CONFLICT, rejected.reason());
        assertEquals(
                "CHANGE_FROM_QUANTITY_STALE: The changeFromQuantity value does not match persisted value.",
                rejected.platformError());
        assertTrue(rejected.currentState().orElseThrow().contains("\"quantity\":4"), rejected.toString());
    }

    @Test
    void aValidationErrorIsRejectedWithShopifysMessage() throws Exception {
        answer(
                "mutation SetInventory",
                setRejected("INVALID_QUANTITY_TOO_HIGH", "The total quantity can't be higher than 1,000,000,000."));

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class,
                client.apply(setInventory("cmd-1", 12, 7L)).value());

        assertEquals(CommandResultReason.VALIDATION, rejected.reason());
        assertTrue(rejected.platformError().contains("can't be higher than 1,000,000,000"));
    }

    @Test
    void anUnknownItemIsNotFoundWithoutAWrite() throws Exception {
        answer("query Level", "{\"inventoryItem\": null}");

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class,
                client.apply(setInventory("cmd-1", 12, null)).value());

        assertEquals(CommandResultReason.NOT_FOUND, rejected.reason());
        assertEquals(1, server.requests().size(), "nothing written");
        assertEquals(
                ReadBack.Effect.NOT_FOUND,
                client.readBack(setInventory("cmd-1", 12, null)).value().effect());
    }

    @Test
    void http429IsRateLimitedWithShopifysWait() {
        answer(
                "mutation SetInventory",
                429,
                Map.of("Retry-After", "2.0"),
                "{\"errors\": \"Exceeded 2 calls per second\"}");

        RateLimitedException e =
                assertThrows(RateLimitedException.class, () -> client.apply(setInventory("cmd-1", 12, 7L)));

        assertEquals(Duration.ofSeconds(2), e.retryAfter());
    }

    @Test
    void aThrottledAnswerIsRateLimited() {
        // https://shopify.dev/docs/api/usage/limits#graphql-admin-api-rate-limits: HTTP 200, errors[].extensions.code
        answer(
                "mutation SetInventory",
                200,
                Map.of(),
                "{\"errors\": [{\"message\": \"Throttled\", \"extensions\": {\"code\": \"THROTTLED\"}}]" + COST + "}");

        assertThrows(RateLimitedException.class, () -> client.apply(setInventory("cmd-1", 12, 7L)));
    }

    @Test
    void http5xxIsAServerFailureForTheExecutorToReadBack() {
        answer("mutation SetInventory", 503, Map.of(), "{\"errors\": \"Service Unavailable\"}");

        PlatformApiException e =
                assertThrows(PlatformApiException.class, () -> client.apply(setInventory("cmd-1", 12, 7L)));

        assertEquals(PlatformApiException.Kind.SERVER, e.kind());
        assertEquals(503, e.httpStatus());
        assertFalse(e.getMessage().contains(TOKEN));
    }

    @Test
    void anAttemptStillRunningUnderTheSameKeyIsAmbiguousNotARejection() {
        // IDEMPOTENCY_CONCURRENT_REQUEST: "This request is currently in progress, please try again."
        answer(
                "mutation SetInventory",
                setRejected(
                        "IDEMPOTENCY_CONCURRENT_REQUEST", "This request is currently in progress, please try again."));

        PlatformApiException e =
                assertThrows(PlatformApiException.class, () -> client.apply(setInventory("cmd-1", 12, 7L)));

        assertEquals(PlatformApiException.Kind.SERVER, e.kind(), "the executor reads back before it retries");
    }

    @Test
    void readBackSaysWhetherTheQuantityIsThere() throws Exception {
        answer("query Level", level(12));
        ReadBack applied = client.readBack(setInventory("cmd-1", 12, 7L)).value();
        assertEquals(ReadBack.Effect.APPLIED, applied.effect());
        assertSentAsDeclared(client.readBackCost(setInventory("cmd-1", 12, 7L)), server.requests());
        assertTrue(applied.currentState().orElseThrow().contains("\"quantity\":12"));

        answer("query Level", level(7));
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(setInventory("cmd-1", 12, 7L)).value().effect());
    }

    // order.fulfillments and fulfillmentOrders (https://shopify.dev/docs/api/admin-graphql/2026-01/objects/Order,
    // https://shopify.dev/docs/api/admin-graphql/2026-01/objects/FulfillmentOrder)
    private static String shipmentTarget(String existingTracking) {
        return "{\"order\": {\"id\": \"gid://shopify/Order/450789469\", \"fulfillments\": ["
                + (existingTracking == null
                        ? ""
                        : "{\"id\": \"gid://shopify/Fulfillment/255858046\", \"status\": \"SUCCESS\", \"trackingInfo\":"
                                + " [{\"company\": \"UPS\", \"number\": \"" + existingTracking + "\", \"url\": null}]}")
                + "], \"fulfillmentOrders\": {\"nodes\": [{\"id\": \"gid://shopify/FulfillmentOrder/1046000778\","
                + " \"status\": \"OPEN\", \"lineItems\": {\"nodes\": [{\"id\":"
                + " \"gid://shopify/FulfillmentOrderLineItem/1058737482\", \"remainingQuantity\": 3, \"lineItem\":"
                + " {\"id\": \"gid://shopify/LineItem/466157049\"}}]}}]}}}";
    }

    private static Command shipment(long quantity) {
        return command(
                CommandKind.CREATE_SHIPMENT,
                "ship-1",
                new CreateShipment(
                        "450789469",
                        List.of(new ShipmentLine("466157049", quantity)),
                        "UPS",
                        "1Z001985YW99744790",
                        "https://www.ups.com/track?tracknum=1Z001985YW99744790",
                        true));
    }

    @Test
    void createsAFulfillmentOnTheOrdersFulfillmentOrders() throws Exception {
        answer("query ShipmentTarget", shipmentTarget(null));
        // fulfillmentCreate payload (https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/fulfillmentCreate)
        answer(
                "mutation CreateFulfillment",
                "{\"fulfillmentCreate\": {\"fulfillment\": {\"id\": \"gid://shopify/Fulfillment/1069019887\","
                        + " \"status\": \"SUCCESS\", \"trackingInfo\": [{\"company\": \"UPS\", \"number\":"
                        + " \"1Z001985YW99744790\", \"url\": \"https://www.ups.com/track?tracknum=1Z001985YW99744790\"}]},"
                        + " \"userErrors\": []}}");

        WriteOutcome.Applied applied = assertInstanceOf(
                WriteOutcome.Applied.class, client.apply(shipment(2)).value());

        assertTrue(applied.resultingState().contains("Fulfillment/1069019887"));
        assertSentAsDeclared(client.applyCost(shipment(2)), server.requests());
        JsonNode variables = sent("mutation CreateFulfillment").path("variables");
        JsonNode group = variables
                .path("fulfillment")
                .path("lineItemsByFulfillmentOrder")
                .get(0);
        assertEquals(
                "gid://shopify/FulfillmentOrder/1046000778",
                group.path("fulfillmentOrderId").asText());
        assertEquals(
                "gid://shopify/FulfillmentOrderLineItem/1058737482",
                group.path("fulfillmentOrderLineItems").get(0).path("id").asText());
        assertEquals(
                2,
                group.path("fulfillmentOrderLineItems").get(0).path("quantity").asLong());
        JsonNode tracking = variables.path("fulfillment").path("trackingInfo");
        assertEquals("UPS", tracking.path("company").asText());
        assertEquals("1Z001985YW99744790", tracking.path("number").asText());
        assertEquals(
                "https://www.ups.com/track?tracknum=1Z001985YW99744790",
                tracking.path("url").asText());
        assertTrue(variables.path("fulfillment").path("notifyCustomer").asBoolean());
        assertEquals(
                "gid://commerce-sync/Command/ship-1", variables.path("message").asText());
    }

    @Test
    void aFulfillmentWithTheTrackingNumberIsNeverCreatedTwice() throws Exception {
        answer("query ShipmentTarget", shipmentTarget("1Z001985YW99744790"));

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(shipment(2)).value());
        assertEquals(1, server.requests().size(), "only the read: the shipment exists");
        assertEquals(
                ReadBack.Effect.APPLIED, client.readBack(shipment(2)).value().effect());

        answer("query ShipmentTarget", shipmentTarget(null));
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(shipment(2)).value().effect());
    }

    @Test
    void moreUnitsThanAreLeftToFulfilIsAValidationErrorWithoutAWrite() throws Exception {
        answer("query ShipmentTarget", shipmentTarget(null));

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(shipment(4)).value());

        assertEquals(CommandResultReason.VALIDATION, rejected.reason());
        assertEquals(1, server.requests().size());
    }

    // Order fields (https://shopify.dev/docs/api/admin-graphql/2026-01/objects/Order)
    private static String orderState(String cancelledAt, boolean closed, String fulfillment) {
        return "{\"order\": {\"id\": \"gid://shopify/Order/450789469\", \"cancelledAt\": "
                + (cancelledAt == null ? "null" : "\"" + cancelledAt + "\"") + ", \"closed\": " + closed
                + ", \"closedAt\": " + (closed ? "\"2026-12-06T10:00:00Z\"" : "null")
                + ", \"displayFulfillmentStatus\": \"" + fulfillment + "\"}}";
    }

    @Test
    void cancelsAnOrderAndReadsBackItsCancelledAt() throws Exception {
        Command cancel = command(
                CommandKind.CANCEL_ORDER,
                "cancel-1",
                new CancelOrder("450789469", CancelReason.INVENTORY, true, false));
        answer("query OrderState", orderState(null, false, "UNFULFILLED"));
        // OrderCancelPayload (https://shopify.dev/docs/api/admin-graphql/2026-01/payloads/OrderCancelPayload)
        answer(
                "mutation CancelOrder",
                "{\"orderCancel\": {\"job\": {\"id\": \"gid://shopify/Job/4a3fd4b2\", \"done\": false},"
                        + " \"orderCancelUserErrors\": []}}");

        WriteOutcome.Applied applied = assertInstanceOf(
                WriteOutcome.Applied.class, client.apply(cancel).value());

        assertTrue(applied.resultingState().contains("gid://shopify/Job/4a3fd4b2"));
        assertSentAsDeclared(client.applyCost(cancel), server.requests());
        JsonNode variables = sent("mutation CancelOrder").path("variables");
        assertEquals("gid://shopify/Order/450789469", variables.path("orderId").asText());
        assertEquals("INVENTORY", variables.path("reason").asText());
        assertTrue(variables.path("restock").asBoolean());
        assertFalse(variables.path("notifyCustomer").asBoolean());
        assertFalse(variables
                .path("refundMethod")
                .path("originalPaymentMethodsRefund")
                .asBoolean(true));
        assertEquals(
                "gid://commerce-sync/Command/cancel-1",
                variables.path("staffNote").asText());

        assertEquals(
                ReadBack.Effect.NOT_APPLIED, client.readBack(cancel).value().effect(), "the job has not run");
        answer("query OrderState", orderState("2026-12-06T16:01:00Z", true, "UNFULFILLED"));
        assertEquals(ReadBack.Effect.APPLIED, client.readBack(cancel).value().effect());
    }

    @Test
    void anUnknownOrderIsNotFound() throws Exception {
        answer("query OrderState", "{\"order\": null}");
        Command cancel = command(
                CommandKind.CANCEL_ORDER, "cancel-1", new CancelOrder("450789469", CancelReason.OTHER, false, false));

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(cancel).value());

        assertEquals(CommandResultReason.NOT_FOUND, rejected.reason());
        assertEquals(ReadBack.Effect.NOT_FOUND, client.readBack(cancel).value().effect());
    }

    @Test
    void archivingClosesTheOrderAndStatusesShopifyDerivesAreUnsupported() throws Exception {
        answer("query OrderState", orderState(null, false, "FULFILLED"));
        // orderClose payload (https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/orderClose)
        answer(
                "mutation SetOrderStatus",
                "{\"orderClose\": {\"order\": {\"id\": \"gid://shopify/Order/450789469\", \"cancelledAt\": null,"
                        + " \"closed\": true, \"closedAt\": \"2026-12-06T16:02:00Z\", \"displayFulfillmentStatus\":"
                        + " \"FULFILLED\"}, \"userErrors\": []}}");
        Command archive = command(
                CommandKind.UPDATE_ORDER_STATUS, "status-1", new UpdateOrderStatus("450789469", OrderStatus.ARCHIVED));

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(archive).value());
        JsonNode sent = sent("mutation SetOrderStatus");
        assertTrue(sent.path("query").asText().contains("orderClose(input: $input)"));
        assertEquals(
                "gid://shopify/Order/450789469",
                sent.path("variables").path("input").path("id").asText());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED, client.readBack(archive).value().effect());

        int requests = server.requests().size();
        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class,
                client.apply(command(
                                CommandKind.UPDATE_ORDER_STATUS,
                                "status-2",
                                new UpdateOrderStatus("450789469", OrderStatus.ON_HOLD)))
                        .value());
        assertEquals(CommandResultReason.UNSUPPORTED, rejected.reason());
        assertTrue(rejected.platformError().contains("ARCHIVED (orderClose) and PROCESSING (orderOpen)"));
        assertEquals(requests, server.requests().size(), "no request for an unsupported status");
    }

    @Test
    void processingReopensAClosedOrderOnly() throws Exception {
        Command reopen = command(
                CommandKind.UPDATE_ORDER_STATUS,
                "status-1",
                new UpdateOrderStatus("450789469", OrderStatus.PROCESSING));
        answer("query OrderState", orderState(null, true, "UNFULFILLED"));
        // orderOpen payload (https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/orderOpen)
        answer(
                "mutation SetOrderStatus",
                "{\"orderOpen\": {\"order\": {\"id\": \"gid://shopify/Order/450789469\", \"cancelledAt\": null,"
                        + " \"closed\": false, \"closedAt\": null, \"displayFulfillmentStatus\": \"UNFULFILLED\"},"
                        + " \"userErrors\": []}}");

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(reopen).value());
        assertTrue(sent("mutation SetOrderStatus").path("query").asText().contains("orderOpen(input: $input)"));

        answer("query OrderState", orderState("2026-12-06T16:01:00Z", true, "UNFULFILLED"));
        WriteOutcome.Rejected cancelled = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(reopen).value());
        assertEquals(CommandResultReason.VALIDATION, cancelled.reason());
        assertEquals(3, server.requests().size(), "a cancelled order is not reopened");
    }

    private static Command price(String currency) {
        return command(
                CommandKind.SET_PRICE,
                "price-1",
                new SetPrice(
                        "20995642",
                        "30322695",
                        new Money(new BigDecimal("19.990000"), currency),
                        new Money(new BigDecimal("25.000000"), currency)));
    }

    @Test
    void setsAVariantsPriceInTheShopsCurrency() throws Exception {
        // shop.currencyCode (https://shopify.dev/docs/api/admin-graphql/2026-01/objects/Shop)
        answer("query ShopCurrency", "{\"shop\": {\"currencyCode\": \"USD\"}}");
        // productVariantsBulkUpdate payload
        // (https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/productVariantsBulkUpdate)
        answer(
                "mutation SetPrice",
                "{\"productVariantsBulkUpdate\": {\"productVariants\": [{\"id\":"
                        + " \"gid://shopify/ProductVariant/30322695\", \"price\": \"19.99\", \"compareAtPrice\":"
                        + " \"25.00\"}], \"userErrors\": []}}");

        assertInstanceOf(WriteOutcome.Applied.class, client.apply(price("USD")).value());
        JsonNode variables = sent("mutation SetPrice").path("variables");
        assertEquals(
                "gid://shopify/Product/20995642", variables.path("productId").asText());
        JsonNode variant = variables.path("variants").get(0);
        assertEquals("gid://shopify/ProductVariant/30322695", variant.path("id").asText());
        assertEquals("19.99", variant.path("price").asText());
        assertEquals("25", variant.path("compareAtPrice").asText());

        WriteOutcome.Rejected wrongCurrency = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(price("EUR")).value());
        assertEquals(CommandResultReason.VALIDATION, wrongCurrency.reason());

        // https://shopify.dev/docs/api/admin-graphql/2026-01/objects/ProductVariant
        answer(
                "query VariantPrice",
                "{\"productVariant\": {\"id\": \"gid://shopify/ProductVariant/30322695\", \"price\": \"19.99\","
                        + " \"compareAtPrice\": \"25.00\", \"product\": {\"id\": \"gid://shopify/Product/20995642\"}}}");
        assertEquals(
                ReadBack.Effect.APPLIED, client.readBack(price("USD")).value().effect());
        answer(
                "query VariantPrice",
                "{\"productVariant\": {\"id\": \"gid://shopify/ProductVariant/30322695\", \"price\": \"21.00\","
                        + " \"compareAtPrice\": \"25.00\", \"product\": {\"id\": \"gid://shopify/Product/20995642\"}}}");
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                client.readBack(price("USD")).value().effect());
    }

    @Test
    void anUnknownVariantIsNotFound() throws Exception {
        answer("query ShopCurrency", "{\"shop\": {\"currencyCode\": \"USD\"}}");
        // ProductVariantsBulkUpdateUserErrorCode PRODUCT_VARIANT_DOES_NOT_EXIST
        // (https://shopify.dev/docs/api/admin-graphql/2026-01/enums/ProductVariantsBulkUpdateUserErrorCode)
        answer(
                "mutation SetPrice",
                "{\"productVariantsBulkUpdate\": {\"productVariants\": null, \"userErrors\": [{\"field\":"
                        + " [\"variants\", \"0\", \"id\"], \"message\": \"Product variant does not exist\", \"code\":"
                        + " \"PRODUCT_VARIANT_DOES_NOT_EXIST\"}]}}");

        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, client.apply(price("USD")).value());

        assertEquals(CommandResultReason.NOT_FOUND, rejected.reason());
        assertEquals("PRODUCT_VARIANT_DOES_NOT_EXIST: Product variant does not exist", rejected.platformError());
    }

    @Test
    void noStateChangingRequestAfterTheDeadline() throws Exception {
        answer("query Level", level(9));
        Command late = setInventory("cmd-1", 12, null);
        late.getMetadata().setDeadline(java.time.Instant.now().minusSeconds(1));

        assertInstanceOf(WriteOutcome.Expired.class, client.apply(late).value());
        assertEquals(1, server.requests().size(), "only the read");
    }
}
