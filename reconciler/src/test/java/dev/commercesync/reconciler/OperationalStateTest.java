package dev.commercesync.reconciler;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.reconciler.service.ReconciliationService;
import dev.commercesync.reconciler.service.ReconciliationService.StoreTypeSummary;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.ops.OperationalStates;
import dev.commercesync.testsupport.StoreRegistryTestResource;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's operational state ({@code reconciler.operational_state}, operation RECONCILE) on the real
 * PostgreSQL: what a clean pass, a transient failure and a failure waiting for a person leave, as {@code GET
 * /reconciliation/stores} shows it — and as a fresh reader over the same database reads it after a "restart".
 */
@QuarkusTest
@WithTestResource(StoreRegistryTestResource.class)
@WithTestResource(FakePoller.class)
class OperationalStateTest {
    private static final Instant BASE = Instant.parse("2025-03-01T00:00:00Z");

    @Inject
    StoreRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    private String registered(String prefix) {
        String store = prefix + "-" + UUID.randomUUID() + ".example.com";
        registry.add("woocommerce", store, "Test shop", "http://127.0.0.1:1", "webhook-secret-" + store, null);
        return store;
    }

    private static int run(String store) {
        return given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("platform", "woocommerce", "store", store, "entity_type", "ORDER"))
                .when()
                .post("/reconciliation/run")
                .then()
                .extract()
                .statusCode();
    }

    private static JsonPath order(String store) {
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
        String store = registered("clean");
        FakePoller.store("woocommerce", store, "ORDER"); // in step: nothing on either side

        assertEquals(200, run(store));

        JsonPath order = order(store);
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
        String store = registered("failing");
        FakePoller.store("woocommerce", store, "ORDER").put("1", BASE);
        FakePoller.fail("woocommerce", store, 502, "{\"error\":\"platform_error\",\"error_class\":\"transient\"}");

        assertEquals(502, run(store));
        String since = order(store).getString("since");
        assertEquals(502, run(store));

        JsonPath order = order(store);
        assertEquals("RETRYING", order.getString("state"));
        assertEquals("transient", order.getString("errorClass"));
        assertTrue(order.getString("error").contains("HTTP 502"), order.getString("error"));
        assertEquals(2, order.getInt("consecutiveFailures"));
        assertEquals(since, order.getString("since"), "retrying since the first failure");
        assertNull(order.get("lastSuccessAt"));

        FakePoller.FAILING.remove("woocommerce/" + store);
        assertEquals(200, run(store));
        assertEquals("OK", order(store).getString("state"));
        assertEquals(0, order(store).getInt("consecutiveFailures"));
    }

    @Test
    void credentialsThePlatformRejectedWaitForAPerson() {
        String store = registered("refused");
        FakePoller.store("woocommerce", store, "ORDER");
        FakePoller.fail("woocommerce", store, 502, "{\"error\":\"platform_error\",\"error_class\":\"auth\"}");

        assertEquals(502, run(store));

        JsonPath order = order(store);
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
        String clean = registered("restart-clean");
        FakePoller.store("woocommerce", clean, "ORDER");
        String refused = registered("restart-refused");
        FakePoller.store("woocommerce", refused, "ORDER");
        FakePoller.fail("woocommerce", refused, 502, "{\"error\":\"platform_error\",\"error_class\":\"auth\"}");
        run(clean);
        run(refused);

        Map<String, Map<EntityType, StoreTypeSummary>> restarted = ReconciliationService.summaries(
                new OperationalStates(dataSource, "reconciler", new SimpleMeterRegistry()));

        StoreTypeSummary ok = restarted.get("woocommerce/" + clean).get(EntityType.ORDER);
        assertEquals("OK", ok.state());
        assertEquals(Instant.parse(order(clean).getString("lastCleanPassAt")), ok.lastCleanPassAt());
        StoreTypeSummary waiting = restarted.get("woocommerce/" + refused).get(EntityType.ORDER);
        assertEquals("WAITING_FOR_PERSON", waiting.state());
        assertEquals("auth", waiting.errorClass());
        assertEquals(order(refused).getString("error"), waiting.error());
        assertEquals(Instant.parse(order(refused).getString("since")), waiting.since());
    }
}
