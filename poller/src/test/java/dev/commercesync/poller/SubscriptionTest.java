package dev.commercesync.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationRecord;
import dev.commercesync.opstate.OperationState;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.poller.webhooks.SubscriptionKeeper;
import dev.commercesync.poller.webhooks.SubscriptionKeeper.CheckResult;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook subscriptions kept alive on a fake WooCommerce store. */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class SubscriptionTest {
    private static final String ADDRESS = "https://ingest.example.test/webhooks/woocommerce";

    @Inject
    SubscriptionKeeper keeper;

    @Inject
    StoreRegistry stores;

    @Inject
    OperationalStates states;

    /** The store's SUBSCRIBE rows (store-wide: one at most, its entity type null). */
    private List<OperationRecord> subscribeRows() {
        return states.forStore(store.platform(), store.storeId()).stream()
                .filter(row -> row.operation() == Operation.SUBSCRIBE)
                .toList();
    }

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

    private Map<String, ObjectNode> byTopic() {
        return api.webhooks().stream()
                .collect(Collectors.toMap(w -> w.path("topic").asText(), w -> w));
    }

    @Test
    void registersTheConfiguredTopicsThenRecreatesADeletedAndADisabledSubscriptionAndBackfills() throws Exception {
        CheckResult first = keeper.check(store);

        assertEquals(Set.of("order.created", "order.updated"), first.created());
        Map<String, ObjectNode> subscribed = byTopic();
        assertEquals(Set.of("order.created", "order.updated"), subscribed.keySet());
        for (ObjectNode webhook : subscribed.values()) {
            assertEquals(ADDRESS, webhook.path("delivery_url").asText());
            assertEquals("active", webhook.path("status").asText());
        }
        Instant firstCheck = subscribeRows().get(0).lastAttemptAt();
        CheckResult unchanged = keeper.check(store);
        assertTrue(
                unchanged.created().isEmpty() && unchanged.replaced().isEmpty(), "nothing to do when all are active");
        List<OperationRecord> rows = subscribeRows();
        assertEquals(1, rows.size(), "a store-wide row (no entity type) is updated, not added again: " + rows);
        assertEquals(OperationState.OK, rows.get(0).state());
        assertNull(rows.get(0).entityType());
        assertTrue(rows.get(0).lastAttemptAt().isAfter(firstCheck));

        // The platform deletes one subscription and disables the other (WooCommerce after failed deliveries).
        api.addOrder(1, Instant.now().minusSeconds(30));
        api.deleteWebhook(subscribed.get("order.created").path("id").asText());
        api.disableWebhook(subscribed.get("order.updated").path("id").asText());
        api.clearRequests();

        CheckResult repaired = keeper.check(store);

        assertEquals(Set.of("order.created"), repaired.created());
        assertEquals(Set.of("order.updated"), repaired.replaced());
        assertTrue(repaired.backfillStarted());
        Map<String, ObjectNode> now = byTopic();
        assertEquals(2, now.size(), "the disabled one was replaced, not duplicated");
        assertTrue(now.values().stream().allMatch(w -> w.path("status").asText().equals("active")));
        assertEquals(1, api.requests("DELETE", "/wp-json/wc/v3/webhooks/").size());

        // The gap is read back by polling from the last good checkpoint.
        List<?> polled = KafkaTestClients.rawRecordsUntil(
                "woocommerce/" + store.storeId(), records -> !records.isEmpty(), Duration.ofSeconds(20));
        assertFalse(polled.isEmpty(), "the store was polled after its subscriptions were re-created");
        assertFalse(api.requests("GET", "/wp-json/wc/v3/orders").isEmpty());
    }

    @Test
    void aTopicTheStoreRefusesDoesNotStopTheOthersFromBeingRecreated() throws Exception {
        api.refuseWebhookTopic("order.created");

        CheckResult result = keeper.check(store);

        assertEquals(Set.of("order.updated"), result.created(), "the refused topic comes first and fails");
        assertEquals(Set.of("order.created"), result.failed().keySet());
        assertTrue(
                result.failed().get("order.created").contains("400"),
                result.failed().toString());
        assertEquals(Set.of("order.updated"), byTopic().keySet());
        OperationRecord row = subscribeRows().get(0);
        assertEquals(OperationState.WAITING_FOR_PERSON, row.state(), "a refused topic needs a person");
        assertEquals(ErrorClass.VALIDATION, row.errorClass());
        assertTrue(row.lastError().contains("order.created"), row.lastError());
    }
}
