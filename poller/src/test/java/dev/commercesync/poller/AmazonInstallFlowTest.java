package dev.commercesync.poller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A seller connects a simulated Amazon account through the SP-API website authorization workflow (Seller Central's
 * consent, {@code spapi_oauth_code} exchanged at Login with Amazon for a refresh token): the store is registered,
 * backfilled and checked; its hour-long access tokens (seconds here) are renewed before they expire; when the seller
 * revokes the app the refresh token is refused ({@code invalid_grant}) and the store is disabled as {@code
 * credentials_revoked}, and a new authorization resumes from its cursors. Foreign states, other sellers and wrong
 * codes store nothing.
 */
@QuarkusTest
@WithTestResource(InstallTestResource.class)
class AmazonInstallFlowTest extends InstallTests {
    private static final String PLATFORM = "amazon";

    private SimulatedStore seller;
    private String sellerId;

    @BeforeEach
    void seller() {
        sellerId = "A"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
        // The simulated seller's key is its seller id in lower case (the simulator's keys are).
        seller = addStore(PLATFORM, sellerId.toLowerCase(Locale.ROOT), 31);
        seller.appInstalls().expireAccessTokensAfter(SHORT_TOKEN_LIFETIME);
    }

    private static final String NORTH_AMERICA = "sellingpartnerapi-na.amazon.com";
    private static final String EUROPE = "sellingpartnerapi-eu.amazon.com";

    /** The seller's simulated API as if at {@code host} (the test's store-url-template for Amazon). */
    private String at(String host) {
        return "http://127.0.0.1:" + Integer.getInteger(InstallTestResource.SIMULATOR_PORT) + "/hosts/" + host
                + "/stores/" + sellerId;
    }

    private URI begin() {
        return begin(null);
    }

    /** {@code GET /install/amazon?store=<seller>[&region=<region>]}: the consent's address. */
    private URI begin(String region) {
        var request = given().redirects().follow(false).queryParam("store", sellerId);
        if (region != null) {
            request = request.queryParam("region", region);
        }
        return URI.create(request.get("/install/" + PLATFORM)
                .then()
                .statusCode(302)
                .extract()
                .header("Location"));
    }

    private static io.restassured.response.Response callback(Map<String, String> query) {
        return get("/install/" + PLATFORM + "/callback", query);
    }

    @Test
    void aSellerAuthorizesTokensAreRenewedARevocationDisablesAndAReauthorizationResumes() throws Exception {
        URI authorization = begin();
        // At the simulated seller as if at the North American endpoint (no region named): its address names it by the
        // seller id, which the simulator takes in any case.
        assertTrue(
                authorization.toString().startsWith(at(NORTH_AMERICA) + "/apps/authorize/consent?"),
                authorization.toString());
        Map<String, String> asked = query(authorization);
        assertEquals(InstallTestResource.AMAZON_APPLICATION_ID, asked.get("application_id"));
        assertEquals(InstallTestResource.PUBLIC_URL + "/install/amazon/callback", asked.get("redirect_uri"));
        assertTrue(asked.get("state").length() >= 40, "a 256-bit nonce");
        assertFalse(authorization.toString().contains(InstallTestResource.CLIENT_SECRET));

        Map<String, String> returned = approve(PLATFORM, authorization);
        assertEquals(sellerId, returned.get("selling_partner_id"));
        JsonPath answer = callback(returned).then().statusCode(200).extract().jsonPath();
        assertEquals("connected", answer.getString("status"));
        assertEquals(sellerId, answer.getString("store_id"));
        assertFalse(answer.getBoolean("reinstalled"));
        assertTrue(answer.getBoolean("connection.ok"), answer.prettify());
        assertEquals(
                "subscriptions are not managed through the store's API",
                answer.getString("connection.webhooks.detail"));
        assertTrue(answer.getString("connection.orders.detail").startsWith("the first page of orders was read"));

        // The seller's refresh token with the app's LWA client, stored encrypted.
        StoreView store = registry.find(PLATFORM, sellerId).orElseThrow();
        assertTrue(store.enabled());
        ApiCredentials.RefreshToken registered = (ApiCredentials.RefreshToken)
                ApiCredentials.parse(store.apiCredentials().orElseThrow());
        String refreshToken = ((ApiCredentials.RefreshToken) seller.credentials()).refreshToken();
        assertEquals(refreshToken, registered.refreshToken());
        assertEquals(InstallTestResource.AMAZON_LWA_CLIENT_ID, registered.clientId());
        String stored = storedCredentials(PLATFORM, sellerId);
        assertTrue(stored.startsWith("v1:") && !stored.contains(refreshToken), "encrypted at rest");

        // The first poll: the seller's orders onto the raw topic.
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + sellerId, records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());
        StoreKey key = new StoreKey(PLATFORM, sellerId);
        Instant cursor = firstOrderCursor(key);
        callback(returned).then().statusCode(400).body("error", equalTo("invalid_state"));

