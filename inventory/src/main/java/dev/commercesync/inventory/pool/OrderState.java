package dev.commercesync.inventory.pool;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the pool knows of one order (store {@code inventory-orders}, key {@code platform/store/order_id}): its lines by
 * pool SKU, its shipments and restocking refunds by id (from the order itself and from the shipment and refund
 * topics), and the contribution to each pool last applied, so that every new version applies only the difference.
 */
public class OrderState {
    public String channel;
    /** Null while only a shipment or refund of it was seen. */
    public String status;

    public Long createdAt;
    public Long updatedAt;
    public boolean deleted;
    /** Line id → pool SKU and quantity; null until the order itself was seen. */
    public Map<String, Line> lines;
    /** Shipment id → units per pool SKU (an empty map: voided). */
    public Map<String, Map<String, Long>> shipments = new TreeMap<>();
    /** Refund id → restocked units per pool SKU. */
    public Map<String, Map<String, Long>> restocks = new TreeMap<>();
    /** Pool SKU → what this order contributes to its pool now. */
    public Map<String, Contribution> applied = new TreeMap<>();

    public record Line(String sku, long quantity) {}

    /**
     * @param reserved units still reserved (ordered − shipped − released; 0 once cancelled)
     * @param shipped units that left
     * @param returned shipped units restocked by a refund
     * @param movesBase whether its shipments and returns move the pool's base (a non-source order placed after the
     *     baseline: the source's first level already counted anything older)
     */
    public record Contribution(long reserved, long shipped, long returned, boolean movesBase) {
        public static final Contribution NONE = new Contribution(0, 0, 0, false);
    }
}
