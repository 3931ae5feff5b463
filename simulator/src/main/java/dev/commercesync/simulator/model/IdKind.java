package dev.commercesync.simulator.model;

/** The id sequences a store allocates from; each dialect says where each starts (its platform's id style). */
public enum IdKind {
    PRODUCT,
    VARIANT,
    INVENTORY_ITEM,
    LOCATION,
    CUSTOMER,
    ORDER,
    ORDER_NUMBER,
    LINE_ITEM,
    REFUND,
    SHIPMENT
}
