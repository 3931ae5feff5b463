package dev.commercesync.console;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.stores.Store;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store actions on the real stack: disable, enable and rotate through the real webhook-ingest (the registry's row
 * is checked), replay on the real Kafka and registry with the platforms' real mapping, and the reconciler's client
 * contract against a stand-in (StoreActionsTestResource). Every action leaves an audit line, never the secret.
 */
@QuarkusTest
@WithTestResource(StoreActionsTestResource.class)
class StoreActionsApiTest {
    private static final PlatformRegistry PLATFORMS = PlatformRegistry.loadInstalled();

    @Inject
    AgroalDataSource dataSource;

    private ConsoleFixtures fixtures;
    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void setUp() throws Exception {
        fixtures = new ConsoleFixtures(dataSource);
        fixtures.kafka()
                .ensureTopics(List.of(
                        ConsoleFixtures.TOPICS.canonical(EntityType.ORDER), ConsoleFixtures.TOPICS.quarantine()));
        Logger.getLogger("").addHandler(log);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger("").removeHandler(log);
    }

    @Test
    void disableAndEnableChangeTheRegistryThroughWebhookIngest() {
        String store = ConsoleFixtures.uniqueStore("disable");
        fixtures.register(store);

        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/stores/{platform}/{store}/disable", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("store", equalTo(store))
                .body("message", containsString("disabled"));
        assertFalse(registered(store).enabled);
        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/stores/{platform}/{store}", ConsoleFixtures.PLATFORM, store)
                .then()
                .body("summary.enabled", equalTo(false));

        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/stores/{platform}/{store}/enable", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true));
        assertTrue(registered(store).enabled);

        given().header("Authorization", INTERNAL_AUTH)
                .post("/api/stores/{platform}/{store}/disable", ConsoleFixtures.PLATFORM, "no-such-store.example")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_store"));
        assertTrue(log.contains("who=console action=disable store=" + key(store) + " outcome=done"), log.lines());
        assertTrue(log.contains("who=console action=enable store=" + key(store) + " outcome=done"), log.lines());
    }

    @Test
    void aRotationChangesTheStoredSecretAndNeverAnswersOrLogsIt() {
        String store = ConsoleFixtures.uniqueStore("rotate");
        fixtures.register(store);
        String before = registered(store).webhookSecretEncrypted;
        String secret = "whsec-rotated-" + store + "-0123456789";

        String answer = given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("webhook_secret", secret, "grace_period", "PT1H"))
                .post("/api/stores/{platform}/{store}/secret-rotation", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .body("message", containsString("Webhook secret rotated"))
                .extract()
                .asString();
        assertFalse(answer.contains(secret), answer);
        assertFalse(answer.contains("whsec-"), "neither the new nor the previous secret: " + answer);
        Store after = registered(store);
        assertNotEquals(before, after.webhookSecretEncrypted, "the stored, encrypted secret changed");
        Instant validUntil = after.previousSecretValidUntil;
        assertTrue(
                validUntil.isAfter(Instant.now().plus(Duration.ofMinutes(50)))
                        && validUntil.isBefore(Instant.now().plus(Duration.ofMinutes(70))),
                "the previous secret stays valid for the grace period: " + validUntil);
        StoreRegistry registry = new StoreRegistry(ConsoleFixtures.SECRETS_KEY);
        List<String> secrets = QuarkusTransaction.requiringNew()
                .call(() -> registry.find(ConsoleFixtures.PLATFORM, store)
                        .orElseThrow()
                        .webhookSecrets());
        assertEquals(List.of(secret, "whsec-" + store), secrets, "the new secret current, the old one in grace");

        // webhook-ingest's validation is the one answer: too short; and the console's own: none, a bad duration.
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("webhook_secret", "short"))
                .post("/api/stores/{platform}/{store}/secret-rotation", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(400)
                .body("message", containsString("16 to 8192 characters"))
                .body(not(containsString("short\"")));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("grace_period", "PT1H"))
                .post("/api/stores/{platform}/{store}/secret-rotation", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_rotation"));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("webhook_secret", secret + "-2", "grace_period", "1 hour"))
                .post("/api/stores/{platform}/{store}/secret-rotation", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(400)
                .body("message", containsString("ISO-8601 duration"));

        assertTrue(log.contains("who=console action=rotate store=" + key(store) + " outcome=done"), log.lines());
        assertFalse(log.contains(secret), "no log line holds the secret");
    }

    /**
     * New API credentials (the store's token was revoked) through the API and the store page's form: stored encrypted
     * by webhook-ingest, readable by the services that call the store's API, never answered, redirected with, shown or
     * logged.
     */
    @Test
    void aCredentialReplacementIsStoredEncryptedAndNeverAnsweredShownOrLogged() {
        String store = ConsoleFixtures.uniqueStore("credentials");
        fixtures.register(store);
        String token = "token-replaced-" + store;

        String answer = given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("api_credentials", token))
                .post("/api/stores/{platform}/{store}/api-credentials", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .body("message", containsString("API credentials replaced"))
                .extract()
                .asString();
        assertFalse(answer.contains(token), answer);
        assertFalse(registered(store).apiCredentialsEncrypted.contains(token), "stored encrypted");
        assertEquals(token, credentials(store), "the poller reads the new token");

        // webhook-ingest's validation answers (the value is not repeated); the console's own: none given.
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("api_credentials", "{\"tokn\": \"" + token + "\"}"))
                .post("/api/stores/{platform}/{store}/api-credentials", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_credentials"))
                .body(not(containsString(token)));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/stores/{platform}/{store}/api-credentials", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_credentials"));

