package dev.commercesync.inventory.mapping;

import dev.commercesync.inventory.pool.PoolEngine;
import dev.commercesync.inventory.pool.PoolInput;
import dev.commercesync.inventory.pool.PoolInput.Kind;
import dev.commercesync.inventory.pool.PoolInput.LevelInput;
import dev.commercesync.inventory.pool.PoolInput.LineInput;
import dev.commercesync.inventory.pool.PoolInput.OrderInput;
import dev.commercesync.inventory.pool.PoolInput.RefundInput;
import dev.commercesync.inventory.pool.PoolInput.RefundLine;
import dev.commercesync.inventory.pool.PoolInput.ResultInput;
import dev.commercesync.inventory.pool.PoolInput.ShipmentInput;
import dev.commercesync.inventory.pool.PoolInput.VariantInput;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.canonical.ProductVariant;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.RefundEvent;
import dev.commercesync.schemas.canonical.RefundLineItem;
import dev.commercesync.schemas.canonical.Shipment;
import dev.commercesync.schemas.canonical.ShipmentEvent;
import dev.commercesync.schemas.canonical.ShipmentItem;
import dev.commercesync.schemas.canonical.ShipmentStatus;
import dev.commercesync.schemas.command.CommandResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** Reduces a canonical event or command result to the {@link PoolInput} the pool needs; empty: nothing for it. */
public final class PoolInputs {
    private PoolInputs() {}

    public static Optional<PoolInput> of(SpecificRecord value) {
        if (value instanceof OrderEvent e) {
            return order(e);
        }
        if (value instanceof InventoryLevelEvent e) {
            return level(e);
        }
        if (value instanceof ShipmentEvent e) {
            return shipment(e);
        }
        if (value instanceof RefundEvent e) {
            return refund(e);
        }
        if (value instanceof ProductEvent e) {
            return product(e);
        }
        if (value instanceof CommandResult r) {
            return result(r);
        }
        return Optional.empty();
    }

    private static PoolInput input(EventMetadata m, Kind kind) {
        return new PoolInput(
                kind, m.getPlatform(), m.getStore(), time(m), m.getCommandId(), null, null, null, null, null, null);
    }

    /** The platform's time of the change: source_updated_at, else when it was received. */
    static long time(EventMetadata m) {
        Instant at = m.getSourceUpdatedAt() != null ? m.getSourceUpdatedAt() : m.getReceivedAt();
        return at.toEpochMilli();
    }

    private static Optional<PoolInput> order(OrderEvent e) {
        EventMetadata m = e.getMetadata();
        Order o = e.getOrder();
        OrderInput order;
        if (m.getOperation() == Operation.DELETE || o == null) {
            order = new OrderInput(m.getEntityId(), null, time(m), time(m), true, List.of(), List.of(), List.of());
        } else {
            order = new OrderInput(
                    o.getId(),
                    o.getStatus().name(),
                    o.getCreatedAt().toEpochMilli(),
                    time(m),
                    false,
                    o.getLineItems().stream().map(PoolInputs::line).toList(),
                    o.getShipments().stream().map(PoolInputs::shipment).toList(),
                    o.getRefunds().stream().map(PoolInputs::refund).toList());
        }
        PoolInput base = input(m, Kind.ORDER);
        return Optional.of(new PoolInput(
                base.kind(), base.platform(), base.store(), base.at(), null, order, null, null, null, null, null));
    }

    private static LineInput line(OrderLineItem l) {
        return new LineInput(l.getId(), l.getSku(), l.getVariantId(), l.getProductId(), l.getQuantity());
    }

    private static ShipmentInput shipment(Shipment s) {
        boolean voided = s.getStatus() == ShipmentStatus.CANCELLED || s.getStatus() == ShipmentStatus.FAILED;
        return new ShipmentInput(
                s.getId(),
                s.getOrderId(),
                voided,
                s.getItems().stream().map(PoolInputs::item).toList());
    }

    private static LineInput item(ShipmentItem i) {
        return new LineInput(i.getLineItemId(), i.getSku(), i.getVariantId(), i.getProductId(), i.getQuantity());
    }

    private static RefundInput refund(Refund r) {
        boolean restock = Boolean.TRUE.equals(r.getRestock());
        return new RefundInput(
                r.getId(),
                r.getOrderId(),
                restock,
                r.getItems().stream().map(i -> refundLine(i, restock)).toList());
    }

    /** An item's own restock type decides where the platform gives one (no_restock, or cancel/return); else the flag. */
    private static RefundLine refundLine(RefundLineItem i, boolean restock) {
        String type = i.getRestockType();
        boolean restocked = type == null ? restock : !type.equalsIgnoreCase("no_restock");
        return new RefundLine(
                new LineInput(i.getLineItemId(), i.getSku(), i.getVariantId(), i.getProductId(), i.getQuantity()),
                restocked);
    }

