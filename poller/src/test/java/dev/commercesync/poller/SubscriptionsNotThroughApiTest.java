package dev.commercesync.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.poller.webhooks.SubscriptionKeeper;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The keeper asks only platforms whose store API manages subscriptions ({@code subscriptionsThroughApi}): an Adobe
 * Commerce store (I/O Events registrations live in the Adobe Developer Console) is neither asked nor warned about at
 * each check, while a WooCommerce store checked in the same pass is subscribed.
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class SubscriptionsNotThroughApiTest {

    @Inject
    SubscriptionKeeper keeper;

    @Inject
    StoreRegistry stores;

    @Test
    void anAdobeCommerceStoreIsNeitherCheckedNorWarnedAbout() throws Exception {
        assertFalse(
                PlatformRegistry.loadInstalled().get("magento2").capabilities().subscriptionsThroughApi());
        List<String> adobeRequests = new CopyOnWriteArrayList<>();
        HttpServer adobe = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        adobe.createContext("/", exchange -> {
            adobeRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        adobe.start();
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger keeperLog = Logger.getLogger(SubscriptionKeeper.class.getName());
        // Only this test's two stores are checked: the other tests' stores (their fakes are gone) are paused.
        List<StoreView> paused = new ArrayList<>();
        for (StoreView other : stores.list()) {
            if (other.enabled()) {
                stores.setEnabled(other.platform(), other.storeId(), false);
                paused.add(other);
            }
        }
        try (FakeWooStore woo = new FakeWooStore()) {
            String id = "adobe-" + UUID.randomUUID().toString().substring(0, 8);
            StoreView adobeStore = stores.add(
                    "magento2",
                    id,
                    "Adobe shop",
                    "http://127.0.0.1:" + adobe.getAddress().getPort() + "/rest/default",
                    "{\"client_id\": \"c\", \"public_key\": \"k\"}",
                    "integration-token");
            StoreView wooStore = TestStores.wooStore(stores, woo);
            keeperLog.addHandler(capture);

            keeper.checkAll();

            assertEquals(2, woo.webhooks().size(), "the WooCommerce store was checked and subscribed in the same pass");
            assertEquals(List.of(), adobeRequests, "no request to the Adobe Commerce store");
            String adobeKey = StoreKey.of(adobeStore).toString();
            List<String> aboutAdobe = logged.stream()
                    .map(r -> String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()))
                    .filter(text -> text.contains(adobeKey) || text.contains("magento2"))
                    .toList();
            assertTrue(aboutAdobe.isEmpty(), "nothing logged about the Adobe Commerce store: " + aboutAdobe);
            assertFalse(wooStore.storeId().isEmpty());
        } finally {
            keeperLog.removeHandler(capture);
            adobe.stop(0);
            for (StoreView other : paused) {
                stores.setEnabled(other.platform(), other.storeId(), true);
            }
        }
    }
}
