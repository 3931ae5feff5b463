package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.List;

/**
 * A shipment of an order: made when the order is fulfilled (every unit of every line, one parcel), then tracked by its
 * carrier until delivered. Dialects render it as their platform's shipment resource (Shopify fulfillment, BigCommerce
 * order shipment); a platform without one ignores it.
 */
public record Shipment(
        String id,
        String orderId,
        List<Line> lines,
        String carrier,
        String service,
        String trackingNumber,
        String trackingUrl,
        Progress progress,
        long version,
        Instant createdAt,
        Instant updatedAt)
        implements SimEntity {

    /** The carrier's view of the parcel, in the order it moves. */
    public enum Progress {
        LABEL_PRINTED,
        IN_TRANSIT,
        DELIVERED
    }

    /** Units of one order line in the parcel, with the product as ordered. */
    public record Line(
            String orderLineId, String productId, String variantId, String sku, String title, int quantity) {}

    public Shipment {
        lines = List.copyOf(lines);
    }

    /** The tracking page the generator gives a parcel (a write may name its own). */
    public static String trackingUrlOf(String trackingNumber) {
        return "https://tracking.example/" + trackingNumber;
    }

    @Override
    public EntityType type() {
        return EntityType.SHIPMENT;
    }

    @Override
    public String parentId() {
        return orderId;
    }

    Shipment withProgress(Progress newProgress, Instant at) {
        return new Shipment(
                id,
                orderId,
                lines,
                carrier,
                service,
                trackingNumber,
                trackingUrl,
                newProgress,
                version + 1,
                createdAt,
                at);
    }
}