        // The store page's form: back to the store page with the outcome, the token nowhere.
        String session = login();
        String newer = token + "-2";
        ExtractableResponse<Response> replaced = given().redirects()
                .follow(false)
                .cookie("commercesync_session", session)
                .formParam("api_credentials", newer)
                .post("/console/stores/{platform}/{store}/api-credentials", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(303)
                .extract();
        assertFalse(replaced.header("Location").contains(newer));
        String page = given().urlEncodingEnabled(false)
                .cookie("commercesync_session", session)
                .get(replaced.header("Location"))
                .then()
                .statusCode(200)
                .body(containsString("API credentials replaced"))
                .body(containsString("id=\"credentials-form\""))
                .extract()
                .asString();
        assertFalse(page.contains(newer) || page.contains(token), "the page never shows the credentials");
        assertEquals(newer, credentials(store));

        assertTrue(log.contains("who=console action=credentials store=" + key(store) + " outcome=done"), log.lines());
        assertFalse(log.contains(token), "no log line holds the credentials");
    }

    private static String credentials(String store) {
        StoreRegistry registry = new StoreRegistry(ConsoleFixtures.SECRETS_KEY);
        return QuarkusTransaction.requiringNew().call(() -> registry.find(ConsoleFixtures.PLATFORM, store)
                .orElseThrow()
                .apiCredentials()
                .orElseThrow());
    }

    /**
     * Against the stand-in reconciler (StoreActionsTestResource): the console's side of the contract only — the
     * path, the internal token, the JSON body, and how the answers are relayed.
     */
    @Test
    void aReconciliationPassIsRequestedFromTheReconcilerWithTheInternalToken() {
        String store = ConsoleFixtures.uniqueStore("reconcile");
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("entity_type", "PRODUCT", "full", true))
                .post("/api/stores/{platform}/{store}/reconciliation", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .body("status", equalTo("FINISHED"))
                .body("report.platform", equalTo(ConsoleFixtures.PLATFORM))
                .body("report.store", equalTo(store))
                .body("report.full", equalTo(true))
                .body("report.types[0].entity_type", equalTo("PRODUCT"))
                .body("message", containsString("1 findings, 3 platform API calls"));
        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(
                        "/api/stores/{platform}/{store}/reconciliation",
                        ConsoleFixtures.PLATFORM,
                        StoreActionsTestResource.UNKNOWN_TO_RECONCILER)
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_store"));
        assertTrue(log.contains("who=console action=reconcile store=" + key(store) + " outcome=finished"), log.lines());
    }

