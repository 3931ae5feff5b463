package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a client makes to a store, platform-neutral (the dialects translate their platform's requests into these):
 * each changes the state as the {@link ChangeGenerator}'s own changes do (version +1, updated-at by the same rule:
 * whole seconds, strictly increasing per entity) and names the notifications the platform turns into webhooks. A write
 * that asks for what the state already is changes nothing and notifies nothing. Not thread-safe: the store calls it
 * under the lock it makes changes under.
 */
public final class StoreWrites {
    private final StoreState state;
    private final ChangeGenerator generator;
    /** The status each held or closed order had before. */
    private final Map<String, OrderStatus> statusBefore = new HashMap<>();
    /** Products on sale: the compare-at (regular) price above the price paid. */
    private final Map<String, BigDecimal> compareAt = new HashMap<>();

    public StoreWrites(StoreState state, ChangeGenerator generator) {
        this.state = state;
        this.generator = generator;
    }

    /** Units of one order line to ship. */
    public record ShipLine(String orderLineId, int quantity) {}

    /**
     * Sets the available quantity of an inventory item at a location.
     *
     * @param expected the quantity the writer believes is current (compare-and-set), or null
     */
    public WriteResult setInventory(String inventoryItemId, String locationId, int quantity, Integer expected) {
        String id = inventoryItemId + "@" + locationId;
        Optional<InventoryLevel> found = state.get(EntityType.INVENTORY_LEVEL, id, InventoryLevel.class);
        if (found.isEmpty()) {
            return new WriteResult.NotFound(EntityType.INVENTORY_LEVEL, id);
        }
        InventoryLevel level = found.get();
        if (expected != null && expected != level.available()) {
            return new WriteResult.Stale(level, expected, level.available());
        }
        if (quantity < 0) {
            return new WriteResult.Invalid("quantity must not be negative, was " + quantity);
        }
        if (quantity == level.available()) {
            return new WriteResult.Unchanged(level);
        }
        Product product =
                state.get(EntityType.PRODUCT, level.productId(), Product.class).orElseThrow();
        List<Notification> notifications = new ArrayList<>();
        InventoryLevel moved = stock(level, product, quantity, notifications);
        return new WriteResult.Applied(moved, notifications);
    }

    /** One quantity of {@link #setInventories}. */
    public record LevelSet(String inventoryItemId, String locationId, int quantity, Integer expected) {}

    /**
     * Sets several levels, all or nothing: every compare-and-set is checked before any quantity changes (the first
     * that fails is the answer); applied when at least one level changed, with all their notifications.
     */
    public WriteResult setInventories(List<LevelSet> sets) {
        for (LevelSet set : sets) {
            String id = set.inventoryItemId() + "@" + set.locationId();
            Optional<InventoryLevel> level = state.get(EntityType.INVENTORY_LEVEL, id, InventoryLevel.class);
            if (level.isEmpty()) {
                return new WriteResult.NotFound(EntityType.INVENTORY_LEVEL, id);
            }
            if (set.expected() != null && set.expected() != level.get().available()) {
                return new WriteResult.Stale(
                        level.get(), set.expected(), level.get().available());
            }
        }
        List<Notification> notifications = new ArrayList<>();
        SimEntity first = null;
        for (LevelSet set : sets) {
            WriteResult one = setInventory(set.inventoryItemId(), set.locationId(), set.quantity(), null);
            if (one instanceof WriteResult.Applied applied) {
                notifications.addAll(applied.notifications());
            } else if (one instanceof WriteResult.Invalid) {
                return one;
            }
        }
        for (Notification notification : notifications) {
            first = first == null ? notification.entity() : first;
        }
        return first == null ? new WriteResult.Unchanged(null) : new WriteResult.Applied(first, notifications);
    }

    /** The level and its product move to {@code quantity} together, as a generated stock move does. */
    private InventoryLevel stock(InventoryLevel level, Product product, int quantity, List<Notification> out) {
        return generator.stock(state, level, product, quantity, out);
    }

    /** The level of a product at the store's location. */
    public Optional<InventoryLevel> levelOf(Product product) {
        return state.get(
                EntityType.INVENTORY_LEVEL,
                product.inventoryItemId() + "@" + generator.locationId(),
                InventoryLevel.class);
    }

