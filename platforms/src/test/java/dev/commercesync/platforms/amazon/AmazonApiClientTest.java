package dev.commercesync.platforms.amazon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.schemas.canonical.EntityType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Login with Amazon tokens, the published searchOrders page, and the per-operation budget. */
class AmazonApiClientTest {
    /** Amazon's documented LWA answer (developer.amazon.com, "Use the refresh token to get new tokens"). */
    private static final String TOKEN_ANSWER =
            "{\"access_token\": \"Atza|access-%d\", \"token_type\": \"bearer\", \"expires_in\": 3600,"
                    + " \"refresh_token\": \"Atzr|refresh-secret-value\"}";

    private static final ApiCredentials.RefreshToken CREDENTIALS = new ApiCredentials.RefreshToken(
            "amzn1.application-oa2-client.test", "client-secret-value", "Atzr|refresh-secret-value");

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private CannedHttpServer server;
    private final MovableClock clock = new MovableClock();
    private final AtomicInteger exchanges = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private AmazonApiClient client(LwaAccessTokens tokens) {
        return new AmazonApiClient(
                new ApiConnection(server.baseUrl(), CREDENTIALS, Duration.ofSeconds(5)), tokens, clock);
    }

    /** LWA at /auth/o2/token (a simulated store answers it under its base URL), the API answering {@code status}. */
    private void serve(int apiStatus) {
        server.handle(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/auth/o2/token")) {
                CannedHttpServer.respond(exchange, 200, Map.of(), TOKEN_ANSWER.formatted(exchanges.incrementAndGet()));
            } else {
                CannedHttpServer.respond(exchange, apiStatus, Map.of(), "{\"orders\": []}");
            }
        });
    }

    private List<String> accessTokensSent() {
        return server.requests().stream()
                .filter(r -> r.uri().getPath().startsWith("/orders/"))
                .map(r -> r.header("x-amz-access-token"))
                .toList();
    }

    private static ListChangedRequest orders() {
        return new ListChangedRequest(EntityType.ORDER, Instant.parse("2026-12-01T00:00:00Z"), null, 250);
    }

    @Test
    void anAccessTokenIsExchangedOnceAndRenewedBeforeItExpires() throws Exception {
        serve(200);
        AmazonApiClient client = client(new LwaAccessTokens(clock));
        client.listChanged(orders());
        clock.advance(Duration.ofMinutes(54));
        client.listChanged(orders()); // 54 min: still the first token
        clock.advance(Duration.ofMinutes(2));
        client.listChanged(orders()); // 56 min: within 5 min of expiry, renewed
        assertEquals(List.of("Atza|access-1", "Atza|access-1", "Atza|access-2"), accessTokensSent());
        CannedHttpServer.Recorded exchange = server.requests().get(0);
        assertEquals("POST", exchange.method());
        assertEquals(
                "grant_type=refresh_token&refresh_token=Atzr%7Crefresh-secret-value"
                        + "&client_id=amzn1.application-oa2-client.test&client_secret=client-secret-value",
                exchange.body());
        assertTrue(exchange.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
    }

    @Test
    void clientsOfOneAdapterShareTheToken() throws Exception {
        serve(200);
        LwaAccessTokens tokens = new LwaAccessTokens(clock);
        client(tokens).listChanged(orders());
        client(tokens).listChanged(orders());
        assertEquals(1, exchanges.get(), "one exchange for both clients");
    }

    @Test
    void aRefusedAccessTokenIsForgottenAndExchangedAgain() throws Exception {
        serve(403);
        AmazonApiClient client = client(new LwaAccessTokens(clock));
        PlatformApiException refused = assertThrows(PlatformApiException.class, () -> client.listChanged(orders()));
        assertEquals(PlatformApiException.Kind.AUTH, refused.kind());
        serve(200);
        client.listChanged(orders());
        assertEquals(List.of("Atza|access-1", "Atza|access-2"), accessTokensSent());
    }

    @Test
    void aRefusedRefreshTokenIsAnAuthFailureThatNamesNoSecret() {
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                400,
                Map.of(),
                "{\"error\": \"invalid_grant\", \"error_description\": \"The request has an invalid grant parameter :"
                        + " refresh_token\"}"));
        PlatformApiException e = assertThrows(PlatformApiException.class, () -> client(new LwaAccessTokens(clock))
                .listChanged(orders()));
        assertEquals(PlatformApiException.Kind.AUTH, e.kind());
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
        assertEquals(1, server.requests().size(), "no API call without a token");
        assertFalse(CREDENTIALS.toString().contains("secret-value"));
    }

    @Test
    void readsThePublishedSearchOrdersPage() throws Exception {
        String page;
        try (InputStream in = getClass()
                .getClassLoader()
                .getResourceAsStream("fixtures/amazon/search_orders.response_example.json")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        server.handle(exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), page));
        AmazonApiClient client = new AmazonApiClient(
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("Atza|x"), Duration.ofSeconds(5)),
                new LwaAccessTokens(clock),
                clock);
        ApiResponse<ChangedPage> answer = client.listChanged(orders());
        assertEquals(
                List.of("123-4567890-1234567"),
                answer.value().entities().stream().map(ChangedEntity::id).toList());
        assertEquals(
                Instant.parse("2024-12-25T14:45:00Z"),
                answer.value().entities().get(0).updatedAt());
        assertEquals(
                "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4",
                answer.value().nextPageCursor().orElseThrow());
        assertEquals(
                "lastUpdatedAfter=2026-12-01T00:00:00Z&maxResultsPerPage=100"
                        + "&includedData=BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES",
                server.last().uri().getQuery(),
                "at most 100 a page, with the datasets the mapper reads");
        assertEquals("Atza|x", server.last().header("x-amz-access-token"));
    }

    @Test
    void aRefusedSearchSpendsTheStoresBudgetAndWaitsOneRefill() {
        serve(429);
        RateLimitedException limited = assertThrows(RateLimitedException.class, () -> client(new LwaAccessTokens(clock))
                .listChanged(orders()));
        assertTrue(limited.storeBudgetSpent(), "the store's budget counts searchOrders requests");
        assertEquals(AmazonOperation.SEARCH_ORDERS.refillWait(), limited.retryAfter());
    }

    @Test
    void aRefusedGetOrderLeavesTheStoresBudget() {
        serve(429);
        RateLimitedException limited = assertThrows(RateLimitedException.class, () -> client(new LwaAccessTokens(clock))
                .getById(EntityType.ORDER, "123-4567890-1234567", null));
        assertFalse(limited.storeBudgetSpent(), "getOrder has its own bucket at Amazon");
        assertEquals(Duration.ofSeconds(2), limited.retryAfter());
    }

    @Test
    void aFetchByIdIsChargedAGetOrdersShareOfTheBudget() {
        // the poller's fetches (reconciler repairs, listings without bodies) spend getOrder's rate, not searchOrders'
        assertEquals(
                0.0056 / 0.5,
                client(new LwaAccessTokens(clock)).getByIdCost(EntityType.ORDER).orElseThrow(),
                1e-12);
    }

    @Test
    void everyOperationIsChargedInProportionToItsOwnRate() {
        assertEquals(AmazonOperation.SEARCH_ORDERS.burst(), AmazonAdapter.RATE_LIMIT_PROFILE.budget());
        assertEquals(AmazonOperation.SEARCH_ORDERS.ratePerSecond(), AmazonAdapter.RATE_LIMIT_PROFILE.refillPerSecond());
        for (AmazonOperation operation : AmazonOperation.values()) {
            // the bucket refills 0.0056 units/s: spending these units per call allows exactly the operation's rate
            double callsPerSecond =
                    AmazonAdapter.RATE_LIMIT_PROFILE.refillPerSecond() / operation.unitsOfSearchOrders();
            assertEquals(operation.ratePerSecond(), callsPerSecond, 1e-9, operation.operationId());
        }
    }

    // --- listing quantities ---------------------------------------------------------------------------------------

    private static String fixture(String name) throws IOException {
        try (InputStream in =
                AmazonApiClientTest.class.getClassLoader().getResourceAsStream("fixtures/amazon/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private AmazonApiClient sellerClient(String sellerId) {
        return new AmazonApiClient(
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("Atza|x"), Duration.ofSeconds(5))
                        .withStoreId(sellerId),
                new LwaAccessTokens(clock),
                clock);
    }

    /**
     * The published participations (one marketplace, ATVPDKIKX0DER) and searchListingsItems page: each listing is a
     * level {@code <sku>@<marketplace>}, annotated with the marketplace, the page's nextToken the next cursor.
     */
    @Test
    void listsThePublishedListingsOfEachMarketplaceTheSellerSellsIn() throws Exception {
        String participations = fixture("marketplace_participations.response_example.json");
        String page = fixture("search_listings_items.response_example.json");
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                exchange.getRequestURI().getPath().equals(AmazonApiClient.MARKETPLACE_PARTICIPATIONS)
                        ? participations
                        : page));
        AmazonApiClient client = sellerClient("A2EUQ1WTGCTBG2");
        ApiResponse<ChangedPage> first = client.listSnapshot(EntityType.INVENTORY_LEVEL, null, 100);
        assertEquals(
                List.of("GM-ZDPI-9B4E@ATVPDKIKX0DER"),
                first.value().entities().stream().map(ChangedEntity::id).toList());
        assertEquals(
                "ATVPDKIKX0DER",
                first.value()
                        .entities()
                        .get(0)
                        .body()
                        .orElseThrow()
                        .path(AmazonListings.MARKETPLACE_ANNOTATION)
                        .asText());
        assertEquals(null, first.value().entities().get(0).updatedAt(), "a snapshot: no updated-at");
        String next = first.value().nextPageCursor().orElseThrow();
        assertEquals("ATVPDKIKX0DER xsdflkj324lkjsdlkj3423klkjsdfkljlk2j34klj2l3k4jlksdjl234", next);
        assertEquals(
                "/listings/2021-08-01/items/A2EUQ1WTGCTBG2", server.last().uri().getPath());
        assertEquals(
                "marketplaceIds=ATVPDKIKX0DER&includedData=summaries,fulfillmentAvailability&pageSize=20",
                server.last().uri().getQuery(),
                "at most 20 a page, with the quantities");
        client.listSnapshot(EntityType.INVENTORY_LEVEL, next, 100);
        assertEquals(
                "marketplaceIds=ATVPDKIKX0DER&includedData=summaries,fulfillmentAvailability&pageSize=20"
                        + "&pageToken=xsdflkj324lkjsdlkj3423klkjsdfkljlk2j34klj2l3k4jlksdjl234",
                server.last().uri().getQuery());
        assertEquals(
                1,
                server.requests().stream()
                        .filter(r -> r.uri().getPath().equals(AmazonApiClient.MARKETPLACE_PARTICIPATIONS))
                        .count(),
                "the marketplaces are read once, not per page");
    }

    /** A marketplace's last page continues with the next marketplace the seller participates in; others are skipped. */
    @Test
    void aMarketplacesLastPageContinuesWithTheNext() throws Exception {
        String participations = "{\"payload\": ["
                + "{\"marketplace\": {\"id\": \"ATVPDKIKX0DER\"}, \"participation\": {\"isParticipating\": true}},"
                + "{\"marketplace\": {\"id\": \"A1AM78C64UM0Y8\"}, \"participation\": {\"isParticipating\": false}},"
                + "{\"marketplace\": {\"id\": \"A2EUQ1WTGCTBG2\"}, \"participation\": {\"isParticipating\": true}}"
                + "]}";
        server.handle(exchange -> {
            if (exchange.getRequestURI().getPath().equals(AmazonApiClient.MARKETPLACE_PARTICIPATIONS)) {
                CannedHttpServer.respond(exchange, 200, Map.of(), participations);
                return;
            }
            String marketplace = AmazonAdapterContractTest.query(exchange).get("marketplaceIds");
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"numberOfResults\": 1, \"items\": [{\"sku\": \"SKU@" + marketplace
                            + "\", \"fulfillmentAvailability\": [{\"fulfillmentChannelCode\": \"DEFAULT\","
                            + " \"quantity\": 4}]}]}");
        });
        AmazonApiClient client = sellerClient("A2EUQ1WTGCTBG2");
        ChangedPage us =
                client.listSnapshot(EntityType.INVENTORY_LEVEL, null, 10).value();
        assertEquals("SKU@ATVPDKIKX0DER@ATVPDKIKX0DER", us.entities().get(0).id());
        assertEquals("A2EUQ1WTGCTBG2", us.nextPageCursor().orElseThrow(), "the next participating marketplace");
        ChangedPage ca = client.listSnapshot(EntityType.INVENTORY_LEVEL, "A2EUQ1WTGCTBG2", 10)
                .value();
        assertEquals("SKU@A2EUQ1WTGCTBG2@A2EUQ1WTGCTBG2", ca.entities().get(0).id());
        assertTrue(ca.nextPageCursor().isEmpty(), "the last marketplace's last page ends the listing");
    }

    @Test
    void theMarketplacesAreReadAgainAfterADay() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                exchange.getRequestURI().getPath().equals(AmazonApiClient.MARKETPLACE_PARTICIPATIONS)
                        ? fixture("marketplace_participations.response_example.json")
                        : "{\"numberOfResults\": 0, \"items\": []}"));
        AmazonApiClient client = sellerClient("A2EUQ1WTGCTBG2");
        double search = AmazonOperation.SEARCH_LISTINGS_ITEMS.unitsOfSearchOrders();
        double participations = AmazonOperation.GET_MARKETPLACE_PARTICIPATIONS.unitsOfSearchOrders();
        assertEquals(
                search + participations,
                client.listSnapshotCost(EntityType.INVENTORY_LEVEL).orElseThrow(),
                1e-12,
                "the first page also reads the marketplaces");
        client.listSnapshot(EntityType.INVENTORY_LEVEL, null, 10);
        assertEquals(search, client.listSnapshotCost(EntityType.INVENTORY_LEVEL).orElseThrow(), 1e-12);
        clock.advance(AmazonApiClient.MARKETPLACES_FRESH_FOR);
        client.listSnapshot(EntityType.INVENTORY_LEVEL, null, 10);
        assertEquals(
                2,
                server.requests().stream()
                        .filter(r -> r.uri().getPath().equals(AmazonApiClient.MARKETPLACE_PARTICIPATIONS))
                        .count());
    }

    @Test
    void aRefusedListingsSearchLeavesTheStoresBudgetAndWaitsItsRefill() {
        server.handle(exchange -> {
            if (exchange.getRequestURI().getPath().equals(AmazonApiClient.MARKETPLACE_PARTICIPATIONS)) {
                CannedHttpServer.respond(
                        exchange, 200, Map.of(), fixture("marketplace_participations.response_example.json"));
            } else {
                CannedHttpServer.respond(exchange, 429, Map.of(), "{\"errors\": [{\"code\": \"QuotaExceeded\"}]}");
            }
        });
        RateLimitedException limited = assertThrows(RateLimitedException.class, () -> sellerClient("A2EUQ1WTGCTBG2")
                .listSnapshot(EntityType.INVENTORY_LEVEL, null, 10));
        assertFalse(limited.storeBudgetSpent(), "searchListingsItems has its own bucket at Amazon");
        assertEquals(Duration.ofMillis(200), limited.retryAfter(), "one refill at 5 requests a second");
    }

    /** A level read by id: getListingsItem of the SKU (after the last '@') in the marketplace, annotated. */
    @Test
    void readsALevelByIdThroughGetListingsItem() throws Exception {
        String listing = fixture("listings_item.get_listings_item_example.json");
        server.handle(exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), listing));
        var found = sellerClient("A2EUQ1WTGCTBG2")
                .getById(EntityType.INVENTORY_LEVEL, "GIFT@BOX 1@A2EUQ1WTGCTBG2", null)
                .value()
                .orElseThrow();
        assertEquals(
                "A2EUQ1WTGCTBG2",
                found.path(AmazonListings.MARKETPLACE_ANNOTATION).asText());
        assertEquals(
                "/listings/2021-08-01/items/A2EUQ1WTGCTBG2/GIFT%40BOX%201",
                server.last().uri().getRawPath());
        assertEquals(
                "marketplaceIds=A2EUQ1WTGCTBG2&includedData=summaries%2CfulfillmentAvailability",
                server.last().uri().getRawQuery());
        assertThrows(PlatformApiException.class, () -> sellerClient("A2EUQ1WTGCTBG2")
                .getById(EntityType.INVENTORY_LEVEL, "no-marketplace", null));
    }

    @Test
    void listingsNeedTheSellerId() {
        PlatformApiException e = assertThrows(PlatformApiException.class, () -> client(new LwaAccessTokens(clock))
                .listSnapshot(EntityType.INVENTORY_LEVEL, null, 10));
        assertEquals(0, e.httpStatus());
        assertTrue(server.requests().isEmpty());
    }
}
