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
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merchant installs the app on a simulated BigCommerce store (the install button, the auth callback, the token
 * exchange), opens it (the signed load callback) and removes it (the signed uninstall callback): the store is
 * registered, subscribed, backfilled and checked, then disabled without credentials, and a reinstall resumes from its
 * cursors. Forged or foreign JWTs and tampered callbacks change nothing.
 */
@QuarkusTest
@WithTestResource(InstallTestResource.class)
class BigCommerceInstallFlowTest extends InstallTests {
    private static final String PLATFORM = "bigcommerce";

    private SimulatedStore store;

    @BeforeEach
    void store() {
        // BigCommerce signs the callbacks' JWTs and the store's webhooks with the app's client secret.
        String hash = "bc" + UUID.randomUUID().toString().substring(0, 8);
        store = addStore(PLATFORM, hash, 12);
    }

    /** The merchant clicks the install button: the service's redirect to BigCommerce's install URL. */
    private URI begin() {
        return URI.create(given().redirects()
                .follow(false)
                .queryParam("store", store.storeId())
                .get("/install/" + PLATFORM)
                .then()
                .statusCode(302)
                .extract()
                .header("Location"));
    }

    /** BigCommerce installs the app and sends the browser to the auth callback: that callback's query. */
    private static Map<String, String> approve(URI install) throws Exception {
        return approve(PLATFORM, install);
    }

    private static Response callback(Map<String, String> query) {
        return get("/install/" + PLATFORM + "/callback", query);
    }

    /** BigCommerce's server calls the app's load or uninstall callback with the store's signed JWT. */
    private Response notice(String kind, String clientId) {
        String jwt = store.signedAppCallback(kind, clientId).orElseThrow();
        return get("/install/" + PLATFORM + "/" + kind, Map.of("signed_payload_jwt", jwt));
    }

    @Test
    void aMerchantInstallsLoadsAndUninstallsAndAReinstallResumes() throws Exception {
        URI install = begin();
        assertTrue(
                install.toString()
                        .startsWith(store.apiBaseUrl() + "/app/" + InstallTestResource.CLIENT_ID + "/install?"),
                install.toString());
        assertEquals(0L, states.pending(PLATFORM, store.storeId()).orElseThrow(), "BigCommerce carries no state");
        Map<String, String> callback = approve(install);
        assertEquals("stores/" + store.storeId(), callback.get("context"));

        JsonPath answer = callback(callback).then().statusCode(200).extract().jsonPath();
        assertEquals("connected", answer.getString("status"));
        assertEquals(store.storeId(), answer.getString("store_id"));
        assertFalse(answer.getBoolean("reinstalled"));
        for (String part : new String[] {"credentials", "scopes", "webhooks", "orders"}) {
            assertTrue(answer.getBoolean("connection." + part + ".ok"), part + ": " + answer.prettify());
        }
        assertTrue(answer.getBoolean("connection.ok"), answer.prettify());

        // The token is the store's, stored encrypted; the webhook secret is the app's client secret.
        StoreView registered = registry.find(PLATFORM, store.storeId()).orElseThrow();
        assertTrue(registered.enabled());
        String token = ((ApiCredentials.AccessToken) store.credentials()).token();
        assertEquals(
                token,
                ((ApiCredentials.AccessToken)
                                ApiCredentials.parse(registered.apiCredentials().orElseThrow()))
                        .token());
        assertEquals(
                InstallTestResource.CLIENT_SECRET, registered.webhookSecrets().get(0));
        String stored = storedCredentials(PLATFORM, store.storeId());
        assertTrue(stored.startsWith("v1:") && !stored.contains(token), "encrypted at rest");

        // Subscribed at the ingest's address.
        Set<String> topics = ingestTopics(store, PLATFORM);
        assertFalse(topics.isEmpty(), "subscribed");

        // The first backfill: orders on the raw topic, a cursor.
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + store.storeId(), records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());
        StoreKey key = new StoreKey(PLATFORM, store.storeId());
        Instant cursor = firstOrderCursor(key);

