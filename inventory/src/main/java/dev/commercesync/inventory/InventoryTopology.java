package dev.commercesync.inventory;

import dev.commercesync.inventory.mapping.Commands;
import dev.commercesync.inventory.mapping.PoolInputs;
import dev.commercesync.inventory.pool.MerchantState;
import dev.commercesync.inventory.pool.OrderState;
import dev.commercesync.inventory.pool.PoolEngine;
import dev.commercesync.inventory.pool.PoolInput;
import dev.commercesync.inventory.pool.PoolJson;
import dev.commercesync.inventory.pool.PoolListener;
import dev.commercesync.inventory.pool.PoolState;
import dev.commercesync.inventory.pool.PoolStores;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.command.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The pool's Kafka Streams topology (docs/inventory.md, "Event flow"): the canonical orders, shipments, refunds,
 * inventory levels and products and the command results → {@link PoolInputs} keyed by store → repartition topic
 * {@code <app id>-by-store-repartition} → {@link StoreStage} (every store's latest levels and variants, merchant or not;
 * a store newly attached to a merchant hands them to its pool) → keyed by merchant → repartition topic
 * {@code <app id>-by-merchant-repartition} → {@link PoolEngine} on changelogged stores, with a wall-clock punctuator
 * every coalesce interval → SetInventoryLevel commands on {@code commerce.commands.v1}.
 */
public final class InventoryTopology {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(InventoryTopology.class);

    /** Name of the repartition step; its topic is {@code <application.id>-by-merchant-repartition}. */
    public static final String BY_MERCHANT = "by-merchant";

    /** Name of the first repartition step; its topic is {@code <application.id>-by-store-repartition}. */
    public static final String BY_STORE = "by-store";

    /** Every store's latest level per item and location and its variants' items (store stage). */
    public static final String LATEST = "inventory-latest";

    /** Every store seen, with the merchant its latest state was last handed to ("" while none) (store stage). */
    public static final String HANDED = "inventory-handed";

    /** How often the store stage looks for stores newly attached to a merchant that sent nothing since. */
    static final Duration ATTACH_CHECK = Duration.ofSeconds(1);

    /** The topics read, in {@link CommerceTopic} names. */
    public static final List<String> INPUTS = List.of(
            CommerceTopic.ORDERS.topicName(),
            CommerceTopic.SHIPMENTS.topicName(),
            CommerceTopic.REFUNDS.topicName(),
            CommerceTopic.INVENTORY.topicName(),
            CommerceTopic.PRODUCTS.topicName(),
            CommerceTopic.COMMAND_RESULTS.topicName());

    private InventoryTopology() {}

    /**
     * @param values the Avro serde of the canonical topics (the registry's in the service, a plain one in topology
     *     tests)
     */
    public static Topology build(
            Serde<SpecificRecord> values,
            MerchantConfigs configs,
            Duration coalesceInterval,
            Duration commandDeadline,
            PoolListener listener) {
        StreamsBuilder builder = new StreamsBuilder();
        for (StoreBuilder<?> store : stores()) {
            builder.addStateStore(store);
        }
        builder.stream(INPUTS, Consumed.with(Serdes.String(), values).withName("canonical"))
                .process(Route::new, Named.as("route"))
                .repartition(Repartitioned.with(Serdes.String(), PoolJson.serde(PoolInput.class))
                        .withName(BY_STORE))
                .process(() -> new StoreStage(configs), Named.as("store"), LATEST, HANDED)
                .repartition(Repartitioned.with(Serdes.String(), PoolJson.serde(PoolInput.class))
                        .withName(BY_MERCHANT))
                .process(
                        () -> new Pool(configs, coalesceInterval, commandDeadline, listener),
                        Named.as("pool"),
                        PoolStores.DIRECTORY,
                        PoolStores.PENDING,
                        PoolStores.ORDERS,
                        PoolStores.POOLS,
                        PoolStores.MERCHANTS)
                .to(
                        CommerceTopic.COMMANDS.topicName(),
                        Produced.with(Serdes.String(), values).withName("commands"));
        return builder.build();
    }

