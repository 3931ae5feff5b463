package dev.commercesync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.model.Change;
import dev.commercesync.simulator.model.ChangeKind;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.Product;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seeded, reproducible generation; the state the simulator exposes; load mode; presets. */
class GenerationTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static Simulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static List<String> run(String platform, String key, long seed) {
        SimulatedStore store = simulator.addStore(
                StoreSpec.builder(platform, key).seed(seed).clock(FIXED).build());
        return store.step(300).stream().map(Change::describe).toList();
    }

    @Test
    void sameSeedSameChanges() {
        assertEquals(run("shopify", "seed-a", 42), run("shopify", "seed-b", 42));
        assertNotEquals(run("shopify", "seed-c", 42), run("shopify", "seed-d", 43));
    }

    @Test
    void reservedEntitiesAreLeftAloneByTheGeneratedChanges() {
        SimulatedStore store = simulator.addStore(StoreSpec.builder("shopify", "reserved")
                .seed(9)
                .clock(FIXED)
                .catalog(4, 2)
                .build());
        Product product = (Product) store.state().all(EntityType.PRODUCT).get(0);
        store.reserve(EntityType.PRODUCT, product.id());
        store.step(100);
        Order order = store.state().all(EntityType.ORDER).stream()
                .map(Order.class::cast)
                .findFirst()
                .orElseThrow();
        store.reserve(EntityType.ORDER, order.id());
        long orderVersion = store.state()
                .get(EntityType.ORDER, order.id(), Order.class)
                .orElseThrow()
                .version();

        List<Change> changes = store.step(400);

        assertEquals(
                product.version(),
                store.state()
                        .get(EntityType.PRODUCT, product.id(), Product.class)
                        .orElseThrow()
                        .version(),
                "the reserved product never changed");
        assertEquals(
                orderVersion,
                store.state()
                        .get(EntityType.ORDER, order.id(), Order.class)
                        .orElseThrow()
                        .version(),
                "the reserved order never changed");
        assertTrue(
                store.state().all(EntityType.ORDER).stream()
                        .map(Order.class::cast)
                        .flatMap(o -> o.lines().stream())
                        .noneMatch(l -> l.productId().equals(product.id())),
                "no order contains the reserved product");
        assertTrue(changes.stream()
                .flatMap(c -> c.notifications().stream())
                .anyMatch(n -> n.entity().type() == EntityType.PRODUCT));
    }

    @Test
    void sameSeedSameStateInEveryDialectsIdStyle() {
        SimulatedStore a = simulator.addStore(
                StoreSpec.builder("bigcommerce", "state-a").seed(5).clock(FIXED).build());
        SimulatedStore b = simulator.addStore(
                StoreSpec.builder("bigcommerce", "state-b").seed(5).clock(FIXED).build());
        a.step(200);
        b.step(200);
        assertEquals(a.snapshot().entities(), b.snapshot().entities());
    }

    @Test
    void everyKindOfChangeHappensAndVersionsGrow() {
        SimulatedStore store = simulator.addStore(
                StoreSpec.builder("woocommerce", "kinds").seed(9).clock(FIXED).build());
        store.step(400);
        StoreStats stats = store.stats();
        for (ChangeKind kind : ChangeKind.values()) {
            assertTrue(stats.changes().getOrDefault(kind, 0L) > 0, kind + " happened");
        }
        StoreSnapshot snapshot = store.snapshot();
        assertTrue(snapshot.of(EntityType.ORDER).stream().anyMatch(o -> o.version() > 1), "orders are edited");
        assertTrue(snapshot.count(EntityType.REFUND) > 0);
        assertTrue(snapshot.count(EntityType.SHIPMENT) > 0);
        for (EntityType type : snapshot.entities().keySet()) {
            for (StoreSnapshot.EntityVersion entity : snapshot.of(type)) {
                // a fixed clock: creation at T, each later version one second after the previous one
                assertTrue(
                        !entity.updatedAt().isBefore(FIXED.instant().plusSeconds(entity.version() - 1)),
                        type + " " + entity);
            }
        }
    }

    @Test
    void loadModeRunsAtItsRateAndStops() throws Exception {
        SimulatedStore store =
                simulator.addStore(StoreSpec.builder("shopify", "load").build());
        long started = System.nanoTime();
        store.startLoad(200, 100);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.loadRunning() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(100, store.stats().totalChanges());
        assertTrue(seconds >= 0.4, "100 changes at 200/s take about half a second, took " + seconds);
        store.stopLoad();
    }

    @Test
    void presetsAndOverridesParse() {
        assertEquals(0.0, FaultProfile.parse("none").rate(Fault.DROP));
        assertTrue(FaultProfile.parse("heavy").rate(Fault.DROP)
                > FaultProfile.parse("default").rate(Fault.DROP));
        FaultProfile custom = FaultProfile.parse("default,drop=0.5,max-delay=PT1S");
        assertEquals(0.5, custom.rate(Fault.DROP));
        assertEquals(Duration.ofSeconds(1), custom.maxDelay());
        assertThrows(IllegalArgumentException.class, () -> FaultProfile.parse("chaos"));
        assertThrows(IllegalArgumentException.class, () -> FaultProfile.parse("none,drop=2"));
    }

    @Test
    void unknownPlatformFailsAtOnce() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> simulator.addStore(StoreSpec.builder("magento9", "nope").build()));
        assertTrue(e.getMessage().contains("shopify"), e.getMessage());
    }
}
