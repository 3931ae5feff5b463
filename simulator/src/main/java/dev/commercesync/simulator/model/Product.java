package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.math.BigDecimal;
import java.time.Instant;

/** A product with one variant (one SKU, one price, stock at the store's one location). */
public record Product(
        String id,
        String variantId,
        String inventoryItemId,
        String title,
        String handle,
        String sku,
        String vendor,
        BigDecimal price,
        int stock,
        long version,
        Instant createdAt,
        Instant updatedAt)
        implements SimEntity {

    @Override
    public EntityType type() {
        return EntityType.PRODUCT;
    }

    /** The SKU the simulator gives the product {@code productId} (platforms that key stock by SKU need it). */
    public static String skuOf(String productId) {
        return "SKU-" + productId;
    }

    Product withStock(int newStock, Instant at) {
        return new Product(
                id,
                variantId,
                inventoryItemId,
                title,
                handle,
                sku,
                vendor,
                price,
                newStock,
                version + 1,
                createdAt,
                at);
    }

    Product withPriceAndTitle(BigDecimal newPrice, String newTitle, Instant at) {
        return new Product(
                id,
                variantId,
                inventoryItemId,
                newTitle,
                handle,
                sku,
                vendor,
                newPrice,
                stock,
                version + 1,
                createdAt,
                at);
    }
}
