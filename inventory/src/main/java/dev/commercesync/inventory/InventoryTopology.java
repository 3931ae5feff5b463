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
 * inventory levels and products and the command results → {@link PoolInputs} keyed by merchant → repartition topic
 * {@code <app id>-by-merchant-repartition} → {@link PoolEngine} on changelogged stores, with a wall-clock punctuator
 * every coalesce interval → SetInventoryLevel commands on {@code commerce.commands.v1}.
 */
public final class InventoryTopology {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(InventoryTopology.class);

    /** Name of the repartition step; its topic is {@code <application.id>-by-merchant-repartition}. */
    public static final String BY_MERCHANT = "by-merchant";

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
                .process(() -> new Route(configs), Named.as("route"))
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
                store(PoolStores.DIRECTORY, Serdes.String()),
                store(PoolStores.PENDING, PoolJson.serde(PoolInput.class)),
                store(PoolStores.ORDERS, PoolJson.serde(OrderState.class)),
                store(PoolStores.POOLS, PoolJson.serde(PoolState.class)),
                store(PoolStores.MERCHANTS, PoolJson.serde(MerchantState.class)));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> serde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), serde);
    }

    /** Every input of a store of some merchant, as a {@link PoolInput} keyed by the merchant's id. */
    static final class Route implements Processor<String, SpecificRecord, String, PoolInput> {
        private final MerchantConfigs configs;
        private ProcessorContext<String, PoolInput> context;

        Route(MerchantConfigs configs) {
            this.configs = configs;
        }

        @Override
        public void init(ProcessorContext<String, PoolInput> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            if (record.value() == null) {
                return;
            }
            PoolInputs.of(record.value()).ifPresent(input -> configs.merchantOf(input.platform(), input.store())
                    .ifPresent(
                            merchant -> context.forward(record.withKey(merchant).withValue(input))));
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
