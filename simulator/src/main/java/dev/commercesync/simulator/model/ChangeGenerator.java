package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * Generates a store's entity changes from a seed. Reproducible: the same seed, id starts and clock give the same
 * sequence of changes (kinds, ids, values, versions); with a wall clock only the timestamps differ between runs.
 * Platform-neutral: the dialects render what it makes. Not thread-safe: the store calls it under its lock.
 *
 * <p>Timestamps have whole seconds (the platforms' precision) and strictly increase per entity: an entity changed
 * twice within a second gets the next second, so two versions never share an updated-at.
 */
public final class ChangeGenerator {
    public static final String CURRENCY = "USD";
    private static final int RECENT_ORDERS = 200;

    private static final String[] FIRST_NAMES = {
        "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kira", "Liam", "Mona", "Nils"
    };
    private static final String[] LAST_NAMES = {
        "Archer", "Brook", "Castro", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Kowalski"
    };
    private static final String[] ADJECTIVES = {"Classic", "Organic", "Vintage", "Compact", "Premium", "Everyday"};
    private static final String[] NOUNS = {"Mug", "Backpack", "Lamp", "Scarf", "Notebook", "Teapot", "Sneaker", "Jar"};
    private static final Address[] ADDRESSES = {
        new Address("151 O'Connor Street", "Ottawa", "Ontario", "ON", "K2P 2L8", "Canada", "CA", "555-555-0101"),
        new Address("969 Market", "San Francisco", "California", "CA", "94103", "United States", "US", "555-555-0102"),
        new Address("555 East Street", "Austin", "Texas", "TX", "78108", "United States", "US", "555-555-0103"),
        new Address("12 Quay Road", "Portland", "Oregon", "OR", "97201", "United States", "US", "555-555-0104"),
    };

    /** Carrier and service, as both Shopify and BigCommerce name them. */
    private static final String[][] CARRIERS = {
        {"UPS", "UPS Ground"}, {"USPS", "Priority Mail"}, {"FedEx", "FedEx Home Delivery"}, {"DHL Express", "Express"}
    };

    private final SplittableRandom random;
    private final Clock clock;
    private final Map<IdKind, Long> nextIds = new EnumMap<>(IdKind.class);
    private long sequence;

    /** @param firstId where each id sequence starts (the dialect's platform id style) */
    public ChangeGenerator(long seed, ToLongFunction<IdKind> firstId, Clock clock) {
        this.random = new SplittableRandom(seed);
        this.clock = clock;
        for (IdKind kind : IdKind.values()) {
            nextIds.put(kind, firstId.applyAsLong(kind));
        }
    }

    String nextId(IdKind kind) {
        long id = nextIds.get(kind);
        nextIds.put(kind, id + 1);
        return Long.toString(id);
    }

    /** The store's one location id. */
    public String locationId() {
        return Long.toString(nextIds.get(IdKind.LOCATION));
    }

    /** Now in whole seconds, after {@code previous} (the entity's last updated-at) when there is one. */
    Instant timestamp(Instant previous) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return previous != null && !now.isAfter(previous) ? previous.plusSeconds(1) : now;
    }

    /** Creates the store's starting catalog (no notifications: it existed before anyone subscribed). */
    public void seedCatalog(StoreState state, int products, int customers) {
        for (int i = 0; i < products; i++) {
            newProduct(state);
        }
        for (int i = 0; i < customers; i++) {
            newCustomer(state);
        }
    }

    /**
     * Creates the store's starting catalog from a shared catalogue (one product per item: the platform's ids, the
     * item's SKU, title, price and stock) and {@code customers} customers; no notifications.
     */
    public void seedCatalog(StoreState state, List<CatalogItem> catalog, int customers) {
        for (CatalogItem item : catalog) {
            Instant at = timestamp(null);
            putProduct(
                    state,
                    nextId(IdKind.PRODUCT),
                    item.title(),
                    item.sku(),
                    item.price().setScale(2, RoundingMode.HALF_UP),
                    item.stock(),
                    at,
                    at,
                    1);
        }
        for (int i = 0; i < customers; i++) {
            newCustomer(state);
        }
    }

    /**
     * Creates {@code count} products or customers that existed before anyone subscribed (no notifications), each last
     * updated at a random whole second of {@code [from, to)} (uniform), created up to a year before that, at version 1
     * to 5: a store with history, for benchmarks that need many entities spread over time (a million in seconds).
     *
     * @return the created entities in creation order
     */
    public List<SimEntity> seedHistory(StoreState state, EntityType type, int count, Instant from, Instant to) {
        if (type != EntityType.PRODUCT && type != EntityType.CUSTOMER) {
            throw new IllegalArgumentException("history is seeded for products and customers, not " + type);
        }
        long first = from.truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
        long seconds = to.truncatedTo(ChronoUnit.SECONDS).getEpochSecond() - first;
        if (seconds < 1) {
            throw new IllegalArgumentException("empty range " + from + " – " + to);
        }
        List<SimEntity> created = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant updatedAt = Instant.ofEpochSecond(first + random.nextLong(seconds));
            Instant createdAt = updatedAt.minusSeconds(random.nextLong(365L * 24 * 3600));
            long version = 1 + random.nextInt(5);
            created.add(
                    type == EntityType.PRODUCT
                            ? newProduct(state, createdAt, updatedAt, version)
                            : newCustomer(state, createdAt, updatedAt, version));
        }
        return created;
    }

    /**
     * An edit of one product or customer at {@code at} (its version goes up, its content stays), with no
     * notification: a change whose webhook never arrived, for tests and benchmarks of reconciliation.
     */
    public SimEntity touch(StoreState state, EntityType type, String id, Instant at) {
        SimEntity edited =
                switch (type) {
                    case PRODUCT ->
                        state.get(type, id, Product.class)
                                .map(p -> p.withPriceAndTitle(p.price(), p.title(), at))
                                .orElseThrow(() -> new IllegalArgumentException("no product " + id));
                    case CUSTOMER ->
                        state.get(type, id, Customer.class)
                                .map(c -> c.withAddress(c.address(), at))
                                .orElseThrow(() -> new IllegalArgumentException("no customer " + id));
                    default ->
                        throw new IllegalArgumentException("only products and customers are touched, not " + type);
                };
        state.put(edited);
        return edited;
    }

    /** Generates and applies the next change. */
    public Change next(StoreState state) {
        ChangeKind kind = pickKind();
        List<Notification> notifications =
                switch (kind) {
                    case ORDER_PLACED -> placeOrder(state);
                    case ORDER_EDITED -> editOrder(state);
                    case ORDER_REFUNDED -> refundOrder(state);
                    case SHIPMENT_TRACKED -> trackShipment(state);
                    case STOCK_MOVED -> moveStock(state);
                    case PRODUCT_EDITED -> editProduct(state);
                    case CUSTOMER_CREATED -> List.of(new Notification(Notification.Kind.CREATED, newCustomer(state)));
                    case CUSTOMER_UPDATED -> updateCustomer(state);
                };
        if (notifications.isEmpty()) {
            // The picked change had nothing to act on (no open order yet): an order is always possible.
            kind = ChangeKind.ORDER_PLACED;
            notifications = placeOrder(state);
        }
        return new Change(++sequence, kind, notifications);
    }

    private ChangeKind pickKind() {
        int total = 0;
        for (ChangeKind kind : ChangeKind.values()) {
            total += kind.weight();
        }
        int pick = random.nextInt(total);
        for (ChangeKind kind : ChangeKind.values()) {
            pick -= kind.weight();
            if (pick < 0) {
                return kind;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private Product newProduct(StoreState state) {
        Instant at = timestamp(null);
        return newProduct(state, at, at, 1);
    }

    private Product newProduct(StoreState state, Instant createdAt, Instant at, long version) {
        String id = nextId(IdKind.PRODUCT);
        String title = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)] + " "
                + id.substring(Math.max(0, id.length() - 4));
        BigDecimal price = BigDecimal.valueOf(500 + random.nextInt(9500), 2);
        int stock = 10 + random.nextInt(90);
        return putProduct(state, id, title, Product.skuOf(id), price, stock, createdAt, at, version);
    }

    /** A product of one variant and its level at the store's location, with the variant's and item's next ids. */
    private Product putProduct(
            StoreState state,
            String id,
            String title,
            String sku,
            BigDecimal price,
            int stock,
            Instant createdAt,
            Instant at,
            long version) {
        Product product = new Product(
                id,
                nextId(IdKind.VARIANT),
                nextId(IdKind.INVENTORY_ITEM),
                title,
                title.toLowerCase(Locale.ROOT).replace(' ', '-'),
                sku,
                "Simulated Goods",
                price,
                stock,
                version,
                createdAt,
                at);
        state.put(product);
        state.put(new InventoryLevel(
                product.inventoryItemId(), locationId(), id, product.variantId(), sku, stock, 1, createdAt, at));
        return product;
    }

    private Customer newCustomer(StoreState state) {
        Instant at = timestamp(null);
        return newCustomer(state, at, at, 1);
    }

    private Customer newCustomer(StoreState state, Instant createdAt, Instant at, long version) {
        String id = nextId(IdKind.CUSTOMER);
        String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
        String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        Customer customer = new Customer(
                id,
                first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + "." + id + "@example.com",
                first,
                last,
                ADDRESSES[random.nextInt(ADDRESSES.length)],
                version,
                createdAt,
                at);
        state.put(customer);
        return customer;
    }

    private List<Notification> placeOrder(StoreState state) {
        if (state.count(EntityType.PRODUCT) == 0) {
            newProduct(state);
        }
        Customer customer = anyCustomer(state);
        int lineCount = 1 + random.nextInt(3);
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < lineCount; i++) {
            Product product = state.randomRecentId(EntityType.PRODUCT, Integer.MAX_VALUE, random)
                    .flatMap(id -> state.get(EntityType.PRODUCT, id, Product.class))
                    .orElseThrow();
            lines.add(new OrderLine(
                    nextId(IdKind.LINE_ITEM),
                    product.id(),
                    product.variantId(),
                    product.sku(),
                    product.title(),
                    1 + random.nextInt(3),
                    product.price(),
                    0));
        }
        Instant at = timestamp(null);
        Order order = putOrder(
                state,
                customer,
                lines,
                BigDecimal.valueOf(random.nextBoolean() ? 500 : 1000, 2),
                OrderStatus.PENDING,
                at);
        return List.of(new Notification(Notification.Kind.CREATED, order));
    }

    /** A random customer of the store (one is created when it has none). */
    private Customer anyCustomer(StoreState state) {
        if (state.count(EntityType.CUSTOMER) == 0) {
            newCustomer(state);
        }
        return state.randomRecentId(EntityType.CUSTOMER, Integer.MAX_VALUE, random)
                .flatMap(id -> state.get(EntityType.CUSTOMER, id, Customer.class))
                .orElseThrow();
    }

    /** A new order of {@code customer} (the buyer copied at checkout), at version 1. */
    private Order putOrder(
            StoreState state,
            Customer customer,
            List<OrderLine> lines,
            BigDecimal shipping,
            OrderStatus status,
            Instant at) {
        Order order = new Order(
                nextId(IdKind.ORDER),
                Long.parseLong(nextId(IdKind.ORDER_NUMBER)),
                customer.id(),
                customer.email(),
                customer.firstName(),
                customer.lastName(),
                customer.address(),
                CURRENCY,
                lines,
                shipping,
                status,
                BigDecimal.ZERO.setScale(2),
                null,
                1,
                at,
                at);
        state.put(order);
        return order;
    }

    private Optional<Order> recentOrder(StoreState state) {
        return state.randomRecentId(EntityType.ORDER, RECENT_ORDERS, random)
                .flatMap(id -> state.get(EntityType.ORDER, id, Order.class));
    }

    /**
     * Pending → paid (or cancelled, one in five) → fulfilled, which ships the order (a shipment is created with it); a
     * final order gets a note instead.
     */
    private List<Notification> editOrder(StoreState state) {
        Optional<Order> picked = recentOrder(state);
        if (picked.isEmpty()) {
            return List.of();
        }
        Order order = picked.get();
        if (order.status() == OrderStatus.PAID && !order.fullyRefunded()) {
            return shipOrder(state, order);
        }
        Order edited =
                switch (order.status()) {
                    case PENDING ->
                        random.nextInt(5) == 0
                                ? order.withStatus(OrderStatus.CANCELLED, order.note(), timestamp(order.updatedAt()))
                                : order.withStatus(OrderStatus.PAID, order.note(), timestamp(order.updatedAt()));
                    case PAID -> order.withStatus(OrderStatus.FULFILLED, order.note(), timestamp(order.updatedAt()));
                    default ->
                        // final, or set by a client's write (held, failed, refunded, closed): a note only
                        order.withStatus(order.status(), "note " + (order.version() + 1), timestamp(order.updatedAt()));
                };
        state.put(edited);
        return List.of(new Notification(Notification.Kind.UPDATED, edited));
    }

    /** The units not refunded leave in one parcel: the shipment is created and the order is fulfilled. */
    private List<Notification> shipOrder(StoreState state, Order order) {
        Instant at = timestamp(order.updatedAt());
        String[] carrier = CARRIERS[random.nextInt(CARRIERS.length)];
        String trackingNumber = "1Z" + (100_000_000L + random.nextLong(900_000_000L));
        List<Shipment.Line> lines = order.lines().stream()
                .filter(l -> l.refundedQuantity() < l.quantity())
                .map(l -> new Shipment.Line(
                        l.id(), l.productId(), l.variantId(), l.sku(), l.title(), l.quantity() - l.refundedQuantity()))
                .toList();
        Shipment shipment = new Shipment(
                nextId(IdKind.SHIPMENT),
                order.id(),
                lines,
                carrier[0],
                carrier[1],
                trackingNumber,
                Shipment.trackingUrlOf(trackingNumber),
                Shipment.Progress.LABEL_PRINTED,
                1,
                at,
                at);
        Order fulfilled = order.withStatus(OrderStatus.FULFILLED, order.note(), at);
        state.put(shipment);
        state.put(fulfilled);
        return List.of(
                new Notification(Notification.Kind.CREATED, shipment),
                new Notification(Notification.Kind.UPDATED, fulfilled));
    }

    /**
     * The carrier scans a recent undelivered parcel: its shipment moves on (in transit, then delivered), and its order
     * changes with it, as the platforms' orders do when a fulfillment changes (their shipment listings rely on that).
     */
    private List<Notification> trackShipment(StoreState state) {
        Optional<Shipment> picked = state.randomRecentId(EntityType.SHIPMENT, RECENT_ORDERS, random)
                .flatMap(id -> state.get(EntityType.SHIPMENT, id, Shipment.class))
                .filter(s -> s.progress() != Shipment.Progress.DELIVERED)
                .filter(s -> !state.reserved(EntityType.ORDER, s.orderId()));
        if (picked.isEmpty()) {
            return List.of();
        }
        Shipment shipment = picked.get();
        Order order =
                state.get(EntityType.ORDER, shipment.orderId(), Order.class).orElseThrow();
        Instant at =
                timestamp(shipment.updatedAt().isAfter(order.updatedAt()) ? shipment.updatedAt() : order.updatedAt());
        Shipment tracked = shipment.withProgress(
                Shipment.Progress.values()[shipment.progress().ordinal() + 1], at);
        Order touched = order.withStatus(order.status(), order.note(), at);
        state.put(tracked);
        state.put(touched);
        return List.of(
                new Notification(Notification.Kind.UPDATED, tracked),
                new Notification(Notification.Kind.UPDATED, touched));
    }

    /** One unit of one line of a paid or fulfilled order goes back; the order changes with it. */
    private List<Notification> refundOrder(StoreState state) {
        Optional<Order> picked = recentOrder(state)
                .filter(o -> o.status() == OrderStatus.PAID || o.status() == OrderStatus.FULFILLED)
                .filter(o -> !o.fullyRefunded());
        if (picked.isEmpty()) {
            return List.of();
        }
        Order order = picked.get();
        List<OrderLine> refundable = order.lines().stream()
                .filter(l -> l.refundedQuantity() < l.quantity())
                .toList();
        OrderLine line = refundable.get(random.nextInt(refundable.size()));
        Instant at = timestamp(order.updatedAt());
        Refund refund =
                new Refund(nextId(IdKind.REFUND), order.id(), line.id(), 1, line.unitPrice(), "Customer return", at);
        List<OrderLine> lines = order.lines().stream()
                .map(l -> l.id().equals(line.id()) ? l.withOneMoreRefunded() : l)
                .toList();
        Order refunded = order.withRefund(lines, line.unitPrice(), at);
        state.put(refund);
        state.put(refunded);
        return List.of(
                new Notification(Notification.Kind.CREATED, refund),
                new Notification(Notification.Kind.UPDATED, refunded));
    }

    private Optional<Product> anyProduct(StoreState state) {
        return state.randomRecentId(EntityType.PRODUCT, Integer.MAX_VALUE, random)
                .flatMap(id -> state.get(EntityType.PRODUCT, id, Product.class));
    }

    /** Stock arrives or leaves (never below zero); the level and the product (which shows stock) change. */
    private List<Notification> moveStock(StoreState state) {
        Optional<Product> picked = anyProduct(state);
        if (picked.isEmpty()) {
            return List.of();
        }
        Product product = picked.get();
        int delta = random.nextBoolean() ? 1 + random.nextInt(20) : -(1 + random.nextInt(5));
        int stock = Math.max(0, product.stock() + delta);
        InventoryLevel level = state.get(
                        EntityType.INVENTORY_LEVEL,
                        product.inventoryItemId() + "@" + locationId(),
                        InventoryLevel.class)
                .orElseThrow();
        List<Notification> notifications = new ArrayList<>();
        stock(state, level, product, stock, notifications);
        return notifications;
    }

    /**
     * A product's level and the product (which shows stock) move to {@code quantity} together, at one time (strictly
     * after both last changed); their notifications, level first, are added to {@code out}.
     */
    InventoryLevel stock(
            StoreState state, InventoryLevel level, Product product, int quantity, List<Notification> out) {
        Instant at =
                timestamp(level.updatedAt().isAfter(product.updatedAt()) ? level.updatedAt() : product.updatedAt());
        InventoryLevel movedLevel = level.withAvailable(quantity, at);
        Product movedProduct = product.withStock(quantity, at);
        state.put(movedLevel);
        state.put(movedProduct);
        out.add(new Notification(Notification.Kind.UPDATED, movedLevel));
        out.add(new Notification(Notification.Kind.UPDATED, movedProduct));
        return movedLevel;
    }

    /**
     * A customer buys {@code quantity} units of the product with {@code sku}, as the platforms that deny overselling
     * take an order: refused (empty, nothing changes) when the store's level of it is below {@code quantity};
     * otherwise a paid order of one line is created and the level (and product) go down by {@code quantity} at once.
     * The notifications: the order created, then the level and the product updated.
     *
     * @throws IllegalArgumentException when the store has no product with that SKU
     */
    public List<Notification> sell(StoreState state, String sku, int quantity) {
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be positive, was " + quantity);
        }
        Product product = state.all(EntityType.PRODUCT).stream()
                .map(Product.class::cast)
                .filter(p -> p.sku().equals(sku))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no product with SKU " + sku));
        InventoryLevel level = state.get(
                        EntityType.INVENTORY_LEVEL,
                        product.inventoryItemId() + "@" + locationId(),
                        InventoryLevel.class)
                .orElseThrow();
        if (level.available() < quantity) {
            return List.of();
        }
        Customer customer = anyCustomer(state);
        OrderLine line = new OrderLine(
                nextId(IdKind.LINE_ITEM),
                product.id(),
                product.variantId(),
                product.sku(),
                product.title(),
                quantity,
                product.price(),
                0);
        Order order =
                putOrder(state, customer, List.of(line), BigDecimal.valueOf(500, 2), OrderStatus.PAID, timestamp(null));
        List<Notification> notifications = new ArrayList<>();
        notifications.add(new Notification(Notification.Kind.CREATED, order));
        stock(state, level, product, level.available() - quantity, notifications);
        return notifications;
    }

    /** A change made outside {@link #next} (a driver's sale, cancellation, stock edit): the store's next sequence. */
    public Change change(ChangeKind kind, List<Notification> notifications) {
        return new Change(++sequence, kind, notifications);
    }

    /** A price change of up to ±10 % (exact cents), sometimes a new title. */
    private List<Notification> editProduct(StoreState state) {
        Optional<Product> picked = anyProduct(state);
        if (picked.isEmpty()) {
            return List.of();
        }
        Product product = picked.get();
        BigDecimal factor = BigDecimal.valueOf(90 + random.nextInt(21), 2);
        BigDecimal price = product.price().multiply(factor).setScale(2, RoundingMode.HALF_UP);
        if (price.signum() <= 0) {
            price = BigDecimal.valueOf(100, 2);
        }
        String title = random.nextInt(4) == 0
                ? ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " "
                        + product.title().substring(product.title().indexOf(' ') + 1)
                : product.title();
        Product edited = product.withPriceAndTitle(price, title, timestamp(product.updatedAt()));
        state.put(edited);
        return List.of(new Notification(Notification.Kind.UPDATED, edited));
    }

    private List<Notification> updateCustomer(StoreState state) {
        Optional<Customer> picked = state.randomRecentId(EntityType.CUSTOMER, Integer.MAX_VALUE, random)
                .flatMap(id -> state.get(EntityType.CUSTOMER, id, Customer.class));
        if (picked.isEmpty()) {
            return List.of();
        }
        Customer customer = picked.get();
        Address moved = ADDRESSES[random.nextInt(ADDRESSES.length)];
        Address address = new Address(
                (1 + random.nextInt(999)) + " "
                        + moved.address1().substring(moved.address1().indexOf(' ') + 1),
                moved.city(),
                moved.province(),
                moved.provinceCode(),
                moved.zip(),
                moved.country(),
                moved.countryCode(),
                moved.phone());
        Customer updated = customer.withAddress(address, timestamp(customer.updatedAt()));
        state.put(updated);
        return List.of(new Notification(Notification.Kind.UPDATED, updated));
    }
}
