package dev.commercesync.platforms.bigcommerce;

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
 * A v2 order shipment (GET /v2/orders/{order_id}/shipments/{id}). BigCommerce creates a shipment when items ship, so
 * its status is SHIPPED; the tracking link is the merchant's {@code tracking_link}, else BigCommerce's {@code
 * generated_tracking_link}.
 */
final class BigCommerceShipmentMapper implements EntityMapper {
    static final String VERSION = "bigcommerce/shipments@1";

    private static final Set<String> MAPPED = Set.of(
            "id",
            "order_id",
            "date_created",
            "tracking_number",
            "shipping_method",
            "shipping_provider",
            "tracking_link",
            "generated_tracking_link",
            "shipping_address",
            "items");

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
        return BigCommerceAdapter.MAPPINGS_READ;
    }

    @Override
    public Shipment map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject s = BigCommercePayloads.entity(payload);
        Map<String, String> platformFields = new TreeMap<>(s.unmappedFields(MAPPED));
        List<TrackingInfo> tracking = new ArrayList<>();
        Optional<String> number = s.text("tracking_number");
        if (number.isPresent()) {
            tracking.add(TrackingInfo.newBuilder()
                    .setNumber(number.get())
                    .setUrl(s.text("tracking_link")
                            .or(() -> orEmpty(s, "generated_tracking_link"))
                            .orElse(null))
                    .build());
        }
        List<ShipmentItem> items = new ArrayList<>();
        for (PayloadObject item : s.objects("items")) {
            items.add(ShipmentItem.newBuilder()
                    .setLineItemId(item.id("order_product_id").orElse(null))
                    .setProductId(
                            item.id("product_id").filter(p -> !p.equals("0")).orElse(null))
                    .setQuantity(item.requiredWholeNumber("quantity"))
                    .build());
        }
        Instant created = BigCommercePayloads.rfc2822(s, "date_created").orElse(null);
        Optional<PayloadObject> address = s.object("shipping_address");
        return Shipment.newBuilder()
                .setId(s.requiredId("id"))
                .setOrderId(s.requiredId("order_id"))
                .setStatus(ShipmentStatus.SHIPPED)
                .setCarrier(s.text("shipping_provider").orElse(null))
                .setService(s.text("shipping_method").orElse(null))
                .setTracking(tracking)
                .setItems(items)
                .setShippingAddress(
                        address.isPresent()
                                ? BigCommerceAddresses.v2(address.get(), "shipping_address", platformFields)
                                : null)
                .setShippedAt(created)
                .setCreatedAt(created)
                .setPlatformFields(platformFields)
                .build();
    }

    private static Optional<String> orEmpty(PayloadObject o, String field) {
        try {
            return o.text(field);
        } catch (MappingException e) {
            return Optional.empty();
        }
    }
}