    @Test
    void aReplayCountsFirstThenRepublishesExactlyTheWindowsRecordsOfTheStore() {
        String store = "replay-" + ConsoleFixtures.uniqueStore("a").replace(".example", "") + ".myshopify.com";
        String other = "replay-" + ConsoleFixtures.uniqueStore("b").replace(".example", "") + ".myshopify.com";
        RecordMetadata before = sendOrder(store, "evt-before");
        Instant from = after(before.timestamp());
        RecordMetadata in1 = sendOrder(store, "evt-in-1");
        RecordMetadata in2 = sendOrder(store, "evt-in-2");
        RecordMetadata otherStore = sendOrder(other, "evt-other");
        Instant to = after(Math.max(in1.timestamp(), Math.max(in2.timestamp(), otherStore.timestamp())));
        sendOrder(store, "evt-after");
        Map<String, Object> window = Map.of("from", from.toString(), "to", to.toString());

        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(window)
                .post("/api/stores/{platform}/{store}/replay", "shopify", store)
                .then()
                .statusCode(200)
                .body("dry_run", equalTo(true))
                .body("records", equalTo(2))
                .body("produced", equalTo(2))
                .body("added", equalTo(2))
                .body("message", containsString("2 records would be replayed"));
        assertEquals(Set.of(), replayed(store), "a dry run publishes nothing");

        given().header("Authorization", INTERNAL_AUTH)
                .contentType(ContentType.JSON)
                .body(Map.of("from", from.toString(), "to", to.toString(), "confirm", true))
                .post("/api/stores/{platform}/{store}/replay", "shopify", store)
                .then()
                .statusCode(200)
                .body("dry_run", equalTo(false))
                .body("records", equalTo(2))
                .body("produced", equalTo(2))
                .body("message", containsString("Replayed 2 records"));
        Set<String> expected = Set.of(eventId(store, "evt-in-1"), eventId(store, "evt-in-2"));
        KafkaTestClient.await(
                "the two replayed orders", Duration.ofSeconds(30), () -> replayed(store), expected::equals);
        assertEquals(Set.of(), replayed(other), "another store's record in the window is not replayed");
        assertTrue(log.contains("who=console action=replay-dry-run store=" + key("shopify", store)), log.lines());
        assertTrue(log.contains("who=console action=replay store=" + key("shopify", store)), log.lines());

        for (Map<String, Object> invalid : List.of(
                Map.<String, Object>of(),
                Map.<String, Object>of("from", "yesterday"),
                Map.<String, Object>of("from", to.toString(), "to", from.toString()),
                Map.<String, Object>of("last", "PT1H", "from", from.toString()),
                Map.<String, Object>of("last", "P31D"),
                Map.<String, Object>of(
                        "from",
                        from.toString(),
                        "to",
                        Instant.now().plusSeconds(3600).toString()),
                Map.<String, Object>of("last", "PT1H", "entity_type", "PARCEL"))) {
            given().header("Authorization", INTERNAL_AUTH)
                    .contentType(ContentType.JSON)
                    .body(invalid)
                    .post("/api/stores/{platform}/{store}/replay", "shopify", store)
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_window"));
        }
    }

