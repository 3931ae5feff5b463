package dev.commercesync.poller;

import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import java.util.UUID;

/** Registers a fresh WooCommerce store (unique id) whose API is a {@link FakeWooStore}. */
final class TestStores {
    private TestStores() {}

    static StoreView wooStore(StoreRegistry registry, FakeWooStore api) {
        String id = "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        return registry.add(
                "woocommerce",
                id,
                "Test shop",
                api.baseUrl(),
                "webhook-secret-" + id,
                "{\"key\": \"ck_test\", \"secret\": \"cs_test\"}");
    }
}
