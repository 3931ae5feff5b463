package dev.commercesync.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.simulator.webhooks.DeliveryListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Simulated webhooks verify and normalize with the real adapters; delivery faults do what they say. */
class WebhookDeliveryTest {
    private static final PlatformRegistry REGISTRY = PlatformRegistry.loadInstalled();
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

    private static List<WebhookRequest> deliver(SimulatedStore store, int changes) throws InterruptedException {
        store.subscribeAll(receiver.url(store.platform() + "?store=" + store.key()));
        store.step(changes);
        assertTrue(store.awaitDeliveries(Duration.ofSeconds(30)), "deliveries finish");
        return receiver.received().stream()
                .filter(r -> REGISTRY.get(store.platform())
                        .describeDelivery(r)
                        .store()
                        .map(store.storeId().toLowerCase()::equals)
                        .orElse(false))
                .toList();
    }

    /** The platforms whose stores notify about their changes (not eBay: its simulated store sends no order confirmations). */
    @ParameterizedTest
    @MethodSource("dev.commercesync.simulator.SimulatedApiTest#platformsWithWebhooks")
    void signedWebhooksVerifyAndNormalize(String platform) throws Exception {
        SimulatedStore store = simulator.addStore(
                StoreSpec.builder(platform, platform + "-hooks").seed(11).build());
        List<WebhookRequest> received = deliver(store, 40);
        PlatformAdapter adapter = REGISTRY.get(platform);
        Normalization normalization = new Normalization(REGISTRY);
        StoreStats stats = store.stats();
        assertEquals(0, stats.unsubscribed(), "subscribed to every topic the dialect names, every event is sent");
        assertEquals(stats.totalWebhookEvents(), received.size(), "one delivery per event without faults");
        assertEquals(stats.totalWebhookEvents(), stats.totalDelivered());
        assertTrue(received.size() >= 40, "every change notifies at least once: " + received.size());
        for (WebhookRequest request : received) {
            VerificationResult verified =
                    adapter.verifyWebhook(request, List.of(store.webhookSecret()), Clock.systemUTC());
            assertTrue(verified.verified(), platform + " signature: " + verified);
            assertFalse(
                    adapter.verifyWebhook(request, List.of(WebhookSecret.of("not-the-secret")), Clock.systemUTC())
                            .verified(),
                    "a wrong secret does not verify");
            WebhookDelivery delivery = adapter.describeDelivery(request);
            assertEquals(store.storeId(), delivery.store().orElseThrow());
            RawEnvelope envelope = RawEnvelopes.fromWebhook(adapter, request, Instant.now());
            NormalizationOutcome outcome = normalization.normalize(envelope);
            if (outcome instanceof NormalizationOutcome.FetchNeeded fetch) {
                assertTrue(
                        adapter.capabilities().thinWebhookTypes().contains(fetch.entityType()),
                        "only the types the adapter declares thin are fetched: " + outcome);
            } else {
                NormalizationOutcome.Events events =
                        assertInstanceOf(NormalizationOutcome.Events.class, outcome, "full webhook: " + outcome);
                assertFalse(events.canonicalEvents().isEmpty());
                events.canonicalEvents()
                        .forEach(event -> assertFalse(
                                adapter.capabilities()
                                        .thinWebhookTypes()
                                        .contains(
                                                CanonicalEvents.metadata(event).getEntityType()),
                                "a declared thin type arrived full: " + event));
            }
        }
    }

    /** Amazon's notifications go to SQS or EventBridge: its store subscribes to nothing and sends nothing. */
    @ParameterizedTest
    @MethodSource("dev.commercesync.simulator.SimulatedApiTest#platformsWithoutWebhooks")
    void aPlatformWithoutWebhooksSendsNone(String platform) throws Exception {
        SimulatedStore store = simulator.addStore(
                StoreSpec.builder(platform, platform + "-silent").seed(11).build());
        List<WebhookRequest> received = deliver(store, 40);
        assertTrue(received.isEmpty());
        assertEquals(0, store.stats().totalWebhookEvents());
        assertEquals(0, store.stats().totalDelivered());
        assertTrue(store.changeLog().size() >= 40, "the store changed all the same");
    }

    @Test
    void shopifyDeliveriesCarryTheEventIdAndTopic() throws Exception {
        SimulatedStore store = simulator.addStore(
                StoreSpec.builder("shopify", "shop-ids").seed(3).build());
        List<WebhookRequest> received = deliver(store, 10);
        for (WebhookRequest request : received) {
            assertTrue(request.header("X-Shopify-Event-Id").isPresent());
            assertTrue(store.topics().contains(request.header("X-Shopify-Topic").orElseThrow()));
        }
    }

    @Test
    void theDeliveryListenerHearsOfEveryAttempt() throws Exception {
        SimulatedStore store = simulator.addStore(
                StoreSpec.builder("shopify", "shop-listened").seed(5).build());
        List<DeliveryListener.Attempt> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        store.onDelivery(attempts::add);
        Instant before = Instant.now();
        List<WebhookRequest> received = deliver(store, 15);
        assertEquals(received.size(), attempts.size());
        for (DeliveryListener.Attempt attempt : attempts) {
            assertTrue(attempt.delivered(), "status " + attempt.status());
            assertEquals(1, attempt.attempt());
            assertFalse(attempt.sentAt().isBefore(before));
            assertTrue(attempt.queuedNanos() >= 0 && attempt.responseNanos() > 0);
            assertTrue(store.topics().contains(attempt.message().topic()));
            assertFalse(attempt.message().entityId().isEmpty());
        }
        store.onDelivery(null);
        store.step(2);
        assertTrue(store.awaitDeliveries(Duration.ofSeconds(30)));
        assertEquals(received.size(), attempts.size(), "not told after the listener was removed");
    }

