package dev.commercesync.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.poller.polling.Checkpoints;
import dev.commercesync.poller.polling.IncrementalPoller;
import dev.commercesync.poller.polling.IncrementalPoller.RunFailedException;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.poller.status.StoreStatusResource;
import dev.commercesync.poller.status.StoreStatusResource.StoreStatusView;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import dev.commercesync.stores.ops.ErrorClass;
import dev.commercesync.stores.ops.Operation;
import dev.commercesync.stores.ops.OperationRecord;
import dev.commercesync.stores.ops.OperationState;
import dev.commercesync.stores.ops.OperationalStates;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller's operational state ({@code poller.operational_state}) on the real PostgreSQL: what a successful poll, a
 * transient failure and a failure waiting for a person leave in it, and that {@code GET /status/stores} answers from
 * it, not from the process's memory.
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class OperationalStateTest {
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

    @Inject
    IncrementalPoller poller;

    @Inject
    StoreRegistry stores;

    @Inject
    OperationalStates states;

    @Inject
    Checkpoints checkpoints;

    @Inject
    StoreSettings settings;

    @Inject
    AgroalDataSource dataSource;

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
        api.addOrder(1, T0);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private OperationRecord poll(OperationalStates from, StoreView of) {
        return from.forStore(of.platform(), of.storeId()).stream()
                .filter(row -> row.operation() == Operation.POLL && "ORDER".equals(row.entityType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no POLL ORDER row for " + of));
    }

    @Test
    void aSuccessfulPollIsOk() throws Exception {
        Instant before = Instant.now().minusMillis(1);
        poller.poll(store, EntityType.ORDER);

        OperationRecord row = poll(states, store);
        assertEquals(OperationState.OK, row.state());
        assertNull(row.errorClass());
        assertEquals(0, row.consecutiveFailures());
        assertTrue(row.lastSuccessAt().isAfter(before), row.toString());
        assertEquals(row.lastAttemptAt(), row.lastSuccessAt());
        assertEquals(row.lastAttemptAt(), row.since(), "OK since its first success");
        JsonPath status = PollingTest.statusOf(store);
        assertEquals("OK", status.getString("state"));
        assertEquals("OK", status.getString("resources.find { it.entity_type == 'ORDER' }.state"));
        assertEquals("OK", status.getString("operations.find { it.operation == 'POLL' }.state"));
    }

    @Test
    void aTransientFailureIsRetryingSinceTheFirstOneUntilASuccess() throws Exception {
        api.failNext(12, 503); // two runs of 6 attempts each (max-retries 5)

        assertThrows(RunFailedException.class, () -> poller.poll(store, EntityType.ORDER));
        OperationRecord first = poll(states, store);
        assertThrows(RunFailedException.class, () -> poller.poll(store, EntityType.ORDER));
        OperationRecord second = poll(states, store);

        assertEquals(OperationState.RETRYING, second.state());
        assertEquals(ErrorClass.TRANSIENT, second.errorClass());
        assertTrue(second.lastError().contains("503"), second.lastError());
        assertEquals(2, second.consecutiveFailures());
        assertEquals(first.since(), second.since(), "retrying since the first failure");
        assertTrue(second.lastAttemptAt().isAfter(first.lastAttemptAt()));
        assertNull(second.lastSuccessAt());
        JsonPath status = PollingTest.statusOf(store);
        assertEquals("RETRYING", status.getString("state"));
        assertFalse(status.getBoolean("waiting_for_person"));
        assertEquals("transient", status.getString("last_error.error_class"));
        assertTrue(status.getBoolean("last_error.retrying"));
        assertEquals(2, status.getInt("resources.find { it.entity_type == 'ORDER' }.consecutive_failures"));

        poller.poll(store, EntityType.ORDER);
        OperationRecord healed = poll(states, store);
        assertEquals(OperationState.OK, healed.state());
        assertNull(healed.errorClass());
        assertEquals(0, healed.consecutiveFailures());
        assertTrue(healed.since().isAfter(second.lastAttemptAt()), "OK since the success");
        assertEquals(second.lastFailureAt(), healed.lastFailureAt(), "the last failure stays on record");
        assertEquals(second.lastError(), healed.lastError());
        assertEquals("OK", PollingTest.statusOf(store).getString("state"));
    }

    @Test
    void rejectedCredentialsWaitForAPerson() {
        api.rejectCredentials();

        assertThrows(RunFailedException.class, () -> poller.poll(store, EntityType.ORDER));

        OperationRecord row = poll(states, store);
        assertEquals(OperationState.WAITING_FOR_PERSON, row.state());
        assertEquals(ErrorClass.AUTH, row.errorClass());
        assertTrue(row.lastError().contains("401"), row.lastError());
        assertEquals(1, row.consecutiveFailures());
        JsonPath status = PollingTest.statusOf(store);
        assertEquals("NEEDS_ATTENTION", status.getString("state"));
        assertEquals("WAITING_FOR_PERSON", status.getString("resources.find { it.entity_type == 'ORDER' }.state"));
    }

    /**
     * "Survives a restart", in its cleanest honest form within one Quarkus start (this module's tests start the
     * application once; restarting it would cost another start): outcomes are written through the running service,
     * then read by a fresh {@link StoreStatusResource} over a fresh {@link OperationalStates} and an empty {@link
     * StoreStatusBoard} — exactly what a restarted poller, or another replica, has: the same database and nothing in
     * memory. It answers what the running service answers.
     */
    @Test
    void theStatusSurvivesARestartBecauseItIsReadFromTheDatabase() throws Exception {
        poller.poll(store, EntityType.ORDER);
        FakeWooStore refusingApi = new FakeWooStore();
        StoreView refusing = TestStores.wooStore(stores, refusingApi);
        try {
            refusingApi.rejectCredentials();
            assertThrows(RunFailedException.class, () -> poller.poll(refusing, EntityType.ORDER));

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            StoreStatusResource restarted = new StoreStatusResource(
                    stores,
                    new StoreStatusBoard(meters),
                    checkpoints,
                    settings,
                    new OperationalStates(dataSource, "poller", meters));
            List<StoreStatusView> views = restarted.stores();

            StoreStatusView ok = find(views, store);
            assertEquals("OK", ok.state());
            assertEquals("OK", ok.resources().get(0).state());
            assertNotNull(ok.resources().get(0).lastSuccessAt());
            StoreStatusView waiting = find(views, refusing);
            assertEquals("NEEDS_ATTENTION", waiting.state());
            assertTrue(waiting.waitingForPerson());
            assertEquals("auth", waiting.lastError().errorClass());
            assertFalse(waiting.lastError().retrying());
            assertEquals(
                    poll(states, refusing).since(), waiting.resources().get(0).since());
            assertEquals(
                    PollingTest.statusOf(refusing).getString("last_error.message"),
                    waiting.lastError().message(),
                    "the restarted reader answers what the running service answers");
        } finally {
            refusingApi.close();
        }
    }

    private static StoreStatusView find(List<StoreStatusView> views, StoreView store) {
        return views.stream()
                .filter(v -> v.store().equals(store.storeId()))
                .findFirst()
                .orElseThrow();
    }
}
