package dev.commercesync.poller.commands;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.poller.PollerTestResource;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.stores.StoreRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /commands} and {@code GET /commands/{id}}: validated, authenticated, idempotent by command_id. */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class CommandRestTest {

    @Inject
    StoreRegistry stores;

    @Inject
    CommandJournal journal;

    private FakeWriteStore api;
    private String store;

    @BeforeAll
    static void schemas() {
        CommandExecutionTest.registerSchemas();
    }

    @BeforeEach
    void store() {
        api = new FakeWriteStore();
        store = api.register(stores, "rest-");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String body(String id, String item, long quantity, String deadline) {
        return """
                {"command_id": "%s", "platform": "%s", "store": "%s", "deadline": "%s", "issuer": "rest-test",
                 "action": {"type": "SetInventoryLevel", "item_id": "%s", "quantity": %d}}
                """
                .formatted(id, TestWritePlatform.NAME, store, deadline, item, quantity);
    }

    private String body(String id, String item, long quantity) {
        return body(
                id, item, quantity, Instant.now().plus(Duration.ofMinutes(5)).toString());
    }

    @Test
    void aPostedCommandIsAcceptedPublishedAppliedAndItsStatusAnswered() throws Exception {
        api.add("sku-1", 0);
        String id = "rest-" + UUID.randomUUID();

        String location = given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(body(id, "sku-1", 8))
                .post("/commands")
                .then()
                .statusCode(202)
                .body("command_id", equalTo(id))
                .extract()
                .header("Location");
        assertEquals("/commands/" + id, location.replaceFirst("^https?://[^/]+", ""));
        // Sent again with the same command_id: accepted, applied once all the same.
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(body(id, "sku-1", 8))
                .post("/commands")
                .then()
                .statusCode(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("Authorization", INTERNAL_AUTH)
                .get("/commands/" + id)
                .then()
                .statusCode(200)
                .body("state", equalTo("APPLIED"))
                .body("result_published", equalTo(true)));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/commands/" + id)
                .then()
                .body("kind", equalTo("SET_INVENTORY_LEVEL"))
                .body("attempts", equalTo(1))
                .body("command_key", equalTo(TestWritePlatform.NAME + "/" + store + "/inventory_level/sku-1"))
                .body("resulting_state.value", equalTo(8))
                .body("command.metadata.issuer.string", equalTo("rest-test"));
        Command journaled =
                CommandJson.fromAvroJson(journal.find(id).orElseThrow().command());
        CommandResult result = CommandExecutionTest.theResult(journal, journaled);
        assertEquals(CommandStatus.APPLIED, result.getStatus());
        assertEquals(1, api.applications(id));
    }

    @Test
    void anInvalidCommandIsRefusedWith400SayingWhy() {
        String unknownKind =
                """
                {"command_id": "x-1", "platform": "%s", "store": "%s", "deadline": "2999-01-01T00:00:00Z",
                 "action": {"type": "DeleteEverything"}}
                """
                        .formatted(TestWritePlatform.NAME, store);
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(unknownKind)
                .post("/commands")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_command"))
                .body("message", containsString("DeleteEverything is not a command kind"));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(body("x-2", "sku-2", 1).replace("\"item_id\": \"sku-2\", ", ""))
                .post("/commands")
                .then()
                .statusCode(400)
                .body("message", containsString("action.item_id is required"));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(body("x-3", "sku-3", 1, "tomorrow"))
                .post("/commands")
                .then()
                .statusCode(400)
                .body("message", containsString("deadline tomorrow is not an ISO-8601 instant"));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(body("x-4", "sku-4", 1, "2020-01-01T00:00:00Z"))
                .post("/commands")
                .then()
                .statusCode(400)
                .body("message", containsString("has passed"));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body("{not json")
                .post("/commands")
                .then()
                .statusCode(400);
    }

    @Test
    void withoutTheInternalTokenNothingIsAcceptedOrShown() {
        given().contentType(ContentType.JSON)
                .body(body("t-1", "sku-5", 1))
                .post("/commands")
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer wrong")
                .get("/commands/t-1")
                .then()
                .statusCode(401);
    }

    @Test
    void anUnknownCommandIs404() {
        given().header("Authorization", INTERNAL_AUTH)
                .get("/commands/never-sent-" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("error", equalTo("not_found"));
    }
}
