package dev.commercesync.simulator.model;

/** What happened in the store; the weights are the relative frequency the generator picks each with. */
public enum ChangeKind {
    ORDER_PLACED(30),
    ORDER_EDITED(15),
    ORDER_REFUNDED(8),
    SHIPMENT_TRACKED(6),
    STOCK_MOVED(20),
    PRODUCT_EDITED(12),
    CUSTOMER_CREATED(7),
    CUSTOMER_UPDATED(8);

    private final int weight;

    ChangeKind(int weight) {
        this.weight = weight;
    }

    public int weight() {
        return weight;
    }
}
