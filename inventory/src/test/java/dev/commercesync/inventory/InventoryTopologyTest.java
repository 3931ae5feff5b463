package dev.commercesync.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.inventory.pool.MerchantState;
import dev.commercesync.inventory.pool.MerchantState.OversellKind;
import dev.commercesync.inventory.pool.PoolListener;
import dev.commercesync.inventory.pool.PoolState;
import dev.commercesync.inventory.pool.PoolStores;
import dev.commercesync.inventory.pool.PoolView;
import dev.commercesync.inventory.pool.PoolView.ChannelView;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.stores.Merchant.PhysicalMode;
import dev.commercesync.stores.MerchantRegistry.Channel;
import dev.commercesync.stores.MerchantRegistry.MerchantView;
import dev.commercesync.stores.MerchantRegistry.PhysicalSource;
import dev.commercesync.stores.MerchantRegistry.StoreKey;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole topology (routing, repartition by merchant, pool, punctuator, commands) with real Avro records, one test
 * per conflict rule of docs/inventory.md. Wall-clock time is the driver's: each {@link #tick} is one coalesce interval.
 */
class InventoryTopologyTest {
    static final String SRC = "shopify/src.myshopify.com";
    static final String WOO = "woocommerce/woo.example.com";
    static final String BIG = "bigcommerce/big";
    static final String SKU = "MUG-RED";
    static final Map<String, String> ITEM = Map.of(SRC, "src-item", WOO, "woo-item", BIG, "big-item");
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration DEADLINE = Duration.ofMinutes(1);
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    /** The source is Shopify at location L1; WooCommerce and BigCommerce list the pool as it is. */
    static final MerchantView MERCHANT = new MerchantView(
            "acme",
            "Acme",
            new PhysicalSource(key(SRC), PhysicalMode.LOCATION, "L1"),
            List.of(new Channel(key(SRC), null), new Channel(key(WOO), null), new Channel(key(BIG), null)),
            List.of(),
            T0,
            T0);

    private TopologyTestDriver driver;
    private final PlainAvroSerde serde = new PlainAvroSerde();
    private final Map<String, TestInputTopic<String, SpecificRecord>> inputs = new TreeMap<>();
    private TestOutputTopic<String, SpecificRecord> commands;
    private Instant clock = T0;
    private final MerchantConfigCache configs = new MerchantConfigCache(null);

