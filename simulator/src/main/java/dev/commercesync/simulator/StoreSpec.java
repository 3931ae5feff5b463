package dev.commercesync.simulator;

import dev.commercesync.simulator.model.CatalogItem;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * How to make one simulated store.
 *
 * @param platform a platform with a simulator dialect ({@code Dialects.names()})
 * @param key the store's path segment on the simulator ({@code /stores/<key>}); letters, digits and dashes
 * @param seed drives the changes (same seed, same changes) and, derived from it, the fault decisions
 * @param webhookSecret what webhooks are signed with (Shopify/BigCommerce: the app's client secret; WooCommerce: the
 *     secret of subscriptions made by {@link SimulatedStore#subscribeAll}); null derives one from the key
 * @param initialProducts products existing before any change (no webhooks: pollers find them)
 * @param sharedCatalog null: {@code initialProducts} generated products; otherwise exactly these products (a catalogue
 *     several stores share by SKU, {@link CatalogItem}) instead
 * @param rateLimits whether the API enforces the platform's budget (headers are sent either way)
 * @param deliveryThreads webhook senders; 1 keeps deliveries in order unless a fault reorders them
 * @param clock the store's time (a fixed clock makes timestamps reproducible too)
 */
public record StoreSpec(
        String platform,
        String key,
        long seed,
        FaultProfile faults,
        String webhookSecret,
        int initialProducts,
        int initialCustomers,
        List<CatalogItem> sharedCatalog,
        boolean rateLimits,
        int deliveryThreads,
        Clock clock) {

    public StoreSpec {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(clock, "clock");
        sharedCatalog = sharedCatalog == null ? null : List.copyOf(sharedCatalog);
        if (key == null || !key.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("store key must be lower-case letters, digits and dashes: " + key);
        }
        if (initialProducts < 0 || initialCustomers < 0 || deliveryThreads < 1) {
            throw new IllegalArgumentException("counts must not be negative and deliveryThreads at least 1");
        }
    }

    public static Builder builder(String platform, String key) {
        return new Builder(platform, key);
    }

    @Override
    public String toString() {
        return "StoreSpec[" + platform + "/" + key + ", seed=" + seed + "]";
    }

    public static final class Builder {
        private final String platform;
        private final String key;
        private long seed = 42;
        private FaultProfile faults = FaultProfile.none();
        private String webhookSecret;
        private int initialProducts = 20;
        private int initialCustomers = 10;
        private List<CatalogItem> sharedCatalog;
        private boolean rateLimits = true;
        private int deliveryThreads = 1;
        private Clock clock = Clock.systemUTC();

        private Builder(String platform, String key) {
            this.platform = platform;
            this.key = key;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder faults(FaultProfile value) {
            this.faults = value;
            return this;
        }

        public Builder webhookSecret(String value) {
            this.webhookSecret = value;
            return this;
        }

        public Builder catalog(int products, int customers) {
            this.initialProducts = products;
            this.initialCustomers = customers;
            return this;
        }

        /** The store's products are exactly {@code items} (a catalogue shared by SKU), with {@code customers}. */
        public Builder sharedCatalog(List<CatalogItem> items, int customers) {
            this.sharedCatalog = List.copyOf(items);
            this.initialProducts = items.size();
            this.initialCustomers = customers;
            return this;
        }

        public Builder rateLimits(boolean enforced) {
            this.rateLimits = enforced;
            return this;
        }

        public Builder deliveryThreads(int value) {
            this.deliveryThreads = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public StoreSpec build() {
            return new StoreSpec(
                    platform,
                    key,
                    seed,
                    faults,
                    webhookSecret,
                    initialProducts,
                    initialCustomers,
                    sharedCatalog,
                    rateLimits,
                    deliveryThreads,
                    clock);
        }
    }
}
