package dev.commercesync.simulator.model;

/**
 * An order's life cycle in the simulator; each dialect spells it the platform's way. The generator moves orders
 * through PENDING, PAID, FULFILLED and CANCELLED; the other statuses come only from clients' writes: ON_HOLD (held,
 * released to the status it had before), FAILED (payment failed), REFUNDED (refunded in full, by status) and CLOSED
 * (archived: Shopify's closed order).
 */
public enum OrderStatus {
    PENDING,
    PAID,
    FULFILLED,
    CANCELLED,
    ON_HOLD,
    FAILED,
    REFUNDED,
    CLOSED
}
