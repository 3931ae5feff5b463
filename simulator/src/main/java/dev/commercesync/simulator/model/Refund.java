package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.math.BigDecimal;
import java.time.Instant;

/** A refund of one unit of one order line. Immutable on every platform: its creation is its only version. */
public record Refund(
        String id, String orderId, String lineId, int quantity, BigDecimal amount, String reason, Instant createdAt)
        implements SimEntity {

    @Override
    public EntityType type() {
        return EntityType.REFUND;
    }

    @Override
    public String parentId() {
        return orderId;
    }

    @Override
    public long version() {
        return 1;
    }

    @Override
    public Instant updatedAt() {
        return createdAt;
    }
}
