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
}