        // The same code again: BigCommerce exchanges it once.
        callback(callback).then().statusCode(502).body("error", equalTo("token_exchange_failed"));

        // The merchant opens the app: the signed load callback answers the store's state.
        notice("load", InstallTestResource.CLIENT_ID)
                .then()
                .statusCode(200)
                .body("status", equalTo("loaded"))
                .body("connection.ok", equalTo(true));

        // A JWT for another app, or signed with another secret, changes nothing.
        notice("uninstall", "another-app").then().statusCode(401).body("error", equalTo("invalid_callback"));
        String forged = store.signedAppCallback("uninstall", InstallTestResource.CLIENT_ID)
                .orElseThrow();
        String tampered = forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA"
                + forged.substring(forged.lastIndexOf('.') + 5);
        get("/install/" + PLATFORM + "/uninstall", Map.of("signed_payload_jwt", tampered))
                .then()
                .statusCode(401);
        get("/install/" + PLATFORM + "/uninstall", Map.of()).then().statusCode(401);
        assertTrue(registry.find(PLATFORM, store.storeId()).orElseThrow().enabled(), "still installed");

        // The merchant removes the app: BigCommerce revokes the token and calls the uninstall callback.
        store.uninstallApp();
        notice("uninstall", InstallTestResource.CLIENT_ID)
                .then()
                .statusCode(200)
                .body("status", equalTo("uninstalled"))
                .body("connection.ok", equalTo(false))
                .body("connection.credentials.detail", equalTo("the store is disabled (uninstalled)"));
        StoreView uninstalled = registry.find(PLATFORM, store.storeId()).orElseThrow();
        assertFalse(uninstalled.enabled());
        assertEquals("uninstalled", uninstalled.disabledReason().orElseThrow());
        assertTrue(uninstalled.apiCredentials().isEmpty());
        assertEquals(null, storedCredentials(PLATFORM, store.storeId()), "the credentials are deleted");

        // The merchant installs it again: new token, enabled, polled on from the kept cursor.
        store.step(20);
        callback(approve(begin()))
                .then()
                .statusCode(200)
                .body("reinstalled", equalTo(true))
                .body("connection.ok", equalTo(true));
        assertTrue(registry.find(PLATFORM, store.storeId()).orElseThrow().enabled());
        orderCursorPast(key, cursor);
    }

    @Test
    void badContextForgedCodesAndTooFewScopesStoreNothing() throws Exception {
        given().redirects()
                .follow(false)
                .queryParam("store", "no/such hash")
                .get("/install/" + PLATFORM)
                .then()
                .statusCode(400);

        Map<String, String> callback = approve(begin());
        // Another store's context with this code: BigCommerce refuses the exchange.
        Map<String, String> otherStore = new LinkedHashMap<>(callback);
        otherStore.put("context", "stores/victim");
        callback(otherStore).then().statusCode(502).body("error", equalTo("token_exchange_failed"));
        Map<String, String> badContext = new LinkedHashMap<>(callback);
        badContext.put("context", "stores/../x");
        callback(badContext).then().statusCode(401).body("error", equalTo("invalid_callback"));
        Map<String, String> madeUp = new LinkedHashMap<>(callback);
        madeUp.put("code", "0123456789abcdef0123456789abcdef");
        callback(madeUp).then().statusCode(502);
        assertFalse(registry.exists(PLATFORM, store.storeId()), "nothing registered");
        assertFalse(registry.exists(PLATFORM, "victim"));

        // A load or uninstall of a store that never installed: signed, but unknown.
        notice("load", InstallTestResource.CLIENT_ID).then().statusCode(404);
        assertFalse(registry.exists(PLATFORM, store.storeId()));

        // The merchant grants fewer scopes than asked.
        store.appInstalls().grantOnly(Set.of("store_v2_orders"));
        callback(approve(begin())).then().statusCode(403).body("error", equalTo("scopes_not_granted"));
        assertFalse(registry.exists(PLATFORM, store.storeId()), "nothing registered");
    }
}
