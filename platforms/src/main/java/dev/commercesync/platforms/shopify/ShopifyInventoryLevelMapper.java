package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.InventoryLevel;
import java.util.List;
import java.util.Set;

/** Shopify inventory level (inventory_levels/update|connect) → InventoryLevel with id {@code <item>@<location>}. */
final class ShopifyInventoryLevelMapper implements EntityMapper {
    static final String VERSION = "shopify/inventory_levels@1";

    private static final Set<String> MAPPED = Set.of("inventory_item_id", "location_id", "available", "updated_at");

    @Override
    public EntityType entityType() {
        return EntityType.INVENTORY_LEVEL;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public List<String> apiVersionsRead() {
        return ShopifyAdapter.MAPPINGS_READ;
    }

    static String levelId(PayloadObject level) throws MappingException {
        return level.requiredId("inventory_item_id") + "@" + level.requiredId("location_id");
    }

    @Override
    public InventoryLevel map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject level = PayloadObject.root(payload);
        return InventoryLevel.newBuilder()
                .setId(levelId(level))
                .setInventoryItemId(level.requiredId("inventory_item_id"))
                .setProductId(null)
                .setVariantId(null)
                .setSku(null)
                .setLocationId(level.requiredId("location_id"))
                // available: null means Shopify does not track this item's stock; kept as null, not 0.
                .setAvailable(level.wholeNumber("available").orElse(null))
                .setReserved(null)
                .setOnHand(null)
                .setTracked(level.has("available") ? Boolean.TRUE : null)
                .setUpdatedAt(level.instant("updated_at").orElse(null))
                .setPlatformFields(level.unmappedFields(MAPPED))
                .build();
    }
}
