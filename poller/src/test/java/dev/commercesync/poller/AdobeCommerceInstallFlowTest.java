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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merchant activates an integration for this service in a simulated Adobe Commerce store's Admin: the store POSTs
 * the consumer key and secret and a verifier to the callback, the service exchanges them for the access token (OAuth
 * 1.0a, HMAC-SHA256), and the store is registered with the four values (its requests signed with them), polled and
 * checked. When the merchant revokes the integration the 401s disable it as {@code credentials_revoked} without
 * credentials, and an activation again resumes from its cursors. The pasted access token connects too; a forged
 * activation, a bad store URL and an integration without the ACL resources the poller reads store nothing.
 */
@QuarkusTest
@WithTestResource(InstallTestResource.class)
class AdobeCommerceInstallFlowTest extends InstallTests {
    private static final String PLATFORM = "magento2";
    private static final URI CALLBACK = URI.create(InstallTestResource.PUBLIC_URL + "/install/magento2/callback");

    private SimulatedStore shop;
    private String storeBaseUrl;
    private String storeId;

    @BeforeEach
    void shop() {
        // The store as its Admin names itself (store_base_url).
        Site added = addSite(PLATFORM, "mag", 14);
        shop = added.store();
        storeBaseUrl = added.url();
        storeId = added.storeId();
    }

    /** The merchant activates the integration whose callback URL is this service's: the callback's status. */
    private int activate() {
        return shop.activateIntegration(CALLBACK, storeBaseUrl);
    }

    private static Response post(Map<String, String> form) {
        return given().contentType(ContentType.URLENC).formParams(form).post("/install/" + PLATFORM + "/callback");
    }

    @Test
    void aMerchantActivatesTheIntegrationARevocationDisablesAndAReinstallResumes() throws Exception {
        // The install starts in the store's Admin, not here.
        given().redirects()
                .follow(false)
                .queryParam("store_url", storeBaseUrl)
                .get("/install/" + PLATFORM)
                .then()
                .statusCode(400)
                .body("error", equalTo("install_starts_at_store"));

        assertEquals(200, activate());

        // Registered with the integration's four OAuth 1.0a values, encrypted; the access token is the store's.
        StoreView registered = registry.find(PLATFORM, storeId).orElseThrow();
        assertTrue(registered.enabled());
        ApiCredentials.OAuth1 credentials = (ApiCredentials.OAuth1)
                ApiCredentials.parse(registered.apiCredentials().orElseThrow());
        assertEquals(((ApiCredentials.AccessToken) shop.credentials()).token(), credentials.token());
        String stored = storedCredentials(PLATFORM, storeId);
        assertTrue(
                stored.startsWith("v1:")
                        && !stored.contains(credentials.consumerSecret())
                        && !stored.contains(credentials.tokenSecret()),
                "encrypted at rest");

        // Polled, not subscribed (Adobe I/O Events registrations are not the store's API): a first backfill.
        assertTrue(ingestTopics(shop, PLATFORM).isEmpty());
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + storeId, records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());
        StoreKey key = new StoreKey(PLATFORM, storeId);
        Instant cursor = firstOrderCursor(key);
        JsonPath check = connection(PLATFORM, storeId);
        assertTrue(check.getBoolean("ok"), check.prettify());
        for (String part : new String[] {"credentials", "scopes", "webhooks", "orders"}) {
            assertTrue(check.getBoolean(part + ".ok"), part + ": " + check.prettify());
        }
        assertTrue(check.getString("scopes.detail").contains("Magento_Sales::actions_view"), check.prettify());

        // The merchant revokes the integration: the store answers 401 from now on. The next poll is refused; the
        // confirmation call a moment later too: the store is disabled, its credentials deleted.
        shop.uninstallApp();
        assertRevokedAndDisabled(registered);

        // Orders change meanwhile; the merchant activates the integration again: polled on from the kept cursor.
        shop.step(20);
        assertEquals(200, activate());
        StoreView reinstalled = registry.find(PLATFORM, storeId).orElseThrow();
        assertTrue(reinstalled.enabled());
        assertTrue(reinstalled.disabledReason().isEmpty());
        orderCursorPast(key, cursor);
        assertTrue(connection(PLATFORM, storeId).getBoolean("ok"));
    }

    @Test
    void aPastedTokenConnectsAndForgedOrNarrowActivationsStoreNothing() throws Exception {
        // Values the store never issued: the request token is refused.
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("oauth_consumer_key", "0123456789abcdef0123456789abcdef");
        forged.put("oauth_consumer_secret", "fedcba9876543210fedcba9876543210");
        forged.put("store_base_url", storeBaseUrl);
        forged.put("oauth_verifier", "made-up");
        post(forged).then().statusCode(502).body("error", equalTo("token_exchange_failed"));
        // No verifier value, or a store URL that is not an https site.
        Map<String, String> noVerifier = new LinkedHashMap<>(forged);
        noVerifier.put("oauth_verifier", "");
        post(noVerifier).then().statusCode(401).body("error", equalTo("invalid_callback"));
        for (String bad : new String[] {"http://" + storeId, "https://" + storeId + "/?x=1", "not a url", ""}) {
            Map<String, String> badStore = new LinkedHashMap<>(forged);
            badStore.put("store_base_url", bad);
            post(badStore).then().statusCode(401).body("error", equalTo("invalid_callback"));
        }
        // A site URL whose address may not receive credentials (the cloud metadata service).
        Map<String, String> metadata = new LinkedHashMap<>(forged);
        metadata.put("store_base_url", "https://169.254.169.254/");
        post(metadata).then().statusCode(400).body("error", equalTo("invalid_store"));
        assertFalse(registry.exists(PLATFORM, storeId), "nothing registered");

        // The merchant pastes a token the store does not know, or only some of the signing values.
        Map<String, String> pasted = new LinkedHashMap<>();
        pasted.put("store_base_url", storeBaseUrl);
        pasted.put("access_token", "not-the-stores-token");
        given().contentType(ContentType.JSON)
                .body(pasted)
                .post("/install/" + PLATFORM + "/callback")
                .then()
                .statusCode(403)
                .body("error", equalTo("scopes_not_granted"));
        Map<String, String> partial = new LinkedHashMap<>(pasted);
        partial.put("consumer_key", "ck");
        post(partial).then().statusCode(401).body("error", equalTo("invalid_callback"));
        assertFalse(registry.exists(PLATFORM, storeId), "nothing registered");

        // The integration's access token, pasted (the store allows it as a Bearer token): connected and checked.
        String token = ((ApiCredentials.AccessToken) shop.credentials()).token();
        pasted.put("access_token", token);
        JsonPath answer = given().contentType(ContentType.JSON)
                .body(pasted)
                .post("/install/" + PLATFORM + "/callback")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("connected", answer.getString("status"));
        assertEquals(storeId, answer.getString("store_id"));
        assertTrue(answer.getBoolean("connection.ok"), answer.prettify());
        assertEquals(new ApiCredentials.AccessToken(token), registeredCredentials());

        // An activation of an integration that may read products only: the orders the poller needs are not its to
        // read. Refused; the store keeps what it had.
        shop.appInstalls().grantOnly(Set.of("Magento_Catalog::products"));
        assertEquals(403, activate());
        assertEquals(new ApiCredentials.AccessToken(token), registeredCredentials());
    }

    private ApiCredentials registeredCredentials() {
        return ApiCredentials.parse(
                registry.find(PLATFORM, storeId).orElseThrow().apiCredentials().orElseThrow());
    }
}
