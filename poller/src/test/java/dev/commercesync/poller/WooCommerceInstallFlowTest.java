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
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merchant connects a simulated WooCommerce site by its key generation endpoint ({@code /wc-auth/v1/authorize}: the
 * site POSTs the keys to the callback), the store is registered, subscribed, backfilled and checked; when the merchant
 * revokes the keys the 401s disable it as {@code credentials_revoked} without credentials, and a reinstall resumes from
 * its cursors. Bad site URLs, replayed or unknown nonces, keys that do not work and read-only keys store nothing.
 */
@QuarkusTest
@WithTestResource(InstallTestResource.class)
class WooCommerceInstallFlowTest extends InstallTests {
    private static final String PLATFORM = "woocommerce";

    private SimulatedStore site;
    private String siteUrl;
    private String storeId;

    @BeforeEach
    void site() {
        // The site signs its webhooks with the secret given on each subscription: the app's configured secret.
        Site added = addSite(PLATFORM, "woo", 13);
        site = added.store();
        siteUrl = added.url();
        storeId = added.storeId();
    }

    private URI begin() {
        return URI.create(given().redirects()
                .follow(false)
                .queryParam("store_url", siteUrl)
                .get("/install/" + PLATFORM)
                .then()
                .statusCode(302)
                .extract()
                .header("Location"));
    }

    private static io.restassured.response.Response deliver(Map<String, Object> keys) {
        return given().contentType(ContentType.JSON).body(keys).post("/install/" + PLATFORM + "/callback");
    }

    private JsonPath connection() {
        return connection(PLATFORM, storeId);
    }

    @Test
    void aMerchantConnectsARevocationDisablesAndAReinstallResumes() throws Exception {
        URI authorization = begin();
        assertTrue(
                authorization.toString().startsWith(site.apiBaseUrl() + "/wc-auth/v1/authorize?"),
                authorization.toString());
        Map<String, String> asked = query(authorization);
        assertEquals(InstallTestResource.WOO_APP_NAME, asked.get("app_name"));
        assertEquals("read_write", asked.get("scope"));
        assertTrue(asked.get("user_id").length() >= 40, "a 256-bit nonce");
        assertEquals(InstallTestResource.PUBLIC_URL + "/install/woocommerce/callback", asked.get("callback_url"));
        assertFalse(authorization.toString().contains(InstallTestResource.CLIENT_SECRET));

        HttpResponse<String> approved = browse(authorization);
        assertEquals(302, approved.statusCode(), approved.body());
        URI returned = URI.create(approved.headers().firstValue("Location").orElseThrow());
        assertEquals(
                InstallTestResource.PUBLIC_URL + "/install/woocommerce/returned",
                returned.toString().split("\\?")[0]);
        given().queryParams(query(returned))
                .get("/install/" + PLATFORM + "/returned")
                .then()
                .statusCode(200)
                .body("status", equalTo("approved"));

        // Registered with the site's keys, encrypted.
        StoreView store = registry.find(PLATFORM, storeId).orElseThrow();
        assertTrue(store.enabled());
        ApiCredentials.KeyAndSecret keys = (ApiCredentials.KeyAndSecret) site.credentials();
        ApiCredentials.KeyAndSecret registered = (ApiCredentials.KeyAndSecret)
                ApiCredentials.parse(store.apiCredentials().orElseThrow());
        assertEquals(keys.key(), registered.key());
        assertEquals(keys.secret(), registered.secret());
        String stored = storedCredentials(PLATFORM, storeId);
        assertTrue(stored.startsWith("v1:") && !stored.contains(keys.secret()), "encrypted at rest");

        // Subscribed, backfilled, checked.
        Set<String> topics = ingestTopics(site, PLATFORM);
        assertTrue(topics.containsAll(Set.of("order.created", "order.updated")), topics.toString());
        assertFalse(KafkaTestClients.rawRecordsUntil(
                        PLATFORM + "/" + storeId, records -> !records.isEmpty(), Duration.ofSeconds(60))
                .isEmpty());
        StoreKey key = new StoreKey(PLATFORM, storeId);
        Instant cursor = firstOrderCursor(key);
        JsonPath check = connection();
        assertTrue(check.getBoolean("ok"), check.prettify());

        // The merchant revokes the keys: the site answers 401 from now on. The next poll is refused; the
        // confirmation call a moment later too: the store is disabled, its keys deleted.
        site.uninstallApp();
        assertRevokedAndDisabled(store);

        // Orders change meanwhile; the merchant connects the site again: polled on from the kept cursor.
        site.step(20);
        assertEquals(302, browse(begin()).statusCode());
        StoreView reinstalled = registry.find(PLATFORM, storeId).orElseThrow();
        assertTrue(reinstalled.enabled());
        assertTrue(reinstalled.disabledReason().isEmpty());
        orderCursorPast(key, cursor);
        assertTrue(connection().getBoolean("ok"));
    }

    @Test
    void badUrlsForeignNoncesBadKeysAndReadOnlyKeysStoreNothing() throws Exception {
        for (String bad : new String[] {
            "http://" + storeId,
            "https://user:pw@" + storeId,
            "https://" + storeId + "/?x=1",
            "https://" + storeId + "/#f",
            "https://10.0.0.8/shop",
            "https://127.0.0.1/",
            "https://169.254.169.254/",
            "ftp://" + storeId,
            "not a url",
            ""
        }) {
            given().redirects()
                    .follow(false)
                    .queryParam("store_url", bad)
                    .get("/install/" + PLATFORM)
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_store"));
        }
        assertEquals(0L, states.pending(PLATFORM, storeId).orElseThrow());

        ApiCredentials.KeyAndSecret keys = (ApiCredentials.KeyAndSecret) site.credentials();
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("key_id", 1);
        delivery.put("user_id", "a-nonce-this-service-never-issued");
        delivery.put("consumer_key", keys.key());
        delivery.put("consumer_secret", keys.secret());
        delivery.put("key_permissions", "read_write");
        deliver(delivery).then().statusCode(400).body("error", equalTo("invalid_state"));

        // A nonce of ours, but keys that do not work at the site.
        String nonce = query(begin()).get("user_id");
        Map<String, Object> wrongKeys = new LinkedHashMap<>(delivery);
        wrongKeys.put("user_id", nonce);
        wrongKeys.put("consumer_key", "ck_forged");
        wrongKeys.put("consumer_secret", "cs_forged");
        deliver(wrongKeys).then().statusCode(403).body("error", equalTo("credentials_not_working"));
        // The nonce is used up by then.
        Map<String, Object> replay = new LinkedHashMap<>(delivery);
        replay.put("user_id", nonce);
        deliver(replay).then().statusCode(400).body("error", equalTo("invalid_state"));
        Map<String, Object> noKeys = new LinkedHashMap<>(delivery);
        noKeys.remove("consumer_secret");
        deliver(noKeys).then().statusCode(401).body("error", equalTo("invalid_callback"));
        assertFalse(registry.exists(PLATFORM, storeId), "nothing registered");

        // The merchant grants read-only keys: the delivery is refused, the site shows an error.
        site.appInstalls().grantOnly(Set.of("read"));
        assertEquals(400, browse(begin()).statusCode());
        assertFalse(registry.exists(PLATFORM, storeId), "nothing registered");
    }
}
