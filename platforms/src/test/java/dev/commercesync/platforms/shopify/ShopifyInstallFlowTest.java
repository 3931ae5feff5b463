package dev.commercesync.platforms.shopify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.InstallFlow.RejectedCallbackException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The callback signature and checks of Shopify's authorization-code grant, on Shopify's documented example. */
class ShopifyInstallFlowTest {
    private static final InstallFlow FLOW = new ShopifyAdapter().installFlow().orElseThrow();
    private static final InstallFlow.App APP = new InstallFlow.App("client-id", "hush");
    private static final Clock AT_EXAMPLE = Clock.fixed(Instant.ofEpochSecond(1337178173 + 30), ZoneOffset.UTC);

    /** The example of shopify.dev's "Verify a request" (secret "hush"). */
    private static Map<String, String> documentedCallback() {
        Map<String, String> query = new HashMap<>();
        query.put("code", "0907a61c0c8d55e99db179b68161bc00");
        query.put("shop", "some-shop.myshopify.com");
        query.put("state", "0.6784241404160823");
        query.put("timestamp", "1337178173");
        query.put("hmac", "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf");
        return query;
    }

    @Test
    void acceptsShopifysDocumentedExample() throws Exception {
        InstallFlow.Callback callback =
                FLOW.verifyCallback(documentedCallback(), APP, AT_EXAMPLE, Duration.ofMinutes(5));
        assertEquals("some-shop.myshopify.com", callback.storeId());
        assertEquals("0907a61c0c8d55e99db179b68161bc00", callback.code());
        assertEquals("0.6784241404160823", callback.state());
        assertEquals(
                documentedCallback().get("hmac"), ShopifyInstallFlow.sign(documentedCallback(), APP.clientSecret()));
    }

    @Test
    void refusesATamperedParameterAnotherSecretAnOldTimestampAndAMissingHmac() {
        Map<String, String> tampered = documentedCallback();
        tampered.put("shop", "other-shop.myshopify.com");
        assertThrows(
                RejectedCallbackException.class,
                () -> FLOW.verifyCallback(tampered, APP, AT_EXAMPLE, Duration.ofMinutes(5)));
        assertThrows(
                RejectedCallbackException.class,
                () -> FLOW.verifyCallback(
                        documentedCallback(),
                        new InstallFlow.App("client-id", "not-hush"),
                        AT_EXAMPLE,
                        Duration.ofMinutes(5)));
        Clock late = Clock.offset(AT_EXAMPLE, Duration.ofMinutes(10));
        assertThrows(
                RejectedCallbackException.class,
                () -> FLOW.verifyCallback(documentedCallback(), APP, late, Duration.ofMinutes(5)));
        Map<String, String> unsigned = documentedCallback();
        unsigned.remove("hmac");
        assertThrows(
                RejectedCallbackException.class,
                () -> FLOW.verifyCallback(unsigned, APP, AT_EXAMPLE, Duration.ofMinutes(5)));
    }

    @Test
    void authorizationUrlAsksForAnOfflineTokenAtTheShop() {
        URI url = FLOW.authorizationUrl(
                FLOW.storeBaseUrl("acme.myshopify.com"),
                APP,
                Set.of("write_orders", "read_customers"),
                URI.create("https://sync.example.com/install/x/callback"),
                "nonce-1");
        assertEquals("acme.myshopify.com", url.getHost());
        assertEquals("/admin/oauth/authorize", url.getPath());
        assertEquals(
                "client_id=client-id&scope=read_customers,write_orders"
                        + "&redirect_uri=https://sync.example.com/install/x/callback&state=nonce-1",
                url.getQuery());
        assertFalse(url.toString().contains("hush"), "the secret never goes to the browser");
        assertFalse(url.getQuery().contains("per-user"), "an offline token");
    }

    @Test
    void aWriteScopeCoversItsReadScope() {
        assertEquals(Set.of(), FLOW.missingScopes(Set.of("write_orders"), Set.of("read_orders", "write_orders")));
        assertEquals(Set.of("write_orders"), FLOW.missingScopes(Set.of("read_orders"), Set.of("write_orders")));
    }

    @Test
    void storeBaseUrlRefusesAnythingButAShopDomain() {
        for (String bad : new String[] {
            "evil.com", "acme.myshopify.com.evil.com", "ACME.myshopify.com", "acme.myshopify.com/x", "-a.myshopify.com"
        }) {
            assertThrows(IllegalArgumentException.class, () -> FLOW.storeBaseUrl(bad), bad);
        }
        assertTrue(FLOW.storeBaseUrl("acme-2.myshopify.com").toString().equals("https://acme-2.myshopify.com"));
    }
}
