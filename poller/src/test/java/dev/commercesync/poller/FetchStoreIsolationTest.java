package dev.commercesync.poller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One store's spent API budget delays only that store's fetch requests: while a rate-limited store's fetches wait in
 * its limiter (a Retry-After far longer than the test), a healthy store's are answered. Real broker, registry and
 * PostgreSQL; the stores are fake WooCommerce APIs.
 *
 * <p>Production honours a Retry-After of up to {@code api.max-retry-after} (10 minutes); the tests' configuration caps
 * it at 1 s ({@code PollingTest}'s storms). So once the store answered 429, the test pauses the store's limiter for the
 * header's {@value #RETRY_AFTER_SECONDS} s, as {@link PlatformCalls} does with an uncapped Retry-After.
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class FetchStoreIsolationTest {

    /** Longer than the test waits for the healthy store's answer, shorter than {@code api.max-limiter-wait}. */
    private static final long RETRY_AFTER_SECONDS = 50;

    @Inject
    StoreRegistry stores;

    @Inject
    PlatformCalls calls;

    private FakeWooStore starvedApi;
    private FakeWooStore healthyApi;
    private StoreView starved;
    private StoreView healthy;

    @BeforeAll
    static void topics() throws Exception {
        KafkaTestClients.ensureTopics();
    }

    @BeforeEach
    void stores() {
        starvedApi = new FakeWooStore();
        starvedApi.rateLimitNext(1000, RETRY_AFTER_SECONDS);
        healthyApi = new FakeWooStore();
        starved = TestStores.wooStore(stores, starvedApi);
        healthy = TestStores.wooStore(stores, healthyApi);
    }

    @AfterEach
    void stop() {
        starvedApi.close();
        healthyApi.close();
    }

    private static FetchRequest request(StoreView store, List<String> ids) {
        return FetchRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setPlatform("woocommerce")
                .setStore(store.storeId())
                .setEntityType(EntityType.ORDER)
                .setEntityIds(ids)
                .setReason(FetchReason.THIN_WEBHOOK)
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setRequestedBy("test")
                .build();
    }

    private static boolean answers(ConsumerRecord<String, RawEnvelope> record, FetchRequest request) {
        return request.getRequestId().equals(record.value().getCorrelationId());
    }

    @Test
    void aStoreWhoseBudgetIsSpentDelaysOnlyItsOwnFetches() {
        // More fetches for the rate-limited store than the old shared pool had workers: each would wait in its limiter.
        FetchRequest starvedRequest = request(starved, List.of("1", "2", "3", "4"));
        KafkaTestClients.sendFetchRequest(starvedRequest);
        await("the rate-limited store was called and answered 429")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        !starvedApi.requests("GET", "/wp-json/wc/v3/orders/").isEmpty());
        calls.limiter(StoreKey.of(starved)).rateLimited(Duration.ofSeconds(RETRY_AFTER_SECONDS));

        healthyApi.addOrder(7001, Instant.now().minusSeconds(60));
        FetchRequest healthyRequest = request(healthy, List.of("7001"));
        KafkaTestClients.sendFetchRequest(healthyRequest);

        // Coalescing window (2 s) plus one fetch: far less than the other store's Retry-After.
        List<ConsumerRecord<String, RawEnvelope>> answered = KafkaTestClients.rawRecordsUntil(
                "woocommerce/" + healthy.storeId(),
                records -> records.stream().anyMatch(r -> answers(r, healthyRequest)),
                Duration.ofSeconds(20));
        assertEquals(
                1,
                answered.stream().filter(r -> answers(r, healthyRequest)).count(),
                "the healthy store's fetch was answered while the other store waits for its budget");

        assertTrue(
                KafkaTestClients.rawRecords("woocommerce/" + starved.storeId()).stream()
                        .noneMatch(r -> answers(r, starvedRequest)),
                "the rate-limited store's fetches are still waiting");
        assertTrue(
                starvedApi.requests("GET", "/wp-json/wc/v3/orders/").stream().allMatch(r -> r.status() == 429),
                "the rate-limited store only answered 429");
    }
}
