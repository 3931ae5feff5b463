package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;

/**
 * One entity of a simulated store, platform-neutral: the dialects render it in their platform's payload shape.
 * Immutable: a change replaces the record with a new version.
 */
public sealed interface SimEntity permits Product, Customer, Order, Refund, Shipment, InventoryLevel {

    EntityType type();

    /** The platform's id as text (inventory levels: {@code <inventory_item_id>@<location_id>}). */
    String id();

    /** The owning entity's id where the platform's API needs it to fetch this one (a refund's or shipment's order), else null. */
    default String parentId() {
        return null;
    }

    /** 1 at creation, +1 per change. */
    long version();

    Instant createdAt();

    /** The platform's updated-at (whole seconds, strictly increasing per entity). */
    Instant updatedAt();
}
