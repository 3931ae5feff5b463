package dev.commercesync.poller;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.poller.polling.IncrementalPoller;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.simulator.IngestRegistration;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSnapshot;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reconciler's view of a platform, served through the poller's rate-limited API access. */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class PlatformViewTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Inject
    StoreRegistry stores;

    @Inject
    IncrementalPoller poller;

    private FakeWooStore api;
    private StoreView store;

    @BeforeEach
    void store() {
        api = new FakeWooStore();
        store = TestStores.wooStore(stores, api);
        api.addOrder(1, NOW.minusSeconds(300));
        api.addOrder(2, NOW.minusSeconds(200));
        api.addOrder(3, NOW.minusSeconds(100));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void countsAndListsOneUpdatedAtRange() {
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(250).toString())
                .queryParam("to", NOW.minusSeconds(50).toString())
                .get("/platform-view/woocommerce/count")
                .then()
                .statusCode(200)
                .body("count", equalTo(2))
                .body("api_calls", equalTo(1));

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(250).toString())
                .queryParam("to", NOW.minusSeconds(50).toString())
                .get("/platform-view/woocommerce/list")
                .then()
                .statusCode(200)
                .body("entities.id", containsInAnyOrder("2", "3"))
                .body("api_calls", greaterThanOrEqualTo(1));
    }

    /**
     * BigCommerce's inventory levels have no updated-at: the snapshot lists them all, each with the fingerprint of the
     * canonical level it maps to, which is what the sync-writer stores when it applies the same level fetched by id.
     */
    @Test
    void snapshotsATypeListedWithoutUpdatedAtWithTheContentOfEachEntity() throws Exception {
        try (Simulator simulator = Simulator.start(0)) {
            SimulatedStore shop = simulator.addStore(StoreSpec.builder("bigcommerce", "view-" + NOW.getEpochSecond())
                    .seed(3)
                    .catalog(12, 2)
                    .build());
            IngestRegistration registration = shop.registration();
            stores.add(
                    registration.platform(),
                    registration.storeId(),
                    "simulated BigCommerce",
                    registration.apiBaseUrl(),
                    registration.webhookSecret(),
                    registration.apiCredentials());
            StoreSnapshot truth = shop.snapshot();
            List<String> ids = truth.of(EntityType.INVENTORY_LEVEL).stream()
                    .map(StoreSnapshot.EntityVersion::id)
                    .toList();
            assertEquals(12, ids.size());

            JsonPath answer = given().header("Authorization", INTERNAL_AUTH)
                    .queryParam("store", shop.storeId())
                    .queryParam("type", "INVENTORY_LEVEL")
                    .get("/platform-view/bigcommerce/snapshot")
                    .then()
                    .statusCode(200)
                    .body("entities.id", containsInAnyOrder(ids.toArray()))
                    .body("api_calls", equalTo(1))
                    .extract()
                    .jsonPath();

            String id = ids.get(0);
            JsonNode fetched = PlatformRegistry.loadInstalled()
                    .get("bigcommerce")
                    .apiClient(shop.apiConnection())
                    .getById(EntityType.INVENTORY_LEVEL, id, null)
                    .value()
                    .orElseThrow();
            var outcome = (NormalizationOutcome.Events) new Normalization(PlatformRegistry.loadInstalled())
                    .normalize(RawEnvelopes.fromApi(
                            "bigcommerce",
                            shop.storeId(),
                            EntityType.INVENTORY_LEVEL,
                            fetched,
                            EventSource.RECONCILE,
                            Instant.now(),
                            null));
            long expected = ContentFingerprint.of(
                    CanonicalEvents.entity(outcome.canonicalEvents().get(0)));
            assertEquals(
                    expected,
                    answer.getLong("entities.find { it.id == '" + id + "' }.fingerprint"),
                    "the fingerprint of the level as the sync-writer stores it");

            given().header("Authorization", INTERNAL_AUTH)
                    .queryParam("store", shop.storeId())
                    .queryParam("type", "ORDER")
                    .get("/platform-view/bigcommerce/snapshot")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("not_listable"));
        }
    }

    /**
     * Shipments (Shopify fulfillments, BigCommerce order shipments) are listed through the orders that changed with
     * them: the view counts and lists every one with its order as parent (what the reconciler's repair fetches
     * through), and a poll publishes each one, in the shape that maps to a canonical shipment.
     */
    @ParameterizedTest
    @ValueSource(strings = {"shopify", "bigcommerce"})
    void countsListsAndPollsShipmentsThroughTheirOrders(String platform) throws Exception {
        KafkaTestClients.ensureTopics();
        try (Simulator simulator = Simulator.start(0)) {
            SimulatedStore shop = simulator.addStore(StoreSpec.builder(platform, "ships-" + NOW.getEpochSecond())
                    .seed(9)
                    .catalog(10, 5)
                    .rateLimits(false)
                    .build());
            // Seed 9, 200 steps: 9 shipments on 75 orders. The poll walks every order in pages of 2 (the test profile's
            // page size) and fetches each shipment, paced by the store's real budget (Shopify: 2 requests/s after its
            // burst), and the count and the list walk them too: the orders, not the shipments, set this test's time
            // (seed 5 and 600 steps made 19 shipments on 233 orders).
            shop.step(200);
            IngestRegistration registration = shop.registration();
            StoreView view = stores.add(
                    registration.platform(),
                    registration.storeId(),
                    "simulated " + platform,
                    registration.apiBaseUrl(),
                    registration.webhookSecret(),
                    registration.apiCredentials());
            List<StoreSnapshot.EntityVersion> shipments = shop.snapshot().of(EntityType.SHIPMENT);
            assertTrue(shipments.size() > 5, "the store shipped orders: " + shipments.size());
            String from = shipments.stream()
                    .map(StoreSnapshot.EntityVersion::updatedAt)
                    .min(Instant::compareTo)
                    .orElseThrow()
                    .toString();
            String to = NOW.plusSeconds(3600).toString();

            RequestSpecification range = given().header("Authorization", INTERNAL_AUTH)
                    .queryParam("store", shop.storeId())
                    .queryParam("type", "SHIPMENT")
                    .queryParam("from", from)
                    .queryParam("to", to);
            given().spec(range)
                    .get("/platform-view/" + platform + "/count")
                    .then()
                    .statusCode(200)
                    .body("count", equalTo(shipments.size()));
            JsonPath listed = given().spec(range)
                    .get("/platform-view/" + platform + "/list")
                    .then()
                    .statusCode(200)
                    .body(
                            "entities.id",
                            containsInAnyOrder(shipments.stream()
                                    .map(StoreSnapshot.EntityVersion::id)
                                    .toArray()))
                    .extract()
                    .jsonPath();
            for (StoreSnapshot.EntityVersion shipment : shipments) {
                assertEquals(
                        shipment.parentId(),
                        listed.getString("entities.find { it.id == '" + shipment.id() + "' }.parent_id"),
                        "shipment " + shipment.id() + " names its order");
            }

            IncrementalPoller.RunResult polled = poller.poll(view, EntityType.SHIPMENT);
            assertEquals(shipments.size(), polled.published(), "every shipment polled once");
            Normalization normalization = new Normalization(PlatformRegistry.loadInstalled());
            var records = KafkaTestClients.rawRecordsUntil(
                    platform + "/" + shop.storeId(),
                    r -> r.size() >= shipments.size(),
                    java.time.Duration.ofSeconds(30));
            assertEquals(shipments.size(), records.size(), "published records");
            for (var record : records) {
                var outcome =
                        assertInstanceOf(NormalizationOutcome.Events.class, normalization.normalize(record.value()));
                assertEquals(
                        EntityType.SHIPMENT,
                        CanonicalEvents.metadata(outcome.canonicalEvents().get(0))
                                .getEntityType());
            }
        }
    }

    @Test
    void answersPreciselyWhenTheQueryCannotBeServed() {
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", "nobody")
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(10).toString())
                .queryParam("to", NOW.toString())
                .get("/platform-view/woocommerce/count")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_store"));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.toString())
                .queryParam("to", NOW.minusSeconds(10).toString())
                .get("/platform-view/woocommerce/count")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(10).toString())
                .queryParam("to", NOW.toString())
                .get("/platform-view/nosuch/count")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_platform"));
    }
}
