package dev.commercesync.platforms.amazon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.shared.OAuth1Signatures;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.InstallFlow.RejectedCallbackException;
import dev.commercesync.platforms.spi.PlatformApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SP-API website authorization workflow: Seller Central's consent URL, the callback's {@code spapi_oauth_code},
 * {@code selling_partner_id} and {@code state}, and the code's exchange at Login with Amazon for the refresh token
 * (developer-docs.amazon.com, "Website Authorization Workflow"). The renewal of access tokens is {@code
 * AmazonApiClientTest}'s.
 */
class AmazonInstallFlowTest {
    private static final InstallFlow FLOW = new AmazonAdapter().installFlow().orElseThrow();
    private static final InstallFlow.App APP = new InstallFlow.App(
            "amzn1.application-oa2-client.abc", "lwa-secret", "amzn1.sp.solution.0f4c-example", null);
    private static final URI REDIRECT = URI.create("https://sync.example.com/install/amazon/callback");

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
    void theConsentIsSellerCentralsOfTheRegionWithTheApplicationId() {
        URI url = FLOW.authorizationUrl(FLOW.storeBaseUrl("A2EUQ1WTGCTBG2"), APP, Set.of(), REDIRECT, "nonce-1");
        assertTrue(
                url.toString().startsWith("https://sellercentral.amazon.com/apps/authorize/consent?"), url.toString());
        Map<String, String> query = form(url.getRawQuery());
        assertEquals("amzn1.sp.solution.0f4c-example", query.get("application_id"), "not the LWA client id");
        assertEquals("nonce-1", query.get("state"));
        assertEquals(REDIRECT.toString(), query.get("redirect_uri"));
        assertFalse(url.toString().contains("lwa-secret"));
        assertEquals(
                "https://sellercentral-europe.amazon.com/apps/authorize/consent",
                AmazonInstallFlow.consentEndpoint(
                        URI.create("https://sellingpartnerapi-eu.amazon.com"), Optional.empty()));
        assertEquals(
                "https://sellercentral.amazon.co.jp/apps/authorize/consent",
                AmazonInstallFlow.consentEndpoint(
                        URI.create("https://sandbox.sellingpartnerapi-fe.amazon.com"), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> FLOW.storeBaseUrl("not a seller"));
        assertThrows(
                IllegalStateException.class,
                () -> FLOW.authorizationUrl(
                        FLOW.storeBaseUrl("A2EUQ1WTGCTBG2"),
                        new InstallFlow.App("id", "secret"),
                        Set.of(),
                        REDIRECT,
                        "n"),
                "no application id configured");
    }

    @Test
    void theNamedMarketplaceOrRegionPicksTheEndpointAndTheSellerCentral() {
        String seller = "A2EUQ1WTGCTBG2";
        // Germany by marketplace id or country code, in any case: the European endpoint, Europe's Seller Central.
        for (String germany : List.of("A1PA6795UKMFR9", "DE", "de")) {
            URI base = FLOW.storeBaseUrl(seller, Optional.of(germany));
            assertEquals(URI.create("https://sellingpartnerapi-eu.amazon.com"), base);
            assertTrue(FLOW.authorizationUrl(base, Optional.of(germany), APP, Set.of(), REDIRECT, "n")
                    .toString()
                    .startsWith("https://sellercentral-europe.amazon.com/apps/authorize/consent?"));
        }
        // A marketplace with its own Seller Central; Japan in the Far East; Canada in North America.
        URI netherlands = FLOW.storeBaseUrl(seller, Optional.of("A1805IZSGTT6HS"));
        assertEquals(URI.create("https://sellingpartnerapi-eu.amazon.com"), netherlands);
        assertTrue(FLOW.authorizationUrl(netherlands, Optional.of("NL"), APP, Set.of(), REDIRECT, "n")
                .toString()
                .startsWith("https://sellercentral.amazon.nl/apps/authorize/consent?"));
        assertEquals(
                URI.create("https://sellingpartnerapi-fe.amazon.com"), FLOW.storeBaseUrl(seller, Optional.of("JP")));
        assertEquals(
                URI.create("https://sellingpartnerapi-na.amazon.com"),
                FLOW.storeBaseUrl(seller, Optional.of("A2EUQ1WTGCTBG2")));
        assertEquals(
                URI.create("https://sellingpartnerapi-fe.amazon.com"), FLOW.storeBaseUrl(seller, Optional.of("fe")));
        assertEquals(
                URI.create("https://sellingpartnerapi-na.amazon.com"), FLOW.storeBaseUrl(seller, Optional.empty()));
        // Every SP-API endpoint is a host the adapter accepts (ApiBaseUrls checks installs with it).
        for (AmazonMarketplaces.Marketplace m : AmazonMarketplaces.ALL) {
            assertEquals(
                    Optional.empty(),
                    new AmazonAdapter().apiHostProblem(FLOW.storeBaseUrl(seller, Optional.of(m.id()))),
                    m.id());
        }
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> FLOW.storeBaseUrl(seller, Optional.of("XX")));
        assertTrue(unknown.getMessage().contains("unknown Amazon marketplace or region 'XX'"), unknown.getMessage());
    }

