package dev.commercesync.platforms.magento2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.InstallFlow.RejectedCallbackException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The forms of an Adobe Commerce integration's activation and pasted values, the store id and the REST root. */
class Magento2InstallFlowTest {
    private final InstallFlow flow = new Magento2Adapter().installFlow().orElseThrow();
    private final InstallFlow.App app = new InstallFlow.App("id", "secret");

    private InstallFlow.Callback verify(Map<String, String> body) throws RejectedCallbackException {
        return flow.verifyCallback(body, app, Clock.systemUTC(), Duration.ofMinutes(5));
    }

    @Test
    void theActivationNamesTheStoreByItsSiteAndCarriesTheVerifier() throws Exception {
        InstallFlow.Callback callback = verify(Map.of(
                "oauth_consumer_key", "ck",
                "oauth_consumer_secret", "cs",
                "store_base_url", "https://Shop.Example.com/",
                "oauth_verifier", "v"));
        assertEquals("shop.example.com", callback.storeId());
        assertEquals("v", callback.code());
        assertNull(callback.state(), "Adobe Commerce carries no state of ours");
        assertEquals("ck", callback.echo().get("oauth_consumer_key"));
        assertFalse(flow.callbackCarriesState());
        assertFalse(flow.redirectsToAuthorize());
        assertFalse(flow.revocationNotified());
        assertEquals(URI.create("https://shop.example.com/rest"), flow.storeBaseUrl("shop.example.com"));
        assertEquals(
                URI.create("https://example.com/shop/rest"),
                flow.storeBaseUrl(flow.storeIdOf("https://example.com/shop/")));
    }

    @Test
    void theOAuthEndpointsAreAtTheSiteRootOfTheRestRoot() {
        assertEquals(
                "https://shop.example.com", Magento2InstallFlow.siteRoot(URI.create("https://shop.example.com/rest")));
        assertEquals(
                "https://example.com/shop",
                Magento2InstallFlow.siteRoot(URI.create("https://example.com/shop/rest/default/")));
        assertEquals(
                "http://127.0.0.1:8090/stores/m1",
                Magento2InstallFlow.siteRoot(URI.create("http://127.0.0.1:8090/stores/m1")));
    }

    @Test
    void pastedValuesAreTheTokenAloneOrAllFour() throws Exception {
        Map<String, String> token =
                new HashMap<>(Map.of("store_base_url", "https://shop.example.com", "access_token", "t"));
        InstallFlow.Callback bearer = verify(token);
        assertNull(bearer.code());
        assertEquals(Map.of("access_token", "t"), bearer.echo());

        Map<String, String> four = new HashMap<>(token);
        four.putAll(Map.of("consumer_key", "ck", "consumer_secret", "cs", "access_token_secret", "ts"));
        assertEquals(4, verify(four).echo().size());

        Map<String, String> some = new HashMap<>(token);
        some.put("consumer_key", "ck");
        assertThrows(RejectedCallbackException.class, () -> verify(some));
        assertThrows(
                RejectedCallbackException.class, () -> verify(Map.of("store_base_url", "https://shop.example.com")));
    }

    @Test
    void storeUrlsThatAreNoHttpsSiteAreRefused() {
        for (String bad : new String[] {
            "http://shop.example.com", "https://u:p@shop.example.com", "https://shop.example.com/?a=1", "", "x"
        }) {
            assertThrows(
                    RejectedCallbackException.class,
                    () -> verify(Map.of("store_base_url", bad, "access_token", "t")),
                    bad);
        }
    }

    @Test
    void theMissingScopesAreTheAclResourcesNotReadable() {
        assertEquals(
                Set.of("Magento_Customer::customer", "Magento_Sales::actions_view"),
                flow.missingScopes(Set.of("Magento_Catalog::products"), flow.defaultScopes()));
        assertEquals(Set.of(), flow.missingScopes(flow.defaultScopes(), flow.defaultScopes()));
    }
}