    @Test
    void dropRateOneSendsNothing() throws Exception {
        SimulatedStore store = simulator.addStore(StoreSpec.builder("shopify", "shop-drop")
                .faults(FaultProfile.parse("none,drop=1.0"))
                .build());
        List<WebhookRequest> received = deliver(store, 25);
        assertEquals(0, received.size());
        StoreStats stats = store.stats();
        assertTrue(stats.totalWebhookEvents() >= 25);
        assertEquals(stats.totalWebhookEvents(), stats.fault(Fault.DROP));
        assertEquals(0, stats.deliveryAttempts());
    }

    @Test
    void duplicateRateOneSendsEachTwiceWithOneEventId() throws Exception {
        SimulatedStore store = simulator.addStore(StoreSpec.builder("shopify", "shop-dup")
                .faults(FaultProfile.parse("none,duplicate=1.0"))
                .build());
        List<WebhookRequest> received = deliver(store, 20);
        StoreStats stats = store.stats();
        assertEquals(2 * stats.totalWebhookEvents(), received.size());
        Map<String, Integer> perEvent = new HashMap<>();
        received.forEach(r -> perEvent.merge(r.header("X-Shopify-Event-Id").orElseThrow(), 1, Integer::sum));
        assertTrue(perEvent.values().stream().allMatch(n -> n == 2), "each event twice: " + perEvent);
        assertEquals(stats.totalWebhookEvents(), stats.fault(Fault.DUPLICATE));
    }

    @Test
    void silentlyDeletedSubscriptionsStopDeliveries() throws Exception {
        SimulatedStore store = simulator.addStore(StoreSpec.builder("bigcommerce", "bc-unsub")
                .faults(FaultProfile.parse("none,subscription-deleted=1.0"))
                .build());
        List<WebhookRequest> received = deliver(store, 30);
        assertEquals(0, received.size());
        assertTrue(store.stats().fault(Fault.SUBSCRIPTION_DELETED) > 0);
        assertTrue(store.stats().unsubscribed() > 0, "later events found no subscription");
        assertTrue(store.subscriptions().size() < store.topics().size());
    }

    @Test
    void delayedAndReorderedDeliveriesAllArrive() throws Exception {
        SimulatedStore store = simulator.addStore(StoreSpec.builder("woocommerce", "woo-late")
                .faults(FaultProfile.parse("none,delay=0.5,reorder=0.5,max-delay=PT0.3S"))
                .build());
        List<WebhookRequest> received = deliver(store, 30);
        StoreStats stats = store.stats();
        assertEquals(stats.totalWebhookEvents(), received.size());
        assertTrue(
                stats.fault(Fault.DELAY) > 0 && stats.fault(Fault.REORDER) > 0,
                stats.faults().toString());
    }

    @Test
    void wooCommerceDisablesASubscriptionAfterFiveFailures() throws Exception {
        try (WebhookReceiver failing = new WebhookReceiver()) {
            failing.answer(500);
            SimulatedStore store = simulator.addStore(
                    StoreSpec.builder("woocommerce", "woo-failing").build());
            store.subscribeAll(failing.url("woocommerce"));
            store.step(60);
            assertTrue(store.awaitDeliveries(Duration.ofSeconds(30)));
            assertTrue(
                    store.subscriptions().stream().anyMatch(s -> !s.active()),
                    "a subscription is disabled: " + store.subscriptions());
            StoreStats stats = store.stats();
            assertEquals(stats.totalWebhookEvents(), stats.deliveryAttempts(), "no retries");
            assertEquals(stats.deliveryAttempts(), stats.deliveryFailures());
            // a disabled subscription gets nothing any more
            store.step(30);
            assertTrue(store.awaitDeliveries(Duration.ofSeconds(30)));
            assertTrue(store.stats().unsubscribed() > 0, "later events of a disabled topic are not sent");
        }
    }

    @Test
    void shopifyRetriesFailedDeliveries() throws Exception {
        try (WebhookReceiver flaky = new WebhookReceiver()) {
            flaky.answer(503);
            SimulatedStore store = simulator.addStore(
                    StoreSpec.builder("shopify", "shop-retry").build());
            store.subscribeAll(flaky.url("shopify"));
            store.step(3);
            // Heal the receiver only once a delivery has failed, so the store has something to retry.
            await().atMost(Duration.ofSeconds(30)).until(() -> store.stats().deliveryFailures() > 0);
            flaky.answer(200);
            assertTrue(store.awaitDeliveries(Duration.ofSeconds(30)));
            StoreStats stats = store.stats();
            assertEquals(stats.totalWebhookEvents(), stats.totalDelivered(), "retries delivered everything");
            assertTrue(stats.deliveryFailures() > 0);
        }
    }
}
