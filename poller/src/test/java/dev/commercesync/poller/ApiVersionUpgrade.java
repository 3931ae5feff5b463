package dev.commercesync.poller;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.poller.polling.IncrementalPoller;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.IngestRegistration;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One step of upgrading a Shopify store's API version (docs/poller.md, "API versions"): the store, simulated, is
 * registered (or found again after the restart) and its orders polled with the version the running poller is
 * configured with; what the simulated store received and what the store's status says are returned.
 */
final class ApiVersionUpgrade {
    /**
     * The paths the store received during the poll, the store's {@code api} status, and the {@code api_version} of
     * the raw records the poll published.
     */
    record Observed(List<String> paths, Map<String, Object> api, Set<String> rawApiVersions) {}

    private ApiVersionUpgrade() {}

    static Observed pollOrders(StoreRegistry stores, IncrementalPoller poller) throws Exception {
        KafkaTestClients.ensureTopics();
        try (Simulator simulator = Simulator.start(0)) {
            SimulatedStore shop = simulator.addStore(StoreSpec.builder("shopify", ApiVersionTestResource.STORE_KEY)
                    .seed(4)
                    .catalog(4, 2)
                    .rateLimits(false)
                    .build());
            shop.step(30);
            IngestRegistration registration = shop.registration();
            assertEquals(ApiVersionTestResource.STORE_ID, registration.storeId());
            // The same store before and after the restart: found again, at the simulator's new address.
            StoreView store = stores.install(
                            registration.platform(),
                            registration.storeId(),
                            registration.apiBaseUrl(),
                            registration.webhookSecret(),
                            registration.apiCredentials())
                    .store();
            String rawKey = "shopify/" + ApiVersionTestResource.STORE_ID;
            int rawBefore = KafkaTestClients.rawRecords(rawKey).size();
            poller.poll(store, EntityType.ORDER);
            var raw = KafkaTestClients.rawRecords(rawKey);
            Set<String> rawApiVersions = new TreeSet<>();
            raw.subList(rawBefore, raw.size())
                    .forEach(r -> rawApiVersions.add(r.value().getApiVersion()));
            assertTrue(raw.size() > rawBefore, "the poll published the orders");
            List<String> paths = shop.requestedPaths();
            assertTrue(paths.stream().anyMatch(p -> p.endsWith("/graphql.json")), "the orders were listed: " + paths);
            JsonPath status = given().header("Authorization", INTERNAL_AUTH)
                    .get("/status/stores")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            Map<String, Object> api =
                    status.getMap("find { it.store == '" + ApiVersionTestResource.STORE_ID + "' }.api");
            return new Observed(paths, api, rawApiVersions);
        }
    }
}
