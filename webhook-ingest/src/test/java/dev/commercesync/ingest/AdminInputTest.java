package dev.commercesync.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.commercesync.testsupport.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The admin API refuses what should never be registered, with a 400 naming the field and never echoing a secret. (The
 * test profile allows local http API URLs, as local runs need; {@link ProductionApiUrlsTest} checks production's rule.)
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class AdminInputTest {
    static final String ADMIN = "Bearer test-admin-token";
    static final String SECRET = "a-secret-never-echoed-0123";

    static Map<String, Object> store(String platform, String storeId) {
        Map<String, Object> body = new HashMap<>();
        body.put("platform", platform);
        body.put("store_id", storeId);
        body.put("webhook_secret", SECRET);
        return body;
    }

    static ValidatableResponse add(Map<String, Object> body) {
        return given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(body)
                .post("/admin/stores")
                .then();
    }

    static String shop() {
        return "a" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
    }

    static void refused(Map<String, Object> body, String field) {
        add(body)
                .statusCode(400)
                .body("error", equalTo("invalid_store"))
                .body("message", containsString(field))
                .body(not(containsString(SECRET)));
    }

    @Test
    void storeIdsMustHaveThePlatformsForm() {
        refused(store("shopify", "acme.example.com"), "store_id");
        refused(store("bigcommerce", "x".repeat(5000)), "store_id");
        refused(store("woocommerce", "shop.example.com\nSet-Cookie: x"), "store_id");
    }

    @Test
    void secretsHaveBoundedLengths() {
        Map<String, Object> shortSecret = store("shopify", shop());
        shortSecret.put("webhook_secret", "short");
        refused(shortSecret, "webhook_secret");
        Map<String, Object> longSecret = store("shopify", shop());
        longSecret.put("webhook_secret", "x".repeat(8193));
        refused(longSecret, "webhook_secret");
        Map<String, Object> badCredentials = store("shopify", shop());
        badCredentials.put("api_credentials", "{\"nothing\": \"" + SECRET + "\"}");
        refused(badCredentials, "api_credentials");
    }

    @Test
    void userinfoInTheApiUrlIsRefusedEvenInDev() {
        Map<String, Object> body = store("woocommerce", "shop.example.com");
        body.put("api_base_url", "http://user:" + SECRET + "@127.0.0.1:9/");
        refused(body, "api_base_url");
    }

    @Test
    void localRunsMayRegisterSimulatedStoresOnLoopbackHttp() {
        Map<String, Object> body = store("shopify", shop());
        body.put("api_base_url", "http://127.0.0.1:40123/stores/shop-1");
        add(body).statusCode(201);
    }

    @Test
    void theGracePeriodIsAtMostThirtyDays() {
        String shop = shop();
        add(store("shopify", shop)).statusCode(201);
        for (String grace : new String[] {"PT876000H", "P31D", "-PT1H"}) {
            given().header("Authorization", ADMIN)
                    .contentType("application/json")
                    .body(Map.of("store_id", shop, "webhook_secret", "next-secret-0123456789", "grace_period", grace))
                    .post("/admin/stores/shopify/secret-rotations")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_rotation"))
                    .body("message", containsString("grace_period"));
        }
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop, "webhook_secret", "next-secret-0123456789", "grace_period", "P30D"))
                .post("/admin/stores/shopify/secret-rotations")
                .then()
                .statusCode(200);
    }
}
