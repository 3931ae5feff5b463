package dev.commercesync.platforms.amazon;

import static dev.commercesync.platforms.contract.CannedRoutes.assertRejected;
import static dev.commercesync.platforms.contract.CannedRoutes.assertRequest;
import static dev.commercesync.platforms.contract.CannedRoutes.assertSentAsDeclared;
import static dev.commercesync.platforms.contract.CannedRoutes.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.CannedRoutes;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.CancelReason;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.ShipmentLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** confirmShipment and patchListingsItem against Amazon's published example answers. */
class AmazonWriteClientTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
    private static final String LISTING = "/listings/2021-08-01/items/write-test-store/GM-ZDPI-9B4E";
    private static final String ORDER = "/orders/2026-01-01/orders/123-4567890-1234567";

    private CannedHttpServer server;
    private final CannedRoutes routes = new CannedRoutes();

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
        server.handle(routes);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private AmazonWriteClient writer() {
        ApiConnection connection =
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("Atza|w"), Duration.ofSeconds(5));
        return new AmazonWriteClient(new AmazonApiClient(connection, new LwaAccessTokens(CLOCK), CLOCK), CLOCK);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in =
                AmazonWriteClientTest.class.getClassLoader().getResourceAsStream("fixtures/amazon/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Command setQuantity(long quantity, Long expected) {
        return command(
                "amazon",
                "GM-ZDPI-9B4E@ATVPDKIKX0DER",
                new SetInventoryLevel("GM-ZDPI-9B4E", "ATVPDKIKX0DER", quantity, expected));
    }

    @Test
    void setsTheMerchantFulfilledQuantityWithPatchListingsItem() throws Exception {
        routes.on("GET", LISTING, 200, fixture("listings_item.get_listings_item_example.json"))
                .on(
                        "PATCH",
                        LISTING,
                        200,
                        "{\"sku\": \"GM-ZDPI-9B4E\", \"status\": \"ACCEPTED\", \"submissionId\":"
                                + " \"f1dc2914-75dd-11ea-bc55-0242ac130003\", \"issues\": []}");
        Command command = setQuantity(7, 100L);
        WriteOutcome outcome = writer().apply(command).value();
        WriteOutcome.Applied applied = assertInstanceOf(WriteOutcome.Applied.class, outcome);
        assertTrue(applied.resultingState().contains("\"quantity\":7"), applied.resultingState());
        assertSentAsDeclared(writer().applyCost(command), server.requests());
        assertEquals(
                "marketplaceIds=ATVPDKIKX0DER&includedData=summaries,fulfillmentAvailability",
                server.requests().get(0).uri().getQuery());
        assertRequest(
                server.requests().get(1),
                "PATCH",
                LISTING,
                "{\"productType\": \"LUGGAGE\", \"patches\": [{\"op\": \"replace\", \"path\":"
                        + " \"/attributes/fulfillment_availability\", \"value\": [{\"fulfillment_channel_code\":"
                        + " \"DEFAULT\", \"quantity\": 7}]}]}");
        assertEquals(
                "marketplaceIds=ATVPDKIKX0DER", server.requests().get(1).uri().getQuery());
    }

    @Test
    void aStaleExpectedQuantityIsAConflictAndNothingIsPatched() throws Exception {
        routes.on("GET", LISTING, 200, fixture("listings_item.get_listings_item_example.json"));
        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.CONFLICT, writer().apply(setQuantity(7, 3L)).value());
        assertTrue(rejected.currentState().orElseThrow().contains("\"quantity\":100"));
        assertEquals(1, server.requests().size(), "only the read");
    }

    @Test
    void theQuantityAlreadySetIsAppliedWithoutAPatch() throws Exception {
        routes.on("GET", LISTING, 200, fixture("listings_item.get_listings_item_example.json"));
        assertInstanceOf(
                WriteOutcome.Applied.class,
                writer().apply(setQuantity(100, null)).value());
        assertEquals(1, server.requests().size());
        assertEquals(
                ReadBack.Effect.APPLIED,
                writer().readBack(setQuantity(100, null)).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                writer().readBack(setQuantity(5, null)).value().effect());
    }

    @Test
    void anInvalidSubmissionIsAValidationRejectionWithAmazonsIssues() throws Exception {
        routes.on("GET", LISTING, 200, fixture("listings_item.get_listings_item_example.json"))
                .on(
                        "PATCH",
                        LISTING,
                        200,
                        "{\"sku\": \"GM-ZDPI-9B4E\", \"status\": \"INVALID\", \"submissionId\": \"s-1\", \"issues\":"
                                + " [{\"code\": \"90220\", \"message\": \"'quantity' is invalid.\", \"severity\":"
                                + " \"ERROR\"}]}");
        WriteOutcome.Rejected rejected = assertRejected(
                CommandResultReason.VALIDATION,
                writer().apply(setQuantity(7, null)).value());
        assertTrue(rejected.platformError().contains("90220"), rejected.platformError());
    }

    @Test
    void aRefusedPatchWaitsOneRefillOfItsOwnBucket() throws Exception {
        routes.on("GET", LISTING, 200, fixture("listings_item.get_listings_item_example.json"))
                .on(
                        "PATCH",
                        LISTING,
                        429,
                        java.util.Map.of("x-amzn-RateLimit-Limit", "5.0"),
                        "{\"errors\": [{\"code\": \"QuotaExceeded\", \"message\": \"You exceeded your quota for the"
                                + " requested resource.\"}]}");
        dev.commercesync.platforms.spi.RateLimitedException limited = org.junit.jupiter.api.Assertions.assertThrows(
                dev.commercesync.platforms.spi.RateLimitedException.class, () -> writer().apply(setQuantity(7, null)));
        // SP-API names no wait: patchListingsItem refills 5 a second, not searchOrders' one in three minutes
        assertEquals(Duration.ofMillis(200), limited.retryAfter());
        // and its bucket is not the store's: the searchOrders requests the poller holds are not spent
        org.junit.jupiter.api.Assertions.assertFalse(limited.storeBudgetSpent());
    }

    @Test
    void anUnknownListingIsNotFound() throws Exception {
        routes.on("GET", LISTING, 404, "{\"errors\": [{\"code\": \"NOT_FOUND\", \"message\": \"not found\"}]}");
        assertRejected(
                CommandResultReason.NOT_FOUND,
                writer().apply(setQuantity(7, null)).value());
    }

    private static Command ship(String trackingNumber) {
        return command(
                "amazon",
                "123-4567890-1234567",
                new CreateShipment(
                        "123-4567890-1234567",
                        List.of(new ShipmentLine("12345678901234", 2L), new ShipmentLine("12345678901235", 1L)),
                        "UPS",
                        trackingNumber,
                        null,
                        true));
    }

    @Test
    void confirmsAShipmentInTheOrdersMarketplace() throws Exception {
        routes.on("GET", ORDER, 200, "{\"order\": " + fixture("order.search_orders_example.json") + "}")
                .on("POST", "/orders/v0/orders/123-4567890-1234567/shipmentConfirmation", 204, "");
        Command command = ship("1Z999AA1000000001");
        WriteOutcome outcome = writer().apply(command).value();
        assertInstanceOf(WriteOutcome.Applied.class, outcome);
        assertSentAsDeclared(writer().applyCost(command), server.requests());
        String reference =
                AmazonWriteClient.packageReferenceId(command.getMetadata().getCommandId());
        assertTrue(reference.matches("[1-9][0-9]*"), reference);
        assertRequest(
                server.requests().get(1),
                "POST",
                "/orders/v0/orders/123-4567890-1234567/shipmentConfirmation",
                "{\"marketplaceId\": \"ATVPDKIKX0DER\", \"packageDetail\": {\"packageReferenceId\": \"" + reference
                        + "\", \"carrierCode\": \"UPS\", \"trackingNumber\": \"1Z999AA1000000001\", \"shipDate\":"
                        + " \"2026-12-07T10:00:00Z\", \"orderItems\": [{\"orderItemId\": \"12345678901234\","
                        + " \"quantity\": 2}, {\"orderItemId\": \"12345678901235\", \"quantity\": 1}]}}");
    }

    @Test
    void aPackageWithTheTrackingNumberIsAppliedWithoutConfirmingAgain() throws Exception {
        routes.on("GET", ORDER, 200, "{\"order\": " + fixture("order.search_orders_example.json") + "}");
        // the published order has a package tracked as 1Z999AA1234567890
        assertInstanceOf(
                WriteOutcome.Applied.class,
                writer().apply(ship("1Z999AA1234567890")).value());
        assertEquals(1, server.requests().size());
        assertEquals(
                ReadBack.Effect.APPLIED,
                writer().readBack(ship("1Z999AA1234567890")).value().effect());
        assertEquals(
                ReadBack.Effect.NOT_APPLIED,
                writer().readBack(ship("1Z-other")).value().effect());
    }

    @Test
    void cancellingIsUnsupportedWithoutARequest() throws Exception {
        Command cancel = command(
                "amazon",
                "123-4567890-1234567",
                new CancelOrder("123-4567890-1234567", CancelReason.CUSTOMER, true, true));
        assertRejected(CommandResultReason.UNSUPPORTED, writer().apply(cancel).value());
        assertTrue(server.requests().isEmpty());
    }
}
