package dev.commercesync.platforms.shopify;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Shopify fulfillment (fulfillments/create|update, and each entry of an order's {@code fulfillments}) → Shipment. */
final class ShopifyFulfillmentMapper implements EntityMapper {
    static final String VERSION = "shopify/fulfillments@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "order_id",
            "status",
            "shipment_status",
            "tracking_company",
            "service",
            "tracking_number",
            "tracking_numbers",
            "tracking_url",
            "tracking_urls",
            "line_items",
            "location_id",
            "destination",
            "created_at",
            "updated_at");

    @Override
    public EntityType entityType() {
        return EntityType.SHIPMENT;
    }

    @Override
    public String mappingVersion() {
        return VERSION;
    }

    @Override
    public List<String> apiVersionsRead() {
        return ShopifyAdapter.MAPPINGS_READ;
    }

    @Override
    public Shipment map(JsonNode payload, Classification.Classified classification) throws MappingException {
        return map(PayloadObject.root(payload));
    }

    Shipment map(PayloadObject fulfillment) throws MappingException {
        Map<String, String> platformFields = new TreeMap<>(fulfillment.unmappedFields(MAPPED));
        String status = fulfillment.text("status").orElse(null);
        String shipmentStatus = fulfillment.text("shipment_status").orElse(null);
        List<String> numbers = fulfillment.texts("tracking_numbers");
        List<String> urls = fulfillment.texts("tracking_urls");
        if (numbers.isEmpty() && fulfillment.has("tracking_number")) {
            numbers = List.of(fulfillment.requiredText("tracking_number"));
            urls = fulfillment.text("tracking_url").map(List::of).orElse(List.of());
        }
        List<TrackingInfo> tracking = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            tracking.add(new TrackingInfo(numbers.get(i), i < urls.size() ? urls.get(i) : null, null));
        }
        List<ShipmentItem> items = new ArrayList<>();
        for (PayloadObject line : fulfillment.objects("line_items")) {
            items.add(ShipmentItem.newBuilder()
                    .setLineItemId(line.id("id").orElse(null))
                    .setProductId(line.id("product_id").orElse(null))
                    .setVariantId(line.id("variant_id").orElse(null))
                    .setSku(line.text("sku").orElse(null))
                    .setName(line.text("name").orElse(null))
                    .setQuantity(line.requiredWholeNumber("quantity"))
                    .build());
        }
        return Shipment.newBuilder()
                .setId(fulfillment.requiredId("id"))
                .setOrderId(fulfillment.requiredId("order_id"))
                .setStatus(status(status, shipmentStatus))
                .setPlatformStatus(shipmentStatus != null ? status + "/" + shipmentStatus : status)
                .setCarrier(fulfillment.text("tracking_company").orElse(null))
                .setService(fulfillment.text("service").orElse(null))
                .setTracking(tracking)
                .setItems(items)
                .setLocationId(fulfillment.id("location_id").orElse(null))
                .setShippingAddress(ShopifyPayloads.address(fulfillment, "destination", platformFields)
                        .orElse(null))
                .setShippedAt(null)
                .setDeliveredAt(null)
                .setCreatedAt(fulfillment.instant("created_at").orElse(null))
                .setUpdatedAt(fulfillment.instant("updated_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    /** Fulfillment status (pending, open, success, cancelled, error, failure) refined by the carrier's shipment_status. */
    private static ShipmentStatus status(String status, String shipmentStatus) {
        if (status == null) {
            return ShipmentStatus.UNKNOWN;
        }
        return switch (status) {
            case "pending", "open" -> ShipmentStatus.PENDING;
            case "cancelled" -> ShipmentStatus.CANCELLED;
            case "error", "failure" -> ShipmentStatus.FAILED;
            case "success" ->
                switch (Optional.ofNullable(shipmentStatus).orElse("")) {
                    case "delivered" -> ShipmentStatus.DELIVERED;
                    case "in_transit", "out_for_delivery", "attempted_delivery", "ready_for_pickup" ->
                        ShipmentStatus.IN_TRANSIT;
                    case "failure" -> ShipmentStatus.FAILED;
                    default -> ShipmentStatus.SHIPPED;
                };
            default -> ShipmentStatus.UNKNOWN;
        };
    }
}
