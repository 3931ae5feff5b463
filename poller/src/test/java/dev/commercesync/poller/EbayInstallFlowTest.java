package dev.commercesync.poller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A seller connects a simulated eBay account through eBay's authorization-code grant (consent with the app's RuName,
 * the code exchanged with the app's Basic credentials for a refresh token): the store is registered, backfilled and
 * checked; its two-hour user tokens (seconds here) are renewed with the refresh token before they expire; when the
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
        assertEquals(
                "subscriptions are not managed through the store's API",
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

        // The first poll: the seller's orders onto the raw topic.
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + sellerId, records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());
        StoreKey key = new StoreKey(PLATFORM, sellerId);
        Instant cursor = firstOrderCursor(key);
        callback(returned).then().statusCode(400).body("error", equalTo("invalid_state"));

        // Tokens renewed; the seller revokes the app in My eBay; a new authorization resumes.
        assertRenewedRevokedAndResumed(seller, store, cursor, () -> approve(PLATFORM, begin()));
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
