package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.InventoryLevel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stock of one variant at one inventory location: one item of the Inventory API's "Get inventory at a location"
 * ({@code GET /v3/inventory/locations/{location_id}/items?variant_id:in=…}), whose items are {@code {identity: {sku,
 * variant_id, product_id}, available_to_sell, total_inventory_onhand, settings}}.
 *
 * <p>Why this endpoint: BigCommerce keeps stock per variant and location (multi-location inventory); the v3 catalog's
 * {@code inventory_level} is a single number (the default location, or the sum across locations when the store has
 * aggregated stock), so it cannot be a per-location level. The Inventory API answers exactly one (variant, location)
 * pair. Its items do not name the location they were asked for, so {@link BigCommerceApiClient} adds it as {@value
 * #LOCATION_ANNOTATION}.
 *
 * <p>Canonical id: {@code <variant_id>@<location_id>} (the Inventory API's own key; product-level stock lives on the
 * product's base variant, so it has a variant id too). {@code available} is {@code available_to_sell} (on hand minus
 * safety stock), {@code on_hand} is {@code total_inventory_onhand}; {@code settings} (safety stock, warning level, bin
 * picking number, is_in_stock) and identity fields without a canonical home stay in platform_fields ({@code
 * identity.<field>}). The API reports no updated-at.
 *
 * <p>Webhooks name no location: BigCommerce's inventory webhooks ({@code store/sku/inventory/*}, {@code
 * store/product/inventory/*}) carry only product/variant ids and a delta or value, so they are read as a change at the
 * store's default location, id {@value #DEFAULT_LOCATION_ID} (the location the storefront sells from by default;
 * other locations are reached by polling or reconciliation with their canonical ids). A product-level
 * webhook names only the product; it is fetched as {@code product:<product_id>@<location_id>} ({@link
 * #productLevelRequestId}), and the level it returns carries its canonical (base variant) id.
 */
final class BigCommerceInventoryLevelMapper implements EntityMapper {
    static final String VERSION = "bigcommerce/inventory_levels@1";

    /** Field the API client adds to an item: the location it was read at. Never sent by BigCommerce. */
    static final String LOCATION_ANNOTATION = "x_commercesync_location_id";

    /** BigCommerce's default inventory location ("BC-LOCATION-1"), which every store has. */
    static final String DEFAULT_LOCATION_ID = "1";

    /** Prefix of a fetch request id naming a product (product-level stock) instead of a variant. */
    static final String PRODUCT_PREFIX = "product:";

    private static final Set<String> MAPPED =
            Set.of("identity", "available_to_sell", "total_inventory_onhand", LOCATION_ANNOTATION);
    private static final Set<String> IDENTITY_MAPPED = Set.of("sku", "variant_id", "product_id");

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
        return BigCommerceAdapter.MAPPINGS_READ;
    }

    static String levelId(String variantId, String locationId) {
        return variantId + "@" + locationId;
    }

    static String productLevelRequestId(String productId, String locationId) {
        return PRODUCT_PREFIX + productId + "@" + locationId;
    }

    /** The canonical id of a fetched item: {@code <identity.variant_id>@<location>}. */
    static String levelId(PayloadObject item) throws MappingException {
        return levelId(item.requiredObject("identity").requiredId("variant_id"), item.requiredId(LOCATION_ANNOTATION));
    }

    @Override
    public InventoryLevel map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject item = PayloadObject.root(payload);
        PayloadObject identity = item.requiredObject("identity");
        Map<String, String> platformFields = new TreeMap<>(item.unmappedFields(MAPPED));
        identity.unmappedFields(IDENTITY_MAPPED).forEach((k, v) -> platformFields.put("identity." + k, v));
        return InventoryLevel.newBuilder()
                .setId(levelId(item))
                .setInventoryItemId(null)
                .setProductId(identity.id("product_id").orElse(null))
                .setVariantId(identity.requiredId("variant_id"))
                .setSku(identity.text("sku").orElse(null))
                .setLocationId(item.requiredId(LOCATION_ANNOTATION))
                .setAvailable(item.wholeNumber("available_to_sell").orElse(null))
                .setReserved(null)
                .setOnHand(item.wholeNumber("total_inventory_onhand").orElse(null))
                .setTracked(null)
                .setUpdatedAt(null)
                .setPlatformFields(platformFields)
                .build();
    }
}
