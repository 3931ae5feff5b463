package dev.commercesync.poller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merchant connects a simulated Shopify store through the install flow (redirect, the store's authorization,
 * callback, code exchange), refused callbacks store nothing, and an uninstalled store reinstalls from its cursors.
 */
@QuarkusTest
@WithTestResource(InstallTestResource.class)
class InstallFlowTest extends InstallTests {
    private static final String PLATFORM = "shopify";

    private SimulatedStore shop;

    @BeforeEach
    void store() {
        // The store signs with the app's client secret, as a Shopify store signs an app's callbacks and webhooks.
        String key = "inst-" + UUID.randomUUID().toString().substring(0, 8);
        shop = addStore(PLATFORM, key, 11);
    }

    /** The merchant starts the install: the service's redirect to the store's authorization page. */
    private URI begin() {
        String location = given().redirects()
                .follow(false)
                .queryParam("shop", shop.storeId())
                .get("/install/" + PLATFORM)
                .then()
                .statusCode(302)
                .extract()
                .header("Location");
        return URI.create(location);
    }

    /** The merchant approves at the store: its redirect back to the callback, as the query the callback gets. */
    private static Map<String, String> approve(URI authorization) throws Exception {
        return approve(PLATFORM, authorization);
    }

    private static Response callback(Map<String, String> query) {
        return get("/install/" + PLATFORM + "/callback", query);
    }

    @Test
    void aMerchantInstallsTheAppAndTheStoreIsRegisteredSubscribedPolledAndChecked() throws Exception {
        URI authorization = begin();
        assertTrue(
                authorization.toString().startsWith(shop.apiBaseUrl() + "/admin/oauth/authorize?"),
                authorization.toString());
        Map<String, String> asked = query(authorization);
        assertEquals(InstallTestResource.CLIENT_ID, asked.get("client_id"));
        assertEquals(InstallTestResource.PUBLIC_URL + "/install/shopify/callback", asked.get("redirect_uri"));
        assertTrue(asked.get("scope").contains("write_orders"), asked.get("scope"));
        assertTrue(asked.get("state").length() >= 40, "a 256-bit nonce");
        assertFalse(authorization.toString().contains(InstallTestResource.CLIENT_SECRET));

        Map<String, String> signed = approve(authorization);
        JsonPath answer = callback(signed).then().statusCode(200).extract().jsonPath();

        assertEquals("connected", answer.getString("status"));
        assertEquals(shop.storeId(), answer.getString("store_id"));
        assertFalse(answer.getBoolean("reinstalled"));
        assertTrue(answer.getBoolean("connection.ok"), answer.prettify());
        for (String part : new String[] {"credentials", "scopes", "webhooks", "orders"}) {
            assertTrue(answer.getBoolean("connection." + part + ".ok"), part + ": " + answer.prettify());
        }

        // The token is the store's, stored encrypted.
        StoreView store = registry.find(PLATFORM, shop.storeId()).orElseThrow();
        assertTrue(store.enabled());
        String token = ((ApiCredentials.AccessToken) shop.credentials()).token();
        assertEquals(
                token,
                ((ApiCredentials.AccessToken)
                                ApiCredentials.parse(store.apiCredentials().orElseThrow()))
                        .token());
        assertEquals(
                InstallTestResource.CLIENT_SECRET,
                store.webhookSecrets().get(0),
                "Shopify signs with the app's secret");
        String stored = storedCredentials(PLATFORM, shop.storeId());
        assertTrue(stored.startsWith("v1:") && !stored.contains(token), "encrypted at rest");

        // Subscribed at the ingest's address, app/uninstalled included.
        Set<String> topics = ingestTopics(shop, PLATFORM);
        assertTrue(topics.containsAll(Set.of("app/uninstalled", "orders/create", "orders/updated")), topics.toString());

        // The first backfill: the store's orders are polled onto the raw topic.
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + shop.storeId(), records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());

        // The same callback again: its state was used.
        callback(signed).then().statusCode(400).body("error", equalTo("invalid_state"));

