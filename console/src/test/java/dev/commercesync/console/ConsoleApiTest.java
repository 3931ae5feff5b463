package dev.commercesync.console;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operations API on the real Kafka, registry and PostgreSQL: state from both schemas, quarantine, retry, auth. */
@QuarkusTest
@WithTestResource(ConsoleTestResource.class)
class ConsoleApiTest {
    @Inject
    AgroalDataSource dataSource;

    private ConsoleFixtures fixtures;

    @BeforeEach
    void fixtures() throws Exception {
        fixtures = new ConsoleFixtures(dataSource);
    }

    @Test
    void aStoreWithAFailingOperationComesFirstWithItsStateFromBothComponents() {
        ConsoleFixtures.TwoStores stores = fixtures.oneHealthyOneFailing();
        String healthy = stores.healthy();
        String failing = stores.failing();

        JsonPath overview = given().header("Authorization", INTERNAL_AUTH)
                .get("/api/stores")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> order = overview.getList("stores.store");
        assertTrue(order.indexOf(failing) >= 0 && order.indexOf(failing) < order.indexOf(healthy), order.toString());
        assertEquals(List.of(), overview.getList("unavailable"));
        Map<String, Object> row = overview.getMap("stores.find { it.store == '" + failing + "' }");
        assertEquals("WAITING_FOR_PERSON", row.get("health"));
        assertEquals(ConsoleFixtures.PLATFORM, row.get("platform"));
        assertEquals(1, row.get("failing"));
        assertEquals(3, row.get("operations"), "poll ORDER and PRODUCT (poller), reconcile ORDER (reconciler): " + row);
        assertEquals("OK", overview.getString("stores.find { it.store == '" + healthy + "' }.health"));

        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/stores/{platform}/{store}", ConsoleFixtures.PLATFORM, failing)
                .then()
                .statusCode(200)
                .body("summary.health", equalTo("WAITING_FOR_PERSON"))
                .body("operations[0].operation", equalTo("POLL"))
                .body("operations[0].entity_type", equalTo("ORDER"))
                .body("operations[0].state", equalTo("WAITING_FOR_PERSON"))
                .body("operations[0].error_class", equalTo("AUTH"))
                .body("operations[0].last_error", equalTo("GET /orders answered 401 Unauthorized"))
                .body("operations[0].source", equalTo("poller"))
                .body("operations.source", hasItem("reconciler"))
                .body(not(containsString("whsec-")));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/stores/{platform}/{store}", ConsoleFixtures.PLATFORM, "no-such-store")
                .then()
                .statusCode(404);
    }

    @Test
    void aQuarantinedRecordIsListedAndRetriedBackOntoTheRawTopic() {
        String store = ConsoleFixtures.uniqueStore("quarantine");
        fixtures.register(store);
        String id = fixtures.quarantined(store);

        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/stores")
                .then()
                .statusCode(200)
                .body("stores.find { it.store == '" + store + "' }.health", equalTo("QUARANTINED"))
                .body("stores.find { it.store == '" + store + "' }.quarantined", equalTo(1));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/api/quarantine")
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of(id)))
                .body("[0].error_class", equalTo("UNKNOWN_EVENT_TYPE"))
                .body("[0].event_type", equalTo("orders/exploded"))
                .body(not(containsString("buyer@example.com")));

        JsonPath retried = given().header("Authorization", INTERNAL_AUTH)
                .post("/api/quarantine/{id}/retry", id)
                .then()
                .statusCode(202)
                .body("retry_count", equalTo(1))
                .body("origin", containsString("re-read from " + ConsoleFixtures.TOPICS.raw()))
                .extract()
                .jsonPath();

        String key = PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, store);
        List<ConsumerRecord<String, byte[]>> resubmitted = KafkaTestClient.await(
                "the re-submitted raw record",
                Duration.ofSeconds(30),
                () -> fixtures.kafka().readBytes(ConsoleFixtures.TOPICS.raw(), KafkaTestClient.COMMITTED).stream()
                        .filter(r ->
                                key.equals(r.key()) && r.headers().lastHeader(PipelineRecords.RETRY_OF_HEADER) != null)
                        .toList(),
                records -> !records.isEmpty());
        ConsumerRecord<String, byte[]> record = resubmitted.get(0);
        assertEquals(
                id,
                new String(
                        record.headers()
                                .lastHeader(PipelineRecords.RETRY_OF_HEADER)
                                .value(),
                        StandardCharsets.UTF_8));
        assertEquals(
                retried.getString("resubmitted_as"), record.topic() + "/" + record.partition() + "@" + record.offset());

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/api/quarantine")
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of()));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .queryParam("include_resubmitted", true)
                .get("/api/quarantine")
                .then()
                .statusCode(200)
                .body("[0].resubmitted_as", equalTo(retried.getString("resubmitted_as")));
        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/quarantine/{id}/retry", "no-such-id")
                .then()
                .statusCode(404);
    }

    @Test
    void unauthenticatedRequestsAreRefused() {
        for (String path : List.of("/api/stores", "/api/quarantine", "/q/openapi", "/api/stores/x/y")) {
            given().get(path).then().statusCode(401).body("error", equalTo("unauthorized"));
            given().header("Authorization", "Bearer test-admin-token")
                    .get(path)
                    .then()
                    .statusCode(401);
        }
        given().post("/api/quarantine/any/retry").then().statusCode(401);
        // The pages send a browser without a session to the login page, and nothing else.
        for (String path : List.of("/console", "/console/stores/x/y", "/console/quarantine")) {
            given().redirects()
                    .follow(false)
                    .header("Authorization", INTERNAL_AUTH)
                    .get(path)
                    .then()
                    .statusCode(303)
                    .header("Location", "/console/login");
            given().redirects()
                    .follow(false)
                    .cookie("commercesync_session", "4102444800.forged")
                    .get(path)
                    .then()
                    .statusCode(303);
        }
        given().redirects()
                .follow(false)
                .post("/console/quarantine/any/retry")
                .then()
                .statusCode(303);
        given().get("/console/login").then().statusCode(200).body(not(containsString("test-admin-token")));
    }

    @Test
    void theAdminTokenOpensASessionCookieThatIsNotTheToken() {
        given().redirects()
                .follow(false)
                .formParam("token", "wrong")
                .post("/console/login")
                .then()
                .statusCode(401)
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        var login = given().redirects()
                .follow(false)
                .formParam("token", "test-admin-token")
                .post("/console/login")
                .then()
                .statusCode(303)
                .header("Location", containsString("/console"))
                .extract();
        String setCookie = login.header("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(!setCookie.contains("test-admin-token"), setCookie);
        String session = login.cookie("commercesync_session");
        given().cookie("commercesync_session", session)
                .get("/console")
                .then()
                .statusCode(200)
                .body(containsString("<h1>Stores</h1>"));
        // The session opens the pages only, not the API.
        given().cookie("commercesync_session", session)
                .get("/api/stores")
                .then()
                .statusCode(401);
    }
}
