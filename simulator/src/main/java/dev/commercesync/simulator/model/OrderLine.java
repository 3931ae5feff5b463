package dev.commercesync.simulator.model;

import java.math.BigDecimal;

/** One line of an order; {@code refundedQuantity} counts the units refunded so far. */
public record OrderLine(
        String id,
        String productId,
        String variantId,
        String sku,
        String title,
        int quantity,
        BigDecimal unitPrice,
        int refundedQuantity) {

    public BigDecimal total() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    OrderLine withOneMoreRefunded() {
        return new OrderLine(id, productId, variantId, sku, title, quantity, unitPrice, refundedQuantity + 1);
    }
}
