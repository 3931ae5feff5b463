package dev.commercesync.ingest;

import static dev.commercesync.ingest.AdminInputTest.SECRET;
import static dev.commercesync.ingest.AdminInputTest.shop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.ingest.admin.StoreAdminResource;
import dev.commercesync.ingest.admin.StoreAdminResource.NewStore;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.testsupport.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With production's setting ({@code commercesync.admin.allow-insecure-api-urls=false}, the default outside the dev and
 * test profiles), a store's API URL must be https on a public host, and on the platform's own API host where it has
 * one: the poller sends the store's API credentials there.
 *
 * <p>The setting is read only by {@link StoreAdminResource}'s constructor, so the test builds the admin resource with
 * production's value from this application's store registry (the real PostgreSQL), lookup and platforms; the HTTP
 * side of the same {@code add} (token, JSON) is {@link AdminInputTest}'s.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class ProductionApiUrlsTest {

    @Inject
    StoreRegistry registry;

    @Inject
    StoreLookup lookup;

    @Inject
    PlatformRegistry platforms;

    private StoreAdminResource production;

    @BeforeEach
    void productionSetting() {
        production = new StoreAdminResource(registry, lookup, platforms, false);
    }

    private Response add(String platform, String storeId, String url) {
        return production.add(new NewStore(platform, storeId, null, url, SECRET, null));
    }

    private void refused(String platform, String storeId, String url, String field) {
        Response response = add(platform, storeId, url);
        assertEquals(400, response.getStatus(), url);
        ErrorAnswer answer = (ErrorAnswer) response.getEntity();
        assertEquals("invalid_store", answer.error(), url);
        assertTrue(answer.message().contains(field), url + ": " + answer.message());
        assertFalse(answer.message().contains(SECRET), url);
    }

    private void accepted(String platform, String storeId, String url) {
        assertEquals(201, add(platform, storeId, url).getStatus(), url);
    }

    @Test
    void metadataPrivateAndCleartextUrlsAreRefused() {
        refused("woocommerce", "shop.example.com", "http://169.254.169.254/latest/meta-data/", "https");
        refused("woocommerce", "shop.example.com", "https://169.254.169.254/latest/", "api_base_url");
        refused("magento2", "provider-1", "https://10.0.0.5/rest", "api_base_url");
        refused("magento2", "provider-2", "https://localhost:8443/rest", "api_base_url");
        refused("shopify", shop(), "http://127.0.0.1:40123/stores/shop-1", "api_base_url");
    }

    @Test
    void shopifyAndBigCommerceOnlyTheirApiHosts() {
        refused("shopify", shop(), "https://shop.example.com", "myshopify.com");
        refused("bigcommerce", "abc123", "https://abc123.example.com", "api.bigcommerce.com");
    }

    @Test
    void realApiUrlsAreAccepted() {
        String shop = shop();
        accepted("shopify", shop, "https://" + shop);
        accepted("bigcommerce", "h" + shop.substring(1, 9), "https://api.bigcommerce.com/stores/x");
        accepted("woocommerce", "w" + shop.substring(1, 9) + ".example.com", "https://shop.example.com/wp");
    }
}
