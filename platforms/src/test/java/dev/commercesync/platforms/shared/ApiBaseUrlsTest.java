package dev.commercesync.platforms.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.PlatformAdapter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The production rule for a store's api_base_url, and each platform's store id form. */
class ApiBaseUrlsTest {
    private static final PlatformRegistry PLATFORMS = PlatformRegistry.loadInstalled();

    private static Optional<String> prod(String platform, String url) {
        return ApiBaseUrls.problem(PLATFORMS.get(platform), url, false);
    }

    @ParameterizedTest
    @CsvSource({
        "shopify, https://acme.myshopify.com",
        "shopify, https://acme-2.myshopify.com/admin/api/2026-04",
        "bigcommerce, https://api.bigcommerce.com/stores/abc123",
        "woocommerce, https://shop.example.com/wp",
        "magento2, https://commerce.example.co.uk",
        "magento2, https://203.0.113.7:8443/rest",
    })
    void publicHttpsUrlsOfThePlatformsHostsAreAccepted(String platform, String url) {
        assertEquals(Optional.empty(), prod(platform, url));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://shop.example.com", // clear text
                "https://user:pass@shop.example.com", // userinfo
                "https://169.254.169.254/latest/meta-data", // cloud metadata
                "https://[fd00:ec2::254]/", // AWS IPv6 metadata (unique local)
                "https://[::ffff:169.254.169.254]/",
                "https://127.0.0.1:8443",
                "https://10.1.2.3",
                "https://192.168.0.10",
                "https://172.16.0.1",
                "https://100.64.0.1",
                "https://0.0.0.0",
                "https://[::1]/",
                "https://2852039166/", // 169.254.169.254 as one number
                "https://0xa9fea9fe/",
                "https://localhost:8443",
                "https://metadata.google.internal/",
                "https://printer.local/",
                "https://shop.example.com/?next=x",
                "ftp://shop.example.com",
                "not a url",
                "",
            })
    void privateInsecureOrOddUrlsAreRefusedInProduction(String url) {
        assertTrue(prod("woocommerce", url).isPresent(), url);
        assertTrue(prod("magento2", url).isPresent(), url);
    }

    @Test
    void shopifyAndBigCommerceOnlyTakeTheirOwnApiHosts() {
        assertTrue(prod("shopify", "https://shop.example.com").isPresent());
        assertTrue(prod("shopify", "https://myshopify.com.evil.example").isPresent());
        assertTrue(prod("bigcommerce", "https://api.bigcommerce.com.evil.example/stores/x")
                .isPresent());
        assertTrue(prod("bigcommerce", "https://store-abc.mybigcommerce.com").isPresent());
    }

    @Test
    void theDevFlagAllowsLocalHttpButNeverUserinfo() {
        PlatformAdapter shopify = PLATFORMS.get("shopify");
        assertEquals(Optional.empty(), ApiBaseUrls.problem(shopify, "http://127.0.0.1:40123/stores/shop-1", true));
        assertTrue(ApiBaseUrls.problem(shopify, "http://u:p@127.0.0.1:40123/", true)
                .isPresent());
        assertTrue(ApiBaseUrls.problem(shopify, "file:///etc/passwd", true).isPresent());
    }

    @Test
    void theDevFlagStillRefusesTheMetadataAddress() {
        PlatformAdapter woo = PLATFORMS.get("woocommerce");
        assertEquals(Optional.empty(), ApiBaseUrls.problem(woo, "http://localhost:8089/wp-json", true));
        assertEquals(Optional.empty(), ApiBaseUrls.problem(woo, "http://simulator:8089/", true));
        assertEquals(Optional.empty(), ApiBaseUrls.problem(woo, "http://172.18.0.5:8089/", true));
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data",
                "http://[fe80::1]/",
                "http://0.0.0.0/",
                "http://0xa9fea9fe/",
                "http://2852039166/",
                "http://u:p@127.0.0.1/")) {
            assertTrue(ApiBaseUrls.problem(woo, url, true).isPresent(), url);
        }
    }

    @Test
    void problemsNeverEchoTheUrl() {
        String url = "https://secret-token@169.254.169.254/";
        assertFalse(prod("magento2", url).orElseThrow().contains("secret-token"));
    }

    @Test
    void storeIdsHaveTheirPlatformsForm() {
        assertTrue(PLATFORMS.get("shopify").isValidStoreId("acme-2.myshopify.com"));
        assertFalse(PLATFORMS.get("shopify").isValidStoreId("acme.example.com"));
        assertTrue(PLATFORMS.get("bigcommerce").isValidStoreId("abc123xyz"));
        assertFalse(PLATFORMS.get("bigcommerce").isValidStoreId("x".repeat(65)));
        assertFalse(PLATFORMS.get("bigcommerce").isValidStoreId("a b"));
        assertTrue(PLATFORMS.get("woocommerce").isValidStoreId("shop.example.com/wp"));
        assertFalse(PLATFORMS.get("woocommerce").isValidStoreId("x".repeat(256)));
        assertFalse(PLATFORMS.get("woocommerce").isValidStoreId("shop.example.com\n"));
        assertTrue(PLATFORMS.get("magento2").isValidStoreId("fb58963f-d2e7-4ab4-83da-b6ff15b8ebc0"));
        assertFalse(PLATFORMS.get("magento2").isValidStoreId(""));
    }
}