    @Test
    void theCallbackNamesTheSellerAndNeedsCodeAndState() throws Exception {
        InstallFlow.Callback callback = FLOW.verifyCallback(
                Map.of("state", "nonce-1", "selling_partner_id", "A2EUQ1WTGCTBG2", "spapi_oauth_code", "ANcode"),
                APP,
                Clock.systemUTC(),
                Duration.ofMinutes(5));
        assertEquals("A2EUQ1WTGCTBG2", callback.storeId());
        assertEquals("ANcode", callback.code());
        assertEquals("nonce-1", callback.state());
        assertTrue(FLOW.callbackNamesStore());
        assertFalse(FLOW.revocationNotified());
        for (Map<String, String> bad : java.util.List.of(
                Map.of("selling_partner_id", "A2EUQ1WTGCTBG2", "spapi_oauth_code", "ANcode"),
                Map.of("state", "n", "selling_partner_id", "A2EUQ1WTGCTBG2"),
                Map.of("state", "n", "selling_partner_id", "a seller?", "spapi_oauth_code", "ANcode"))) {
            assertThrows(
                    RejectedCallbackException.class,
                    () -> FLOW.verifyCallback(bad, APP, Clock.systemUTC(), Duration.ofMinutes(5)));
        }
    }

    @Test
    void theCodeIsExchangedAtLoginWithAmazonForTheRefreshToken() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                "{\"access_token\": \"Atza|access\", \"token_type\": \"bearer\", \"expires_in\": 3600,"
                        + " \"refresh_token\": \"Atzr|refresh\"}"));
        InstallFlow.Grant grant = FLOW.exchangeCode(
                server.baseUrl(),
                APP,
                new InstallFlow.Callback("A2EUQ1WTGCTBG2", "ANcode", "nonce-1"),
                REDIRECT,
                Duration.ofSeconds(5));
        assertEquals("/auth/o2/token", server.last().uri().getPath());
        assertEquals(
                Map.of(
                        "grant_type", "authorization_code",
                        "code", "ANcode",
                        "redirect_uri", REDIRECT.toString(),
                        "client_id", "amzn1.application-oa2-client.abc",
                        "client_secret", "lwa-secret"),
                form(server.last().body()));
        assertEquals(
                new ApiCredentials.RefreshToken("amzn1.application-oa2-client.abc", "lwa-secret", "Atzr|refresh"),
                grant.credentials());
        assertEquals(
                URI.create("https://api.amazon.com/auth/o2/token"),
                LwaAccessTokens.tokenEndpoint(FLOW.storeBaseUrl("A2EUQ1WTGCTBG2")));

        server.handle(exchange -> CannedHttpServer.respond(
                exchange,
                400,
                Map.of(),
                "{\"error\": \"invalid_grant\", \"error_description\": \"The request has an invalid grant parameter"
                        + " : code\"}"));
        PlatformApiException refused = assertThrows(
                PlatformApiException.class,
                () -> FLOW.exchangeCode(
                        server.baseUrl(),
                        APP,
                        new InstallFlow.Callback("A2EUQ1WTGCTBG2", "used", "n"),
                        REDIRECT,
                        Duration.ofSeconds(5)));
        assertEquals(PlatformApiException.Kind.AUTH, refused.kind());
    }
}
