package dev.commercesync.platforms.ebay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.shared.ApiHttp;
import dev.commercesync.platforms.shared.OAuth1Signatures;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.InstallFlow.RejectedCallbackException;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * eBay's authorization-code grant: the consent URL, the callback, the code exchange (Basic client credentials, the
 * RuName) and the renewal of the two-hour user token with the refresh token, on eBay's documented answers
 * (developer.ebay.com, "Exchanging the authorization code for a User access token", "Using a refresh token").
 */
class EbayInstallFlowTest {
    private static final InstallFlow FLOW = new EbayAdapter().installFlow().orElseThrow();
    private static final InstallFlow.App APP =
            new InstallFlow.App("Acme-sync-PRD-1234", "PRD-secret", null, "Acme-Acmesync-PRD-abcd");
    private static final String CODE_ANSWER = "{\"access_token\": \"v^1.1#i^1#p^3#access\", \"expires_in\": 7200,"
            + " \"refresh_token\": \"v^1.1#i^1#r^1#refresh\", \"refresh_token_expires_in\": 47304000,"
            + " \"token_type\": \"User Access Token\"}";
    private static final String REFRESH_ANSWER =
            "{\"access_token\": \"v^1.1#i^1#p^3#access-%d\", \"expires_in\": 7200, \"token_type\": \"User Access"
                    + " Token\"}";

