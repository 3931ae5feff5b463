package dev.commercesync.platforms.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
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
 * The quantity of one listing in one marketplace (a {@code searchListingsItems} item, or a {@code getListingsItem}
 * answer, read with {@code summaries,fulfillmentAvailability} and annotated with the marketplace it was read for,
 * {@link AmazonListings#MARKETPLACE_ANNOTATION}). Canonical id {@code <seller_sku>@<marketplace_id>} ({@link
 * AmazonListings#levelId}), location the marketplace, available the merchant-fulfilled quantity ({@code
 * fulfillmentAvailability} of channel {@code DEFAULT}; null when the listing has none). Other channels' entries (FBA,
 * Amazon's to keep) and the rest of the listing (summaries, issues, offers, attributes) stay in platform_fields. The
 * API reports no updated-at for a quantity: the read versions the level ({@code EventKeys.readAt}).
 */
final class AmazonInventoryLevelMapper implements EntityMapper {
    static final String VERSION = "amazon/listings_items@1";

    private static final Set<String> MAPPED =
            Set.of("sku", AmazonListings.MARKETPLACE_ANNOTATION, "fulfillmentAvailability");

    @Override
    public EntityType entityType() {
        return EntityType.INVENTORY_LEVEL;
    }

    /** The adapter's one version (the Orders API's); the Listings Items API's 2021-08-01 is fixed in its paths. */
    @Override
    public List<String> apiVersionsRead() {
        return AmazonAdapter.MAPPINGS_READ;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public InventoryLevel map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject listing = PayloadObject.root(payload);
        String sku = listing.requiredText("sku");
        String marketplaceId = listing.requiredText(AmazonListings.MARKETPLACE_ANNOTATION);
        Map<String, String> platformFields = new TreeMap<>(listing.unmappedFields(MAPPED));
        Long quantity = null;
        for (PayloadObject availability : listing.objects("fulfillmentAvailability")) {
            String channel = availability.requiredText("fulfillmentChannelCode");
            if (AmazonListings.MFN_CHANNEL.equals(channel)) {
                quantity = availability.wholeNumber("quantity").orElse(null);
                if (quantity != null && quantity < 0) {
                    throw MappingException.field(availability.path("quantity"), "a quantity is at least 0");
                }
            } else {
                platformFields.put("fulfillmentAvailability." + channel, Json.encode(availability.node()));
            }
        }
        return InventoryLevel.newBuilder()
                .setId(AmazonListings.levelId(sku, marketplaceId))
                .setSku(sku)
                .setLocationId(marketplaceId)
                .setAvailable(quantity)
                .setPlatformFields(platformFields)
                .build();
    }
}
