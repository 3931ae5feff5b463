package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.cli.chaos.ChaosRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
    private static final DemoRun.Options ALL = new DemoRun.Options(
            Duration.ofSeconds(20), 15, "default", 7, Duration.ofMinutes(4), Duration.ofSeconds(5), Map.of("a", "b"));

    @Test
    void aDemoHasAStoreOfEveryPlatformUnlessToldOtherwise() {
        assertEquals(DemoRun.PLATFORMS, ALL.platforms());
    }

    @Test
    void choosingPlatformsKeepsEverythingElse() {
        DemoRun.Options some = ALL.withPlatforms(List.of("shopify", "woocommerce"));
        assertEquals(List.of("shopify", "woocommerce"), some.platforms());
        assertEquals(ALL, some.withPlatforms(ALL.platforms()));
    }

    @Test
    void anUnknownOrNoPlatformIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ALL.withPlatforms(List.of("shopfy")));
        assertTrue(
                e.getMessage().contains("unknown platform 'shopfy'")
                        && e.getMessage().contains("shopify"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ALL.withPlatforms(List.of()));
    }

    @Test
    void theChaosSuitesDefaultStoresAreKnownPlatforms() {
        assertEquals(
                ChaosRun.Options.DEFAULT_PLATFORMS,
                ALL.withPlatforms(ChaosRun.Options.DEFAULT_PLATFORMS).platforms());
    }

    @Test
    void theChaosSuitesDefaultStoresAreThoseThatPushWebhooks() {
        // the polled marketplaces (no webhooks from their simulated stores) are left out, the cart platforms kept
        assertEquals(List.of("bigcommerce", "magento2", "shopify", "woocommerce"), ChaosRun.Options.DEFAULT_PLATFORMS);
    }
}
