package dev.commercesync.platforms.magento2;

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

/**
 * An Adobe Commerce shipment ({@code salesDataShipmentInterface}: GET /V1/shipment/{id}, an item of GET
 * /V1/shipments, or the fields of a {@code sales_order_shipment_save_commit_after} observer event). A Magento shipment
 * is recorded when the goods leave: SHIPPED, shipped at its creation; the optional {@code shipment_status} is the
 * platform status. The shipment's carrier is the {@code carrier_code} of its first track; a track names its carrier
 * only when it differs. The MSI source ({@code extension_attributes.source_code}) is the location. Fields of items and
 * tracks without a canonical home go to platform_fields as {@code items[<n>].<field>} / {@code tracks[<n>].<field>}.
 */
final class Magento2ShipmentMapper implements EntityMapper {
    static final String VERSION = "magento2/shipments@1";

    private static final Set<String> MAPPED =
            Set.of("entity_id", "order_id", "shipment_status", "items", "tracks", "created_at", "updated_at");
    private static final Set<String> ITEM_MAPPED = Set.of("order_item_id", "product_id", "sku", "name", "qty");
    private static final Set<String> TRACK_MAPPED = Set.of("track_number", "carrier_code");

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
        return Magento2Adapter.MAPPINGS_READ;
    }

    @Override
    public Shipment map(JsonNode payload, Classification.Classified classification) throws MappingException {
        PayloadObject s = Magento2Payloads.entity(payload);
        Map<String, String> platformFields = new TreeMap<>(s.unmappedFields(MAPPED));
        List<ShipmentItem> items = new ArrayList<>();
        List<PayloadObject> shipmentItems = s.objects("items");
        for (int i = 0; i < shipmentItems.size(); i++) {
            PayloadObject item = shipmentItems.get(i);
            String prefix = "items[" + i + "]";
            item.unmappedFields(ITEM_MAPPED).forEach((k, v) -> platformFields.put(prefix + "." + k, v));
            items.add(ShipmentItem.newBuilder()
                    .setLineItemId(item.requiredId("order_item_id"))
                    .setProductId(item.id("product_id").orElse(null))
                    .setSku(item.text("sku").orElse(null))
                    .setName(item.text("name").orElse(null))
                    .setQuantity(Magento2Payloads.requiredWholeQuantity(item, "qty"))
                    .build());
        }
        List<PayloadObject> tracks = s.objects("tracks");
        String carrier =
                tracks.isEmpty() ? null : tracks.get(0).text("carrier_code").orElse(null);
        List<TrackingInfo> tracking = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            PayloadObject track = tracks.get(i);
            String prefix = "tracks[" + i + "]";
            track.unmappedFields(TRACK_MAPPED).forEach((k, v) -> platformFields.put(prefix + "." + k, v));
            Optional<String> trackCarrier = track.text("carrier_code");
            tracking.add(TrackingInfo.newBuilder()
                    .setNumber(track.requiredText("track_number"))
                    .setCarrier(trackCarrier.filter(c -> !c.equals(carrier)).orElse(null))
                    .build());
        }
        Optional<java.time.Instant> createdAt = s.utcInstant("created_at");
        return Shipment.newBuilder()
                .setId(s.requiredId("entity_id"))
                .setOrderId(s.requiredId("order_id"))
                .setStatus(ShipmentStatus.SHIPPED)
                .setPlatformStatus(s.id("shipment_status").orElse(null))
                .setCarrier(carrier)
                .setTracking(tracking)
                .setItems(items)
                .setLocationId(sourceCode(s).orElse(null))
                .setShippedAt(createdAt.orElse(null))
                .setCreatedAt(createdAt.orElse(null))
                .setUpdatedAt(s.utcInstant("updated_at").orElse(null))
                .setPlatformFields(platformFields)
                .build();
    }

    private static Optional<String> sourceCode(PayloadObject s) throws MappingException {
        Optional<PayloadObject> extension = s.object("extension_attributes");
        return extension.isPresent() ? extension.get().text("source_code") : Optional.empty();
    }
}
