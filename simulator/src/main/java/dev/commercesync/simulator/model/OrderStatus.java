package dev.commercesync.simulator.model;

/** An order's life cycle in the simulator; each dialect spells it the platform's way. */
public enum OrderStatus {
    PENDING,
    PAID,
    FULFILLED,
    CANCELLED
}
