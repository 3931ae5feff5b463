package dev.commercesync.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.model.CatalogItem;
import dev.commercesync.simulator.model.Change;
import dev.commercesync.simulator.model.ChangeKind;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.OrderStatus;
import dev.commercesync.simulator.model.Product;
import dev.commercesync.simulator.model.WriteResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stores of the multichannel demo: the same catalogue by SKU on every platform, sales that take stock and are
 * refused when the store's level is too low, cancellations that restock, stock set by hand, and writes that set a level
 * (compare-and-set), each with the platform's webhooks.
 */
class MultichannelStoreTest {
    private static final List<CatalogItem> CATALOGUE = List.of(
            new CatalogItem("MUG-1", "Classic Mug", new BigDecimal("12.50"), 5),
            new CatalogItem("LAMP-2", "Compact Lamp", new BigDecimal("40.00"), 1),
            new CatalogItem("JAR-3", "Organic Jar", new BigDecimal("7.00"), 0));
    private static final AtomicInteger STORES = new AtomicInteger();
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

    static List<String> platforms() {
        return Dialects.names();
    }

    private static SimulatedStore store(String platform) {
        SimulatedStore store =
                simulator.addStore(StoreSpec.builder(platform, "mc-" + platform + "-" + STORES.incrementAndGet())
                        .sharedCatalog(CATALOGUE, 3)
                        .build());
        store.subscribeAll(receiver.url(platform));
        return store;
    }

    @Test
    void everyPlatformHasTheSameSkusWithItsOwnIds() {
        List<SimulatedStore> stores =
                platforms().stream().map(MultichannelStoreTest::store).toList();
        for (SimulatedStore store : stores) {
            assertEquals(Map.of("MUG-1", 5, "LAMP-2", 1, "JAR-3", 0), store.levelsBySku(), store.toString());
            assertEquals(3, store.state().count(EntityType.PRODUCT), store.toString());
        }
        Product shopify = product(stores.get(platforms().indexOf("shopify")), "MUG-1");
        Product woo = product(stores.get(platforms().indexOf("woocommerce")), "MUG-1");
        assertNotEquals(shopify.id(), woo.id(), "each platform numbers its products its own way");
        assertEquals(shopify.price(), woo.price());
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void aSaleTakesTheStoreSStockWithItsWebhooks(String platform) throws Exception {
        SimulatedStore store = store(platform);
        long deliveredBefore = store.stats().totalDelivered();

        Optional<Order> sold = store.sell("MUG-1", 2);

        assertTrue(sold.isPresent());
        assertEquals(OrderStatus.PAID, sold.get().status());
        assertEquals("MUG-1", sold.get().lines().get(0).sku());
        assertEquals(2, sold.get().lines().get(0).quantity());
        assertEquals(3, store.levelsBySku().get("MUG-1"));
        assertEquals(3, product(store, "MUG-1").stock(), "the product shows the stock too");
        Change change = store.changeLog().get(store.changeLog().size() - 1);
        assertEquals(ChangeKind.ORDER_PLACED, change.kind());
        assertEquals(Notification.Kind.CREATED, change.notifications().get(0).kind());
        InventoryLevel level = assertInstanceOf(
                InventoryLevel.class, change.notifications().get(1).entity());
        assertEquals(3, level.available());
        assertEquals("MUG-1", level.sku());
        assertTrue(store.awaitDeliveries(Duration.ofSeconds(10)));
        if (!store.topics().isEmpty()) { // Amazon (SQS/EventBridge only) and eBay notify nothing of these: polled
            assertTrue(
                    store.stats().totalDelivered() > deliveredBefore,
                    "the platform's webhooks about the order and its stock were sent");
        }
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void aSaleOfMoreThanTheStoreHasIsRefused(String platform) {
        SimulatedStore store = store(platform);
        int changes = store.changeLog().size();

        assertTrue(store.sell("LAMP-2", 2).isEmpty(), "one unit left, two wanted");
        assertTrue(store.sell("JAR-3", 1).isEmpty(), "none left");
        assertTrue(store.sell("LAMP-2", 1).isPresent(), "the last unit sells");
        assertTrue(store.sell("LAMP-2", 1).isEmpty(), "then the store is out of it");

        assertEquals(0, store.levelsBySku().get("LAMP-2"));
        assertEquals(0, store.levelsBySku().get("JAR-3"));
        assertEquals(changes + 1, store.changeLog().size(), "a refused sale changes nothing");
        assertThrows(IllegalArgumentException.class, () -> store.sell("NO-SUCH-SKU", 1));
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void aCancellationRestocksWhatWasNotShipped(String platform) {
        SimulatedStore store = store(platform);
        Order first = store.sell("MUG-1", 2).orElseThrow();
        Order second = store.sell("MUG-1", 1).orElseThrow();
        assertEquals(2, store.levelsBySku().get("MUG-1"));

        assertInstanceOf(WriteResult.Applied.class, store.cancel(first.id()));
        assertEquals(4, store.levelsBySku().get("MUG-1"), "the two units are back");
        assertInstanceOf(WriteResult.Unchanged.class, store.cancel(first.id()), "cancelled once only");
        assertEquals(4, store.levelsBySku().get("MUG-1"));

        assertInstanceOf(WriteResult.Applied.class, store.ship(second.id(), "UPS", "1Z999"));
        assertEquals(
                OrderStatus.FULFILLED,
                store.state()
                        .get(EntityType.ORDER, second.id(), Order.class)
                        .orElseThrow()
                        .status());
        store.cancel(second.id());
        assertEquals(4, store.levelsBySku().get("MUG-1"), "a shipped unit does not come back by a cancellation");
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void theMerchantSetsALevelByHand(String platform) {
        SimulatedStore store = store(platform);

        assertInstanceOf(WriteResult.Applied.class, store.setLevelByHand("JAR-3", 12));

        assertEquals(12, store.levelsBySku().get("JAR-3"));
        assertEquals(12, product(store, "JAR-3").stock());
        Change change = store.changeLog().get(store.changeLog().size() - 1);
        assertEquals(ChangeKind.STOCK_MOVED, change.kind());
        assertTrue(store.sell("JAR-3", 2).isPresent(), "the stock set by hand sells");
        assertInstanceOf(WriteResult.Unchanged.class, store.setLevelByHand("JAR-3", 10));
        assertInstanceOf(WriteResult.Applied.class, store.adjustLevelByHand("JAR-3", 5));
        assertEquals(15, store.levelsBySku().get("JAR-3"), "five more counted in");
        store.adjustLevelByHand("JAR-3", -20);
        assertEquals(0, store.levelsBySku().get("JAR-3"), "never below zero");
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void aWriteSetsTheLevelWhenItsExpectedQuantityIsCurrent(String platform) {
        SimulatedStore store = store(platform);
        Product mug = product(store, "MUG-1");
        String location = store.locationId();

        WriteResult stale = store.write("cmd-1", w -> w.setInventory(mug.inventoryItemId(), location, 9, 4));
        assertInstanceOf(WriteResult.Stale.class, stale, "the store has 5, not 4");
        assertEquals(5, store.levelsBySku().get("MUG-1"));

        store.sell("MUG-1", 1).orElseThrow();
        WriteResult set = store.write("cmd-2", w -> w.setInventory(mug.inventoryItemId(), location, 9, 4));
        assertInstanceOf(WriteResult.Applied.class, set);
        assertEquals(9, store.levelsBySku().get("MUG-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().pendingDeliveries() == 0);
    }

    private static Product product(SimulatedStore store, String sku) {
        return store.read(w -> w.productBySku(sku)).orElseThrow();
    }
}
