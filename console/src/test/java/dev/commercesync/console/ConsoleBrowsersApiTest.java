package dev.commercesync.console;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.envelope.FindingKind;
import dev.commercesync.schemas.envelope.RepairAction;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browsers of the operations API on the real Kafka, registry and PostgreSQL: sync dead letters (list, show, retry,
 * bulk retry), bulk retry of the quarantine, the poller's command journal (list, show, resend), reconciliation
 * findings, the store page's counts, and auth.
 */
@QuarkusTest
@WithTestResource(ConsoleTestResource.class)
class ConsoleBrowsersApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    private ConsoleFixtures console;
    private BrowseFixtures fixtures;

    @BeforeEach
    void fixtures() throws Exception {
        console = new ConsoleFixtures(dataSource);
        fixtures = new BrowseFixtures(dataSource);
    }

    @Test
    void deadLettersAreListedShownAndRetriedOneByOneAndInBulkOnTheirTopic() {
        String store = ConsoleFixtures.uniqueStore("dlq");
        console.register(store);
        BrowseFixtures.DeadLetter refused = fixtures.deadLetter(store, "1001", SyncErrorClass.VALIDATION);
        BrowseFixtures.DeadLetter conflict = fixtures.deadLetter(store, "1002", SyncErrorClass.CONFLICT);
        String undecodable = fixtures.undecodableDeadLetter(store);
        String onRefused = "find { it.id == '" + refused.id() + "' }.";

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/api/dlq")
                .then()
                .statusCode(200)
                .body("id", containsInAnyOrder(refused.id(), conflict.id(), undecodable))
                .body(onRefused + "error_class", equalTo("VALIDATION"))
                .body(onRefused + "entity_type", equalTo("ORDER"))
                .body(onRefused + "entity_id", equalTo("1001"))
                .body(onRefused + "event_id", equalTo(refused.eventId()))
                .body(onRefused + "attempts", equalTo(1))
                .body(not(containsString("raw_value")))
                .body(not(containsString("not avro")));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .queryParam("error_class", "CONFLICT")
                .get("/api/dlq")
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of(conflict.id())));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("error_class", "NOT_A_CLASS")
                .get("/api/dlq")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_filter"));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/dlq/{id}", refused.id())
                .then()
                .statusCode(200)
                .body("letter.reason", equalTo("the target refused order 1001"))
                .body("letter.source_ref", startsWith(BrowseFixtures.ORDERS + "/"))
                .body("dead_letters_of_event", equalTo(List.of(refused.id())))
                .body("undecodable", equalTo(false));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/dlq/{id}", "no-such-id")
                .then()
                .statusCode(404);
        // The overview counts them and marks the store (every operation fine, nothing quarantined).
        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/stores")
                .then()
                .statusCode(200)
                .body("stores.find { it.store == '" + store + "' }.dead_letters", equalTo(3))
                .body("stores.find { it.store == '" + store + "' }.health", equalTo("DEAD_LETTERS"));

        // One retry: the event is on its topic again, marked as the retry of the dead letter.
        String one = given().header("Authorization", INTERNAL_AUTH)
                .post("/api/dlq/{id}/retry", refused.id())
                .then()
                .statusCode(202)
                .body("event_id", equalTo(refused.eventId()))
                .extract()
                .path("resubmitted_as");
        assertEquals(one, retriedOn(BrowseFixtures.ORDERS, refused.id()));

        // The bulk retry of the store: the two still waiting are tried, the undecodable one is answered as such.
        JsonPath bulk = given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .post("/api/dlq/retry")
                .then()
                .statusCode(200)
                .body("requested", equalTo(2))
                .body("resubmitted", equalTo(1))
                .body("ids", equalTo(List.of(conflict.id())))
                .body("results.find { it.id == '" + undecodable + "' }.ok", equalTo(false))
                .body("results.find { it.id == '" + undecodable + "' }.reason", startsWith("Cannot retry"))
                .extract()
                .jsonPath();
        assertEquals(
                bulk.getString("results.find { it.id == '" + conflict.id() + "' }.resubmitted_as"),
                retriedOn(BrowseFixtures.ORDERS, conflict.id()));

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/api/dlq")
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of(undecodable)));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .queryParam("include_retried", true)
                .get("/api/dlq")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + refused.id() + "' }.resubmitted_as", equalTo(one));
        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/dlq/retry")
                .then()
                .statusCode(400)
                .body("error", equalTo("no_filter"));
        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/dlq/{id}/retry", undecodable)
                .then()
                .statusCode(409);
    }

    @Test
    void theQuarantineOfAStoreIsRetriedInBulkRecordByRecord() {
        String store = ConsoleFixtures.uniqueStore("bulk-quarantine");
        console.register(store);
        String first = console.quarantined(store);
        String second = console.quarantined(store);
        String unreadable = fixtures.undecodableQuarantined(store);

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .queryParam("error_class", "NOT_A_CLASS")
                .post("/api/quarantine/retry")
                .then()
                .statusCode(400);
        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/quarantine/retry")
                .then()
                .statusCode(400)
                .body("error", equalTo("no_filter"));

        JsonPath bulk = given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", ConsoleFixtures.PLATFORM)
                .queryParam("store", store)
                .post("/api/quarantine/retry")
                .then()
                .statusCode(200)
                .body("requested", equalTo(3))
                .body("resubmitted", equalTo(2))
                .body("ids", containsInAnyOrder(first, second))
                .body("results.find { it.id == '" + unreadable + "' }.ok", equalTo(false))
                .body("results.find { it.id == '" + unreadable + "' }.reason", startsWith("Cannot retry"))
                .extract()
                .jsonPath();
        for (String id : List.of(first, second)) {
            assertEquals(
                    bulk.getString("results.find { it.id == '" + id + "' }.resubmitted_as"),
                    retriedOn(ConsoleFixtures.TOPICS.raw(), id));
        }

        // Only the unreadable one still waits; a second bulk retry tries only it.
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/api/quarantine")
                .then()
                .statusCode(200)
                .body("id", equalTo(List.of(unreadable)));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .post("/api/quarantine/retry")
                .then()
                .statusCode(200)
                .body("requested", equalTo(1))
                .body("resubmitted", equalTo(0));
    }

    @Test
    void theCommandJournalIsBrowsedAndAFailedCommandIsResentUnderANewId() throws Exception {
        String store = ConsoleFixtures.uniqueStore("commands");
        console.register(store);
        Command applied = fixtures.journaled(store, "APPLIED", null, null, List.of("req-applied"));
        Command failed = fixtures.journaled(
                store, "FAILED", "TRANSIENT", "POST /inventory_levels/set answered 503", List.of("req-1", "req-2"));
        String failedId = failed.getMetadata().getCommandId();

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/api/commands")
                .then()
                .statusCode(200)
                .body(
                        "commands.command_id",
                        equalTo(List.of(failedId, applied.getMetadata().getCommandId())))
                .body("commands[0].resendable", equalTo(true))
                .body("commands[1].resendable", equalTo(false))
                .body("next_offset", equalTo(null));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .queryParam("limit", 1)
                .get("/api/commands")
                .then()
                .statusCode(200)
                .body("commands.command_id", equalTo(List.of(failedId)))
                .body("next_offset", equalTo(1));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .queryParam("state", "APPLIED")
                .queryParam("kind", "SET_INVENTORY_LEVEL")
                .get("/api/commands")
                .then()
                .statusCode(200)
                .body(
                        "commands.command_id",
                        equalTo(List.of(applied.getMetadata().getCommandId())));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("state", "BROKEN")
                .get("/api/commands")
                .then()
                .statusCode(400);

        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/commands/{id}", failedId)
                .then()
                .statusCode(200)
                .body("command.state", equalTo("FAILED"))
                .body("command.attempts", equalTo(3))
                .body("command.reason", equalTo("TRANSIENT"))
                .body("last_error", equalTo("POST /inventory_levels/set answered 503"))
                .body("platform_request_ids", equalTo(List.of("req-1", "req-2")))
                .body("issuer", equalTo("erp"))
                .body("action", equalTo("SetInventoryLevel"))
                .body(
                        "action_fields.item_id",
                        equalTo(failed.getMetadata().getEntityId().replace("@loc-1", "")))
                .body("action_fields.quantity", equalTo("40"))
                .body(not(containsString("resulting_state")));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/commands/{id}", "no-such-command")
                .then()
                .statusCode(404);

        // The resend: the same action for the same entity, a new id, on the commands topic.
        JsonPath resent = given().header("Authorization", INTERNAL_AUTH)
                .post("/api/commands/{id}/resend", failedId)
                .then()
                .statusCode(202)
                .body("original", equalTo(failedId))
                .body("command_key", equalTo(failed.getMetadata().getCommandKey()))
                .extract()
                .jsonPath();
        String newId = resent.getString("command_id");
        assertNotEquals(failedId, newId);
        ConsumerRecord<String, Command> record = KafkaTestClient.await(
                        "the resent command on " + BrowseFixtures.COMMANDS,
                        WAIT,
                        () -> fixtures
                                .kafka()
                                .read(
                                        BrowseFixtures.COMMANDS,
                                        Command.class,
                                        KafkaTestClient.COMMITTED,
                                        key -> failed.getMetadata()
                                                .getCommandKey()
                                                .equals(key))
                                .stream()
                                .filter(r ->
                                        newId.equals(r.value().getMetadata().getCommandId()))
                                .toList(),
                        found -> !found.isEmpty())
                .get(0);
        Command command = record.value();
        assertEquals(failed.getAction(), command.getAction());
        assertEquals(failed.getMetadata().getEntityId(), command.getMetadata().getEntityId());
        assertEquals(
                "console (resend of " + failedId + ")", command.getMetadata().getIssuer());
        assertTrue(command.getMetadata()
                .getDeadline()
                .isAfter(command.getMetadata().getIssuedAt()));
        assertEquals(resent.getString("sent_to"), record.topic() + "/" + record.partition() + "@" + record.offset());

        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/commands/{id}/resend", applied.getMetadata().getCommandId())
                .then()
                .statusCode(409)
                .body("error", equalTo("not_resendable"));
        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/commands/{id}/resend", "no-such-command")
                .then()
                .statusCode(404);
    }

    @Test
    void recentFindingsOfAStoreAreListedNewestFirst() {
        String store = ConsoleFixtures.uniqueStore("findings");
        String other = ConsoleFixtures.uniqueStore("findings-other");
        var missing = fixtures.finding(store, "2001", FindingKind.MISSING, RepairAction.FETCH_REQUESTED);
        var duplicate = fixtures.finding(store, "2002", FindingKind.DUPLICATE, RepairAction.NONE);
        fixtures.finding(other, "2003", FindingKind.STALE, RepairAction.FETCH_REQUESTED);

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("platform", ConsoleFixtures.PLATFORM)
                .queryParam("store", store)
                .get("/api/findings")
                .then()
                .statusCode(200)
                .body("findings.finding_id", equalTo(List.of(duplicate.getFindingId(), missing.getFindingId())))
                .body("findings[1].kind", equalTo("MISSING"))
                .body("findings[1].entity_id", equalTo("2001"))
                .body("findings[1].repair", equalTo("FETCH_REQUESTED"))
                .body("findings[1].repair_requested", equalTo(true))
                .body("findings[0].repair_requested", equalTo(false));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .queryParam("kind", "MISSING")
                .queryParam("hours", 1)
                .get("/api/findings")
                .then()
                .statusCode(200)
                .body("findings.finding_id", equalTo(List.of(missing.getFindingId())));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("hours", 0)
                .get("/api/findings")
                .then()
                .statusCode(400);
    }

    @Test
    void thePagesRenderTheBrowsersAndTheStoreCountsWithoutPayloads() throws Exception {
        String store = ConsoleFixtures.uniqueStore("pages");
        console.register(store);
        BrowseFixtures.DeadLetter letter = fixtures.deadLetter(store, "3001", SyncErrorClass.VALIDATION);
        Command failed = fixtures.journaled(store, "EXPIRED", "EXPIRED", null, List.of());
        fixtures.journaled(store, "RECEIVED", null, null, List.of());
        fixtures.finding(store, "3002", FindingKind.STALE, RepairAction.FETCH_REQUESTED);
        String session = session();

        String page = page(session, "/console/stores/" + ConsoleFixtures.PLATFORM + "/" + store);
        assertTrue(page.contains("id=\"activity-dlq\"><a href=\"/console/dlq?platform="), page);
        assertTrue(cell(page, "activity-dlq").contains(">1</a>"), cell(page, "activity-dlq"));
        assertTrue(cell(page, "activity-open-commands").contains(">1</a>"), cell(page, "activity-open-commands"));
        assertTrue(cell(page, "activity-failed-commands").contains(">1</a>"), cell(page, "activity-failed-commands"));
        assertTrue(cell(page, "activity-findings").contains(">1</a>"), cell(page, "activity-findings"));

        assertTrue(page(session, "/console").contains("/console/dlq?platform=" + ConsoleFixtures.PLATFORM));
        assertTrue(page(session, "/console/dlq?store=" + store).contains("data-id=\"" + letter.id() + "\""));
        assertTrue(page(session, "/console/dlq/" + letter.id()).contains(letter.eventId()));
        assertTrue(page(session, "/console/commands?store=" + store)
                .contains("data-id=\"" + failed.getMetadata().getCommandId() + "\""));
        String command =
                page(session, "/console/commands/" + failed.getMetadata().getCommandId());
        assertTrue(command.contains("id=\"resend\""), command);
        assertTrue(command.contains("SetInventoryLevel"), command);
        assertTrue(page(session, "/console/findings?store=" + store).contains("data-kind=\"STALE\""));
        assertTrue(page(session, "/console/quarantine").contains("Quarantine"));

        // The bulk retry form of the dead-letter page, as a browser posts it.
        String location = given().redirects()
                .follow(false)
                .cookie("commercesync_session", session)
                .formParam("platform", ConsoleFixtures.PLATFORM)
                .formParam("store", store)
                .formParam("error_class", "")
                .post("/console/dlq/retry")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        assertTrue(
                location.contains("Re-submitted+1+of+1") || location.contains("Re-submitted%201%20of%201"), location);
        retriedOn(BrowseFixtures.ORDERS, letter.id());
    }

    @Test
    void theBrowsersNeedTheTokenOrASession() {
        for (String path : List.of("/api/dlq", "/api/dlq/x", "/api/commands", "/api/commands/x", "/api/findings")) {
            given().get(path).then().statusCode(401);
            given().header("Authorization", "Bearer test-admin-token")
                    .get(path)
                    .then()
                    .statusCode(401);
        }
        for (String path :
                List.of("/api/dlq/x/retry", "/api/dlq/retry", "/api/quarantine/retry", "/api/commands/x/resend")) {
            given().post(path).then().statusCode(401);
        }
        for (String path : List.of(
                "/console/dlq", "/console/dlq/x", "/console/commands", "/console/commands/x", "/console/findings")) {
            given().redirects()
                    .follow(false)
                    .header("Authorization", INTERNAL_AUTH)
                    .get(path)
                    .then()
                    .statusCode(303)
                    .header("Location", "/console/login");
        }
        for (String path : List.of("/console/dlq/retry", "/console/quarantine/retry", "/console/commands/x/resend")) {
            given().redirects().follow(false).post(path).then().statusCode(303).header("Location", "/console/login");
        }
    }

    /** Where the record retrying {@code id} is on {@code topic} (topic/partition@offset), once it is there. */
    private String retriedOn(String topic, String id) {
        List<String> at = KafkaTestClient.await(
                "the retry of " + id + " on " + topic,
                WAIT,
                () -> fixtures.kafka().readBytes(topic, KafkaTestClient.COMMITTED).stream()
                        .filter(r -> {
                            Header h = r.headers().lastHeader(PipelineRecords.RETRY_OF_HEADER);
                            return h != null && id.equals(new String(h.value(), StandardCharsets.UTF_8));
                        })
                        .map(r -> r.topic() + "/" + r.partition() + "@" + r.offset())
                        .toList(),
                found -> !found.isEmpty());
        return at.get(at.size() - 1);
    }

    private static String session() {
        return given().redirects()
                .follow(false)
                .formParam("token", "test-admin-token")
                .post("/console/login")
                .then()
                .statusCode(303)
                .extract()
                .cookie("commercesync_session");
    }

    private static String page(String session, String path) {
        return given().cookie("commercesync_session", session)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** The inner HTML of the element with this id (a table cell of the store page). */
    private static String cell(String page, String id) {
        int start = page.indexOf("id=\"" + id + "\"");
        return start < 0 ? "(no " + id + ")" : page.substring(start, page.indexOf("</td>", start));
    }
}