    private CannedHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new CannedHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A form or query, decoded (each name once). */
    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        OAuth1Signatures.decodePairs(body).forEach(e -> form.put(e.getKey(), e.getValue()));
        return form;
    }

    @Test
    void theConsentGoesToEbaysAuthorizationPageWithTheRuName() {
        URI url = FLOW.authorizationUrl(
                FLOW.storeBaseUrl("a-seller"),
                APP,
                FLOW.defaultScopes(),
                URI.create("https://sync.example.com/install/ebay/callback"),
                "nonce-1");
        assertTrue(url.toString().startsWith("https://auth.ebay.com/oauth2/authorize?"), url.toString());
        Map<String, String> query = form(url.getRawQuery());
        assertEquals("Acme-sync-PRD-1234", query.get("client_id"));
        assertEquals("Acme-Acmesync-PRD-abcd", query.get("redirect_uri"), "the RuName, not the URL");
        assertEquals("code", query.get("response_type"));
        assertEquals("nonce-1", query.get("state"));
        assertEquals(EbayInstallFlow.SCOPES, Set.of(query.get("scope").split(" ")));
        assertFalse(url.toString().contains("PRD-secret"));
        assertEquals(
                "https://auth.sandbox.ebay.com/oauth2/authorize",
                EbayInstallFlow.authorizeEndpoint(URI.create("https://api.sandbox.ebay.com")));
        assertThrows(
                IllegalStateException.class,
                () -> FLOW.authorizationUrl(
                        FLOW.storeBaseUrl("a-seller"),
                        new InstallFlow.App("id", "secret"),
                        FLOW.defaultScopes(),
                        URI.create("https://sync.example.com/cb"),
                        "n"),
                "no RuName configured");
    }

    @Test
    void theCallbackCarriesCodeAndStateButNoSellerAndADeclineIsRefused() throws Exception {
        InstallFlow.Callback callback = FLOW.verifyCallback(
                Map.of("state", "nonce-1", "code", "v^1.1#i^1#f^0#r^1#code", "expires_in", "299"),
                APP,
                Clock.systemUTC(),
                Duration.ofMinutes(5));
        assertNull(callback.storeId(), "the state names the store");
        assertEquals("v^1.1#i^1#f^0#r^1#code", callback.code());
        assertFalse(FLOW.callbackNamesStore());
        assertFalse(FLOW.revocationNotified());
        assertThrows(
                RejectedCallbackException.class,
                () -> FLOW.verifyCallback(
                        Map.of("state", "nonce-1", "error", "access_denied"),
                        APP,
                        Clock.systemUTC(),
                        Duration.ofMinutes(5)));
        assertThrows(
                RejectedCallbackException.class,
                () -> FLOW.verifyCallback(Map.of("code", "c"), APP, Clock.systemUTC(), Duration.ofMinutes(5)));
    }

    @Test
    void theCodeIsExchangedWithBasicCredentialsAndTheRuNameForARefreshToken() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), CODE_ANSWER));
        InstallFlow.Grant grant = FLOW.exchangeCode(
                server.baseUrl(),
                APP,
                new InstallFlow.Callback(null, "the-code", "nonce-1"),
                URI.create("https://sync.example.com/install/ebay/callback"),
                Duration.ofSeconds(5));
        CannedHttpServer.Recorded request = server.last();
        assertEquals("POST", request.method());
        assertEquals("/identity/v1/oauth2/token", request.uri().getPath());
        assertEquals(
                "Basic " + Base64.getEncoder().encodeToString("Acme-sync-PRD-1234:PRD-secret".getBytes()),
                request.header("Authorization"));
        assertEquals(
                Map.of(
                        "grant_type", "authorization_code",
                        "code", "the-code",
                        "redirect_uri", "Acme-Acmesync-PRD-abcd"),
                form(request.body()));
        assertEquals(
                new ApiCredentials.RefreshToken("Acme-sync-PRD-1234", "PRD-secret", "v^1.1#i^1#r^1#refresh"),
                grant.credentials());
        assertEquals(Set.of(), FLOW.missingScopes(Set.of(), FLOW.defaultScopes()), "all or nothing");
        assertEquals(Optional.empty(), FLOW.grantedScopes(null));

        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                400,
                Map.of(),
                "{\"error\": \"invalid_grant\", \"error_description\": \"the provided authorization grant code is"
                        + " invalid or was issued to another client\"}"));
        PlatformApiException refused = assertThrows(
                PlatformApiException.class,
                () -> FLOW.exchangeCode(
                        server.baseUrl(),
                        APP,
                        new InstallFlow.Callback(null, "used", "n"),
                        URI.create("https://sync.example.com/cb"),
                        Duration.ofSeconds(5)));
        assertEquals(PlatformApiException.Kind.AUTH, refused.kind());
    }

    @Test
    void theUserTokenIsRenewedWithTheRefreshTokenBeforeItExpiresAndARevokedOneIsAuth() throws Exception {
        AtomicInteger refreshes = new AtomicInteger();
        server.handle(exchange -> CannedHttpServer.respond(
                exchange, 200, Map.of(), REFRESH_ANSWER.formatted(refreshes.incrementAndGet())));
        Instant start = Instant.parse("2026-12-07T10:00:00Z");
        Clock[] now = {Clock.fixed(start, ZoneOffset.UTC)};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0].instant();
            }
        };
        EbayAccessTokens tokens = new EbayAccessTokens(clock);
        ApiConnection connection = new ApiConnection(
                server.baseUrl(),
                new ApiCredentials.RefreshToken("Acme-sync-PRD-1234", "PRD-secret", "v^1.1#i^1#r^1#refresh"),
                Duration.ofSeconds(5));
        ApiHttp http = new ApiHttp(connection, EbayAdapter.RATE_LIMIT_PROFILE, r -> Optional.empty(), clock);

        assertEquals("v^1.1#i^1#p^3#access-1", tokens.accessToken(connection, http));
        Map<String, String> refresh = form(server.last().body());
        assertEquals("refresh_token", refresh.get("grant_type"));
        assertEquals("v^1.1#i^1#r^1#refresh", refresh.get("refresh_token"));
        assertEquals(EbayInstallFlow.SCOPES, Set.of(refresh.get("scope").split(" ")));
        assertTrue(server.last().header("Authorization").startsWith("Basic "));

        now[0] = Clock.fixed(start.plus(Duration.ofMinutes(110)), ZoneOffset.UTC);
        assertEquals("v^1.1#i^1#p^3#access-1", tokens.accessToken(connection, http), "reused");
        now[0] = Clock.fixed(start.plus(Duration.ofMinutes(116)), ZoneOffset.UTC);
        assertEquals("v^1.1#i^1#p^3#access-2", tokens.accessToken(connection, http), "renewed before 120 min");

        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                400,
                Map.of(),
                "{\"error\": \"invalid_grant\", \"error_description\": \"the provided authorization refresh token is"
                        + " invalid or was issued to another client\"}"));
        tokens.invalidate(connection);
        PlatformApiException revoked =
                assertThrows(PlatformApiException.class, () -> tokens.accessToken(connection, http));
        assertEquals(PlatformApiException.Kind.AUTH, revoked.kind());
        assertFalse(revoked.getMessage().contains("v^1.1#i^1#r^1#refresh"), "no token in the message");
    }
}
