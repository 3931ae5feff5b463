package dev.commercesync.platforms.ebay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.CapabilityChecks;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.ShipmentLine;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The eBay API client's shipments and inventory listings, and the write client's two kinds. */
class EbayApiAndWriteClientTest {
    private CannedHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiConnection connection() {
        return new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("user-token"), Duration.ofSeconds(5));
    }

    private EbayApiClient api() {
        return new EbayApiClient(connection(), java.time.Clock.systemUTC());
    }

    private PlatformWriteClient writer() {
        return new EbayAdapter().writeClient(connection());
    }

    @Test
    void listsShipmentsThroughTheOrdersModifiedSinceTheRangesStart() throws Exception {
        server.handle(exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body =
                    switch (path) {
                        case "/sell/fulfillment/v1/order" ->
                            "{\"total\": 2, \"orders\": [{\"orderId\": \"1-1\", \"fulfillmentHrefs\": [\"h\"],"
                                    + " \"lastModifiedDate\": \"2026-01-01T00:30:00.000Z\"}, {\"orderId\": \"1-2\","
                                    + " \"fulfillmentHrefs\": [], \"lastModifiedDate\": \"2026-01-01T00:31:00.000Z\"}]}";
                        case "/sell/fulfillment/v1/order/1-1/shipping_fulfillment" ->
                            "{\"total\": 2, \"fulfillments\": [{\"fulfillmentId\": \"T1\", \"shippedDate\":"
                                    + " \"2026-01-01T00:10:00.000Z\"}, {\"fulfillmentId\": \"T0\", \"shippedDate\":"
                                    + " \"2025-12-31T00:10:00.000Z\"}]}";
                        default -> null;
                    };
            CannedHttpServer.respond(exchange, body == null ? 404 : 200, Map.of(), body == null ? "{}" : body);
        });
        ChangedPage page = api().listChanged(new ListChangedRequest(
                        EntityType.SHIPMENT,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        null,
                        50,
                        Instant.parse("2026-01-01T01:00:00Z")))
                .value();
        assertEquals(
                List.of("T1"), page.entities().stream().map(ChangedEntity::id).toList(), "T0 shipped before");
        ChangedEntity shipment = page.entities().get(0);
        assertEquals("1-1", shipment.parentId());
        assertEquals(
                "1-1",
                shipment.body()
                        .orElseThrow()
                        .path(EbayPayloads.ORDER_ANNOTATION)
                        .asText());
        assertEquals(2, server.requests().size(), "the page and the one order with fulfillments");
        assertTrue(server.requests().get(0).uri().getRawQuery().contains("filter=lastmodifieddate"));
    }

    @Test
    void getsAShipmentThroughItsOrderWithTheOrderAnnotated() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                exchange.getRequestURI().getPath().equals("/sell/fulfillment/v1/order/1-1/shipping_fulfillment/T1")
                        ? 200
                        : 404,
                Map.of(),
                "{\"fulfillmentId\": \"T1\"}"));
        JsonNode body = api().getById(EntityType.SHIPMENT, "T1", "1-1").value().orElseThrow();
        assertEquals("1-1", body.path(EbayPayloads.ORDER_ANNOTATION).asText());
    }

    @Test
    void listsInventoryItemsAsASnapshotByOffset() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                exchange.getRequestURI().getRawQuery().contains("offset=0")
                        ? "{\"total\": 3, \"inventoryItems\": [{\"sku\": \"A\"}, {\"sku\": \"B\"}]}"
                        : "{\"total\": 3, \"inventoryItems\": [{\"sku\": \"C\"}]}"));
        ChangedPage first =
                api().listSnapshot(EntityType.INVENTORY_LEVEL, null, 2).value();
        assertEquals(
                List.of("A", "B"),
                first.entities().stream().map(ChangedEntity::id).toList());
        ChangedPage second = api().listSnapshot(
                        EntityType.INVENTORY_LEVEL, first.nextPageCursor().orElseThrow(), 2)
                .value();
        assertEquals(
                List.of("C"), second.entities().stream().map(ChangedEntity::id).toList());
        assertTrue(second.nextPageCursor().isEmpty());
        assertTrue(server.requests().get(0).uri().getPath().equals("/sell/inventory/v1/inventory_item"));
    }

    private static Command command(CommandKind kind, Object action, String entityId) {
        Command sample = CapabilityChecks.sampleCommand("ebay", kind);
        sample.getMetadata().setEntityId(entityId);
        return new Command(sample.getMetadata(), action);
    }

    private static final String ITEM =
            "{\"sku\": \"MUG\", \"availability\": {\"shipToLocationAvailability\":" + " {\"quantity\": 5}}}";

    @Test
    void setsAQuantityThroughBulkUpdatePriceQuantity() throws Exception {
        server.handle(exchange -> {
            boolean post = exchange.getRequestMethod().equals("POST");
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    post ? "{\"responses\": [{\"statusCode\": 200, \"sku\": \"MUG\", \"offerId\": \"1\"}]}" : ITEM);
        });
        Command set = command(CommandKind.SET_INVENTORY_LEVEL, new SetInventoryLevel("MUG", null, 12L, 5L), "MUG");
        WriteOutcome outcome = writer().apply(set).value();
        assertInstanceOf(WriteOutcome.Applied.class, outcome);
        CannedHttpServer.Recorded post = server.last();
        assertEquals("/sell/inventory/v1/bulk_update_price_quantity", post.uri().getPath());
        JsonNode body = Json.MAPPER.readTree(post.body());
        assertEquals("MUG", body.path("requests").path(0).path("sku").asText());
        assertEquals(
                12,
                body.path("requests")
                        .path(0)
                        .path("shipToLocationAvailability")
                        .path("quantity")
                        .asLong());
        assertEquals("Bearer user-token", post.header("Authorization"));
    }

    @Test
    void anUnexpectedQuantityIsAConflictAndNothingIsWritten() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), ITEM));
        Command set = command(CommandKind.SET_INVENTORY_LEVEL, new SetInventoryLevel("MUG", null, 12L, 4L), "MUG");
        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, writer().apply(set).value());
        assertEquals(CommandResultReason.CONFLICT, rejected.reason());
        assertEquals(1, server.requests().size());
    }

    @Test
    void aRefusedRevisionIsRejectedWithEbaysError() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                exchange.getRequestMethod().equals("POST")
                        ? "{\"responses\": [{\"statusCode\": 400, \"sku\": \"MUG\", \"errors\": [{\"errorId\": 25001,"
                                + " \"message\": \"revision limit\"}]}]}"
                        : ITEM));
        Command set = command(CommandKind.SET_INVENTORY_LEVEL, new SetInventoryLevel("MUG", null, 12L, null), "MUG");
        WriteOutcome.Rejected rejected = assertInstanceOf(
                WriteOutcome.Rejected.class, writer().apply(set).value());
        assertEquals(CommandResultReason.VALIDATION, rejected.reason());
        assertTrue(rejected.platformError().contains("25001"), rejected.platformError());
    }

    @Test
    void readsBackAQuantity() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), ITEM));
        Command set = command(CommandKind.SET_INVENTORY_LEVEL, new SetInventoryLevel("MUG", null, 5L, null), "MUG");
        assertEquals(ReadBack.Effect.APPLIED, writer().readBack(set).value().effect());
    }

    @Test
    void createsAShippingFulfillmentAndReadsItsIdFromLocation() throws Exception {
        server.handle(exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                CannedHttpServer.respond(
                        exchange,
                        201,
                        Map.of(
                                "Location",
                                "https://api.ebay.com/sell/fulfillment/v1/order/1-1/shipping_fulfillment/1Z999"),
                        "");
            } else {
                CannedHttpServer.respond(exchange, 200, Map.of(), "{\"total\": 0, \"fulfillments\": []}");
            }
        });
        Command ship = command(
                CommandKind.CREATE_SHIPMENT,
                new CreateShipment("1-1", List.of(new ShipmentLine("L1", 2L)), "UPS", "1Z999", null, true),
                "1-1");
        WriteOutcome.Applied applied = assertInstanceOf(
                WriteOutcome.Applied.class, writer().apply(ship).value());
        assertEquals("1Z999", applied.platformRequestId().orElseThrow());
        JsonNode body = Json.MAPPER.readTree(server.last().body());
        assertEquals(
                "/sell/fulfillment/v1/order/1-1/shipping_fulfillment",
                server.last().uri().getPath());
        assertEquals("L1", body.path("lineItems").path(0).path("lineItemId").asText());
        assertEquals("UPS", body.path("shippingCarrierCode").asText());
        assertEquals("1Z999", body.path("trackingNumber").asText());
    }

    @Test
    void aShipmentWithTheTrackingNumberAlreadyThereIsAppliedWithoutAWrite() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                "{\"total\": 1, \"fulfillments\": [{\"fulfillmentId\": \"1Z999\", \"shipmentTrackingNumber\":"
                        + " \"1Z999\"}]}"));
        Command ship = command(
                CommandKind.CREATE_SHIPMENT,
                new CreateShipment("1-1", List.of(new ShipmentLine("L1", 2L)), "UPS", "1Z999", null, true),
                "1-1");
        assertInstanceOf(WriteOutcome.Applied.class, writer().apply(ship).value());
        assertEquals(1, server.requests().size());
        assertEquals(ReadBack.Effect.APPLIED, writer().readBack(ship).value().effect());
    }

    @Test
    void cancellationsStatusesAndPricesAreUnsupported() throws Exception {
        for (CommandKind kind :
                List.of(CommandKind.CANCEL_ORDER, CommandKind.UPDATE_ORDER_STATUS, CommandKind.SET_PRICE)) {
            WriteOutcome.Rejected rejected = assertInstanceOf(
                    WriteOutcome.Rejected.class,
                    writer().apply(CapabilityChecks.sampleCommand("ebay", kind)).value());
            assertEquals(CommandResultReason.UNSUPPORTED, rejected.reason());
        }
        assertTrue(server.requests().isEmpty());
    }
}
