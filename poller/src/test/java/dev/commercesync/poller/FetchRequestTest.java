package dev.commercesync.poller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationRecord;
import dev.commercesync.opstate.OperationState;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.DeletionNotices;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import dev.commercesync.testsupport.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetch requests from commerce.fetch-requests.v1 answered on commerce.raw.v1, against a fake WooCommerce API. */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class FetchRequestTest {
    /** The poller's consumer group on the fetch requests (application.properties, fetch-requests-in). */
    private static final String POLLER_GROUP = "commerce-sync-poller";

    @Inject
    StoreRegistry stores;

    @Inject
    OperationalStates states;

    private FakeWooStore api;
    private StoreView store;

    @BeforeAll
    static void topics() throws Exception {
        KafkaTestClients.ensureTopics();
    }

    @BeforeEach
    void store() {
        api = new FakeWooStore();
        store = TestStores.wooStore(stores, api);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private FetchRequest request(String id, FetchReason reason, Instant notBefore) {
        return FetchRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setPlatform("woocommerce")
                .setStore(store.storeId())
                .setEntityType(EntityType.ORDER)
                .setEntityIds(List.of(id))
                .setParentId(null)
                .setReason(reason)
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setRequestedBy("test")
                .setNotBefore(notBefore)
                .setCorrelationId(null)
                .setRawRef(null)
                .setTraceContext(null)
                .build();
    }

    @Test
    void duplicateRequestsShareOneFetchAnsweredWithTheFirstRequestsId() throws Exception {
        api.addOrder(4711, Instant.now().minusSeconds(60));
        Instant notBefore = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        FetchRequest first = request("4711", FetchReason.THIN_WEBHOOK, notBefore);
        FetchRequest second = request("4711", FetchReason.THIN_WEBHOOK, null);
        FetchRequest third = request("4711", FetchReason.THIN_WEBHOOK, null);
        KafkaTestClients.sendFetchRequest(first);
        KafkaTestClients.sendFetchRequest(second);
        RecordMetadata last = KafkaTestClients.sendFetchRequest(third);

        List<ConsumerRecord<String, RawEnvelope>> answers = KafkaTestClients.rawRecordsUntil(
                "woocommerce/" + store.storeId(), records -> !records.isEmpty(), Duration.ofSeconds(30));
        assertFalse(answers.isEmpty(), "the fetch was answered on the raw topic");
        awaitAcknowledged(last); // the three are acknowledged together: no fetch of any of them is still to come
        answers = KafkaTestClients.rawRecords("woocommerce/" + store.storeId());

        assertEquals(1, answers.size(), "three requests for one order within the window: one answer");
        RawEnvelope answer = answers.get(0).value();
        assertEquals(first.getRequestId(), answer.getCorrelationId());
        assertEquals(EventSource.POLL, answer.getSource());
        assertEquals(EntityType.ORDER, answer.getEntityType());
        List<FakeWooStore.Request> gets = api.requests("GET", "/wp-json/wc/v3/orders/4711");
        assertEquals(1, gets.size(), "one fetch for three requests");
        assertFalse(gets.get(0).at().isBefore(notBefore), "not before the request's not_before");
        OperationRecord hydrate = states.forStore("woocommerce", store.storeId()).stream()
                .filter(row -> row.operation() == Operation.HYDRATE)
                .findFirst()
                .orElseThrow();
        assertEquals("ORDER", hydrate.entityType());
        assertEquals(OperationState.OK, hydrate.state(), "the answered fetch is the store's HYDRATE ORDER outcome");
    }

    @Test
    void aReconcilersRepairIsPublishedAsSuchAndAnEntityTheReconcilerFoundGoneIsAConfirmedDeletion() throws Exception {
        api.addOrder(99, Instant.now().minusSeconds(60));
        FetchRequest repair = request("99", FetchReason.RECONCILE_MISSING, null);
        FetchRequest gone = request("100", FetchReason.RECONCILE_EXTRA, null);
        KafkaTestClients.sendFetchRequest(gone);
        KafkaTestClients.sendFetchRequest(repair);

        List<ConsumerRecord<String, RawEnvelope>> answers = KafkaTestClients.rawRecordsUntil(
                "woocommerce/" + store.storeId(), records -> records.size() >= 2, Duration.ofSeconds(30));

        assertEquals(2, answers.size());
        RawEnvelope fetched = answers.stream()
                .map(ConsumerRecord::value)
                .filter(e -> repair.getRequestId().equals(e.getCorrelationId()))
                .findFirst()
                .orElseThrow();
        assertEquals(EventSource.RECONCILE, fetched.getSource());
        RawEnvelope deletion = answers.stream()
                .map(ConsumerRecord::value)
                .filter(e -> gone.getRequestId().equals(e.getCorrelationId()))
                .findFirst()
                .orElseThrow();
        assertEquals(DeletionNotices.EVENT_TYPE, deletion.getEventType());
        assertEquals(EntityType.ORDER, deletion.getEntityType());
    }

    @Test
    void aThinWebhooksEntityThatIsNotFoundIsNotInventedNorDeleted() throws Exception {
        FetchRequest thin = request("101", FetchReason.THIN_WEBHOOK, null);
        RecordMetadata sent = KafkaTestClients.sendFetchRequest(thin);

        awaitAcknowledged(sent);
        assertTrue(!api.requests("GET", "/wp-json/wc/v3/orders/101").isEmpty(), "the entity was asked for");
        assertEquals(
                0, KafkaTestClients.rawRecords("woocommerce/" + store.storeId()).size());
    }

    /**
     * Waits until the poller's group committed past the request: a request is acknowledged only once every entity it
     * names was answered (published), found missing or given up, so nothing of it is still to come.
     */
    private static void awaitAcknowledged(RecordMetadata request) throws Exception {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> kafka.committedOffset(POLLER_GROUP, request) > request.offset());
        }
    }
}
