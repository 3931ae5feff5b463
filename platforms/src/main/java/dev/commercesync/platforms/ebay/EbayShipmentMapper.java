package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Shipment;
import dev.commercesync.schemas.canonical.ShipmentItem;
import dev.commercesync.schemas.canonical.ShipmentStatus;
import dev.commercesync.schemas.canonical.TrackingInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Fulfillment API shipping fulfillment ({@code GET /sell/fulfillment/v1/order/{orderId}/shipping_fulfillment/
 * {fulfillmentId}}): {@code fulfillmentId}, {@code lineItems[] {lineItemId, quantity}}, {@code shipmentTrackingNumber},
 * {@code shippingCarrierCode}, {@code shippingServiceCode}, {@code shippedDate}. It does not name its order: the API
 * client adds it ({@value EbayPayloads#ORDER_ANNOTATION}). eBay returns {@code shippedDate} only once the package
 * shipped: SHIPPED with it, PENDING without. eBay keeps no updated-at: {@code shippedDate} versions it.
 */
final class EbayShipmentMapper implements EntityMapper {
    static final String VERSION = "ebay/shipping_fulfillments@1";

    private static final Set<String> MAPPED = Set.of(
            "fulfillmentId",
            "lineItems",
            "shipmentTrackingNumber",
            "shippingCarrierCode",
            "shippingServiceCode",
            "shippedDate",
            EbayPayloads.ORDER_ANNOTATION);

    @Override
    public EntityType entityType() {
        return EntityType.SHIPMENT;
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
    public Shipment map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject s = PayloadObject.root(payload);
        Map<String, String> platformFields = new TreeMap<>(s.unmappedFields(MAPPED));
        Optional<String> carrier = s.text("shippingCarrierCode");
        List<TrackingInfo> tracking = new ArrayList<>();
        Optional<String> number = s.text("shipmentTrackingNumber");
        if (number.isPresent()) {
            tracking.add(TrackingInfo.newBuilder()
                    .setNumber(number.get())
                    .setCarrier(carrier.orElse(null))
                    .build());
        }
        List<ShipmentItem> items = new ArrayList<>();
        for (PayloadObject item : s.objects("lineItems")) {
            items.add(ShipmentItem.newBuilder()
                    .setLineItemId(item.requiredId("lineItemId"))
                    .setQuantity(item.requiredWholeNumber("quantity"))
                    .build());
        }
        Instant shipped = s.instant("shippedDate").orElse(null);
        return Shipment.newBuilder()
                .setId(s.requiredId("fulfillmentId"))
                .setOrderId(s.requiredId(EbayPayloads.ORDER_ANNOTATION))
                .setStatus(shipped != null ? ShipmentStatus.SHIPPED : ShipmentStatus.PENDING)
                .setCarrier(carrier.orElse(null))
                .setService(s.text("shippingServiceCode").orElse(null))
                .setTracking(tracking)
                .setItems(items)
                .setShippedAt(shipped)
                .setCreatedAt(shipped)
                .setPlatformFields(platformFields)
                .build();
    }
}
