package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.platforms.bigcommerce.BigCommerceAdapter;
import dev.commercesync.platforms.magento2.Magento2Adapter;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shopify.ShopifyAdapter;
import dev.commercesync.schemas.canonical.Shipment;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The markers writers leave (CommandWrites.reference) and adapters read back from mapped entities (echo recognition). */
class CommandMarkerTest {

    @Test
    void aReferenceIsFoundAgainInFreeTextAndInJsonEncodedFields() {
        String id = "6f1c2f0e-8a4e-4c55-9a57-2e0d1b7c1e10";
        assertEquals(Optional.of(id), CommandWrites.referencedCommandId(CommandWrites.reference(id)));
        assertEquals(
                Optional.of(id),
                CommandWrites.referencedCommandId("Shipped with UPS. Reference: " + CommandWrites.reference(id)));
        assertEquals(
                Optional.of(id),
                CommandWrites.referencedCommandId(
                        Json.encode(Json.MAPPER.valueToTree(Map.of("comment", CommandWrites.reference(id))))));
        assertEquals(Optional.empty(), CommandWrites.referencedCommandId("Ready to go..."));
        assertEquals(Optional.empty(), CommandWrites.referencedCommandId(null));
    }

    @Test
    void bigCommerceAndAdobeCommerceShipmentsCarryTheirWritersMarker() {
        Shipment ours =
                shipment(Map.of("comments", Json.encode(Json.MAPPER.valueToTree(CommandWrites.reference("c-1")))));
        Shipment adobe = shipment(Map.of(
                "comments", "[{\"comment\":\"packed\"},{\"comment\":\"" + CommandWrites.reference("c-2") + "\"}]"));
        Shipment merchants = shipment(Map.of("comments", "\"Ready to go...\""));
        assertEquals(Optional.of("c-1"), new BigCommerceAdapter().commandMarker(ours));
        assertEquals(Optional.of("c-2"), new Magento2Adapter().commandMarker(adobe));
        assertEquals(Optional.empty(), new BigCommerceAdapter().commandMarker(merchants));
        assertEquals(Optional.empty(), new ShopifyAdapter().commandMarker(ours), "Shopify's payloads echo no marker");
    }

    private static Shipment shipment(Map<String, String> platformFields) {
        return Shipment.newBuilder()
                .setId("11")
                .setOrderId("218")
                .setPlatformFields(platformFields)
                .build();
    }
}