        assertEquals(at(NORTH_AMERICA), store.apiBaseUrl());

        // Tokens renewed; the seller revokes the app in Seller Central; a new authorization resumes.
        assertRenewedRevokedAndResumed(seller, store, cursor, () -> approve(PLATFORM, begin()));
        assertEquals(Set.of(NORTH_AMERICA), seller.requestedHosts(), "every call at the North American endpoint");
    }

    @Test
    void aEuropeanMarketplacesSellerIsInstalledAtTheEuropeanEndpointAndAnUnknownMarketplaceIsRefused()
            throws Exception {
        given().redirects()
                .follow(false)
                .queryParam("store", sellerId)
                .queryParam("region", "XX")
                .get("/install/" + PLATFORM)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_region"))
                .body("message", containsString("unknown Amazon marketplace or region 'XX'"));
        assertEquals(Optional.of(0L), states.pending(PLATFORM, sellerId), "nothing stored for a refused start");

        // Amazon.de's marketplace id: the consent and every call at the European endpoint.
        URI authorization = begin("A1PA6795UKMFR9");
        assertTrue(
                authorization.toString().startsWith(at(EUROPE) + "/apps/authorize/consent?"), authorization.toString());
        JsonPath answer = callback(approve(PLATFORM, authorization))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(answer.getBoolean("connection.ok"), answer.prettify());
        StoreView store = registry.find(PLATFORM, sellerId).orElseThrow();
        assertEquals(at(EUROPE), store.apiBaseUrl());
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + sellerId, records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());
        firstOrderCursor(new StoreKey(PLATFORM, sellerId));
        assertEquals(Set.of(EUROPE), seller.requestedHosts(), "every call at the European endpoint");
    }

    @Test
    void foreignStatesOtherSellersAndWrongCodesStoreNothing() throws Exception {
        Map<String, String> returned = approve(PLATFORM, begin());

        Map<String, String> foreign = new LinkedHashMap<>(returned);
        foreign.put("state", "a-state-this-service-never-issued");
        callback(foreign).then().statusCode(400).body("error", equalTo("invalid_state"));

        Map<String, String> noCode = new LinkedHashMap<>(returned);
        noCode.remove("spapi_oauth_code");
        callback(noCode).then().statusCode(401).body("error", equalTo("invalid_callback"));

        // The state was issued for this seller: another seller's callback does not match it, and uses it up.
        Map<String, String> otherSeller = new LinkedHashMap<>(returned);
        otherSeller.put("selling_partner_id", "A0THERSELLER01");
        callback(otherSeller).then().statusCode(400).body("error", equalTo("invalid_state"));
        callback(returned).then().statusCode(400).body("error", equalTo("invalid_state"));

        // LWA refuses a code it did not issue (invalid_grant).
        Map<String, String> wrongCode = new LinkedHashMap<>(approve(PLATFORM, begin()));
        wrongCode.put("spapi_oauth_code", "ANforgedcode");
        callback(wrongCode).then().statusCode(502).body("error", equalTo("token_exchange_failed"));
        assertFalse(registry.exists(PLATFORM, sellerId), "nothing registered");
    }
}
