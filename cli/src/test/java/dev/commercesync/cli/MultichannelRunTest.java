package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.simulator.dialect.Dialects;
import org.junit.jupiter.api.Test;

class MultichannelRunTest {
    @Test
    void theSourceAndTheBufferedChannelFollowFromTheAdaptersDeclarations() {
        // Shopify: full inventory_levels webhooks, levels listed by updated-at, its SetInventoryLevel echo recognised.
        // The others: BigCommerce's and Adobe Commerce's levels are snapshots, WooCommerce's echo is not recognisable.
        assertEquals("shopify", MultichannelRun.sourcePlatform(PlatformRegistry.loadInstalled(), Dialects.names()));
        assertEquals("shopify", MultichannelRun.SOURCE_PLATFORM);
        assertEquals("woocommerce", MultichannelRun.BUFFERED_PLATFORM, "the last other channel by name");
    }

    @Test
    void everySimulatedPlatformMapsProductsOrLevelsSoEachIsAChannel() {
        // Amazon's adapter reads its listing quantities as inventory levels (searchListingsItems): a channel too.
        assertEquals(
                Dialects.names(), MultichannelRun.channelPlatforms(PlatformRegistry.loadInstalled(), Dialects.names()));
        assertEquals(
                MultichannelRun.CHANNEL_PLATFORMS,
                MultichannelRun.channelPlatforms(PlatformRegistry.loadInstalled(), Dialects.names()));
    }
}
