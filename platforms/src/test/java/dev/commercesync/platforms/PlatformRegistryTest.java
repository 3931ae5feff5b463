package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.shopify.ShopifyAdapter;
import dev.commercesync.platforms.woocommerce.WooCommerceAdapter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformRegistryTest {

    @Test
    void anUnknownPlatformFailsWithTheKnownNames() {
        PlatformRegistry registry = new PlatformRegistry(List.of(new ShopifyAdapter(), new WooCommerceAdapter()));
        UnknownPlatformException e = assertThrows(UnknownPlatformException.class, () -> registry.get("nope"));
        assertEquals("nope", e.platform());
        assertEquals(List.of("shopify", "woocommerce"), e.knownPlatforms());
        assertTrue(e.getMessage().contains("shopify, woocommerce"), e.getMessage());
    }

    @Test
    void twoAdaptersWithOneNameFailConstruction() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> new PlatformRegistry(List.of(new ShopifyAdapter(), new ShopifyAdapter())));
        assertTrue(e.getMessage().contains("'shopify'"), e.getMessage());
    }

    @Test
    void theInstalledAdaptersIncludeShopifyAndWooCommerce() {
        List<String> names = PlatformRegistry.loadInstalled().names();
        assertTrue(names.containsAll(List.of("shopify", "woocommerce")), names.toString());
    }

    @Test
    void anEnvelopeOfAnUnknownPlatformIsQuarantinedNotThrown() {
        var envelope = dev.commercesync.schemas.envelope.RawEnvelope.newBuilder()
                .setEnvelopeId("e1")
                .setPlatform("nope")
                .setStore("s")
                .setEventType("x")
                .setSource(dev.commercesync.schemas.canonical.EventSource.WEBHOOK)
                .setBody(java.nio.ByteBuffer.wrap(new byte[] {'{', '}'}))
                .setReceivedAt(java.time.Instant.EPOCH)
                .build();
        NormalizationOutcome outcome = new Normalization(PlatformRegistry.loadInstalled()).normalize(envelope);
        assertEquals(
                dev.commercesync.schemas.envelope.QuarantineErrorClass.UNKNOWN_PLATFORM,
                ((NormalizationOutcome.Failed) outcome).errorClass());
    }
}
