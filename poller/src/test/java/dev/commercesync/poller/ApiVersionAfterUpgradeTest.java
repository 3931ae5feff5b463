package dev.commercesync.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * After the upgrade ({@link ApiVersionBeforeUpgradeTest} is before): the store's setting says 2026-04 and the poller
 * was restarted with it; the store is called on 2026-04 only, without deprecation notices or sunset warning.
 */
@QuarkusTest
@WithTestResource(value = ApiVersionTestResource.class, initArgs = @ResourceArg(name = "version", value = "2026-04"))
class ApiVersionAfterUpgradeTest {
    @Inject
    StoreRegistry stores;

    @Inject
    IncrementalPoller poller;

    @Test
    void theUpgradedStoreIsCalledOnTheNewVersionWithoutDeprecations() throws Exception {
        ApiVersionUpgrade.Observed observed = ApiVersionUpgrade.pollOrders(stores, poller);

        assertTrue(
                observed.paths().stream().allMatch(p -> p.startsWith("/admin/api/2026-04/")),
                "every call on the new version: " + observed.paths());
        assertEquals(Set.of("2026-04"), observed.rawApiVersions(), "the raw records name the version read");
        Map<String, Object> api = observed.api();
        assertEquals("2026-04", api.get("version"));
        assertEquals("2027-04-01", api.get("sunset"));
        assertNull(api.get("warning"), api.toString());
        assertEquals(List.of(), api.get("deprecations"));
    }
}
