package dev.commercesync.inventory.pool;

import java.util.List;

/**
 * What the pool needs of one canonical event or command result, keyed by merchant on the internal repartition topic
 * (JSON, {@link PoolJson}): the routing step reduces every input to this, so that the pool's task never decodes Avro.
 *
 * @param platform the event's (or command's) platform
 * @param store the store as the platform names it
 * @param at the platform's time of the change (source_updated_at, else received_at; a result's completed_at), millis
 * @param echoOf the command this event echoes ({@code EventMetadata.command_id}); null: a change by someone else
 */
public record PoolInput(
        Kind kind,
        String platform,
        String store,
        long at,
        String echoOf,
        OrderInput order,
        ShipmentInput shipment,
        RefundInput refund,
        LevelInput level,
        List<VariantInput> variants,
        ResultInput result) {

    public enum Kind {
        ORDER,
        SHIPMENT,
        REFUND,
        LEVEL,
        PRODUCT,
        RESULT
    }

    /** {@code platform/store}: the channel. */
    public String channel() {
        return platform + "/" + store;
    }

    /** One order line, shipment item or refund item; {@code lineId} names the order line where known. */
    public record LineInput(String lineId, String sku, String variantId, String productId, long quantity) {}

    /**
     * @param status the canonical OrderStatus' name
     * @param createdAt when the order was placed (millis)
     * @param updatedAt the order's source_updated_at; an older version than the one applied is ignored
     * @param deleted the order was deleted on the platform: it reserves nothing any more
     */
    public record OrderInput(
            String orderId,
            String status,
            long createdAt,
            Long updatedAt,
            boolean deleted,
            List<LineInput> lines,
            List<ShipmentInput> shipments,
            List<RefundInput> refunds) {}

    /** @param voided the shipment was cancelled or failed: its items did not leave */
    public record ShipmentInput(String id, String orderId, boolean voided, List<LineInput> items) {}

    /** Only the items put back into stock count; {@code restock} is the refund's own flag. */
    public record RefundInput(String id, String orderId, boolean restock, List<RefundLine> items) {}

    /** @param restocked whether this item went back into stock (its restock_type, else the refund's flag) */
    public record RefundLine(LineInput line, boolean restocked) {}

    /** @param available null: the platform does not track it (ignored) */
    public record LevelInput(String itemId, String locationId, String sku, Long available) {}

    /** A product's variant: its inventory item and its SKU. */
    public record VariantInput(String itemId, String variantId, String sku) {}

    /**
     * @param status CommandResult's status name (APPLIED, REJECTED, EXPIRED, FAILED)
     * @param reason its reason's name, null when none
     */
    public record ResultInput(
            String commandId, String status, String reason, long completedAt, String itemId, String locationId) {}
}
