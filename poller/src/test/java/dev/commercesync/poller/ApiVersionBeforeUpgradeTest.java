package dev.commercesync.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.poller.polling.IncrementalPoller;
import dev.commercesync.stores.StoreRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Before the upgrade: a Shopify store configured on 2026-01, the older supported version, is called on it, and its
 * status shows the version, its coming sunset and the deprecation notices Shopify sent. {@link
 * ApiVersionAfterUpgradeTest} is the same store after the setting changed to 2026-04 and the poller restarted.
 */
@QuarkusTest
@WithTestResource(value = ApiVersionTestResource.class, initArgs = @ResourceArg(name = "version", value = "2026-01"))
class ApiVersionBeforeUpgradeTest {
    @Inject
    StoreRegistry stores;

    @Inject
    IncrementalPoller poller;

    @Inject
    StoreSettings settings;

    @Test
    void aStoreOnAnOlderVersionIsCalledOnItAndShowsItsDeprecations() throws Exception {
        ApiVersionUpgrade.Observed observed = ApiVersionUpgrade.pollOrders(stores, poller);

        assertTrue(
                observed.paths().stream().allMatch(p -> p.startsWith("/admin/api/2026-01/")),
                "every call on the configured version: " + observed.paths());
        assertEquals(Set.of("2026-01"), observed.rawApiVersions(), "the raw records name the version read");
        Map<String, Object> api = observed.api();
        assertEquals("2026-01", api.get("version"));
        assertEquals(List.of("2026-01", "2026-04"), api.get("supported"));
        assertEquals("2027-01-01", api.get("sunset"));
        // Within the 90 days before the sunset (or after it) the status warns, naming the version to upgrade to.
        assertNotNull(api.get("warning"), "2026-01's sunset is near: " + api);
        assertTrue(
                api.get("warning").toString().contains("upgrade to 2026-04"),
                api.get("warning").toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> deprecations = (List<Map<String, Object>>) api.get("deprecations");
        assertFalse(deprecations.isEmpty(), "Shopify's X-Shopify-API-Deprecated-Reason notices: " + api);
        for (Map<String, Object> notice : deprecations) {
            assertTrue(notice.get("reason").toString().contains("2026-01 is deprecated"), notice.toString());
            // The request's whole path: the store's base URL path (the simulator's /stores/<key>) and the API's.
            assertTrue(
                    notice.get("path").toString().endsWith(".json")
                            && notice.get("path").toString().contains("/admin/api/2026-01/"),
                    notice.toString());
            assertNotNull(notice.get("seen_at"), notice.toString());
        }
    }

    @Test
    void otherStoresCallTheAdaptersDefault() {
        assertEquals(
                "2026-04",
                settings.apiVersion(new StoreKey("shopify", "other.myshopify.com"))
                        .name());
        assertEquals(
                "2026-01",
                settings.apiVersion(new StoreKey("shopify", ApiVersionTestResource.STORE_ID))
                        .name());
    }
}
