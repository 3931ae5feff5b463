package dev.commercesync.inventory.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pool's state, one key-value store per kind: Kafka Streams' changelogged stores in the service, maps in unit
 * tests. Values are the engine's own objects: a store hands out a copy, changed ones are put back.
 */
public interface PoolStores {
    String DIRECTORY = "inventory-directory";
    String PENDING = "inventory-pending";
    String ORDERS = "inventory-orders";
    String POOLS = "inventory-pools";
    String MERCHANTS = "inventory-merchants";

    /**
     * Item directory: {@code i|channel|item} → pool SKU, {@code v|channel|variant} → item, {@code c|channel|sku} → the
     * channel's item for a pool SKU.
     */
    Kv<String> directory();

    /** Levels whose item has no SKU yet: {@code channel|item|location} → the input, replayed when the SKU is learnt. */
    Kv<PoolInput> pending();

    Kv<OrderState> orders();

    /** {@code merchant/sku} → pool. */
    Kv<PoolState> pools();

    Kv<MerchantState> merchants();

    interface Kv<V> {
        V get(String key);

        void put(String key, V value);

        void delete(String key);

        /** Entries whose key starts with {@code prefix}, in key order. */
        List<Map.Entry<String, V>> prefix(String prefix);

        /** Every key (the tick walks the merchants). */
        List<String> keys();
    }

    /** Maps, for tests of the engine without Kafka. */
    static PoolStores inMemory() {
        return new PoolStores() {
            private final Kv<String> directory = new MapKv<>(String.class);
            private final Kv<PoolInput> pending = new MapKv<>(PoolInput.class);
            private final Kv<OrderState> orders = new MapKv<>(OrderState.class);
            private final Kv<PoolState> pools = new MapKv<>(PoolState.class);
            private final Kv<MerchantState> merchants = new MapKv<>(MerchantState.class);

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
        };
    }

    /** A sorted map holding copies, so that a value changed and not put back stays as it was (as in a store). */
    final class MapKv<V> implements Kv<V> {
        private final TreeMap<String, V> map = new TreeMap<>();
        private final Class<V> type;

        MapKv(Class<V> type) {
            this.type = type;
        }

        @Override
        public V get(String key) {
            V value = map.get(key);
            return value == null ? null : PoolJson.copy(value, type);
        }

        @Override
        public void put(String key, V value) {
            map.put(key, PoolJson.copy(value, type));
        }

        @Override
        public void delete(String key) {
            map.remove(key);
        }

        @Override
        public List<Map.Entry<String, V>> prefix(String prefix) {
            List<Map.Entry<String, V>> entries = new ArrayList<>();
            for (var e : map.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                entries.add(Map.entry(e.getKey(), PoolJson.copy(e.getValue(), type)));
            }
            return entries;
        }

        @Override
        public List<String> keys() {
            return new ArrayList<>(map.keySet());
        }
    }
}