        // The connection check on its own (internal token).
        assertTrue(connection(PLATFORM, shop.storeId()).getBoolean("ok"));
        given().queryParam("store_id", shop.storeId())
                .get("/connections/" + PLATFORM)
                .then()
                .statusCode(401);
    }

    @Test
    void badShopTamperedCallbackUnknownStateAndTooFewScopesStoreNothing() throws Exception {
        for (String bad : new String[] {"evil.com", shop.storeId() + ".evil.com", "", "x/../" + shop.storeId()}) {
            given().redirects()
                    .follow(false)
                    .queryParam("shop", bad)
                    .get("/install/" + PLATFORM)
                    .then()
                    .statusCode(400);
            assertEquals(0L, states.pending(PLATFORM, bad).orElseThrow());
        }
        given().redirects().follow(false).get("/install/" + PLATFORM).then().statusCode(400);
        given().redirects()
                .follow(false)
                .queryParam("shop", shop.storeId())
                .get("/install/nosuchplatform")
                .then()
                .statusCode(404);

        // Tampered: another shop, another code, no signature.
        Map<String, String> signed = approve(begin());
        Map<String, String> otherShop = new LinkedHashMap<>(signed);
        otherShop.put("shop", "victim.myshopify.com");
        callback(otherShop).then().statusCode(401).body("error", equalTo("invalid_callback"));
        Map<String, String> otherCode = new LinkedHashMap<>(signed);
        otherCode.put("code", "0123456789abcdef0123456789abcdef");
        callback(otherCode).then().statusCode(401);
        Map<String, String> unsigned = new LinkedHashMap<>(signed);
        unsigned.remove("hmac");
        callback(unsigned).then().statusCode(401);
        // An old timestamp, signed correctly.
        Map<String, String> old = new LinkedHashMap<>(signed);
        old.put(
                "timestamp",
                Long.toString(Instant.now().minus(Duration.ofHours(1)).getEpochSecond()));
        callback(sign(old)).then().statusCode(401);
        // Correctly signed (as only the platform can), but a state this service never issued.
        Map<String, String> unknownState = new LinkedHashMap<>(signed);
        unknownState.put("state", "made-up-state");
        callback(sign(unknownState)).then().statusCode(400).body("error", equalTo("invalid_state"));
        assertFalse(registry.exists(PLATFORM, shop.storeId()), "nothing registered");
        assertFalse(registry.exists(PLATFORM, "victim.myshopify.com"));

        // The merchant approves fewer scopes than asked.
        shop.appInstalls().grantOnly(Set.of("read_customers"));
        callback(approve(begin())).then().statusCode(403).body("error", equalTo("scopes_not_granted"));
        assertFalse(registry.exists(PLATFORM, shop.storeId()), "nothing registered");
    }

    @Test
    void anUninstalledStoreStopsAndAReinstallResumesFromItsCursors() throws Exception {
        callback(approve(begin())).then().statusCode(200).body("reinstalled", equalTo(false));
        StoreKey key = new StoreKey(PLATFORM, shop.storeId());
        Instant cursor = firstOrderCursor(key);

        // The merchant removes the app: the store revokes the token; the ingest (webhook-ingest's
        // UninstallWebhookTest) records the app/uninstalled webhook in the registry, as here.
        shop.uninstallApp();
        registry.uninstall(PLATFORM, shop.storeId());
        StoreView uninstalled = registry.find(PLATFORM, shop.storeId()).orElseThrow();
        assertFalse(uninstalled.enabled());
        assertEquals("uninstalled", uninstalled.disabledReason().orElseThrow());
        assertTrue(uninstalled.apiCredentials().isEmpty());
        assertEquals(null, storedCredentials(PLATFORM, shop.storeId()), "the credentials are deleted");
        // Disabled: PollScheduler and SubscriptionKeeper skip it, and without credentials no client can be built.
        JsonPath disabled = connection(PLATFORM, shop.storeId());
        assertFalse(disabled.getBoolean("ok"));
        assertEquals("the store is disabled (uninstalled)", disabled.getString("credentials.detail"));

        // Orders change meanwhile; the merchant installs the app again.
        shop.step(20);
        callback(approve(begin()))
                .then()
                .statusCode(200)
                .body("reinstalled", equalTo(true))
                .body("connection.ok", equalTo(true));
        StoreView reinstalled = registry.find(PLATFORM, shop.storeId()).orElseThrow();
        assertTrue(reinstalled.enabled());
        assertTrue(reinstalled.disabledReason().isEmpty());
        // The cursor was kept and moves on from where it was.
        Instant resumed = orderCursorPast(key, cursor);
        assertNotNull(resumed);
    }

    /** Signs a callback query with the app's secret as the platform does (hex HMAC-SHA256 of the sorted rest). */
    private static Map<String, String> sign(Map<String, String> query) throws Exception {
        Map<String, String> rest = new TreeMap<>(query);
        rest.remove("hmac");
        String message = rest.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(InstallTestResource.CLIENT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        Map<String, String> signed = new LinkedHashMap<>(rest);
        signed.put("hmac", HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8))));
        return signed;
    }
}
