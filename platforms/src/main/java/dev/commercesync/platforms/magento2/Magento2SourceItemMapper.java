package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.InventoryLevel;
import java.util.List;
import java.util.Set;

/**
 * One MSI source item (an item of GET /V1/inventory/source-items): the stock of one SKU at one source. Its canonical id
 * is {@code <sku>@<source_code>}. {@code quantity} is the on-hand quantity at the source (reservations are not
 * subtracted: MSI keeps them per stock, not per source), so it maps to {@code on_hand}; {@code status} (1 in stock, 0
 * out of stock) stays in platform_fields.
 */
final class Magento2SourceItemMapper implements EntityMapper {
    static final String VERSION = "magento2/source-items@1";

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
        return Magento2Adapter.MAPPINGS_READ;
    }

    static String levelId(PayloadObject item) throws MappingException {
        return item.requiredText("sku") + "@" + item.requiredText("source_code");
    }

    @Override
    public InventoryLevel map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject item = Magento2Payloads.entity(payload);
        return InventoryLevel.newBuilder()
                .setId(levelId(item))
                .setSku(item.requiredText("sku"))
                .setLocationId(item.requiredText("source_code"))
                .setOnHand(Magento2Payloads.wholeQuantity(item, "quantity").orElse(null))
                .setPlatformFields(item.unmappedFields(Set.of("sku", "source_code", "quantity")))
                .build();
    }
}
