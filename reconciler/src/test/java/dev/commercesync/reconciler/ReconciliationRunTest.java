package dev.commercesync.reconciler;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.reconciler.service.ReconciliationService;
import dev.commercesync.reconciler.service.ReconciliationService.StoreTypeSummary;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.FindingKind;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import dev.commercesync.schemas.envelope.RepairAction;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
import dev.commercesync.testsupport.StoreRegistryTestResource;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler on the real broker, registry and PostgreSQL, against a target table shaped like sync-writer's
 * {@code target.entity_versions} (in its own schema) and a fake poller serving the platform view; and the operational
 * state its passes leave.
 */
@QuarkusTest
@WithTestResource(StoreRegistryTestResource.class)
@WithTestResource(FakePoller.class)
class ReconciliationRunTest {
    private static final Instant BASE = Instant.parse("2025-03-01T00:00:00Z");

    @Inject
    StoreRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    /** Registers a WooCommerce store (only registered stores are reconciled); the fake poller serves its view. */
    private String registered(String store) {
        registry.add("woocommerce", store, "Test shop", "http://127.0.0.1:1", "webhook-secret-" + store, null);
        return store;
    }

    @BeforeAll
    static void targetTableAndTopics() throws Exception {
        try (Connection c = connection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS reconciler_test");
            s.execute("CREATE TABLE IF NOT EXISTS reconciler_test.entity_versions ("
                    + " entity_key text PRIMARY KEY, platform text NOT NULL, store text NOT NULL,"
                    + " entity_type text NOT NULL, entity_id text NOT NULL, version numeric(38, 0) NOT NULL,"
                    + " version_basis text NOT NULL DEFAULT 'UPDATED_AT', source_version text,"
                    + " source_updated_at timestamptz, deleted boolean NOT NULL DEFAULT false,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())");
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.endpoints().kafkaBootstrap()))) {
            for (CommerceTopic topic : List.of(CommerceTopic.FETCH_REQUESTS, CommerceTopic.RECONCILIATION)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic.topicName(), 3, (short) 1)))
                            .all()
                            .get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static Connection connection() throws Exception {
        return DriverManager.getConnection(
                SharedStack.endpoints().jdbcUrl(), SharedStack.endpoints().jdbcUser(), "");
    }

    private static void upsertTarget(String store, String id, Instant at, String keySuffix) throws Exception {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO reconciler_test.entity_versions"
                        + " (entity_key, platform, store, entity_type, entity_id, version, source_updated_at)"
                        + " VALUES (?, 'woocommerce', ?, 'ORDER', ?, ?, ?)"
                        + " ON CONFLICT (entity_key) DO UPDATE SET version = EXCLUDED.version,"
                        + " source_updated_at = EXCLUDED.source_updated_at")) {
            ps.setString(1, "woocommerce/" + store + "/order/" + id + keySuffix);
            ps.setString(2, store);
            ps.setString(3, id);
            ps.setLong(4, at.toEpochMilli());
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private static void deleteTarget(String store, String id) throws Exception {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement("UPDATE reconciler_test.entity_versions SET deleted = true"
                        + " WHERE store = ? AND entity_id = ?")) {
            ps.setString(1, store);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** 300 orders on both sides; then 7 missing in the target, 8 stale, 9001 extra, 12 under two keys. */
    private String seededStoreWithDrift() throws Exception {
        String store = registered("recon-" + UUID.randomUUID() + ".example.com");
        Map<String, Instant> platform = FakePoller.store("woocommerce", store, "ORDER");
        for (int i = 1; i <= 300; i++) {
            Instant at = BASE.plusSeconds(i * 3_600L);
            platform.put(Integer.toString(i), at);
            if (i != 7) {
                upsertTarget(store, Integer.toString(i), i == 8 ? at.minusSeconds(86_400 * 20) : at, "");
            }
        }
        upsertTarget(store, "9001", BASE.plusSeconds(5_000), "");
        upsertTarget(store, "12", platform.get("12"), "-copy");
        return store;
    }

    /** POST /reconciliation/run of the store's orders. */
    private static ValidatableResponse runOrders(String store) {
        return given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce", "store", store, "entity_type", "order"))
                .when()
                .post("/reconciliation/run")
                .then();
    }

    private static JsonPath run(String store) {
        return runOrders(store)
                .statusCode(200)
                .body("run_id", notNullValue())
                .body("types[0].entity_type", equalTo("ORDER"))
                .extract()
                .jsonPath();
    }

    @Test
    void aRunRequestsRepairsPublishesFindingsAndVerifiesThemOnTheNextPass() throws Exception {
        String store = seededStoreWithDrift();
        int callsBefore = FakePoller.PLATFORM_CALLS.get();

        JsonPath report = run(store);

        Map<String, String> kinds = report.<Map<String, Object>>getList("types[0].findings").stream()
                .collect(Collectors.toMap(f -> (String) f.get("entity_id"), f -> (String) f.get("kind")));
        assertEquals(Map.of("7", "MISSING", "8", "STALE", "9001", "EXTRA", "12", "DUPLICATE"), kinds);
        assertEquals(
                FakePoller.PLATFORM_CALLS.get() - callsBefore,
                report.getInt("api_calls"),
                "the reported cost is what the poller spent");
        String runId = report.getString("run_id");

        List<ConsumerRecord<String, FetchRequest>> requests = records(
                CommerceTopic.FETCH_REQUESTS.topicName(),
                FetchRequest.class,
                r -> runId.equals(r.getCorrelationId()),
                3);
        Map<FetchReason, List<String>> byReason = requests.stream()
                .collect(Collectors.toMap(
                        r -> r.value().getReason(), r -> r.value().getEntityIds()));
        assertEquals(
                Map.of(
                        FetchReason.RECONCILE_MISSING, List.of("7"),
                        FetchReason.RECONCILE_STALE, List.of("8"),
                        FetchReason.RECONCILE_EXTRA, List.of("9001")),
                byReason);
        for (ConsumerRecord<String, FetchRequest> r : requests) {
            assertEquals("woocommerce/" + store, r.key());
            assertEquals(EntityType.ORDER, r.value().getEntityType());
            assertEquals("reconciler", r.value().getRequestedBy());
        }

        List<ConsumerRecord<String, ReconciliationFinding>> findings = records(
                CommerceTopic.RECONCILIATION.topicName(),
                ReconciliationFinding.class,
                f -> runId.equals(f.getRunId()),
                4);
        Map<String, ReconciliationFinding> byId =
                findings.stream().collect(Collectors.toMap(r -> r.value().getEntityId(), ConsumerRecord::value));
        assertEquals(FindingKind.STALE, byId.get("8").getKind());
        assertEquals(RepairAction.FETCH_REQUESTED, byId.get("8").getRepair());
        assertEquals(RepairAction.CONFIRM_DELETION_REQUESTED, byId.get("9001").getRepair());
        assertEquals(RepairAction.NONE, byId.get("12").getRepair());
        assertEquals(1, byId.get("7").getConsecutivePasses());

        // The pipeline applies the repairs (the poller fetched 7 and 8, confirmed 9001 deleted); 12 stays duplicated.
        Map<String, Instant> platform = FakePoller.store("woocommerce", store, "ORDER");
        upsertTarget(store, "7", platform.get("7"), "");
        upsertTarget(store, "8", platform.get("8"), "");
        deleteTarget(store, "9001");

        JsonPath next = run(store);
        assertEquals(List.of("12"), next.getList("types[0].findings.entity_id"));
        assertEquals(2, next.getInt("types[0].findings[0].consecutive_passes"));
        assertEquals(3, next.getInt("types[0].verified_repairs"));

        given().header("Authorization", INTERNAL_AUTH)
                .when()
                .get("/reconciliation/stores")
                .then()
                .statusCode(200)
                .body("'woocommerce/" + store + "'.ORDER.findings", equalTo(1));
    }

    /** 50 orders two hours apart, the same on the platform and in the target. */
    private static void seedInStep(String store) throws Exception {
        Map<String, Instant> platform = FakePoller.store("woocommerce", store, "ORDER");
        for (int i = 1; i <= 50; i++) {
            platform.put(Integer.toString(i), BASE.plusSeconds(i * 7_200L));
            upsertTarget(store, Integer.toString(i), BASE.plusSeconds(i * 7_200L), "");
        }
    }

    /**
     * A store's first pass lists its window: nothing covers its changes yet, and counts cannot see a lost update that
     * kept its entity inside one bucket. From the next pass on, a store in step costs one count per top bucket and the
     * page of its changes since.
     */
    @Test
    void aStoreInStepCostsOneCountPerTopBucketAfterItsFirstPass() throws Exception {
        String store = registered("recon-" + UUID.randomUUID() + ".example.com");
        seedInStep(store);
        JsonPath first = run(store);
        assertEquals(List.of(), first.getList("types[0].findings"));
        assertEquals(0, first.getInt("types[0].count_calls"), "the first pass lists");
        assertTrue(first.getInt("types[0].list_calls") > 0, "the first pass lists");

        JsonPath report = run(store);
        assertEquals(List.of(), report.getList("types[0].findings"));
        assertEquals(17, report.getInt("api_calls"));
        assertEquals(16, report.getInt("types[0].count_calls"));
        assertEquals(1, report.getInt("types[0].list_calls"), "the changes since the first pass: one page");
    }

    /**
     * A run that names no type reconciles what the platform's adapter lists (the poller's {@code /capabilities}; no
     * configuration names a platform), snapshot types by content; a store's configured types win.
     */
    @Test
    void withoutTypesARunReconcilesWhatTheAdapterListsUnlessTheStoreSaysOtherwise() {
        String store = registered("defaults-" + UUID.randomUUID() + ".example.com");
        FakePoller.store("woocommerce", store, "ORDER").put("1", BASE);
        FakePoller.store("woocommerce", store, "REFUND");
        JsonPath report = given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce", "store", store))
                .when()
                .post("/reconciliation/run")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("INVENTORY_LEVEL", "ORDER", "REFUND"), report.getList("types.entity_type"));
        // INVENTORY_LEVEL went to the snapshot listing, which the fake poller does not serve.
        assertEquals(List.of("ORDER", "REFUND"), report.getList("types.findAll { it.error == null }.entity_type"));

        String overridden = registered(FakePoller.OVERRIDDEN_STORE);
        FakePoller.store("woocommerce", overridden, "ORDER");
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce", "store", overridden))
                .when()
                .post("/reconciliation/run")
                .then()
                .statusCode(200)
                .body("types.entity_type", equalTo(List.of("ORDER")));
    }

    @Test
    void aBadRequestIs400AndAFailingPollerIs502() {
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce"))
                .when()
                .post("/reconciliation/run")
                .then()
                .statusCode(400);
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce", "store", "s", "entity_type", "nope"))
                .when()
                .post("/reconciliation/run")
                .then()
                .statusCode(400);
        String notServed = registered("not-served-" + UUID.randomUUID() + ".example.com");
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce", "store", notServed, "entity_type", "ORDER"))
                .when()
                .post("/reconciliation/run")
                .then()
                .statusCode(502)
                .body("types[0].error", notNullValue());
    }

    @Test
    void aStoreTheRegistryDoesNotHaveIs404AndLeavesNoState() {
        String madeUp = "made-up-" + UUID.randomUUID() + ".example.com";
        FakePoller.store("woocommerce", madeUp, "ORDER").put("1", BASE);
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce", "store", madeUp))
                .when()
                .post("/reconciliation/run")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown store"));
        String stores = given().header("Authorization", INTERNAL_AUTH)
                .get("/reconciliation/stores")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(stores.contains(madeUp), stores);
        String metrics = given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(metrics.contains(madeUp), "no metric series for a made-up store");
    }

    // The operational state (reconciler.operational_state, operation RECONCILE): what a clean pass, a transient failure
    // and a failure waiting for a person leave, as GET /reconciliation/stores shows it, and as a fresh reader reads it.

    private static int runStatus(String store) {
        return runOrders(store).extract().statusCode();
    }

    private static JsonPath orderSummary(String store) {
        JsonPath all = given().header("Authorization", INTERNAL_AUTH)
                .get("/reconciliation/stores")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return new JsonPath(all.prettify()).setRootPath("'woocommerce/" + store + "'.ORDER");
    }

    @Test
    void aCleanPassIsOk() {
        String store = registered("clean-" + UUID.randomUUID() + ".example.com");
        FakePoller.store("woocommerce", store, "ORDER"); // in step: nothing on either side

        assertEquals(200, runStatus(store));

        JsonPath order = orderSummary(store);
        assertEquals("OK", order.getString("state"));
        assertEquals(0, order.getInt("consecutiveFailures"));
        assertNull(order.get("error"));
        assertNull(order.get("errorClass"));
        assertNotNull(order.get("lastSuccessAt"));
        assertEquals(order.getString("lastRunAt"), order.getString("lastSuccessAt"));
        assertNotNull(order.get("lastCleanPassAt"), "a pass without findings is clean");
    }

    @Test
    void aPlatformFailureTheNextPassRetriesIsRetryingSinceTheFirstOne() {
        String store = registered("failing-" + UUID.randomUUID() + ".example.com");
        FakePoller.store("woocommerce", store, "ORDER").put("1", BASE);
        FakePoller.fail("woocommerce", store, 502, "{\"error\":\"platform_error\",\"error_class\":\"transient\"}");

        assertEquals(502, runStatus(store));
        String since = orderSummary(store).getString("since");
        assertEquals(502, runStatus(store));

        JsonPath order = orderSummary(store);
        assertEquals("RETRYING", order.getString("state"));
        assertEquals("transient", order.getString("errorClass"));
        assertTrue(order.getString("error").contains("HTTP 502"), order.getString("error"));
        assertEquals(2, order.getInt("consecutiveFailures"));
        assertEquals(since, order.getString("since"), "retrying since the first failure");
        assertNull(order.get("lastSuccessAt"));

        FakePoller.FAILING.remove("woocommerce/" + store);
        assertEquals(200, runStatus(store));
        assertEquals("OK", orderSummary(store).getString("state"));
        assertEquals(0, orderSummary(store).getInt("consecutiveFailures"));
    }

    @Test
    void credentialsThePlatformRejectedWaitForAPerson() {
        String store = registered("refused-" + UUID.randomUUID() + ".example.com");
        FakePoller.store("woocommerce", store, "ORDER");
        FakePoller.fail("woocommerce", store, 502, "{\"error\":\"platform_error\",\"error_class\":\"auth\"}");

        assertEquals(502, runStatus(store));

        JsonPath order = orderSummary(store);
        assertEquals("WAITING_FOR_PERSON", order.getString("state"));
        assertEquals("auth", order.getString("errorClass"));
        assertEquals(1, order.getInt("consecutiveFailures"));
    }

    /**
     * "Survives a restart", in its cleanest honest form within this module's one Quarkus start: passes are run
     * through the service, then read by {@link ReconciliationService#summaries(OperationalStates)} over a fresh {@link
     * OperationalStates} on the same database — what a restarted reconciler, or another replica, has: nothing in
     * memory. It answers what the running service answers.
     */
    @Test
    void theSummariesSurviveARestartBecauseTheyAreReadFromTheDatabase() {
        String clean = registered("restart-clean-" + UUID.randomUUID() + ".example.com");
        FakePoller.store("woocommerce", clean, "ORDER");
        String refused = registered("restart-refused-" + UUID.randomUUID() + ".example.com");
        FakePoller.store("woocommerce", refused, "ORDER");
        FakePoller.fail("woocommerce", refused, 502, "{\"error\":\"platform_error\",\"error_class\":\"auth\"}");
        runStatus(clean);
        runStatus(refused);

        Map<String, Map<EntityType, StoreTypeSummary>> restarted = ReconciliationService.summaries(
                new OperationalStates(dataSource, "reconciler", new SimpleMeterRegistry()));

        StoreTypeSummary ok = restarted.get("woocommerce/" + clean).get(EntityType.ORDER);
        assertEquals("OK", ok.state());
        assertEquals(Instant.parse(orderSummary(clean).getString("lastCleanPassAt")), ok.lastCleanPassAt());
        StoreTypeSummary waiting = restarted.get("woocommerce/" + refused).get(EntityType.ORDER);
        assertEquals("WAITING_FOR_PERSON", waiting.state());
        assertEquals("auth", waiting.errorClass());
        assertEquals(orderSummary(refused).getString("error"), waiting.error());
        assertEquals(Instant.parse(orderSummary(refused).getString("since")), waiting.since());
    }

    /**
     * The coverage of the listing of changes is recorded in the operational state: a restarted reconciler (here: an
     * earlier process's record, written through a fresh {@link OperationalStates}) counts and lists the changes since,
     * instead of listing the store's whole window as a store's first pass does.
     */
    @Test
    void aRestartedReconcilerListsTheChangesSinceTheRecordedCoverage() throws Exception {
        String store = registered("restart-coverage-" + UUID.randomUUID() + ".example.com");
        seedInStep(store);
        new OperationalStates(dataSource, "reconciler", new SimpleMeterRegistry())
                .succeeded(
                        new OperationalStates.Subject("woocommerce", store, "ORDER", Operation.RECONCILE),
                        "{\"changes_covered_until\": \"" + BASE.plusSeconds(51 * 7_200L) + "\"}");

        JsonPath report = run(store);
        assertEquals(List.of(), report.getList("types[0].findings"));
        assertEquals(16, report.getInt("types[0].count_calls"));
        assertEquals(1, report.getInt("types[0].list_calls"), "the changes since the recorded coverage: one page");
    }

    /** Every record of {@code topic} matching {@code wanted}, once {@code enough} of them arrived; fails after 30 s. */
    private static <T extends SpecificRecord> List<ConsumerRecord<String, T>> records(
            String topic, Class<T> type, Predicate<T> wanted, int enough) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return KafkaTestClient.await(
                    enough + " expected records on " + topic,
                    Duration.ofSeconds(30),
                    () -> kafka.read(topic, type, KafkaTestClient.UNCOMMITTED).stream()
                            .filter(r -> wanted.test(r.value()))
                            .toList(),
                    found -> found.size() >= enough);
        }
    }
}
