package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;

/**
 * Stock of one product's variant (its SKU) at the store's location; id {@code <inventory_item_id>@<location_id>}.
 */
public record InventoryLevel(
        String inventoryItemId,
        String locationId,
        String productId,
        String variantId,
        String sku,
        int available,
        long version,
        Instant createdAt,
        Instant updatedAt)
        implements SimEntity {

    @Override
    public EntityType type() {
        return EntityType.INVENTORY_LEVEL;
    }

    @Override
    public String id() {
        return inventoryItemId + "@" + locationId;
    }

    InventoryLevel withAvailable(int newAvailable, Instant at) {
        return new InventoryLevel(
                inventoryItemId, locationId, productId, variantId, sku, newAvailable, version + 1, createdAt, at);
    }
}
