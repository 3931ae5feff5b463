package dev.commercesync.simulator.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.TokenRequests;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WebhookSubscription;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The simulated eBay's Notification API with the eBay adapter's client: an installed seller (refresh token with the
 * app's client) gets one destination and one subscription per topic however often it is subscribed, a subscription or
 * destination turned off is turned on again, and the API refuses what eBay refuses: the application's resources with a
 * seller's token, a seller's topic with the application's token, a plain-HTTP endpoint, a short verification token, a
 * second destination for one endpoint, a page size out of range.
 */
class EbayNotificationApiTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String SECRET = "app-client-secret-for-notifications-0123";
    private static final URI ENDPOINT = URI.create("https://ingest.example.test/webhooks/ebay/notifying-seller");
    private static final String TOKEN = "a-verification-token-of-forty-characters";
    private static Simulator simulator;

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

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    private static HttpResponse<String> token(String base, Map<String, String> form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/identity/v1/oauth2/token"))
                .header("Authorization", TokenRequests.basicAuthorization("app", SECRET))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TokenRequests.form(form))));
    }

    private static HttpResponse<String> call(String method, String url, String bearer, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static void assertClientError(int status, Executable call) {
        PlatformApiException e = org.junit.jupiter.api.Assertions.assertThrows(PlatformApiException.class, call);
        assertEquals(status, e.httpStatus(), e.getMessage());
    }

    @Test
    void anInstalledSellerIsSubscribedOnceAndRepairedAndTheApiRefusesWhatEBayRefuses() throws Exception {
        SimulatedStore store = simulator.addStore(StoreSpec.builder("ebay", "notifying-seller")
                .seed(11)
                .webhookSecret(SECRET)
                .build());
        store.appInstalls().registerRedirectName("the-RuName", URI.create("https://sync.example/install/ebay/cb"));
        String base = store.apiBaseUrl().toString();
        HttpResponse<String> consent = send(HttpRequest.newBuilder(URI.create(
                base + "/oauth2/authorize?client_id=app&redirect_uri=the-RuName&response_type=code&scope=s&state=n")));
        String code = dev.commercesync.simulator.http.ApiRequest.parseQuery(
                        URI.create(consent.headers().firstValue("Location").orElseThrow())
                                .getRawQuery())
                .get("code");
        HttpResponse<String> granted =
                token(base, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", "the-RuName"));
        assertEquals(200, granted.statusCode(), granted.body());
        String userToken = json(granted).path("access_token").asText();
        String refreshToken = json(granted).path("refresh_token").asText();

        PlatformAdapter adapter = PlatformRegistry.loadInstalled().get("ebay");
        PlatformApiClient installed = adapter.apiClient(new ApiConnection(
                store.apiBaseUrl(),
                new ApiCredentials.RefreshToken("app", SECRET, refreshToken),
                Duration.ofSeconds(10)));
        assertTrue(installed.managesSubscriptions());
        assertFalse(adapter.apiClient(store.apiConnection()).managesSubscriptions(), "a bare user token cannot");
        WebhookSecret secret = WebhookSecret.of("{\"verification_token\":\"" + TOKEN + "\"}");

        assertEquals(List.of(), installed.listWebhooks().value());
        WebhookSubscription first = installed
                .registerWebhook("ORDER_CONFIRMATION", ENDPOINT, secret)
                .value();
        WebhookSubscription second = installed
                .registerWebhook("ORDER_CONFIRMATION", ENDPOINT, secret)
                .value();
        assertEquals(first.id(), second.id(), "found again, not duplicated");
        assertEquals(
                List.of(new WebhookSubscription(first.id(), "ORDER_CONFIRMATION", ENDPOINT, true)),
                installed.listWebhooks().value());

        String appToken = json(token(
                        base,
                        Map.of("grant_type", "client_credentials", "scope", "https://api.ebay.com/oauth/api_scope")))
                .path("access_token")
                .asText();
        String notification = base + "/commerce/notification/v1";
        JsonNode destinations = json(call("GET", notification + "/destination", appToken, null));
        assertEquals(1, destinations.path("total").asInt(), destinations.toString());
        JsonNode destination = destinations.path("destinations").path(0);
        assertEquals(
                TOKEN,
                destination.path("deliveryConfig").path("verificationToken").asText());
        String destinationId = destination.path("destinationId").asText();

        // eBay turned the subscription off, or marked the destination down: reported inactive, then turned on again.
        assertEquals(
                204,
                call("POST", notification + "/subscription/" + first.id() + "/disable", userToken, null)
                        .statusCode());
        assertFalse(installed.listWebhooks().value().get(0).active());
        assertEquals(
                first.id(),
                installed
                        .registerWebhook("ORDER_CONFIRMATION", ENDPOINT, secret)
                        .value()
                        .id());
        assertTrue(installed.listWebhooks().value().get(0).active());
        String markedDown = "{\"name\":\"x\",\"status\":\"DISABLED\",\"deliveryConfig\":{\"endpoint\":\"" + ENDPOINT
                + "\",\"verificationToken\":\"" + TOKEN + "\"}}";
        assertEquals(
                204,
                call("PUT", notification + "/destination/" + destinationId, appToken, markedDown)
                        .statusCode());
        assertFalse(installed.listWebhooks().value().get(0).active());
        installed.registerWebhook("ORDER_CONFIRMATION", ENDPOINT, secret);
        assertEquals(
                "ENABLED",
                json(call("GET", notification + "/destination/" + destinationId, appToken, null))
                        .path("status")
                        .asText());
        assertEquals(
                1,
                json(call("GET", notification + "/subscription", userToken, null))
                        .path("total")
                        .asInt());

        // What eBay refuses.
        assertEquals(
                401, call("GET", notification + "/destination", userToken, null).statusCode(), "app's resource");
        String subscription = "{\"topicId\":\"ITEM_MARKED_SHIPPED\",\"status\":\"ENABLED\",\"destinationId\":\""
                + destinationId + "\",\"payload\":{\"format\":\"JSON\",\"schemaVersion\":\"1.0\","
                + "\"deliveryProtocol\":\"HTTPS\"}}";
        assertEquals(
                403,
                call("POST", notification + "/subscription", appToken, subscription)
                        .statusCode(),
                "a seller's topic with the app's token");
        assertEquals(
                201,
                call("POST", notification + "/subscription", userToken, subscription)
                        .statusCode());
        assertEquals(
                409,
                call("POST", notification + "/subscription", userToken, subscription)
                        .statusCode(),
                "one subscription per topic");
        String plainHttp = "{\"name\":\"x\",\"status\":\"ENABLED\",\"deliveryConfig\":{\"endpoint\":"
                + "\"http://ingest.example.test/x\",\"verificationToken\":\"" + TOKEN + "\"}}";
        assertEquals(
                400,
                call("POST", notification + "/destination", appToken, plainHttp).statusCode());
        String shortToken = "{\"name\":\"x\",\"status\":\"ENABLED\",\"deliveryConfig\":{\"endpoint\":"
                + "\"https://ingest.example.test/y\",\"verificationToken\":\"short\"}}";
        assertEquals(
                400,
                call("POST", notification + "/destination", appToken, shortToken)
                        .statusCode());
        assertEquals(
                409,
                call("POST", notification + "/destination", appToken, markedDown)
                        .statusCode(),
                "one destination per endpoint");
        assertEquals(
                400,
                call("GET", notification + "/topic?limit=5", appToken, null).statusCode());
        assertEquals(
                "USER",
                json(call("GET", notification + "/topic/ORDER_CONFIRMATION", appToken, null))
                        .path("scope")
                        .asText());
        assertClientError(404, () -> installed.registerWebhook("NO_SUCH_TOPIC", ENDPOINT, secret));

        installed.deleteWebhook(first.id());
        installed.deleteWebhook(first.id()); // gone already: not an error
        assertEquals(
                List.of("ITEM_MARKED_SHIPPED"),
                installed.listWebhooks().value().stream()
                        .map(WebhookSubscription::topic)
                        .toList());
    }
}