    /** The store's one location id. */
    public String locationId() {
        return generator.locationId();
    }

    /** Units of each line of an order shipped so far. */
    public Map<String, Integer> shippedQuantities(String orderId) {
        Map<String, Integer> shipped = new HashMap<>();
        for (Shipment shipment : state.shipmentsOf(orderId)) {
            for (Shipment.Line line : shipment.lines()) {
                shipped.merge(line.orderLineId(), line.quantity(), Integer::sum);
            }
        }
        return shipped;
    }

    /** Units of each line still to ship (ordered, not refunded, not shipped), in line order. */
    public Map<String, Integer> unshippedQuantities(Order order) {
        Map<String, Integer> shipped = shippedQuantities(order.id());
        Map<String, Integer> remaining = new LinkedHashMap<>();
        for (OrderLine line : order.lines()) {
            remaining.put(
                    line.id(),
                    Math.max(0, line.quantity() - line.refundedQuantity() - shipped.getOrDefault(line.id(), 0)));
        }
        return remaining;
    }

    /**
     * Ships units of an order in one parcel: a shipment is created (label printed) and the order changes with it,
     * fulfilled when nothing is left to ship.
     *
     * @param lines the units to ship; empty: everything left to ship
     * @param trackingUrl null: the carrier's usual page for the number
     */
    public WriteResult createShipment(
            String orderId, List<ShipLine> lines, String carrier, String trackingNumber, String trackingUrl) {
        Optional<Order> found = state.get(EntityType.ORDER, orderId, Order.class);
        if (found.isEmpty()) {
            return new WriteResult.NotFound(EntityType.ORDER, orderId);
        }
        Order order = found.get();
        if (order.status() == OrderStatus.CANCELLED) {
            return new WriteResult.Invalid("order " + orderId + " is cancelled");
        }
        Map<String, Integer> remaining = unshippedQuantities(order);
        Map<String, Integer> wanted = new LinkedHashMap<>();
        if (lines.isEmpty()) {
            remaining.forEach((line, units) -> {
                if (units > 0) {
                    wanted.put(line, units);
                }
            });
        } else {
            for (ShipLine line : lines) {
                if (!remaining.containsKey(line.orderLineId())) {
                    return new WriteResult.NotFound(EntityType.ORDER, orderId + "/line/" + line.orderLineId());
                }
                if (line.quantity() <= 0) {
                    return new WriteResult.Invalid("quantity must be positive, was " + line.quantity());
                }
                wanted.merge(line.orderLineId(), line.quantity(), Integer::sum);
            }
        }
        if (wanted.isEmpty()) {
            return new WriteResult.Invalid("order " + orderId + " has nothing left to ship");
        }
        for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            if (line.getValue() > remaining.get(line.getKey())) {
                return new WriteResult.Invalid("line " + line.getKey() + " has " + remaining.get(line.getKey())
                        + " units left to ship, not " + line.getValue());
            }
        }
        List<Shipment.Line> shipped = new ArrayList<>();
        for (OrderLine line : order.lines()) {
            Integer units = wanted.get(line.id());
            if (units != null) {
                shipped.add(new Shipment.Line(
                        line.id(), line.productId(), line.variantId(), line.sku(), line.title(), units));
            }
        }
        boolean complete =
                remaining.entrySet().stream().allMatch(e -> e.getValue() - wanted.getOrDefault(e.getKey(), 0) == 0);
        Instant at = generator.timestamp(order.updatedAt());
        Shipment shipment = new Shipment(
                generator.nextId(IdKind.SHIPMENT),
                orderId,
                shipped,
                carrier,
                carrier,
                trackingNumber,
                trackingUrl != null ? trackingUrl : Shipment.trackingUrlOf(trackingNumber),
                Shipment.Progress.LABEL_PRINTED,
                1,
                at,
                at);
        Order changed = order.withStatus(complete ? OrderStatus.FULFILLED : order.status(), order.note(), at);
        state.put(shipment);
        state.put(changed);
        return new WriteResult.Applied(
                shipment,
                List.of(
                        new Notification(Notification.Kind.CREATED, shipment),
                        new Notification(Notification.Kind.UPDATED, changed)));
    }

    /**
     * Cancels an order; with {@code restock}, the units not refunded and not shipped go back to stock (each product's
     * level and the product change). Cancelling a cancelled order changes nothing.
     */
    public WriteResult cancelOrder(String orderId, boolean restock) {
        Optional<Order> found = state.get(EntityType.ORDER, orderId, Order.class);
        if (found.isEmpty()) {
            return new WriteResult.NotFound(EntityType.ORDER, orderId);
        }
        Order order = found.get();
        if (order.status() == OrderStatus.CANCELLED) {
            return new WriteResult.Unchanged(order);
        }
        List<Notification> notifications = new ArrayList<>();
        if (restock) {
            Map<String, Integer> remaining = unshippedQuantities(order);
            Map<String, Integer> back = new LinkedHashMap<>();
            for (OrderLine line : order.lines()) {
                back.merge(line.productId(), remaining.get(line.id()), Integer::sum);
            }
            for (Map.Entry<String, Integer> units : back.entrySet()) {
                Optional<Product> product = state.get(EntityType.PRODUCT, units.getKey(), Product.class);
                if (units.getValue() == 0 || product.isEmpty()) {
                    continue;
                }
                InventoryLevel level = levelOf(product.get()).orElseThrow();
                stock(level, product.get(), level.available() + units.getValue(), notifications);
            }
        }
        Order cancelled = order.withStatus(OrderStatus.CANCELLED, order.note(), generator.timestamp(order.updatedAt()));
        state.put(cancelled);
        notifications.add(0, new Notification(Notification.Kind.UPDATED, cancelled));
        return new WriteResult.Applied(cancelled, notifications);
    }

    /**
     * Sets an order's status (no stock moves: that is {@link #cancelOrder}); the same status changes nothing. Putting
     * an order ON_HOLD or CLOSED remembers the status it had ({@link #statusBefore}), to which {@link #releaseOrder}
     * returns it.
     */
    public WriteResult setOrderStatus(String orderId, OrderStatus status) {
        Optional<Order> found = state.get(EntityType.ORDER, orderId, Order.class);
        if (found.isEmpty()) {
            return new WriteResult.NotFound(EntityType.ORDER, orderId);
        }
        Order order = found.get();
        if (order.status() == status) {
            return new WriteResult.Unchanged(order);
        }
        if (suspended(status) && !suspended(order.status())) {
            statusBefore.put(orderId, order.status());
        } else if (!suspended(status)) {
            statusBefore.remove(orderId);
        }
        Order changed = order.withStatus(status, order.note(), generator.timestamp(order.updatedAt()));
        state.put(changed);
        return new WriteResult.Applied(changed, List.of(new Notification(Notification.Kind.UPDATED, changed)));
    }

    private static boolean suspended(OrderStatus status) {
        return status == OrderStatus.ON_HOLD || status == OrderStatus.CLOSED;
    }

    /**
     * Releases a held or closed order to the status it had before (Adobe Commerce's unhold, Shopify's orderOpen);
     * an order neither held nor closed is Invalid.
     */
    public WriteResult releaseOrder(String orderId) {
        Optional<Order> found = state.get(EntityType.ORDER, orderId, Order.class);
        if (found.isEmpty()) {
            return new WriteResult.NotFound(EntityType.ORDER, orderId);
        }
        if (!suspended(found.get().status())) {
            return new WriteResult.Invalid("order " + orderId + " is neither on hold nor closed");
        }
        return setOrderStatus(orderId, statusBefore.getOrDefault(orderId, OrderStatus.PAID));
    }

    /** The status a held or closed order had before (PAID when unknown); empty for an order neither held nor closed. */
    public Optional<OrderStatus> statusBefore(String orderId) {
        return state.get(EntityType.ORDER, orderId, Order.class)
                .filter(o -> suspended(o.status()))
                .map(o -> statusBefore.getOrDefault(orderId, OrderStatus.PAID));
    }

    /** Sets a product's (its one variant's) price; the same price changes nothing. */
    public WriteResult setPrice(String productId, BigDecimal price) {
        Optional<Product> found = state.get(EntityType.PRODUCT, productId, Product.class);
        if (found.isEmpty()) {
            return new WriteResult.NotFound(EntityType.PRODUCT, productId);
        }
        Product product = found.get();
        if (price.signum() < 0) {
            return new WriteResult.Invalid("price must not be negative, was " + price);
        }
        if (product.price().compareTo(price) == 0) {
            return new WriteResult.Unchanged(product);
        }
        Product changed = product.withPriceAndTitle(
                price.setScale(2, java.math.RoundingMode.HALF_UP),
                product.title(),
                generator.timestamp(product.updatedAt()));
        state.put(changed);
        return new WriteResult.Applied(changed, List.of(new Notification(Notification.Kind.UPDATED, changed)));
    }

    /**
     * Sets a product's price and its compare-at price (the regular price a sale is below; null: not on sale)
     * together; the same two change nothing.
     */
    public WriteResult setPrices(String productId, BigDecimal price, BigDecimal compareAtPrice) {
        Optional<Product> found = state.get(EntityType.PRODUCT, productId, Product.class);
        if (found.isEmpty()) {
            return new WriteResult.NotFound(EntityType.PRODUCT, productId);
        }
        if (price.signum() < 0 || (compareAtPrice != null && compareAtPrice.signum() < 0)) {
            return new WriteResult.Invalid("prices must not be negative");
        }
        Product product = found.get();
        Optional<BigDecimal> current = compareAtPrice(productId);
        boolean sameCompareAt = compareAtPrice == null
                ? current.isEmpty()
                : current.map(c -> c.compareTo(compareAtPrice) == 0).orElse(false);
        if (product.price().compareTo(price) == 0 && sameCompareAt) {
            return new WriteResult.Unchanged(product);
        }
        if (compareAtPrice == null) {
            compareAt.remove(productId);
        } else {
            compareAt.put(productId, compareAtPrice.setScale(2, java.math.RoundingMode.HALF_UP));
        }
        Product changed = product.withPriceAndTitle(
                price.setScale(2, java.math.RoundingMode.HALF_UP),
                product.title(),
                generator.timestamp(product.updatedAt()));
        state.put(changed);
        return new WriteResult.Applied(changed, List.of(new Notification(Notification.Kind.UPDATED, changed)));
    }

    /** The compare-at price of a product on sale ({@link #setPrices}); empty when it is not on sale. */
    public Optional<BigDecimal> compareAtPrice(String productId) {
        return Optional.ofNullable(compareAt.get(productId));
    }

    /**
     * Adds a note to an order (tracking where the platform has no fulfillment): the store's state changes (the note is
     * new: applied), the order does not (no version change, no notification). The note is the order's last in {@link
     * StoreState#notesOf}.
     */
    public WriteResult addNote(String orderId, String note, boolean customerNote) {
        Optional<Order> order = state.get(EntityType.ORDER, orderId, Order.class);
        if (order.isEmpty()) {
            return new WriteResult.NotFound(EntityType.ORDER, orderId);
        }
        state.addNote(orderId, note, customerNote, generator.timestamp(null));
        return new WriteResult.Applied(order.get(), List.of());
    }

    /** A product by its variant id (platforms that address stock and prices by variant). */
    public Optional<Product> productByVariant(String variantId) {
        return state.all(EntityType.PRODUCT).stream()
                .map(Product.class::cast)
                .filter(p -> p.variantId().equals(variantId))
                .findFirst();
    }

    /** Every product, by SKU (Amazon's listings search). */
    public List<Product> productsBySku() {
        return state.all(EntityType.PRODUCT).stream()
                .map(Product.class::cast)
                .sorted(java.util.Comparator.comparing(Product::sku))
                .toList();
    }

    /** A product by SKU (Adobe Commerce). */
    public Optional<Product> productBySku(String sku) {
        return state.all(EntityType.PRODUCT).stream()
                .map(Product.class::cast)
                .filter(p -> p.sku().equals(sku))
                .findFirst();
    }
}
