package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order: the buyer (copied from the customer at checkout), lines, shipping, status and the amount refunded.
 * Money is exact, in the store currency.
 */
public record Order(
        String id,
        long number,
        String customerId,
        String email,
        String firstName,
        String lastName,
        Address address,
        String currency,
        List<OrderLine> lines,
        BigDecimal shipping,
        OrderStatus status,
        BigDecimal refunded,
        String note,
        long version,
        Instant createdAt,
        Instant updatedAt)
        implements SimEntity {

    public Order {
        lines = List.copyOf(lines);
    }

    @Override
    public EntityType type() {
        return EntityType.ORDER;
    }

    public BigDecimal subtotal() {
        return lines.stream().map(OrderLine::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public BigDecimal total() {
        return subtotal().add(shipping);
    }

    public int itemCount() {
        return lines.stream().mapToInt(OrderLine::quantity).sum();
    }

    /** Whether every unit has been refunded. */
    public boolean fullyRefunded() {
        return lines.stream().allMatch(l -> l.refundedQuantity() >= l.quantity());
    }

    Order withStatus(OrderStatus newStatus, String newNote, Instant at) {
        return new Order(
                id,
                number,
                customerId,
                email,
                firstName,
                lastName,
                address,
                currency,
                lines,
                shipping,
                newStatus,
                refunded,
                newNote,
                version + 1,
                createdAt,
                at);
    }

    Order withRefund(List<OrderLine> newLines, BigDecimal amount, Instant at) {
        return new Order(
                id,
                number,
                customerId,
                email,
                firstName,
                lastName,
                address,
                currency,
                newLines,
                shipping,
                status,
                refunded.add(amount),
                note,
                version + 1,
                createdAt,
                at);
    }
}
