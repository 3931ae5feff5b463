package dev.commercesync.simulator.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulated marketplaces' consent and token endpoints answer as eBay and Login with Amazon do: codes once, wrong
 * clients {@code invalid_client}, unknown codes and revoked refresh tokens {@code invalid_grant}, access tokens that
 * expire and are renewed by the refresh token.
 */
class MarketplaceTokensTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String SECRET = "app-client-secret";
    private static Simulator simulator;

    /** The store's time, moved by the test. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-07T10:00:00Z");

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

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, Map<String, String> headers, Map<String, String> form)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TokenRequests.form(form)));
        headers.forEach(request::header);
        return send(request);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    private static Map<String, String> query(URI location) {
        return dev.commercesync.simulator.http.ApiRequest.parseQuery(location.getRawQuery());
    }

    @Test
    void eBayCodesRefreshTokensAndExpiringUserTokens() throws Exception {
        MovableClock clock = new MovableClock();
        SimulatedStore store = simulator.addStore(StoreSpec.builder("ebay", "ebay-tokens")
                .seed(5)
                .webhookSecret(SECRET)
                .clock(clock)
                .build());
        store.appInstalls()
                .registerRedirectName("the-RuName", URI.create("https://sync.example/install/ebay/callback"));
        String base = store.apiBaseUrl().toString();
        URI token = URI.create(base + "/identity/v1/oauth2/token");
        Map<String, String> basic = Map.of("Authorization", TokenRequests.basicAuthorization("app", SECRET));

        HttpResponse<String> unknownRuName = send(HttpRequest.newBuilder(URI.create(
                base + "/oauth2/authorize?client_id=app&redirect_uri=other&response_type=code&scope=s&state=n")));
        assertEquals(400, unknownRuName.statusCode());
        HttpResponse<String> consent = send(HttpRequest.newBuilder(URI.create(
                base + "/oauth2/authorize?client_id=app&redirect_uri=the-RuName&response_type=code&scope=s&state=n")));
        assertEquals(302, consent.statusCode());
        URI accepted = URI.create(consent.headers().firstValue("Location").orElseThrow());
        assertTrue(accepted.toString().startsWith("https://sync.example/install/ebay/callback?"));
        Map<String, String> callback = query(accepted);
        assertEquals("n", callback.get("state"));
        String code = callback.get("code");

        Map<String, String> exchange =
                Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", "the-RuName");
        HttpResponse<String> wrongClient = post(
                token, Map.of("Authorization", TokenRequests.basicAuthorization("app", "not-the-secret")), exchange);
        assertEquals(401, wrongClient.statusCode());
        assertEquals("invalid_client", json(wrongClient).path("error").asText());
        HttpResponse<String> granted = post(token, basic, exchange);
        assertEquals(200, granted.statusCode(), granted.body());
        assertEquals(7200, json(granted).path("expires_in").asLong());
        String refreshToken = json(granted).path("refresh_token").asText();
        HttpResponse<String> again = post(token, basic, exchange);
        assertEquals(400, again.statusCode());
        assertEquals("invalid_grant", json(again).path("error").asText());

        // The user token works for two hours; the refresh token gives a new one.
        String accessToken = json(granted).path("access_token").asText();
        URI orders = URI.create(base + "/sell/fulfillment/v1/order?limit=1");
        assertEquals(
                200,
                send(HttpRequest.newBuilder(orders).header("Authorization", "Bearer " + accessToken))
                        .statusCode());
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertEquals(
                401,
                send(HttpRequest.newBuilder(orders).header("Authorization", "Bearer " + accessToken))
                        .statusCode());
        Map<String, String> refresh =
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "scope", "s");
        HttpResponse<String> renewed = post(token, basic, refresh);
        assertEquals(200, renewed.statusCode(), renewed.body());
        assertEquals(
                200,
                send(HttpRequest.newBuilder(orders)
                                .header(
                                        "Authorization",
                                        "Bearer "
                                                + json(renewed)
                                                        .path("access_token")
                                                        .asText()))
                        .statusCode());
        assertEquals(1, store.appInstalls().refreshGrants());

        store.uninstallApp();
        HttpResponse<String> revoked = post(token, basic, refresh);
        assertEquals(400, revoked.statusCode());
        assertEquals("invalid_grant", json(revoked).path("error").asText());
    }

    @Test
    void amazonConsentCodeExchangeAndRevokedRefreshTokens() throws Exception {
        MovableClock clock = new MovableClock();
        SimulatedStore store = simulator.addStore(StoreSpec.builder("amazon", "a1b2c3d4e5f6a7")
                .seed(5)
                .webhookSecret(SECRET)
                .clock(clock)
                .build());
        assertEquals("A1B2C3D4E5F6A7", store.storeId(), "a store key that is a seller id names the seller");
        String base = store.apiBaseUrl().toString();
        URI token = URI.create(base + "/auth/o2/token");
        HttpResponse<String> consent = send(HttpRequest.newBuilder(URI.create(base
                + "/apps/authorize/consent?application_id=amzn1.sp.solution.x&state=n"
                + "&redirect_uri=https%3A%2F%2Fsync.example%2Fcb")));
        assertEquals(302, consent.statusCode());
        Map<String, String> callback =
                query(URI.create(consent.headers().firstValue("Location").orElseThrow()));
        assertEquals("A1B2C3D4E5F6A7", callback.get("selling_partner_id"));
        assertEquals("n", callback.get("state"));

        Map<String, String> exchange = Map.of(
                "grant_type",
                "authorization_code",
                "code",
                callback.get("spapi_oauth_code"),
                "client_id",
                "lwa-client",
                "client_secret",
                SECRET);
        HttpResponse<String> forged = post(
                token,
                Map.of(),
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        "forged",
                        "client_id",
                        "lwa-client",
                        "client_secret",
                        SECRET));
        assertEquals(400, forged.statusCode());
        assertEquals("invalid_grant", json(forged).path("error").asText());
        HttpResponse<String> granted = post(token, Map.of(), exchange);
        assertEquals(200, granted.statusCode(), granted.body());
        assertEquals(
                ((ApiCredentials.RefreshToken) store.credentials()).refreshToken(),
                json(granted).path("refresh_token").asText());
        assertEquals(3600, json(granted).path("expires_in").asLong());

        Map<String, String> refresh = Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                json(granted).path("refresh_token").asText(),
                "client_id",
                "lwa-client",
                "client_secret",
                SECRET);
        assertEquals(200, post(token, Map.of(), refresh).statusCode());
        store.uninstallApp();
        HttpResponse<String> revoked = post(token, Map.of(), refresh);
        assertEquals(400, revoked.statusCode());
        assertEquals("invalid_grant", json(revoked).path("error").asText());
    }
}
