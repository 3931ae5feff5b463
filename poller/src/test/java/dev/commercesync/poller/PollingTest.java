package dev.commercesync.poller;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationRecord;
import dev.commercesync.opstate.OperationState;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.poller.kafka.RawPublisher;
import dev.commercesync.poller.polling.Checkpoints;
import dev.commercesync.poller.polling.IncrementalPoller;
import dev.commercesync.poller.polling.IncrementalPoller.RunFailedException;
import dev.commercesync.poller.polling.IncrementalPoller.RunResult;
import dev.commercesync.poller.polling.PollScheduler;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.poller.status.StoreStatusResource;
import dev.commercesync.poller.status.StoreStatusResource.StoreStatusView;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental polling against a fake WooCommerce API, the real broker, registry and PostgreSQL, and the operational
 * state it leaves.
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class PollingTest {
    /** Orders one minute apart, an hour ago, on whole seconds (WooCommerce's resolution). */
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

    @Inject
    IncrementalPoller poller;

    @Inject
    Checkpoints checkpoints;

    @Inject
    StoreRegistry stores;

    @Inject
    RawPublisher publisher;

    @Inject
    PlatformRegistry platforms;

    @Inject
    PollScheduler scheduler;

    @Inject
    OperationalStates states;

    @Inject
    StoreSettings settings;

    @Inject
    PollerConfig pollerConfig;

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
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String key() {
        return "woocommerce/" + store.storeId();
    }

    private static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    private Instant cursor() {
        return checkpoints
                .find(StoreKey.of(store), EntityType.ORDER)
                .orElseThrow()
                .cursor();
    }

    private List<String> polledIds() {
        return KafkaTestClients.rawRecords(key()).stream()
                .map(r -> r.value().getBody())
                .map(b -> new String(b.array(), b.arrayOffset() + b.position(), b.remaining()))
                .map(json -> json.replaceAll("(?s)^\\{\\s*\"id\"\\s*:\\s*(\\d+).*", "$1"))
                .toList();
    }

    private static Instant modifiedAfter(FakeWooStore.Request request) {
        return LocalDateTime.parse(request.query().get("modified_after")).toInstant(ZoneOffset.UTC);
    }

    @Test
    void followsEveryPagePublishesPolledEnvelopesAndAdvancesTheCheckpoint() throws Exception {
        for (int i = 1; i <= 5; i++) {
            api.addOrder(i, at(i));
        }

        RunResult first = poller.poll(store, EntityType.ORDER);

        assertEquals(3, first.pages(), "5 orders at page size 2");
        assertEquals(5, first.published());
        assertEquals(at(5), cursor(), "the checkpoint is the newest stored updated-at");
        List<FakeWooStore.Request> lists = api.requests("GET", "/wp-json/wc/v3/orders");
        assertEquals(
                List.of("1", "2", "3"),
                lists.stream().map(r -> r.query().get("page")).toList());
        Instant backfillStart = modifiedAfter(lists.get(0));
        assertTrue(
                Duration.between(backfillStart, Instant.now().minus(Duration.ofDays(30)))
                                .abs()
                                .toMinutes()
                        < 5,
                "the first run backfills from the configured lookback (30 days), not from " + backfillStart);

        List<ConsumerRecord<String, RawEnvelope>> records = KafkaTestClients.rawRecords(key());
        assertEquals(List.of("1", "2", "3", "4", "5"), polledIds());
        Normalization normalization = new Normalization(platforms);
        for (ConsumerRecord<String, RawEnvelope> record : records) {
            RawEnvelope envelope = record.value();
            assertEquals(EventSource.POLL, envelope.getSource());
            assertEquals(EntityType.ORDER, envelope.getEntityType());
            assertEquals("orders", envelope.getEventType());
            assertNull(envelope.getCorrelationId());
            NormalizationOutcome outcome = normalization.normalize(envelope);
            assertInstanceOf(NormalizationOutcome.Events.class, outcome, outcome::toString);
        }

        // The next run starts at the checkpoint minus the 5-minute overlap and picks up a newer change.
        api.clearRequests();
        api.addOrder(6, at(20));
        RunResult second = poller.poll(store, EntityType.ORDER);
        FakeWooStore.Request firstList =
                api.requests("GET", "/wp-json/wc/v3/orders").get(0);
        assertEquals(at(5).minus(Duration.ofMinutes(5)).minusSeconds(1), modifiedAfter(firstList));
        assertEquals(at(20), second.cursor());
        assertEquals(at(20), cursor());
        assertTrue(polledIds().contains("6"));
    }

    /** Fails the given publishAll calls (1-based) as Kafka not acknowledging in time; the others go to Kafka. */
    static final class FailingPublisher extends RawPublisher {
        private final RawPublisher real;
        private final List<Integer> failing;
        private final AtomicInteger calls = new AtomicInteger();

        FailingPublisher(RawPublisher real, List<Integer> failing) {
            super(null, null);
            this.real = real;
            this.failing = failing;
        }

        @Override
        public void publishAll(String key, List<RawEnvelope> envelopes, Duration timeout) throws NotStoredException {
            if (failing.contains(calls.incrementAndGet())) {
                throw new NotStoredException("Kafka did not acknowledge (injected)", null);
            }
            real.publishAll(key, envelopes, timeout);
        }
    }

    @Test
    void aPageKafkaDidNotAcknowledgeIsReadAgainByTheNextRun() throws Exception {
        for (int i = 1; i <= 5; i++) {
            api.addOrder(i, at(i));
        }
        QuarkusMock.installMockForType(
                new FailingPublisher(ClientProxy.unwrap(publisher), List.of(2)), RawPublisher.class);

        RunFailedException failure = assertThrows(RunFailedException.class, () -> poller.poll(store, EntityType.ORDER));

        assertEquals(ErrorClass.TRANSIENT, failure.errorClass());
        assertEquals(List.of("1", "2"), polledIds(), "page 2 never reached Kafka");
        assertEquals(at(2), cursor(), "the checkpoint stays at the last acknowledged page");

        api.clearRequests();
        poller.poll(store, EntityType.ORDER);

        assertEquals(
                at(2).minus(Duration.ofMinutes(5)).minusSeconds(1),
                modifiedAfter(api.requests("GET", "/wp-json/wc/v3/orders").get(0)),
                "the next run re-reads from the last good checkpoint");
        assertTrue(polledIds().containsAll(List.of("1", "2", "3", "4", "5")), "nothing is lost");
        assertEquals(at(5), cursor());
    }

    @Test
    void a429StormSlowsThePollerDownWithoutLosingWork() throws Exception {
        for (int i = 1; i <= 3; i++) {
            api.addOrder(i, at(i));
        }
        api.rateLimitNext(3, 1);
        Instant started = Instant.now();

        RunResult result = poller.poll(store, EntityType.ORDER);

        assertEquals(3, result.published());
        assertEquals(List.of("1", "2", "3"), polledIds());
        List<FakeWooStore.Request> requests = api.requests();
        assertEquals(
                List.of(429, 429, 429),
                requests.subList(0, 3).stream()
                        .map(FakeWooStore.Request::status)
                        .toList());
        for (int i = 1; i < requests.size(); i++) {
            if (requests.get(i - 1).status() == 429) {
                Duration gap = Duration.between(
                        requests.get(i - 1).at(), requests.get(i).at());
                assertTrue(gap.toMillis() >= 950, "request " + i + " came " + gap + " after a Retry-After: 1");
            }
        }
        assertTrue(Duration.between(started, Instant.now()).toMillis() >= 3000);
        assertEquals(at(3), cursor());
        JsonPath status = statusOf(store);
        assertEquals("OK", status.getString("state"), "a storm that passed leaves the store OK");
        given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .body(containsString("commercesync_poller_api_rate_limited_total{platform=\"woocommerce\",store=\""
                        + store.storeId() + "\"} 3.0"));
    }

    @Test
    void aHugeRetryAfterIsCappedAndThePollCarriesOn() throws Exception {
        api.addOrder(1, at(1));
        api.rateLimitNext(1, 99_999_999); // three years; %test caps it at max-retry-after=PT1S

        RunResult result = poller.poll(store, EntityType.ORDER);

        assertEquals(1, result.published());
        List<FakeWooStore.Request> requests = api.requests();
        assertEquals(429, requests.get(0).status());
        Duration gap = Duration.between(requests.get(0).at(), requests.get(1).at());
        assertTrue(gap.toMillis() >= 950 && gap.toMillis() < 10_000, "paused for the cap, not the header: " + gap);
    }

    @Test
    void aResponseOverTheSizeLimitFailsThatRunAsNeedingAttentionWithoutReadingIt() throws Exception {
        api.addOrder(1, at(1));
        api.addLargeOrder(2, at(2), 300_000); // %test max-response-size=256K

        RunFailedException failure = assertThrows(RunFailedException.class, () -> poller.poll(store, EntityType.ORDER));

        assertEquals(ErrorClass.VALIDATION, failure.errorClass());
        assertEquals(1, api.requests().size(), "the same request would get the same answer: not retried");
        JsonPath status = statusOf(store);
        assertEquals("NEEDS_ATTENTION", status.getString("state"));
        assertTrue(status.getString("last_error.message").contains("larger than 262144 bytes"), status.prettify());
        assertEquals(List.of(), polledIds(), "nothing of the refused page was published");
    }

    @Test
    void aStoreWhoseSecretsDoNotDecryptNeedsAttentionAndTheOthersArePolled() throws Exception {
        api.addOrder(1, at(1));
        FakeWooStore otherApi = new FakeWooStore();
        StoreView broken = TestStores.wooStore(stores, otherApi);
        String original = credentialsOf(broken, null);
        credentialsOf(broken, "v1:bm90LWEtc2VjcmV0LWVuY3J5cHRlZC13aXRoLXRoaXMta2V5");
        try {
            scheduler.tick();

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!polledIds().contains("1") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(List.of("1"), polledIds(), "the store with readable secrets was polled");
            assertEquals(List.of(), otherApi.requests(), "the unreadable store was not called");
            JsonPath status = statusOf(broken);
            assertEquals("NEEDS_ATTENTION", status.getString("state"));
            assertEquals("validation", status.getString("last_error.error_class"));
            assertTrue(status.getString("last_error.message").contains("do not decrypt"), status.prettify());
        } finally {
            credentialsOf(broken, original);
            otherApi.close();
        }
    }

    /** Reads the store row's encrypted API credentials, and replaces them when {@code replacement} is not null. */
    private static String credentialsOf(StoreView store, String replacement) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        SharedStack.endpoints().jdbcUrl(),
                        SharedStack.endpoints().jdbcUser(),
                        "");
                PreparedStatement read = c.prepareStatement(
                        "SELECT api_credentials FROM stores.store WHERE platform = ? AND store_id = ?");
                PreparedStatement write = c.prepareStatement(
                        "UPDATE stores.store SET api_credentials = ? WHERE platform = ? AND store_id = ?")) {
            read.setString(1, store.platform());
            read.setString(2, store.storeId());
            String current;
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
                current = rs.getString(1);
            }
            if (replacement != null) {
                write.setString(1, replacement);
                write.setString(2, store.platform());
                write.setString(3, store.storeId());
                write.executeUpdate();
            }
            return current;
        }
    }

    @Test
    void rejectedCredentialsMarkTheStoreAsNeedingAttentionInsteadOfRetrying() throws Exception {
        api.addOrder(1, at(1));
        api.rejectCredentials();

        RunFailedException failure = assertThrows(RunFailedException.class, () -> poller.poll(store, EntityType.ORDER));

        assertEquals(ErrorClass.AUTH, failure.errorClass());
        assertEquals(1, api.requests().size(), "a 401 is not retried");
        JsonPath status = statusOf(store);
        assertEquals("NEEDS_ATTENTION", status.getString("state"));
        assertTrue(status.getBoolean("waiting_for_person"));
        assertEquals("auth", status.getString("last_error.error_class"));
        assertFalse(status.getBoolean("last_error.retrying"));
        assertEquals("auth", status.getString("resources.find { it.entity_type == 'ORDER' }.last_error.error_class"));
        OperationRecord row = poll(states, store);
        assertEquals(OperationState.WAITING_FOR_PERSON, row.state());
        assertEquals(ErrorClass.AUTH, row.errorClass());
        assertTrue(row.lastError().contains("401"), row.lastError());
        assertEquals(1, row.consecutiveFailures());
        assertEquals("WAITING_FOR_PERSON", status.getString("resources.find { it.entity_type == 'ORDER' }.state"));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .body(containsString("commercesync_poller_store_needs_attention{platform=\"woocommerce\",store=\""
                        + store.storeId() + "\"} 1.0"));

        assertThrows(RunFailedException.class, () -> poller.poll(store, EntityType.ORDER));
        assertEquals(1, api.requests().size(), "the store is not called again until its credentials change");
    }

    // The operational state (poller.operational_state): what a successful poll, a transient failure and a failure
    // waiting for a person leave in it, and that GET /status/stores answers from it, not from the process's memory.

    private OperationRecord poll(OperationalStates from, StoreView of) {
        return from.forStore(of.platform(), of.storeId()).stream()
                .filter(row -> row.operation() == Operation.POLL && "ORDER".equals(row.entityType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no POLL ORDER row for " + of));
    }

    @Test
    void aSuccessfulPollIsOk() throws Exception {
        api.addOrder(1, at(1));
        Instant before = Instant.now().minusMillis(1);
        poller.poll(store, EntityType.ORDER);

        OperationRecord row = poll(states, store);
        assertEquals(OperationState.OK, row.state());
        assertNull(row.errorClass());
        assertEquals(0, row.consecutiveFailures());
        assertTrue(row.lastSuccessAt().isAfter(before), row.toString());
        assertEquals(row.lastAttemptAt(), row.lastSuccessAt());
        assertEquals(row.lastAttemptAt(), row.since(), "OK since its first success");
        JsonPath status = statusOf(store);
        assertEquals("OK", status.getString("state"));
        assertEquals("OK", status.getString("resources.find { it.entity_type == 'ORDER' }.state"));
        assertEquals("OK", status.getString("operations.find { it.operation == 'POLL' }.state"));
    }

    @Test
    void aTransientFailureIsRetryingSinceTheFirstOneUntilASuccess() throws Exception {
        api.addOrder(1, at(1));
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
        JsonPath status = statusOf(store);
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
        assertEquals("OK", statusOf(store).getString("state"));
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
        api.addOrder(1, at(1));
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
                    new OperationalStates(dataSource, "poller", meters),
                    platforms,
                    pollerConfig);
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
                    statusOf(refusing).getString("last_error.message"),
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

    static JsonPath statusOf(StoreView store) {
        List<Map<String, Object>> all = given().header("Authorization", INTERNAL_AUTH)
                .get("/status/stores")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        Map<String, Object> mine = all.stream()
                .filter(s -> store.storeId().equals(s.get("store")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("store missing from /status/stores"));
        return new JsonPath(toJson(mine));
    }

    private static String toJson(Object value) {
        try {
            return dev.commercesync.platforms.shared.Json.MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