    @BeforeEach
    void start() throws Exception {
        configs.load(List.of(MERCHANT));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "inventory-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("inventory-test").toString());
        driver = new TopologyTestDriver(
                InventoryTopology.build(serde, configs, INTERVAL, DEADLINE, PoolListener.NONE), props, T0);
        for (String topic : InventoryTopology.INPUTS) {
            inputs.put(topic, driver.createInputTopic(topic, Serdes.String().serializer(), serde.serializer()));
        }
        commands = driver.createOutputTopic(
                CommerceTopic.COMMANDS.topicName(), Serdes.String().deserializer(), serde.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static StoreKey key(String channel) {
        return new StoreKey(AvroEvents.platform(channel), AvroEvents.store(channel));
    }

    private void send(CommerceTopic topic, SpecificRecord value) {
        inputs.get(topic.topicName()).pipeInput("k", value);
    }

    private void level(String channel, long available) {
        level(channel, available, null);
    }

    private void level(String channel, long available, String echoOf) {
        send(
                CommerceTopic.INVENTORY,
                AvroEvents.level(
                        channel, ITEM.get(channel), channel.equals(SRC) ? "L1" : null, SKU, available, clock, echoOf));
    }

    private void order(String channel, String id, long units) {
        send(CommerceTopic.ORDERS, AvroEvents.order(channel, id, OrderStatus.PROCESSING, clock, clock, SKU, units));
    }

    /** One coalesce interval of wall-clock time: the writes it produced, by channel. */
    private Map<String, Command> tick() {
        clock = clock.plus(INTERVAL);
        driver.advanceWallClockTime(INTERVAL);
        Map<String, Command> byChannel = new TreeMap<>();
        for (var record : commands.readRecordsToList()) {
            Command c = (Command) record.value();
            String channel =
                    c.getMetadata().getPlatform() + "/" + c.getMetadata().getStore();
            assertNull(byChannel.put(channel, c), "one write per channel and tick");
            assertEquals(
                    channel + "/inventory_level/" + c.getMetadata().getEntityId(),
                    record.key(),
                    "keyed by command_key");
        }
        return byChannel;
    }

    private static long quantity(Command c) {
        return ((SetInventoryLevel) c.getAction()).getQuantity();
    }

    private static Long expected(Command c) {
        return ((SetInventoryLevel) c.getAction()).getExpectedQuantity();
    }

    private void answer(Command c, CommandStatus status, CommandResultReason reason) {
        send(CommerceTopic.COMMAND_RESULTS, AvroEvents.result(c, status, reason, clock));
    }

    private void applyAll(Map<String, Command> writes) {
        writes.values().forEach(c -> answer(c, CommandStatus.APPLIED, null));
    }

    private PoolView pool() {
        KeyValueStore<String, PoolState> store = driver.getKeyValueStore(PoolStores.POOLS);
        return PoolView.of(store.get("acme/" + SKU), MERCHANT);
    }

    private long available() {
        return pool().available();
    }

    private long physical() {
        return pool().physical();
    }

    private ChannelView channel(String name) {
        return pool().channels().stream()
                .filter(c -> c.channel().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private MerchantState merchant() {
        KeyValueStore<String, MerchantState> store = driver.getKeyValueStore(PoolStores.MERCHANTS);
        return store.get("acme");
    }

    /** Every channel shows {@code units}: the source's first level sets the pool. */
    private void baseline(long units) {
        level(SRC, units);
        level(WOO, units);
        level(BIG, units);
        assertEquals(Map.of(), tick(), "all channels already show the pool");
        assertEquals(units, available());
    }

    // ---------------------------------------------------------------- (a) hand edits

    @Test
    void aHandEditOnTheSourceWhileOtherChannelsSellConvergesEveryChannel() {
        baseline(10);
        level(SRC, 15); // 5 units received, entered by hand on the source
        order(WOO, "w1", 2);
        level(WOO, 8); // WooCommerce took its sale off its own level
        order(BIG, "b1", 1);
        level(BIG, 9);

        Map<String, Command> writes = tick();
        assertEquals(12, available(), "15 on hand − 3 sold elsewhere");
        assertEquals(Map.of(SRC, 12L, WOO, 12L, BIG, 12L), quantities(writes));
        assertEquals(15L, expected(writes.get(SRC)), "compare-and-set against the last known level");
        assertEquals(8L, expected(writes.get(WOO)));
        applyAll(writes);
        assertEquals(Map.of(), tick());
        for (String c : List.of(SRC, WOO, BIG)) {
            assertEquals(12L, channel(c).lastKnown(), c);
            assertNull(channel(c).behindSince(), c);
        }
        assertEquals(15, physical());
    }

    @Test
    void storesThatSoldBeforeTheyWereAttachedStartWithWhatTheyShow() {
        configs.load(List.of()); // the stores exist and sell; no merchant yet
        level(SRC, 12);
        level(WOO, 3);
        level(BIG, 0);
        assertTrue(tick().isEmpty(), "stores of no merchant are not written");
        assertNull(driver.getKeyValueStore(PoolStores.POOLS).get("acme/" + SKU), "and have no pool");

        configs.load(List.of(MERCHANT)); // the merchant attaches them, nothing new arrives from the stores
        Map<String, Command> writes = new TreeMap<>(tick());
        writes.putAll(tick());
        assertEquals(12, available(), "the source's level, kept from before the attachment, is the stock");
        assertEquals(Map.of(WOO, 12L, BIG, 12L), quantities(writes));
        assertEquals(3L, expected(writes.get(WOO)), "compare-and-set against what the store showed before");
    }

    @Test
    void aHandEditOnAnotherChannelIsOverwrittenWithThePool() {
        baseline(10);
        level(WOO, 30);
        Map<String, Command> writes = tick();
        assertEquals(Map.of(WOO, 10L), quantities(writes), "only the edited channel is corrected");
        assertEquals(30L, expected(writes.get(WOO)));
        assertEquals(10, available(), "a hand edit on a non-source channel is not stock");
    }

    // ---------------------------------------------------------------- (b) the last unit

    /** The pool at 1 unit, every channel having confirmed (APPLIED) that it shows 1. */
    private void lastUnitConfirmed() {
        baseline(2);
        order(SRC, "s0", 1);
        level(SRC, 1);
        Map<String, Command> writes = tick();
        assertEquals(Map.of(WOO, 1L, BIG, 1L), quantities(writes));
        applyAll(writes);
        assertEquals(Map.of(), tick());
    }

    @Test
    void twoChannelsSellingTheLastUnitAtTheSameMomentIsOneOversellReportedAsARace() {
        lastUnitConfirmed();
        order(WOO, "w1", 1);
        order(BIG, "b1", 1);
        assertEquals(-1, available());
        MerchantState m = merchant();
        assertEquals(1, m.oversells.size());
        MerchantState.Oversell o = m.oversells.get(0);
        assertEquals(OversellKind.SAME_MOMENT_RACE, o.kind());
        assertEquals(1, o.units());
        assertEquals(BIG + "/b1", o.order());
        assertEquals(List.of(WOO + "/w1", BIG + "/b1"), o.involved());
        // The channels are told 0 and the pool stays at −1 until support acts.
        assertEquals(Map.of(SRC, 0L, WOO, 0L, BIG, 0L), quantities(tick()));
    }

    @Test
    void aSaleOnAChannelThatHadConfirmedZeroIsBeyondARace() {
        lastUnitConfirmed();
        order(WOO, "w1", 1);
        Map<String, Command> writes = tick();
        assertEquals(0L, quantity(writes.get(BIG)));
        applyAll(writes);
        tick();
        order(BIG, "b1", 1); // placed after BigCommerce confirmed it lists 0
        MerchantState.Oversell o = merchant().oversells.get(0);
        assertEquals(OversellKind.BEYOND_RACE, o.kind());
        assertEquals(BIG + "/b1", o.order());
        assertTrue(o.involved().contains(WOO + "/w1"), o.involved().toString());
    }

    // ---------------------------------------------------------------- (c) a channel refusing or delaying writes

    @Test
    void aRejectedWriteLeavesTheChannelVisiblyBehindUntilItCatchesUp() {
        baseline(10);
        order(WOO, "w1", 1);
        level(WOO, 9);
        Map<String, Command> writes = tick();
        assertEquals(Map.of(SRC, 9L, BIG, 9L), quantities(writes));
        answer(writes.get(SRC), CommandStatus.APPLIED, null);
        answer(writes.get(BIG), CommandStatus.REJECTED, CommandResultReason.CONFLICT);
        // What BigCommerce really showed (a hand edit there) may never arrive as an event (WooCommerce sends none for
        // its own stock changes): the level compared with is stale.
        assertNotNull(channel(BIG).behindSince(), "BigCommerce's lag is visible");
        assertEquals("REJECTED/CONFLICT", channel(BIG).lastFailure());
        assertNull(channel(SRC).behindSince(), "the source is unaffected");

        Map<String, Command> retry = tick();
        assertEquals(Map.of(BIG, 9L), quantities(retry));
        assertNull(
                expected(retry.get(BIG)),
                "after a lost compare-and-set on a channel other than the source the pool's value is written as is");
        applyAll(retry);
        assertNull(channel(BIG).behindSince());
        assertEquals(9L, channel(BIG).lastKnown());
    }

    @Test
    void aFailedOrUnansweredWriteIsSentAgainAndOthersCarryOn() {
        baseline(10);
        order(WOO, "w1", 1);
        level(WOO, 9);
        Map<String, Command> writes = tick();
        answer(writes.get(SRC), CommandStatus.APPLIED, null);
        answer(writes.get(BIG), CommandStatus.FAILED, CommandResultReason.RETRIES_EXHAUSTED);
        Map<String, Command> retry = tick();
        assertEquals(Map.of(BIG, 9L), quantities(retry));
        // No result at all (an outage): behind, and written again once the command's deadline has passed.
        order(SRC, "s1", 1);
        level(SRC, 8);
        Map<String, Command> next = tick();
        assertEquals(Map.of(WOO, 8L), quantities(next), "BigCommerce's write is still in flight");
        applyAll(next);
        Instant behind = channel(BIG).behindSince();
        assertNotNull(behind);
        clock = clock.plus(DEADLINE);
        driver.advanceWallClockTime(DEADLINE);
        Map<String, Command> late = tick();
        assertEquals(Map.of(BIG, 8L), quantities(late), "written again, with the pool's newest value");
        assertEquals("NO_RESULT", channel(BIG).lastFailure());
        applyAll(late);
        assertNull(channel(BIG).behindSince());
        assertEquals(8L, channel(WOO).lastKnown(), "the other channels were not held up");
    }

    @Test
    void echoesOfOurWritesNeverChangeThePool() {
        baseline(10);
        order(WOO, "w1", 1);
        level(WOO, 9);
        Map<String, Command> writes = tick();
        level(SRC, 9, writes.get(SRC).getMetadata().getCommandId());
        level(BIG, 9, writes.get(BIG).getMetadata().getCommandId());
        assertEquals(9, available());
        assertEquals(10, physical());
    }

    @Test
    void aBurstOfSalesWithinOneIntervalIsOneWritePerChannel() {
        baseline(50);
        for (int i = 0; i < 20; i++) {
            order(WOO, "w" + i, 1);
        }
        Map<String, Command> writes = tick();
        assertEquals(Map.of(SRC, 30L, WOO, 30L, BIG, 30L), quantities(writes));
    }

    private static Map<String, Long> quantities(Map<String, Command> writes) {
        Map<String, Long> q = new TreeMap<>();
        writes.forEach((channel, c) -> q.put(channel, quantity(c)));
        return q;
    }
}