    private static List<StoreBuilder<?>> stores() {
        return List.of(
                store(LATEST, PoolJson.serde(PoolInput.class)),
                store(HANDED, Serdes.String()),
                store(PoolStores.DIRECTORY, Serdes.String()),
                store(PoolStores.PENDING, PoolJson.serde(PoolInput.class)),
                store(PoolStores.ORDERS, PoolJson.serde(OrderState.class)),
                store(PoolStores.POOLS, PoolJson.serde(PoolState.class)),
                store(PoolStores.MERCHANTS, PoolJson.serde(MerchantState.class)));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), serde);
    }

    /** Every input as a {@link PoolInput} keyed by its store ({@code platform/store}). */
    static final class Route implements Processor<String, SpecificRecord, String, PoolInput> {
        private ProcessorContext<String, PoolInput> context;

        @Override
        public void init(ProcessorContext<String, PoolInput> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            if (record.value() == null) {
                return;
            }
            PoolInputs.of(record.value())
                    .ifPresent(input ->
                            context.forward(record.withKey(input.channel()).withValue(input)));
        }
    }

    /**
     * One store's inputs, in order: keeps the store's latest level per item and location and its variants' items
     * whether or not the store is in a merchant, and passes the inputs of a merchant's store on, keyed by the merchant.
     * When a store is attached to a merchant (or moved to another), its kept levels and variants are handed to that
     * merchant's pool first, so a store that was selling before it was attached starts with what it shows, not with
     * nothing: checked on each of its inputs and, for a store that sends nothing, every {@link #ATTACH_CHECK}.
     */
    static final class StoreStage implements Processor<String, PoolInput, String, PoolInput> {
        private final MerchantConfigs configs;
        private ProcessorContext<String, PoolInput> context;
        private KeyValueStore<String, PoolInput> latest;
        private KeyValueStore<String, String> handed;

        StoreStage(MerchantConfigs configs) {
            this.configs = configs;
        }

        @Override
        public void init(ProcessorContext<String, PoolInput> context) {
            this.context = context;
            this.latest = context.getStateStore(LATEST);
            this.handed = context.getStateStore(HANDED);
            context.schedule(ATTACH_CHECK, PunctuationType.WALL_CLOCK_TIME, this::checkAttached);
        }

        @Override
        public void process(Record<String, PoolInput> record) {
            String store = record.key();
            PoolInput input = record.value();
            keep(store, input);
            Optional<String> merchant = merchantOf(input.platform(), input.store());
            merchant.ifPresent(m -> {
                handOver(store, m, record.timestamp());
                context.forward(record.withKey(m));
            });
            if (merchant.isEmpty() && !"".equals(handed.get(store))) {
                handed.put(store, "");
            }
        }

        /** The configuration as read; never read yet: the record waits (the thread is replaced and retries). */
        private Optional<String> merchantOf(String platform, String store) {
            return configs.merchantOf(platform, store);
        }

        private void keep(String store, PoolInput input) {
            if (input.kind() == PoolInput.Kind.LEVEL && input.level() != null) {
                PoolInput.LevelInput level = input.level();
                latest.put(store + "|level|" + level.itemId() + "@" + level.locationId(), input);
            } else if (input.kind() == PoolInput.Kind.PRODUCT && input.variants() != null) {
                for (PoolInput.VariantInput variant : input.variants()) {
                    if (variant.itemId() != null) {
                        latest.put(
                                store + "|item|" + variant.itemId(),
                                new PoolInput(
                                        input.kind(),
                                        input.platform(),
                                        input.store(),
                                        input.at(),
                                        input.echoOf(),
                                        null,
                                        null,
                                        null,
                                        null,
                                        List.of(variant),
                                        null));
                    }
                }
            }
        }

        /** Hands the store's kept state to the merchant's pool, once per attachment. */
        private void handOver(String store, String merchant, long timestamp) {
            if (merchant.equals(handed.get(store))) {
                return;
            }
            // Variants first (they say which SKU an item is), then the levels.
            List<PoolInput> items = new ArrayList<>();
            List<PoolInput> levels = new ArrayList<>();
            try (var it = latest.prefixScan(store + "|", Serdes.String().serializer())) {
                it.forEachRemaining(kv -> (kv.value.kind() == PoolInput.Kind.PRODUCT ? items : levels).add(kv.value));
            }
            items.forEach(i -> context.forward(new Record<>(merchant, i, timestamp)));
            levels.forEach(l -> context.forward(new Record<>(merchant, l, timestamp)));
            handed.put(store, merchant);
            LOG.infof(
                    "store %s attached to merchant %s: its %d items and %d levels handed to the pool",
                    store, merchant, items.size(), levels.size());
        }

        private void checkAttached(long now) {
            List<String> stores = new ArrayList<>();
            try (var it = handed.all()) {
                it.forEachRemaining(kv -> stores.add(kv.key));
            }
            for (String store : stores) {
                int slash = store.indexOf('/');
                Optional<String> merchant;
                try {
                    merchant = merchantOf(store.substring(0, slash), store.substring(slash + 1));
                } catch (MerchantConfigs.NotLoaded e) {
                    return; // not read yet: the next check
                }
                if (merchant.isPresent()) {
                    handOver(store, merchant.get(), now);
                } else if (!"".equals(handed.get(store))) {
                    handed.put(store, "");
                }
            }
        }
    }

    /** The pool of the merchants of one partition: applies inputs, writes on the punctuator's tick. */
    static final class Pool implements Processor<String, PoolInput, String, SpecificRecord> {
        private final MerchantConfigs configs;
        private final Duration coalesceInterval;
        private final Duration commandDeadline;
        private final PoolListener listener;
        private ProcessorContext<String, SpecificRecord> context;
        private PoolEngine engine;
        private PoolStores stores;

        Pool(MerchantConfigs configs, Duration coalesceInterval, Duration commandDeadline, PoolListener listener) {
            this.configs = configs;
            this.coalesceInterval = coalesceInterval;
            this.commandDeadline = commandDeadline;
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            this.context = context;
            this.stores = new KafkaStores(context);
            this.engine = new PoolEngine(stores, coalesceInterval, commandDeadline, listener);
            context.schedule(coalesceInterval, PunctuationType.WALL_CLOCK_TIME, this::tick);
        }

        @Override
        public void process(Record<String, PoolInput> record) {
            configs.merchant(record.key())
                    .ifPresent(m -> engine.apply(m, record.value(), context.currentSystemTimeMs()));
        }

        private void tick(long now) {
            for (String merchant : stores.merchants().keys()) {
                MerchantState state = stores.merchants().get(merchant);
                if (state == null || state.dirty.isEmpty()) {
                    continue;
                }
                var view = configs.merchant(merchant);
                if (view.isEmpty()) {
                    continue;
                }
                for (PoolEngine.Write write : engine.tick(view.get(), now)) {
                    Command command = Commands.of(write);
                    context.forward(new Record<>(Commands.key(write), command, now));
                }
            }
        }
    }

    /** {@link PoolStores} on the task's state stores. */
    static final class KafkaStores implements PoolStores {
        private final Kv<String> directory;
        private final Kv<PoolInput> pending;
        private final Kv<OrderState> orders;
        private final Kv<PoolState> pools;
        private final Kv<MerchantState> merchants;

        KafkaStores(ProcessorContext<?, ?> context) {
            directory = new StoreKv<>(context.getStateStore(DIRECTORY));
            pending = new StoreKv<>(context.getStateStore(PENDING));
            orders = new StoreKv<>(context.getStateStore(ORDERS));
            pools = new StoreKv<>(context.getStateStore(POOLS));
            merchants = new StoreKv<>(context.getStateStore(MERCHANTS));
        }

        @Override
        public Kv<String> directory() {
            return directory;
        }

        @Override
        public Kv<PoolInput> pending() {
            return pending;
        }

        @Override
        public Kv<OrderState> orders() {
            return orders;
        }

        @Override
        public Kv<PoolState> pools() {
            return pools;
        }

        @Override
        public Kv<MerchantState> merchants() {
            return merchants;
        }
    }

    /** Values are (de)serialised by the store, so every get is a fresh copy. */
    record StoreKv<V>(KeyValueStore<String, V> store) implements PoolStores.Kv<V> {
        @Override
        public V get(String key) {
            return store.get(key);
        }

        @Override
        public void put(String key, V value) {
            store.put(key, value);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
        }

        @Override
        public List<Map.Entry<String, V>> prefix(String prefix) {
            List<Map.Entry<String, V>> entries = new ArrayList<>();
            try (var it = store.prefixScan(prefix, Serdes.String().serializer())) {
                while (it.hasNext()) {
                    KeyValue<String, V> kv = it.next();
                    entries.add(Map.entry(kv.key, kv.value));
                }
            }
            return entries;
        }

        @Override
        public List<String> keys() {
            List<String> keys = new ArrayList<>();
            try (var it = store.all()) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            return keys;
        }
    }
}
