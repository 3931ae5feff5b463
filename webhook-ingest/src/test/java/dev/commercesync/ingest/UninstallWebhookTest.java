package dev.commercesync.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.ingest.SignedDeliveries.Delivery;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's uninstall notice (Shopify's {@code app/uninstalled}) on the real stack: signature verified like every
 * webhook, then the store is disabled with reason "uninstalled" and its API credentials are deleted from the registry.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class UninstallWebhookTest {
    private static final String ADMIN = "Bearer test-admin-token";
    private static final String APP_SECRET = "app-client-secret-0123456789";

    private String shop;

    @BeforeEach
    void installedStore() {
        shop = "u" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of(
                        "platform",
                        "shopify",
                        "store_id",
                        shop,
                        "webhook_secret",
                        APP_SECRET,
                        "api_credentials",
                        "shpat_token-of-" + shop))
                .post("/admin/stores")
                .then()
                .statusCode(201);
    }

    private Delivery uninstall(String secret) {
        byte[] body = ("{\"id\": 548380009, \"name\": \"Shop\", \"domain\": \"" + shop + "\", \"myshopify_domain\": \""
                        + shop + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return SignedDeliveries.shopify(
                shop, "app/uninstalled", body, secret, UUID.randomUUID().toString());
    }

    @Test
    void uninstallDisablesTheStoreAndDeletesItsCredentialsRedeliveryIsAcceptedLaterWebhooksAreRefused()
            throws Exception {
        WebhookIngestTest.post("shopify", uninstall(APP_SECRET)).statusCode(200).body("status", equalTo("uninstalled"));

        JsonPath summary = summary();
        assertFalse(summary.getBoolean("enabled"));
        assertEquals("uninstalled", summary.getString("disabled_reason"));
        assertFalse(summary.getBoolean("has_api_credentials"));
        assertNull(storedCredentials(), "the credentials are deleted, not flagged");

        // Shopify redelivers until it gets a 2xx: a second notice for the disabled store is accepted too.
        WebhookIngestTest.post("shopify", uninstall(APP_SECRET)).statusCode(200);
        // Other deliveries for the uninstalled store are refused like any disabled store's.
        WebhookIngestTest.post(
                        "shopify",
                        SignedDeliveries.shopify(
                                shop,
                                "orders/create",
                                SignedDeliveries.fixture("shopify/orders_create.json"),
                                APP_SECRET,
                                "e1"))
                .statusCode(401);
    }

    @Test
    void anUnsignedOrWronglySignedNoticeChangesNothing() throws Exception {
        WebhookIngestTest.post("shopify", uninstall("not-the-app-secret-0123"))
                .statusCode(401)
                .body("error", equalTo("unauthenticated"));
        Delivery unsigned = uninstall(APP_SECRET);
        unsigned.headers().remove("X-Shopify-Hmac-Sha256");
        WebhookIngestTest.post("shopify", unsigned).statusCode(401);

        JsonPath summary = summary();
        assertTrue(summary.getBoolean("enabled"));
        assertNull(summary.getString("disabled_reason"));
        assertTrue(summary.getBoolean("has_api_credentials"));
        assertTrue(storedCredentials().startsWith("v1:"), "still there, encrypted");
    }

    private JsonPath summary() {
        return given().header("Authorization", ADMIN)
                .get("/admin/stores")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .setRootPath("find { it.store_id == '" + shop + "' }");
    }

    private String storedCredentials() throws Exception {
        var stack = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
                var st = c.prepareStatement("select api_credentials from stores.store where store_id = ?")) {
            st.setString(1, shop);
            ResultSet rs = st.executeQuery();
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
