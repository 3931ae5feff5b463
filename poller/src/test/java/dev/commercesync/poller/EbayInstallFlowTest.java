package dev.commercesync.poller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A seller connects a simulated eBay account through eBay's authorization-code grant (consent with the app's RuName,
 * the code exchanged with the app's Basic credentials for a refresh token): the store is registered, backfilled and
 * checked, and gets its Notification API destination (the store's ingest endpoint) and its subscription to order
 * confirmations, once however often it is installed; its two-hour user tokens (seconds here) are renewed with the refresh token before they expire; when the
 * seller revokes the consent the refresh is refused ({@code invalid_grant}) and the store is disabled as {@code
 * credentials_revoked}, and a new consent resumes from its cursors. Declined consents, foreign states and wrong codes
 * store nothing.
 */
@QuarkusTest
@WithTestResource(InstallTestResource.class)
class EbayInstallFlowTest extends InstallTests {
    private static final String PLATFORM = "ebay";

    private SimulatedStore seller;
    private String sellerId;

    @BeforeEach
    void seller() {
        sellerId = "seller-" + UUID.randomUUID().toString().substring(0, 8);
        seller = addStore(PLATFORM, sellerId, 37);
        // The app's RuName stands for its accepted URL, the service's callback (set up in eBay's developer portal).
        seller.appInstalls()
                .registerRedirectName(
                        InstallTestResource.EBAY_RU_NAME,
                        URI.create(InstallTestResource.PUBLIC_URL + "/install/ebay/callback"));
        seller.appInstalls().expireAccessTokensAfter(SHORT_TOKEN_LIFETIME);
    }

    private URI begin() {
        return URI.create(given().redirects()
                .follow(false)
                .queryParam("store", sellerId)
                .get("/install/" + PLATFORM)
                .then()
                .statusCode(302)
                .extract()
                .header("Location"));
    }

    private static io.restassured.response.Response callback(Map<String, String> query) {
        return get("/install/" + PLATFORM + "/callback", query);
    }

    @Test
    void aSellerConsentsTokensAreRenewedARevocationDisablesAndANewConsentResumes() throws Exception {
        URI authorization = begin();
        assertTrue(
                authorization.toString().startsWith(seller.apiBaseUrl() + "/oauth2/authorize?"),
                authorization.toString());
        Map<String, String> asked = query(authorization);
        assertEquals(InstallTestResource.CLIENT_ID, asked.get("client_id"));
        assertEquals(InstallTestResource.EBAY_RU_NAME, asked.get("redirect_uri"));
        assertEquals("code", asked.get("response_type"));
        assertTrue(
                asked.get("scope").contains("https://api.ebay.com/oauth/api_scope/sell.fulfillment"),
                asked.get("scope"));
        assertTrue(asked.get("state").length() >= 40, "a 256-bit nonce");
        assertFalse(authorization.toString().contains(InstallTestResource.CLIENT_SECRET));

        Map<String, String> returned = approve(PLATFORM, authorization);
        JsonPath answer = callback(returned).then().statusCode(200).extract().jsonPath();
        assertEquals("connected", answer.getString("status"));
        assertEquals(sellerId, answer.getString("store_id"));
        assertFalse(answer.getBoolean("reinstalled"));
        assertTrue(answer.getBoolean("connection.ok"), answer.prettify());
        String endpoint = "https://ingest.example.test/webhooks/ebay/" + sellerId;
        assertEquals(
                "subscribed to 1 topics [ORDER_CONFIRMATION] at " + endpoint,
                answer.getString("connection.webhooks.detail"));
        assertTrue(answer.getString("connection.orders.detail").startsWith("the first page of orders was read"));

        // The seller's refresh token with the app's client, stored encrypted.
        StoreView store = registry.find(PLATFORM, sellerId).orElseThrow();
        assertTrue(store.enabled());
        ApiCredentials.RefreshToken registered = (ApiCredentials.RefreshToken)
                ApiCredentials.parse(store.apiCredentials().orElseThrow());
        assertEquals(InstallTestResource.CLIENT_ID, registered.clientId());
        assertTrue(registered.refreshToken().startsWith("v^1.1#i^1#r^1#"), "eBay's refresh token");
        String stored = storedCredentials(PLATFORM, sellerId);
        assertTrue(stored.startsWith("v1:") && !stored.contains(registered.refreshToken()), "encrypted at rest");

        // The seller's notifications: one destination at the store's endpoint, whose challenge the ingest answers
        // from the store's secret, and the seller subscribed to the topic the adapter classifies (the account
        // deletion is the developer portal's).
        String destinationId = assertOneDestinationAndSubscription(endpoint);
        JsonPath secret = JsonPath.from(store.webhookSecrets().get(0));
        assertEquals(endpoint, secret.getString("endpoint"));
        String token = secret.getString("verification_token");
        assertEquals(token, notifications("destination").getString("destinations[0].deliveryConfig.verificationToken"));
        assertEquals(
                Optional.of("{\"challengeResponse\":\"" + sha256Hex("a-challenge" + token + endpoint) + "\"}"),
                PlatformRegistry.loadInstalled()
                        .get(PLATFORM)
                        .endpointChallengeResponse(
                                Map.of("challenge_code", "a-challenge"),
                                List.of(WebhookSecret.of(store.webhookSecrets().get(0)))));

        // The first poll: the seller's orders onto the raw topic.
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + sellerId, records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());
        StoreKey key = new StoreKey(PLATFORM, sellerId);
        Instant cursor = firstOrderCursor(key);
        callback(returned).then().statusCode(400).body("error", equalTo("invalid_state"));

        // Tokens renewed; the seller revokes the app in My eBay; a new authorization resumes.
        assertRenewedRevokedAndResumed(seller, store, cursor, () -> approve(PLATFORM, begin()));

        // The second install found the destination and the subscription: one of each, as before.
        assertEquals(destinationId, assertOneDestinationAndSubscription(endpoint));
        assertEquals(
                "subscribed to 1 topics [ORDER_CONFIRMATION] at " + endpoint,
                connection(PLATFORM, sellerId).getString("webhooks.detail"));
    }

    /**
     * The seller's one destination (enabled, at {@code endpoint}) and one subscription (ORDER_CONFIRMATION to it,
     * enabled, schema 1.0), read from the simulated eBay as the app reads them; the destination's id.
     */
    private String assertOneDestinationAndSubscription(String endpoint) {
        JsonPath destinations = notifications("destination");
        assertEquals(1, destinations.getInt("total"), destinations.prettify());
        assertEquals(endpoint, destinations.getString("destinations[0].deliveryConfig.endpoint"));
        assertEquals("ENABLED", destinations.getString("destinations[0].status"));
        String destinationId = destinations.getString("destinations[0].destinationId");
        JsonPath subscriptions = notifications("subscription");
        assertEquals(1, subscriptions.getInt("total"), subscriptions.prettify());
        assertEquals("ORDER_CONFIRMATION", subscriptions.getString("subscriptions[0].topicId"));
        assertEquals(destinationId, subscriptions.getString("subscriptions[0].destinationId"));
        assertEquals("ENABLED", subscriptions.getString("subscriptions[0].status"));
        assertEquals("1.0", subscriptions.getString("subscriptions[0].payload.schemaVersion"));
        return destinationId;
    }

    /** {@code GET /commerce/notification/v1/<resource>} of the simulated eBay with an application token. */
    private JsonPath notifications(String resource) {
        String appToken = given().auth()
                .preemptive()
                .basic(InstallTestResource.CLIENT_ID, InstallTestResource.CLIENT_SECRET)
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "https://api.ebay.com/oauth/api_scope")
                .post(seller.apiBaseUrl() + "/identity/v1/oauth2/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
        return given().header("Authorization", "Bearer " + appToken)
                .get(seller.apiBaseUrl() + "/commerce/notification/v1/" + resource + "?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void declinedConsentsForeignStatesAndWrongCodesStoreNothing() throws Exception {
        Map<String, String> returned = approve(PLATFORM, begin());

        Map<String, String> declined = new LinkedHashMap<>();
        declined.put("state", returned.get("state"));
        declined.put("error", "access_denied");
        callback(declined).then().statusCode(401).body("error", equalTo("invalid_callback"));

        Map<String, String> foreign = new LinkedHashMap<>(returned);
        foreign.put("state", "a-state-this-service-never-issued");
        callback(foreign).then().statusCode(400).body("error", equalTo("invalid_state"));

        // eBay refuses a code it did not issue (invalid_grant); the state is used up by then.
        Map<String, String> wrongCode = new LinkedHashMap<>(returned);
        wrongCode.put("code", "v^1.1#i^1#f^0#r^1#I^3#p^3#t^forged");
        callback(wrongCode).then().statusCode(502).body("error", equalTo("token_exchange_failed"));
        callback(returned).then().statusCode(400).body("error", equalTo("invalid_state"));
        assertFalse(registry.exists(PLATFORM, sellerId), "nothing registered");
    }
}
