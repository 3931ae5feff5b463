package dev.commercesync.ingest;

import static dev.commercesync.ingest.AdminInputTest.add;
import static dev.commercesync.ingest.AdminInputTest.refused;
import static dev.commercesync.ingest.AdminInputTest.shop;
import static dev.commercesync.ingest.AdminInputTest.store;

import dev.commercesync.testsupport.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With production's setting ({@code commercesync.admin.allow-insecure-api-urls=false}, the default outside the dev and
 * test profiles), a store's API URL must be https on a public host, and on the platform's own API host where it has
 * one: the poller sends the store's API credentials there.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@TestProfile(ProductionApiUrlsTest.Production.class)
class ProductionApiUrlsTest {

    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("commercesync.admin.allow-insecure-api-urls", "false");
        }
    }

    private static Map<String, Object> withUrl(Map<String, Object> body, String url) {
        body.put("api_base_url", url);
        return body;
    }

    @Test
    void metadataPrivateAndCleartextUrlsAreRefused() {
        refused(withUrl(store("woocommerce", "shop.example.com"), "http://169.254.169.254/latest/meta-data/"), "https");
        refused(withUrl(store("woocommerce", "shop.example.com"), "https://169.254.169.254/latest/"), "api_base_url");
        refused(withUrl(store("magento2", "provider-1"), "https://10.0.0.5/rest"), "api_base_url");
        refused(withUrl(store("magento2", "provider-2"), "https://localhost:8443/rest"), "api_base_url");
        refused(withUrl(store("shopify", shop()), "http://127.0.0.1:40123/stores/shop-1"), "api_base_url");
    }

    @Test
    void shopifyAndBigCommerceOnlyTheirApiHosts() {
        refused(withUrl(store("shopify", shop()), "https://shop.example.com"), "myshopify.com");
        refused(withUrl(store("bigcommerce", "abc123"), "https://abc123.example.com"), "api.bigcommerce.com");
    }

    @Test
    void realApiUrlsAreAccepted() {
        String shop = shop();
        add(withUrl(store("shopify", shop), "https://" + shop)).statusCode(201);
        add(withUrl(store("bigcommerce", "h" + shop.substring(1, 9)), "https://api.bigcommerce.com/stores/x"))
                .statusCode(201);
        add(withUrl(store("woocommerce", "w" + shop.substring(1, 9) + ".example.com"), "https://shop.example.com/wp"))
                .statusCode(201);
    }
}
