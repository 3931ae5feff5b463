package dev.commercesync.platforms.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A seller's listing quantities on SP-API's Listings Items API 2021-08-01, as this adapter reads them ({@link
 * AmazonApiClient#listSnapshot}, {@code searchListingsItems}) and writes them ({@link AmazonWriteClient}, {@code
 * getListingsItem} and {@code patchListingsItem}): the one place for how a listing is addressed and which of its
 * quantities is the level.
 *
 * <p>A listing's quantity is per seller SKU and marketplace, so the canonical inventory level of a listing is {@code
 * <seller_sku>@<marketplace_id>} ({@link #levelId}): its item is the SKU, its location the marketplace, and a
 * SetInventoryLevel names them as {@code item_id} and {@code location_id}. The level is the merchant-fulfilled (MFN)
 * quantity, {@code fulfillmentAvailability} of channel {@code DEFAULT}; FBA quantities (other channel codes) are
 * Amazon's to keep and are neither read as the level nor written.
 */
final class AmazonListings {
    /** The Listings Items API's path: {@code <ITEMS><sellerId>} searches, {@code <ITEMS><sellerId>/<sku>} one item. */
    static final String ITEMS = "/listings/2021-08-01/items/";

    /** The datasets a listing is read with: the product type a patch must name, and the quantities. */
    static final String INCLUDED_DATA = "summaries,fulfillmentAvailability";

    /** searchListingsItems' documented maximum {@code pageSize}. */
    static final int MAX_SEARCH_PAGE = 20;

    /** The fulfillment channel code of merchant-fulfilled quantity (MFN). */
    static final String MFN_CHANNEL = "DEFAULT";

    /**
     * Field the API client adds to a listing it read, whose API shape does not name the marketplace it was read for
     * ({@code marketplaceIds} of the request; {@code summaries} may list several). Never sent by Amazon.
     */
    static final String MARKETPLACE_ANNOTATION = "x_commercesync_marketplace_id";

    private AmazonListings() {}

    /** The canonical id of a listing's level: {@code <seller_sku>@<marketplace_id>}. */
    static String levelId(String sku, String marketplaceId) {
        return sku + "@" + marketplaceId;
    }

    /** A level id's parts; the marketplace is after the last {@code @} (marketplace ids have none, SKUs may). */
    record LevelId(String sku, String marketplaceId) {
        static Optional<LevelId> parse(String id) {
            int at = id == null ? -1 : id.lastIndexOf('@');
            if (at <= 0 || at == id.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new LevelId(id.substring(0, at), id.substring(at + 1)));
        }
    }

    /** One listing of the seller: {@code getListingsItem} and {@code patchListingsItem}. */
    static String itemPath(String sellerId, String sku, String marketplaceId) {
        return ITEMS + AmazonApiClient.encode(sellerId) + "/"
                + AmazonApiClient.encode(sku).replace("+", "%20") + "?marketplaceIds="
                + AmazonApiClient.encode(marketplaceId);
    }

    /** One page of the seller's listings in a marketplace, with their quantities: {@code searchListingsItems}. */
    static String searchPath(String sellerId, String marketplaceId, int pageSize, String pageToken) {
        return ITEMS + AmazonApiClient.encode(sellerId) + "?marketplaceIds=" + AmazonApiClient.encode(marketplaceId)
                + "&includedData=" + AmazonApiClient.encode(INCLUDED_DATA) + "&pageSize="
                + Math.max(1, Math.min(MAX_SEARCH_PAGE, pageSize))
                + (pageToken == null ? "" : "&pageToken=" + AmazonApiClient.encode(pageToken));
    }

    /** The merchant-fulfilled ({@link #MFN_CHANNEL}) quantity of a listing, when it has one. */
    static Optional<Long> mfnQuantity(JsonNode listing) {
        for (JsonNode availability : listing.path("fulfillmentAvailability")) {
            if (MFN_CHANNEL.equals(availability.path("fulfillmentChannelCode").asText())
                    && availability.path("quantity").canConvertToLong()) {
                return Optional.of(availability.path("quantity").asLong());
            }
        }
        return Optional.empty();
    }
}
