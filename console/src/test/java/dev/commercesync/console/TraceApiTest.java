package dev.commercesync.console;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.EntityTrace.Kind;
import dev.commercesync.kafka.TraceStory;
import dev.commercesync.testsupport.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The entity trace's API and page on the real Kafka and registry: one order's records on every topic the trace reads
 * (pipeline-kafka's TraceStory, on the standard topics under a store of its own), among another order's.
 */
@QuarkusTest
@WithTestResource(ConsoleTestResource.class)
class TraceApiTest {
    private static TraceStory story;

    @BeforeAll
    static void publishTheStory() throws Exception {
        story = new TraceStory(
                        KafkaTestClient.shared().avroProducer(),
                        ConsoleFixtures.uniqueStore("trace"),
                        Instant.now().minusSeconds(600),
                        "")
                .publish();
    }

    @Test
    void theTraceOfAnOrderHasItsRecordsInTimeOrderWithLatencies() {
        JsonPath trace = given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .queryParam("entity_id", story.orderId)
                .queryParam("entity_type", "order")
                .queryParam("since", "1h")
                .get("/api/trace")
                .then()
                .statusCode(200)
                .body(not(containsString("secret-body")))
                .extract()
                .jsonPath();

        assertEquals(story.orderId, trace.getString("entity_id"));
        assertEquals("ORDER", trace.getString("entity_type"));
        assertEquals(TraceStory.KINDS.stream().map(Kind::name).toList(), trace.getList("steps.kind"));
        assertEquals(story.start.toString(), trace.getString("steps[0].at"));
        assertEquals(0, trace.getLong("steps[0].latency_millis"));
        assertEquals(1200, trace.getLong("steps[2].latency_millis"));
        assertEquals("postgres", trace.getString("steps[2].details.target"));
        assertEquals(story.commandId, trace.getString("steps[3].id"));
        assertFalse(trace.getList("steps.id").toString().contains(story.otherOrderId));
    }

    @Test
    void ordersAreFoundByNumberOrEmail() {
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .queryParam("q", story.orderNumber)
                .get("/api/trace/orders")
                .then()
                .statusCode(200)
                .body("entity_ids", equalTo(List.of(story.orderId)));
    }

    @Test
    void badOrMissingParametersAreA400WithAMessage() {
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .queryParam("entity_id", story.orderId)
                .queryParam("since", "yesterday")
                .get("/api/trace")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"))
                .body("message", containsString("'yesterday' is neither an ISO-8601 instant"));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .get("/api/trace")
                .then()
                .statusCode(400)
                .body("message", equalTo("platform, store and entity_id are required"));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .queryParam("entity_id", story.orderId)
                .queryParam("entity_type", "parcel")
                .get("/api/trace")
                .then()
                .statusCode(400)
                .body("message", containsString("entity_type 'parcel' is none of"));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .get("/api/trace/orders")
                .then()
                .statusCode(400)
                .body("message", equalTo("platform, store and q are required"));
    }

    @Test
    void withoutTheTokenTheApiIsRefusedAndThePageSendsToTheLogin() {
        given().queryParam("platform", "p")
                .queryParam("store", "s")
                .queryParam("entity_id", "1")
                .get("/api/trace")
                .then()
                .statusCode(401);
        given().get("/api/trace/orders").then().statusCode(401);
        given().header("Authorization", "Bearer test-admin-token")
                .get("/api/trace")
                .then()
                .statusCode(401);
        given().redirects()
                .follow(false)
                .header("Authorization", INTERNAL_AUTH)
                .get("/console/trace")
                .then()
                .statusCode(303)
                .header("Location", "/console/login");
    }

    @Test
    void thePageShowsTheTimelineAndFindsTheOrderByEmail() {
        String session = given().redirects()
                .follow(false)
                .formParam("token", "test-admin-token")
                .post("/console/login")
                .then()
                .statusCode(303)
                .extract()
                .cookie("commercesync_session");

        String page = given().cookie("commercesync_session", session)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .queryParam("q", story.orderId)
                .queryParam("entity_type", "ORDER")
                .get("/console/trace")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (Kind kind : TraceStory.KINDS) {
            assertTrue(page.contains("data-kind=\"" + kind + "\""), kind + " in " + page);
        }
        assertTrue(page.contains("+1.200s"), page);
        assertFalse(page.contains("secret-body") || page.contains(story.otherOrderId), page);

        given().cookie("commercesync_session", session)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .queryParam("q", story.email)
                .get("/console/trace")
                .then()
                .statusCode(200)
                .body(containsString("id=\"trace-orders\""))
                .body(containsString(">" + story.orderId + "</a>"));
        given().cookie("commercesync_session", session)
                .queryParam("platform", story.platform)
                .queryParam("store", story.store)
                .queryParam("q", story.orderId)
                .queryParam("since", "last week")
                .get("/console/trace")
                .then()
                .statusCode(400)
                .body(containsString("id=\"trace-error\""));
    }
}