    private static Optional<PoolInput> shipment(ShipmentEvent e) {
        if (e.getShipment() == null) {
            return Optional.empty();
        }
        PoolInput base = input(e.getMetadata(), Kind.SHIPMENT);
        return Optional.of(new PoolInput(
                base.kind(),
                base.platform(),
                base.store(),
                base.at(),
                null,
                null,
                shipment(e.getShipment()),
                null,
                null,
                null,
                null));
    }

    private static Optional<PoolInput> refund(RefundEvent e) {
        if (e.getRefund() == null) {
            return Optional.empty();
        }
        PoolInput base = input(e.getMetadata(), Kind.REFUND);
        return Optional.of(new PoolInput(
                base.kind(),
                base.platform(),
                base.store(),
                base.at(),
                null,
                null,
                null,
                refund(e.getRefund()),
                null,
                null,
                null));
    }

    private static Optional<PoolInput> level(InventoryLevelEvent e) {
        InventoryLevel l = e.getInventoryLevel();
        if (l == null) {
            return Optional.empty();
        }
        PoolInput base = input(e.getMetadata(), Kind.LEVEL);
        return Optional.of(new PoolInput(
                base.kind(),
                base.platform(),
                base.store(),
                base.at(),
                base.echoOf(),
                null,
                null,
                null,
                levelInput(l),
                null,
                null));
    }

    /**
     * A level's item and location, from its canonical id {@code <item id>@<location id>} (or {@code <item id>}): where
     * the level names its location, the item is everything before {@code @<location>}, so an item id holding an
     * {@code @} (a marketplace seller SKU may) stays whole.
     */
    static LevelInput levelInput(InventoryLevel l) {
        String id = l.getId();
        String item;
        String location;
        if (l.getLocationId() != null && id.endsWith("@" + l.getLocationId())) {
            // <item id>@<location id> with the location named: the item is all before it, '@' in it or not (a SKU)
            location = l.getLocationId();
            item = id.substring(0, id.length() - location.length() - 1);
        } else {
            int at = id.indexOf('@');
            item = at < 0 ? id : id.substring(0, at);
            location = l.getLocationId() != null ? l.getLocationId() : at < 0 ? null : id.substring(at + 1);
        }
        return new LevelInput(item, location, l.getSku(), sellable(l));
    }

    /**
     * The quantity a channel shows and SetInventoryLevel sets: available, else on hand where the platform reports only
     * that (Adobe Commerce MSI source items: their {@code quantity}, which its write sets).
     */
    static Long sellable(InventoryLevel l) {
        return l.getAvailable() != null ? l.getAvailable() : l.getOnHand();
    }

    private static Optional<PoolInput> product(ProductEvent e) {
        if (e.getProduct() == null) {
            return Optional.empty();
        }
        List<VariantInput> variants = e.getProduct().getVariants().stream()
                .filter(v -> v.getSku() != null && !v.getSku().isBlank())
                .map(PoolInputs::variant)
                .toList();
        if (variants.isEmpty()) {
            return Optional.empty();
        }
        PoolInput base = input(e.getMetadata(), Kind.PRODUCT);
        return Optional.of(new PoolInput(
                base.kind(), base.platform(), base.store(), base.at(), null, null, null, null, null, variants, null));
    }

    /** A variant's inventory item: its own inventory item where the platform has one (Shopify), else the variant. */
    private static VariantInput variant(ProductVariant v) {
        String item = v.getInventoryItemId() != null ? v.getInventoryItemId() : v.getId();
        return new VariantInput(item, v.getId(), v.getSku());
    }

    /** Only the pool's own SetInventoryLevel results. */
    private static Optional<PoolInput> result(CommandResult r) {
        var m = r.getMetadata();
        if (!PoolEngine.ISSUER.equals(m.getIssuer())) {
            return Optional.empty();
        }
        String id = m.getEntityId();
        int at = id.indexOf('@');
        String item = at < 0 ? id : id.substring(0, at);
        String location = at < 0 ? null : id.substring(at + 1);
        return Optional.of(new PoolInput(
                Kind.RESULT,
                m.getPlatform(),
                m.getStore(),
                r.getCompletedAt().toEpochMilli(),
                null,
                null,
                null,
                null,
                null,
                null,
                new ResultInput(
                        r.getCommandId(),
                        r.getStatus().name(),
                        r.getReason() == null ? null : r.getReason().name(),
                        r.getCompletedAt().toEpochMilli(),
                        item,
                        location)));
    }
}
