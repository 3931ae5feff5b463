package dev.commercesync.poller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler's view of a platform, served through the poller's rate-limited API access. */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class PlatformViewTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Inject
    StoreRegistry stores;

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
        given().queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(250).toString())
                .queryParam("to", NOW.minusSeconds(50).toString())
                .get("/platform-view/woocommerce/count")
                .then()
                .statusCode(200)
                .body("count", equalTo(2))
                .body("api_calls", equalTo(1));

        given().queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(250).toString())
                .queryParam("to", NOW.minusSeconds(50).toString())
                .get("/platform-view/woocommerce/list")
                .then()
                .statusCode(200)
                .body("entities.id", containsInAnyOrder("2", "3"))
                .body("api_calls", greaterThanOrEqualTo(1));
    }

    @Test
    void answersPreciselyWhenTheQueryCannotBeServed() {
        given().queryParam("store", "nobody")
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(10).toString())
                .queryParam("to", NOW.toString())
                .get("/platform-view/woocommerce/count")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_store"));
        given().queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.toString())
                .queryParam("to", NOW.minusSeconds(10).toString())
                .get("/platform-view/woocommerce/count")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"));
        given().queryParam("store", store.storeId())
                .queryParam("type", "ORDER")
                .queryParam("from", NOW.minusSeconds(10).toString())
                .queryParam("to", NOW.toString())
                .get("/platform-view/nosuch/count")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_platform"));
    }
}