    @Test
    void theStorePageFormsDoTheActionsAndShowTheirOutcome() {
        String store = ConsoleFixtures.uniqueStore("page");
        fixtures.register(store);
        String session = login();

        String page = given().cookie("commercesync_session", session)
                .get("/console/stores/{platform}/{store}", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(page.contains("id=\"disable\""), "the actions are on the store page");
        assertTrue(page.contains("id=\"rotate-form\""), page);
        assertTrue(page.contains("id=\"replay-form\""), page);

        String location = given().redirects()
                .follow(false)
                .cookie("commercesync_session", session)
                .post("/console/stores/{platform}/{store}/disable", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        given().urlEncodingEnabled(false) // the Location is encoded already
                .cookie("commercesync_session", session)
                .get(location)
                .then()
                .statusCode(200)
                .body(containsString("id=\"action-outcome\">Store disabled"))
                .body(containsString("id=\"enable\""));
        assertFalse(registered(store).enabled);

        String secret = "whsec-page-" + store + "-0123456789";
        ExtractableResponse<Response> rotated = given().redirects()
                .follow(false)
                .cookie("commercesync_session", session)
                .formParam("webhook_secret", secret)
                .formParam("grace_period", "PT2H")
                .post("/console/stores/{platform}/{store}/secret-rotation", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(303)
                .extract();
        assertFalse(rotated.header("Location").contains(secret));
        String after = given().urlEncodingEnabled(false)
                .cookie("commercesync_session", session)
                .get(rotated.header("Location"))
                .then()
                .statusCode(200)
                .body(containsString("Webhook secret rotated"))
                .extract()
                .asString();
        assertFalse(after.contains(secret), "the page never shows the secret");

        // A replay shows its dry run and a confirmation first.
        given().cookie("commercesync_session", session)
                .formParam("last", "PT1H")
                .post("/console/stores/{platform}/{store}/replay", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .body(containsString("0 records would be replayed"));
        // Refused input goes back to the store page as a warning.
        String refused = given().redirects()
                .follow(false)
                .cookie("commercesync_session", session)
                .formParam("last", "six hours")
                .post("/console/stores/{platform}/{store}/replay", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        given().urlEncodingEnabled(false)
                .cookie("commercesync_session", session)
                .get(refused)
                .then()
                .body(containsString("class=\"warning\" id=\"action-outcome\">last must be an ISO-8601 duration"));
    }

    @Test
    void theActionsNeedTheInternalTokenOrASession() {
        for (String action : List.of("disable", "enable", "secret-rotation", "reconciliation", "replay")) {
            String path = "/api/stores/testplatform/any.example/" + action;
            given().post(path).then().statusCode(401).body("error", equalTo("unauthorized"));
            given().header("Authorization", "Bearer test-admin-token")
                    .post(path)
                    .then()
                    .statusCode(401);
            given().redirects()
                    .follow(false)
                    .post("/console/stores/testplatform/any.example/" + action)
                    .then()
                    .statusCode(303)
                    .header("Location", "/console/login");
        }
    }

    private Store registered(String store) {
        return QuarkusTransaction.requiringNew()
                .call(() -> Store.findByKey(ConsoleFixtures.PLATFORM, store).orElseThrow());
    }

    private RecordMetadata sendOrder(String store, String eventId) {
        byte[] body;
        try {
            body = Files.readAllBytes(Path.of(System.getProperty("commercesync.root", ".."))
                    .resolve("platforms/src/test/resources/fixtures/shopify/orders_create.json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RawEnvelope envelope = RawEnvelopes.fromWebhook(
                PLATFORMS.get("shopify"),
                new WebhookRequest(
                        Map.of(
                                "X-Shopify-Topic",
                                "orders/create",
                                "X-Shopify-Shop-Domain",
                                store,
                                "X-Shopify-Event-Id",
                                eventId,
                                "X-Shopify-Webhook-Id",
                                eventId + "-delivery",
                                "Content-Type",
                                "application/json"),
                        body),
                Instant.now());
        return fixtures.kafka().send(ConsoleFixtures.TOPICS.raw(), key("shopify", store), envelope);
    }

    /** The instant just after {@code millis}, once the clock has passed it (so a window can start or end there). */
    private static Instant after(long millis) {
        Instant at = Instant.ofEpochMilli(millis + 1);
        Awaitility.await().until(() -> Instant.now().isAfter(at));
        return at;
    }

    /**
     * The event ids of the store's orders published by a replay. Only the store's records are decoded: other tests on
     * the shared stack put records on the orders topic that are not events (a dead letter's undecodable source).
     */
    private Set<String> replayed(String store) {
        return fixtures
                .kafka()
                .readBytes(ConsoleFixtures.TOPICS.canonical(EntityType.ORDER), KafkaTestClient.COMMITTED)
                .stream()
                .filter(r -> r.key() != null && r.key().startsWith(key("shopify", store) + "/"))
                .map(r -> CanonicalEvents.metadata(KafkaTestClient.decode(OrderEvent.class, r.value())))
                .filter(m -> m.getSource() == EventSource.REPLAY)
                .map(m -> m.getEventId())
                .collect(Collectors.toSet());
    }

    private static String eventId(String store, String platformEventId) {
        return EventKeys.eventId(EventKeys.fromPlatformEventId("shopify", store, platformEventId));
    }

    private static String key(String store) {
        return key(ConsoleFixtures.PLATFORM, store);
    }

    private static String key(String platform, String store) {
        return PipelineRecords.storeKey(platform, store);
    }

    private static String login() {
        return given().redirects()
                .follow(false)
                .formParam("token", "test-admin-token")
                .post("/console/login")
                .then()
                .statusCode(303)
                .extract()
                .cookie("commercesync_session");
    }

    /** Every log line of the test's time, formatted. */
    private static final class CapturedLog extends Handler {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        boolean contains(String text) {
            return lines.stream().anyMatch(l -> l != null && l.contains(text));
        }

        String lines() {
            return String.join("\n", lines);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
