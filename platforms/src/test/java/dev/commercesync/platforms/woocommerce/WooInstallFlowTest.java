package dev.commercesync.platforms.woocommerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.InstallFlow.RejectedCallbackException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** WooCommerce's key generation: the site URL the merchant gives, the authorize URL and the POSTed keys. */
class WooInstallFlowTest {
    private static final InstallFlow FLOW =
            new WooCommerceAdapter().installFlow().orElseThrow();
    private static final InstallFlow.App APP = new InstallFlow.App("commerce-sync", "webhook-secret");

    @Test
    void aSiteUrlIsItsHostAndPathAndNothingElse() {
        assertEquals("shop.example.com", FLOW.storeIdOf("https://Shop.Example.com/"));
        assertEquals("example.com/shop", FLOW.storeIdOf("https://example.com/shop"));
        assertEquals("example.com:8443", FLOW.storeIdOf("https://example.com:8443"));
        assertEquals(URI.create("https://example.com/shop"), FLOW.storeBaseUrl("example.com/shop"));
        for (String bad : new String[] {
            "http://example.com",
            "https://user:pw@example.com",
            "https://example.com/?a=b",
            "https://example.com/#x",
            "https://example.com/a/../b",
            "example.com",
            "javascript:alert(1)",
            "not a url",
            ""
        }) {
            assertThrows(IllegalArgumentException.class, () -> FLOW.storeIdOf(bad), bad);
        }
    }

    @Test
    void theAuthorizeUrlAsksForReadWriteWithTheNonceAsUserId() {
        URI url = FLOW.authorizationUrl(
                URI.create("https://shop.example.com"),
                APP,
                FLOW.defaultScopes(),
                URI.create("https://sync.example.com/install/woocommerce/callback"),
                "nonce-123");
        assertEquals(
                "https://shop.example.com/wc-auth/v1/authorize?app_name=commerce-sync&scope=read_write"
                        + "&user_id=nonce-123"
                        + "&return_url=https%3A%2F%2Fsync.example.com%2Finstall%2Fwoocommerce%2Freturned"
                        + "&callback_url=https%3A%2F%2Fsync.example.com%2Finstall%2Fwoocommerce%2Fcallback",
                url.toString());
        assertFalse(url.toString().contains(APP.clientSecret()));
    }

    private static Map<String, String> delivery() {
        Map<String, String> body = new HashMap<>();
        body.put("key_id", "1");
        body.put("user_id", "nonce-123");
        body.put("consumer_key", "ck_0123");
        body.put("consumer_secret", "cs_4567");
        body.put("key_permissions", "read_write");
        return body;
    }

    @Test
    void theDeliveredKeysAreTheGrantAndTheNonceNamesTheStore() throws Exception {
        InstallFlow.Callback callback = FLOW.verifyCallback(delivery(), APP, Clock.systemUTC(), Duration.ofMinutes(5));
        assertNull(callback.storeId());
        assertEquals("nonce-123", callback.state());
        assertFalse(FLOW.callbackNamesStore());
        assertFalse(FLOW.revocationNotified());
        assertFalse(callback.toString().contains("cs_4567"));
        InstallFlow.Grant grant = FLOW.exchangeCode(
                URI.create("https://shop.example.com"), APP, callback, URI.create("https://x/cb"), Duration.ZERO);
        assertEquals(new ApiCredentials.KeyAndSecret("ck_0123", "cs_4567"), grant.credentials());
        assertEquals(Set.of(), FLOW.missingScopes(grant.scopes(), FLOW.defaultScopes()));
        assertEquals(Set.of("read_write"), FLOW.missingScopes(Set.of("read"), FLOW.defaultScopes()));
        for (String field : new String[] {"user_id", "consumer_key", "consumer_secret", "key_permissions"}) {
            Map<String, String> missing = delivery();
            missing.remove(field);
            assertThrows(
                    RejectedCallbackException.class,
                    () -> FLOW.verifyCallback(missing, APP, Clock.systemUTC(), Duration.ofMinutes(5)),
                    field);
        }
        assertTrue(FLOW.uninstallTopic().isEmpty());
    }
}
