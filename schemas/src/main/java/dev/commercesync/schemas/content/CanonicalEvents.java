package dev.commercesync.schemas.content;

import dev.commercesync.schemas.canonical.Customer;
import dev.commercesync.schemas.canonical.CustomerEvent;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.RefundEvent;
import dev.commercesync.schemas.canonical.Shipment;
import dev.commercesync.schemas.canonical.ShipmentEvent;
import org.apache.avro.specific.SpecificRecord;

/** Wraps canonical entities in their event records, the same way for every platform. */
public final class CanonicalEvents {
    private CanonicalEvents() {}

    /**
     * The event record of the entity type ({@code OrderEvent} for ORDER, ...).
     *
     * @param entity the entity record of that type, or null for a DELETE
     * @throws IllegalArgumentException when the entity is not of the type's record class
     */
    public static SpecificRecord wrap(EventMetadata metadata, EntityType type, SpecificRecord entity) {
        try {
            return switch (type) {
                case ORDER -> new OrderEvent(metadata, (Order) entity);
                case PRODUCT -> new ProductEvent(metadata, (Product) entity);
                case INVENTORY_LEVEL -> new InventoryLevelEvent(metadata, (InventoryLevel) entity);
                case CUSTOMER -> new CustomerEvent(metadata, (Customer) entity);
                case SHIPMENT -> new ShipmentEvent(metadata, (Shipment) entity);
                case REFUND -> new RefundEvent(metadata, (Refund) entity);
            };
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(
                    "a " + type + " event cannot carry a " + entity.getClass().getSimpleName());
        }
    }

    /**
     * The entity of any canonical event record (every event is {@code {metadata, <entity>}}: the schemas module checks
     * it), null for a DELETE.
     */
    public static SpecificRecord entity(SpecificRecord event) {
        return (SpecificRecord) event.get(1);
    }

    /** The metadata of any canonical event record (every event's field 0 is {@code metadata}). */
    public static EventMetadata metadata(SpecificRecord event) {
        Object metadata = event.get(event.getSchema().getField("metadata").pos());
        return (EventMetadata) metadata;
    }
}
