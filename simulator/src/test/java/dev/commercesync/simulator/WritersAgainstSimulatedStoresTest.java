package dev.commercesync.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.contract.CannedRoutes;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.CancelReason;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.Product;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each platform's real write client ({@code PlatformAdapter.writeClient}) against a simulated store of its platform,
 * over HTTP: every command kind the adapter declares applies, shows in the store's state, reads back APPLIED and
 * sends the platform's webhook; after a write answered with a 5xx or a timeout although it was applied, the
 * read-back says APPLIED and the store applied it once (issue 16's "applied exactly once after an ambiguous
 * failure"); unknown targets are NOT_FOUND, a stale compare-and-set CONFLICT with nothing applied, a rate-limited
 * write a RateLimitedException with the platform's wait.
 */
class WritersAgainstSimulatedStoresTest {
    private static final PlatformRegistry REGISTRY = PlatformRegistry.loadInstalled();
    /** One store per platform and scenario: each kind's command targets entities of its own (see {@link Target}). */
    private static final Map<String, SimulatedStore> STORES = new ConcurrentHashMap<>();

    private static Simulator simulator;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(0);
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        simulator.close();
        receiver.close();
    }

    /** Every registered platform with each command kind its adapter declares. */
    static Stream<Arguments> declaredKinds() {
        return Dialects.names().stream()
                .flatMap(platform -> REGISTRY.get(platform).capabilities().commandKinds().stream()
                        .sorted()
                        .map(kind -> Arguments.of(platform, kind)));
    }

    static List<String> platforms() {
        return Dialects.names();
    }

    // ---- the scenarios ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("declaredKinds")
    void everyDeclaredKindAppliesReadsBackAndEchoes(String platform, CommandKind kind) throws Exception {
        SimulatedStore store = store(platform, "applies", "none");
        Target target = Target.of(store, kind);
        PlatformWriteClient client = writer(store, Duration.ofSeconds(10));
        int before = receiver.received().size();

        WriteOutcome outcome = client.apply(target.command()).value();

        assertInstanceOf(WriteOutcome.Applied.class, outcome, () -> platform + " " + kind + ": " + outcome);
        assertTrue(target.effect().test(store), platform + " " + kind + ": the store's state shows the effect");
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(target.command()).value().effect());
        assertEquals(1L, target.appliedCount(store), "applied once");
        if (!store.topics().isEmpty()) { // Amazon sends no webhooks: the echo is polled
            awaitEcho(store, target, before);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("declaredKinds")
    void aServerErrorAfterApplyingReadsBackAppliedAndIsAppliedOnce(String platform, CommandKind kind) throws Exception {
        SimulatedStore store = store(platform, "server error", "none,write-error-after-apply=1");
        Target target = Target.of(store, kind);
        PlatformWriteClient client = writer(store, Duration.ofSeconds(10));

        PlatformApiException failure = assertThrows(PlatformApiException.class, () -> client.apply(target.command()));
        assertEquals(PlatformApiException.Kind.SERVER, failure.kind(), failure.getMessage());
        settleAsTheExecutorWould(client, target, PlatformApiException.Kind.SERVER);

        assertTrue(target.effect().test(store), "the store's state shows the effect");
        assertAppliedOnce(store, target);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("declaredKinds")
    void aTimeoutAfterApplyingReadsBackAppliedAndIsAppliedOnce(String platform, CommandKind kind) throws Exception {
        SimulatedStore store = store(platform, "timeout", "none,write-timeout-after-apply=1,write-hold=PT2S");
        Target target = Target.of(store, kind);
        PlatformWriteClient client = writer(store, Duration.ofMillis(400));

        PlatformApiException failure = assertThrows(PlatformApiException.class, () -> client.apply(target.command()));
        assertEquals(PlatformApiException.Kind.TRANSPORT, failure.kind(), failure.getMessage());
        settleAsTheExecutorWould(client, target, PlatformApiException.Kind.TRANSPORT);

        assertTrue(target.effect().test(store), "the store's state shows the effect");
        assertAppliedOnce(store, target);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("declaredKinds")
    void aCommandForAnUnknownEntityIsNotFound(String platform, CommandKind kind) throws Exception {
        SimulatedStore store = store(platform, "unknown", "none");
        Target target = Target.unknown(store, kind);
        PlatformWriteClient client = writer(store, Duration.ofSeconds(10));

        CannedRoutes.assertRejected(
                CommandResultReason.NOT_FOUND, client.apply(target.command()).value());
        assertEquals(
                ReadBack.Effect.NOT_FOUND,
                client.readBack(target.command()).value().effect());
        assertEquals(0, store.stats().writesApplied(), "nothing applied");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aPriceWithACompareAtPriceReadsBackAppliedOrIsUnsupported(String platform) throws Exception {
        SimulatedStore store = store(platform, "compare-at", "none");
        Target plain = Target.price(store);
        SetPrice price = (SetPrice) plain.command().getAction();
        BigDecimal compareAt = price.getPrice().getAmount().add(BigDecimal.TEN);
        SetPrice onSale =
                new SetPrice(price.getProductId(), price.getVariantId(), price.getPrice(), new Money(compareAt, "USD"));
        Command command = commandFor(store, price.getProductId(), onSale);
        PlatformWriteClient client = writer(store, Duration.ofSeconds(10));

        WriteOutcome outcome = client.apply(command).value();

        if (outcome instanceof WriteOutcome.Rejected rejected && rejected.reason() == CommandResultReason.UNSUPPORTED) {
            assertEquals(0, store.stats().writesApplied(), "nothing applied");
            return;
        }
        assertInstanceOf(WriteOutcome.Applied.class, outcome, outcome::toString);
        assertTrue(plain.effect().test(store), "the price is the one paid");
        Product product = products(store).get(1);
        assertEquals(
                Optional.of(compareAt.setScale(2, RoundingMode.HALF_UP)),
                store.read(w -> w.compareAtPrice(product.id())),
                "the compare-at price is kept");
        assertEquals(ReadBack.Effect.APPLIED, client.readBack(command).value().effect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aStaleCompareAndSetIsAConflictWithNothingApplied(String platform) throws Exception {
        SimulatedStore store = store(platform, "stale", "none");
        Target target = Target.inventory(store, 1);
        PlatformWriteClient client = writer(store, Duration.ofSeconds(10));

        CannedRoutes.assertRejected(
                CommandResultReason.CONFLICT, client.apply(target.command()).value());
        assertEquals(0, store.stats().writesApplied(), "nothing applied");
        assertFalse(target.effect().test(store), "the level is unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aRateLimitedWriteIsRateLimitedWithThePlatformsWait(String platform) throws Exception {
        SimulatedStore store = store(platform, "rate limited", "none,write-rate-limited=1");
        Target target = Target.inventory(store, 0);
        PlatformWriteClient client = writer(store, Duration.ofSeconds(10));

        RateLimitedException limited = assertThrows(RateLimitedException.class, () -> client.apply(target.command()));
        assertTrue(
                !limited.retryAfter().isNegative()
                        && !limited.retryAfter().isZero()
                        && limited.retryAfter().compareTo(Duration.ofMinutes(1)) <= 0,
                "the platform's wait: " + limited.retryAfter());
        assertEquals(0, store.stats().writesApplied(), "nothing applied");
        assertFalse(target.effect().test(store), "the level is unchanged");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void forcedWriteFaultsStrikeTheNextWritesInOrder(String platform) throws Exception {
        SimulatedStore store = store(platform, "forced", "none");
        store.faultNextWrites(Fault.WRITE_RATE_LIMITED, Fault.WRITE_ERROR_AFTER_APPLY);
        Target target = writable(store);
        PlatformWriteClient client = writer(store, Duration.ofSeconds(10));

        assertThrows(RateLimitedException.class, () -> client.apply(target.command()));
        assertFalse(target.effect().test(store), "the refused write applied nothing");
        PlatformApiException failure = assertThrows(PlatformApiException.class, () -> client.apply(target.command()));
        assertEquals(PlatformApiException.Kind.SERVER, failure.kind(), failure.getMessage());
        assertTrue(target.effect().test(store), "applied, then answered 5xx");
        assertEquals(1, store.stats().fault(Fault.WRITE_RATE_LIMITED));
        assertEquals(1, store.stats().fault(Fault.WRITE_ERROR_AFTER_APPLY));
        assertEquals(
                ReadBack.Effect.APPLIED,
                client.readBack(target.command()).value().effect());
        assertAppliedOnce(store, target);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void forcedWriteFaultsComeBeforeTheDice(String platform) throws Exception {
        // Every applied write is answered 5xx by the dice, but the forced timeout must strike the first one.
        SimulatedStore store = store(platform, "forced first", "none,write-error-after-apply=1,write-hold=PT2S");
        store.faultNextWrites(Fault.WRITE_TIMEOUT_AFTER_APPLY);
        Target target = writable(store);
        PlatformWriteClient client = writer(store, Duration.ofMillis(400));

        PlatformApiException failure = assertThrows(PlatformApiException.class, () -> client.apply(target.command()));
        assertEquals(PlatformApiException.Kind.TRANSPORT, failure.kind(), failure.getMessage());
        assertEquals(1, store.stats().fault(Fault.WRITE_TIMEOUT_AFTER_APPLY));
        assertEquals(0, store.stats().fault(Fault.WRITE_ERROR_AFTER_APPLY), "the dice waited for the forced fault");
    }

    // ---- stores and clients ----

    /**
     * The platform's store for a scenario (with its fault profile), made on first use: the kinds of one scenario share it,
     * each command aiming at entities of its own (the first product's stock, the second product's price, an order
     * still open for each order command).
     */
    private static SimulatedStore store(String platform, String scenario, String faults) {
        return STORES.computeIfAbsent(platform + " " + scenario, key -> {
            SimulatedStore store =
                    simulator.addStore(StoreSpec.builder(platform, "writers-" + platform + "-" + STORES.size())
                            .seed(31)
                            .catalog(6, 3)
                            .faults(FaultProfile.parse(faults))
                            .build());
            store.step(60);
            store.subscribeAll(receiver.url(platform));
            return store;
        });
    }

    /** The adapter's write client for the store, as the poller would make it from the store's registration. */
    private static PlatformWriteClient writer(SimulatedStore store, Duration timeout) {
        IngestRegistration registration = store.registration();
        return REGISTRY.get(registration.platform())
                .writeClient(new ApiConnection(
                        URI.create(registration.apiBaseUrl()),
                        ApiCredentials.parse(registration.apiCredentials()),
                        timeout));
    }

    /**
     * What the poller's executor does after an ambiguous failure: read back; while NOT_APPLIED (a command of several
     * requests whose first one was applied), apply again, which fails the same way under a fault of rate 1.
     */
    private static void settleAsTheExecutorWould(
            PlatformWriteClient client, Target target, PlatformApiException.Kind expected) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            ReadBack readBack = client.readBack(target.command()).value();
            if (readBack.effect() == ReadBack.Effect.APPLIED) {
                return;
            }
            assertEquals(ReadBack.Effect.NOT_APPLIED, readBack.effect(), readBack.toString());
            PlatformApiException again = assertThrows(PlatformApiException.class, () -> client.apply(target.command()));
            assertEquals(expected, again.kind(), again.getMessage());
        }
        fail("the read-back never said APPLIED");
    }

    private static void assertAppliedOnce(SimulatedStore store, Target target) {
        Map<String, Long> perKey = store.writesAppliedPerKey();
        assertFalse(perKey.isEmpty(), "the write was applied");
        assertTrue(perKey.values().stream().allMatch(n -> n == 1), "nothing applied twice: " + perKey);
        assertEquals(0, store.stats().writesAppliedTwice(), "nothing applied twice");
        assertEquals(1L, target.appliedCount(store), "the effect is there once");
    }

    /** Waits for the webhook the platform sends for the write: its topic, about the command's target. */
    private static void awaitEcho(SimulatedStore store, Target target, int before) {
        if (store.topics().isEmpty()) {
            return; // a platform that notifies nothing about these entities (eBay): the poller reads the change
        }
        PlatformAdapter adapter = REGISTRY.get(store.platform());
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .alias(store + ": a webhook about " + target.echoType() + " " + target.echoId())
                .until(() -> receiver.received().stream().skip(before).anyMatch(request -> {
                    WebhookDelivery delivery = adapter.describeDelivery(request);
                    return delivery.store()
                                    .map(store.storeId().toLowerCase()::equals)
                                    .orElse(false)
                            && mentions(request, target.echoId());
                }));
    }

    private static boolean mentions(WebhookRequest request, String id) {
        return new String(request.body(), java.nio.charset.StandardCharsets.UTF_8).matches("(?s).*\\b" + id + "\\b.*");
    }

    // ---- commands and their effects ----

    /**
     * A command for one of the store's entities, how the store's state shows its effect, how many times it is there,
     * and the entity its webhook names.
     */
    private record Target(
            Command command,
            Predicate<SimulatedStore> effect,
            java.util.function.ToLongFunction<SimulatedStore> counter,
            EntityType echoType,
            String echoId) {

        long appliedCount(SimulatedStore store) {
            return counter.applyAsLong(store);
        }

        static Target of(SimulatedStore store, CommandKind kind) {
            return switch (kind) {
                case SET_INVENTORY_LEVEL -> inventory(store, 0);
                case CREATE_SHIPMENT -> shipment(store);
                case CANCEL_ORDER -> cancel(store);
                case UPDATE_ORDER_STATUS -> status(store);
                case SET_PRICE -> price(store);
            };
        }

        /** The level of the first product set to its quantity + 7; {@code staleBy} off the current as expected. */
        static Target inventory(SimulatedStore store, int staleBy) {
            Product product = products(store).get(0);
            InventoryLevel level = levelOf(store, product);
            CommandIds ids = CommandIds.of(store, product);
            int quantity = level.available() + 7;
            SetInventoryLevel set = new SetInventoryLevel(
                    ids.stockItem(), ids.location(), (long) quantity, (long) level.available() + staleBy);
            return new Target(
                    commandFor(store, ids.levelId(), set),
                    s -> levelOf(s, product).available() == quantity,
                    s -> levelOf(s, product).available() == quantity ? 1 : 0,
                    EntityType.PRODUCT,
                    ids.productId().equals(product.sku()) ? product.sku() : product.id());
        }

        static Target shipment(SimulatedStore store) {
            Order order = openOrder(store);
            String number = "1ZWSIM" + store.key().hashCode();
            List<ShipmentLine> lines = order.lines().stream()
                    .map(l -> new ShipmentLine(l.id(), (long) l.quantity()))
                    .toList();
            CreateShipment action = new CreateShipment(order.id(), lines, "UPS", number, null, false);
            return new Target(
                    commandFor(store, order.id(), action),
                    s -> shipments(s, order.id(), number) == 1,
                    s -> shipments(s, order.id(), number),
                    EntityType.ORDER,
                    order.id());
        }

        /** Shipments of the order with the tracking number, or order notes naming it where there is no shipment. */
        private static long shipments(SimulatedStore store, String orderId, String number) {
            return store.state().shipmentsOf(orderId).stream()
                            .filter(s -> s.trackingNumber().equals(number))
                            .count()
                    + store.state().notesOf(orderId).stream()
                            .filter(n -> n.note().contains(number))
                            .count();
        }

        static Target cancel(SimulatedStore store) {
            Order order = openOrder(store);
            return new Target(
                    commandFor(store, order.id(), new CancelOrder(order.id(), CancelReason.CUSTOMER, true, false)),
                    s -> statusOf(s, order.id()) == dev.commercesync.simulator.model.OrderStatus.CANCELLED,
                    s -> statusOf(s, order.id()) == dev.commercesync.simulator.model.OrderStatus.CANCELLED ? 1 : 0,
                    EntityType.ORDER,
                    order.id());
        }

        /** The first of the statuses an open order can be put in that the platform's writer supports. */
        static Target status(SimulatedStore store) {
            Order order = openOrder(store);
            PlatformWriteClient probe = REGISTRY.get(store.platform())
                    .writeClient(new ApiConnection(
                            URI.create(simulator.baseUrl() + "/stores/no-such-store"), store.credentials()));
            for (OrderStatus status : List.of(OrderStatus.ON_HOLD, OrderStatus.ARCHIVED)) {
                Command command = commandFor(store, order.id(), new UpdateOrderStatus(order.id(), status));
                if (!unsupported(probe, command)) {
                    dev.commercesync.simulator.model.OrderStatus simulated = status == OrderStatus.ON_HOLD
                            ? dev.commercesync.simulator.model.OrderStatus.ON_HOLD
                            : dev.commercesync.simulator.model.OrderStatus.CLOSED;
                    return new Target(
                            command,
                            s -> statusOf(s, order.id()) == simulated,
                            s -> statusOf(s, order.id()) == simulated ? 1 : 0,
                            EntityType.ORDER,
                            order.id());
                }
            }
            throw new AssertionError(store.platform() + " supports neither ON_HOLD nor ARCHIVED");
        }

        static Target price(SimulatedStore store) {
            Product product = products(store).get(1);
            CommandIds ids = CommandIds.of(store, product);
            BigDecimal amount = product.price().add(new BigDecimal("1.25")).setScale(2, RoundingMode.HALF_UP);
            SetPrice set = new SetPrice(ids.productId(), ids.variantId(), new Money(amount.setScale(6), "USD"), null);
            return new Target(
                    commandFor(store, ids.productId(), set),
                    s -> productOf(s, product.id()).price().compareTo(amount) == 0,
                    s -> productOf(s, product.id()).price().compareTo(amount) == 0 ? 1 : 0,
                    EntityType.PRODUCT,
                    ids.productId());
        }

        /** The kind's command for an entity the store does not have. */
        static Target unknown(SimulatedStore store, CommandKind kind) {
            Target real = of(store, kind);
            Command command = real.command();
            Object action = command.getAction();
            String missing = "990000";
            Object changed =
                    switch (kind) {
                        case SET_INVENTORY_LEVEL -> {
                            SetInventoryLevel set = (SetInventoryLevel) action;
                            yield new SetInventoryLevel(
                                    store.platform().equals("magento2") ? "SKU-" + missing : missing,
                                    set.getLocationId(),
                                    set.getQuantity(),
                                    null);
                        }
                        case CREATE_SHIPMENT -> {
                            CreateShipment s = (CreateShipment) action;
                            yield new CreateShipment(
                                    missing, s.getLines(), s.getCarrier(), s.getTrackingNumber(), null, false);
                        }
                        case CANCEL_ORDER -> new CancelOrder(missing, CancelReason.CUSTOMER, true, false);
                        case UPDATE_ORDER_STATUS ->
                            new UpdateOrderStatus(missing, ((UpdateOrderStatus) action).getStatus());
                        case SET_PRICE -> {
                            SetPrice p = (SetPrice) action;
                            boolean bySku = store.platform().equals("magento2");
                            yield new SetPrice(
                                    bySku ? "SKU-" + missing : missing,
                                    p.getVariantId() == null ? null : missing,
                                    p.getPrice(),
                                    null);
                        }
                    };
            String entityId = missing;
            if (changed instanceof SetInventoryLevel set) {
                entityId = set.getLocationId() == null ? set.getItemId() : set.getItemId() + "@" + set.getLocationId();
            } else if (changed instanceof SetPrice p) {
                entityId = p.getProductId();
            }
            return new Target(commandFor(store, entityId, changed), s -> false, s -> 0, real.echoType(), missing);
        }
    }

    /** A price where the platform writes prices, else the first product's stock (Amazon writes no prices). */
    private static Target writable(SimulatedStore store) {
        return REGISTRY.get(store.platform()).capabilities().supports(CommandKind.SET_PRICE)
                ? Target.price(store)
                : Target.inventory(store, 0);
    }

    private static boolean unsupported(PlatformWriteClient probe, Command command) {
        try {
            return probe.apply(command).value() instanceof WriteOutcome.Rejected rejected
                    && rejected.reason() == CommandResultReason.UNSUPPORTED;
        } catch (PlatformApiException e) {
            return false; // it tried the (unreachable) platform: supported
        }
    }

    private static Command commandFor(SimulatedStore store, String entityId, Object action) {
        return CannedRoutes.command(store.platform(), entityId, action);
    }

    private static List<Product> products(SimulatedStore store) {
        return store.state().all(EntityType.PRODUCT).stream()
                .map(Product.class::cast)
                .toList();
    }

    private static Product productOf(SimulatedStore store, String id) {
        return store.state().get(EntityType.PRODUCT, id, Product.class).orElseThrow();
    }

    private static InventoryLevel levelOf(SimulatedStore store, Product product) {
        return CommandIds.levelOf(store, product);
    }

    /** An order with nothing shipped, refunded or cancelled, not yet paid for (every platform can change it). */
    private static Order openOrder(SimulatedStore store) {
        return store.state().all(EntityType.ORDER).stream()
                .map(Order.class::cast)
                .filter(o -> o.status() == dev.commercesync.simulator.model.OrderStatus.PENDING
                        || o.status() == dev.commercesync.simulator.model.OrderStatus.PAID)
                .filter(o -> o.refunded().signum() == 0)
                .filter(o -> store.state().shipmentsOf(o.id()).isEmpty())
                .findFirst()
                .orElseThrow(() -> new AssertionError(store + " has no open order"));
    }

    private static dev.commercesync.simulator.model.OrderStatus statusOf(SimulatedStore store, String orderId) {
        return store.state()
                .get(EntityType.ORDER, orderId, Order.class)
                .orElseThrow()
                .status();
    }
}
