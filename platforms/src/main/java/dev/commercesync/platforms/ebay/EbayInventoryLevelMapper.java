package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.InventoryLevel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The quantity of one inventory item ({@code GET /sell/inventory/v1/inventory_item/{sku}}, one of {@code
 * getInventoryItems}' {@code inventoryItems}): the level of an eBay seller's SKU is {@code
 * availability.shipToLocationAvailability.quantity}, the quantity eBay offers for sale across the seller's listings of
 * the SKU (eBay spreads it over the offers). Canonical id: the SKU (eBay's key of inventory items), no location:
 * {@code availabilityDistributions} per merchant location and {@code pickupAtLocationAvailability} stay in
 * platform_fields. The Inventory API reports no updated-at: the read versions the level ({@code EventKeys.readAt}).
 */
final class EbayInventoryLevelMapper implements EntityMapper {
    static final String VERSION = "ebay/inventory_items@1";

    private static final Set<String> MAPPED = Set.of("sku", "availability");

    @Override
    public EntityType entityType() {
        return EntityType.INVENTORY_LEVEL;
    }

    @Override
    public List<String> apiVersionsRead() {
        return EbayAdapter.MAPPINGS_READ;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public InventoryLevel map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject item = PayloadObject.root(payload);
        Map<String, String> platformFields = new TreeMap<>(item.unmappedFields(MAPPED));
        Long quantity = null;
        Optional<PayloadObject> availability = item.object("availability");
        if (availability.isPresent()) {
            availability
                    .get()
                    .unmappedFields(Set.of("shipToLocationAvailability"))
                    .forEach((k, v) -> platformFields.put("availability." + k, v));
            Optional<PayloadObject> shipTo = availability.get().object("shipToLocationAvailability");
            if (shipTo.isPresent()) {
                quantity = shipTo.get().wholeNumber("quantity").orElse(null);
                shipTo.get()
                        .unmappedFields(Set.of("quantity"))
                        .forEach((k, v) -> platformFields.put("availability.shipToLocationAvailability." + k, v));
            }
        }
        String sku = item.requiredText("sku");
        return InventoryLevel.newBuilder()
                .setId(sku)
                .setSku(sku)
                .setAvailable(quantity)
                .setPlatformFields(platformFields)
                .build();
    }
}
