package dev.commercesync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.cli.DemoRun;
import dev.commercesync.cli.LocalServices;
import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.devstack.Waiting;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.simulator.FaultProfile;
import dev.commercesync.simulator.IngestRegistration;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's chromium, headless, through chromedriver) on the running stack: Kafka, the
 * registry and PostgreSQL, and the services as built applications, the console among them, with two simulated
 * Shopify stores and a BigCommerce one. One Shopify store's API credentials are refused (the poller's POLL waits for a
 * person) and it sent a webhook its mapping rejects (quarantined by the normalizer); the other is healthy. The operator
 * logs in, finds the failing store first on the overview, opens it, retries the quarantined record, and sees what the
 * real pipeline did with the re-submission: quarantined again, one retry more (a mapping error needs a mapping fix).
 *
 * <p>The BigCommerce store's token was revoked too, and it sent a thin order webhook: the poller could not hydrate it
 * (401) and quarantined it as FETCH_FAILED. The operator opens the order's trace (the delivery, the fetch request, the
 * FETCH_FAILED quarantine), replaces the store's API credentials on its page, sees its POLL OK again, retries the
 * record, and waits until the trace shows the order applied; the target holds it. The order was placed before the
 * poller's backfill window (the store's clock is 60 days behind), so only the retry's fetch can bring it. Screenshots:
 * docs/console/stack-*.png (docs/console.md, "Tests"). Only with {@code -Pbrowser}, which gives the browser's and the
 * driver's paths.
 */
@Tag("browser")
class ConsoleStackBrowserTest {
    private static final Path ROOT =
            Path.of(System.getProperty("commercesync.root", "..")).toAbsolutePath();
    /** All but the inventory pool, which this test has no use for. */
    private static final List<String> MODULES = LocalServices.PORTS.keySet().stream()
            .filter(module -> !module.equals("inventory"))
            .toList();
    /** The order id of the webhook the mapping rejects (no currency): no simulated store has orders this high. */
    private static final String REJECTED_ORDER = "990001";
    /**
     * The BigCommerce store's clock, behind by more than the poller's backfill lookback (P30D): its orders are older
     * than anything the poller's first listing reads, so only a fetch by id (the retry's) brings one to the target.
     */
    private static final Duration THIN_STORE_BEHIND = Duration.ofDays(60);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebDriver browser;

    @Test
    void anOperatorFindsTheFailingStoresFixesTheirCredentialsAndRetriesTheQuarantinedRecords() throws Exception {
        Path dataDir = ROOT.resolve("e2e/target/console-stack");
        if (Files.exists(dataDir)) {
            DevStack.deleteRecursively(dataDir);
        }
        // The retry is the one way the thin store's order reaches the target: no scheduled reconciliation repairs it.
        Map<String, String> config = new LinkedHashMap<>(DemoRun.serviceConfig());
        config.put("commercesync.reconciler.schedule.enabled", "false");
        try (DevStack stack = DevStack.start(
                        new DevStack.Options(dataDir, 0, 0, 0, 0, true, Duration.ofSeconds(120)), this::print);
                LocalServices services = LocalServices.start(
                        stack.endpoints(),
                        dataDir,
                        Duration.ofSeconds(180),
                        this::print,
                        LocalServices.freePorts(),
                        config,
                        MODULES,
                        module -> List.of());
                Simulator sim = Simulator.start(0)) {
            String ingest = services.url("webhook-ingest");
            String adminToken = LocalServices.adminToken(dataDir);
            SimulatedStore healthy = store(sim, "stack-healthy", 1);
            // Registered here rather than with registerWithIngest, whose 10-s timeout a just started ingest on a loaded
            // machine can miss.
            register(ingest, adminToken, healthy.registration());
            SimulatedStore failing = store(sim, "stack-failing", 2);
            // Registered with credentials the store's API refuses (401): the poller's POLL waits for a person.
            register(ingest, adminToken, revoked(failing));
            SimulatedStore thin = sim.addStore(StoreSpec.builder("bigcommerce", "stackthin")
                    .seed(3)
                    .faults(FaultProfile.parse("none"))
                    .clock(Clock.offset(Clock.systemUTC(), THIN_STORE_BEHIND.negated()))
                    .build());
            register(ingest, adminToken, revoked(thin));
            for (SimulatedStore store : List.of(healthy, failing)) {
                store.subscribeAll(URI.create(ingest + "/webhooks/shopify"));
            }
            healthy.step(3);
            // A signed webhook of the failing store whose order has no currency: the normalizer's MAPPING_ERROR.
            sendOrderWithoutCurrency(ingest, failing);
            // A customer's order at the BigCommerce store (not subscribed: its webhooks go nowhere), and the thin
            // webhook BigCommerce sends for it, which the poller must hydrate with the revoked token.
            String sku = thin.levelsBySku().entrySet().stream()
                    .filter(level -> level.getValue() > 0)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow();
            String thinOrder = thin.sell(sku, 1).orElseThrow().id();
            sendThinOrderWebhook(ingest, thin, thinOrder);

            browser = chromium();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            String console = services.url("console");

            // Log in with the admin token.
            browser.get(console + "/console");
            wait.until(ExpectedConditions.urlContains("/console/login"));
            browser.findElement(By.id("token")).sendKeys(adminToken);
            browser.findElement(By.id("login")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stores")));

            // The overview, once the poller has polled both stores and the normalizer quarantined the webhook: the
            // failing store first, waiting for a person, with its one quarantined record; the healthy one OK.
            String failingKey = "shopify/" + failing.storeId();
            String healthyKey = "shopify/" + healthy.storeId();
            refreshUntil("the overview shows the failing store waiting for a person, one record quarantined", d -> {
                List<WebElement> failingRow = d.findElements(storeRow(failingKey));
                List<WebElement> healthyRow = d.findElements(storeRow(healthyKey));
                return !failingRow.isEmpty()
                        && !healthyRow.isEmpty()
                        && "WAITING_FOR_PERSON".equals(failingRow.get(0).getAttribute("data-health"))
                        && cell(failingRow.get(0), 5).equals("1")
                        && "OK".equals(healthyRow.get(0).getAttribute("data-health"));
            });
            List<String> order = browser.findElements(By.cssSelector("#stores tbody tr")).stream()
                    .map(row -> row.getAttribute("data-store"))
                    .toList();
            assertTrue(order.indexOf(failingKey) < order.indexOf(healthyKey), "needs attention first: " + order);
            screenshot("stack-overview");

            // The store's page: the poll refused with 401, waiting for a person; the quarantined webhook.
            browser.findElement(storeRow(failingKey))
                    .findElement(By.linkText(failing.storeId()))
                    .click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations")));
            assertEquals(
                    "WAITING_FOR_PERSON", browser.findElement(By.id("health")).getText());
            WebElement poll = browser.findElement(
                    By.cssSelector("#operations tr[data-operation='POLL'][data-entity-type='ORDER']"));
            assertTrue(poll.getText().contains("WAITING_FOR_PERSON"), poll.getText());
            assertTrue(poll.getText().contains("AUTH"), poll.getText());
            assertTrue(poll.getText().contains("401"), poll.getText());
            List<WebElement> quarantined = browser.findElements(By.cssSelector("#quarantine tbody tr[data-id]"));
            assertEquals(1, quarantined.size(), "one quarantined record");
            String id = quarantined.get(0).getAttribute("data-id");
            String row = quarantined.get(0).getText();
            assertTrue(row.contains("orders/updated") && row.contains("MAPPING_ERROR"), row);
            assertTrue(row.contains("currency"), "the field the mapping missed: " + row);
            assertFalse(browser.getPageSource().contains("revoked-token"), "no credential on the page");
            screenshot("stack-store");

            // Retry from the store's page: re-submitted to the raw topic.
            quarantined.get(0).findElement(By.cssSelector("button.retry")).click();
            WebElement outcome = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
            assertTrue(outcome.getText().startsWith("Re-submitted " + id), outcome.getText());

            // The real normalizer maps the re-submission like a new delivery: the mapping still rejects it, so it is
            // back in the quarantine under a new id with one retry, and the retried id has left the list.
            refreshUntil("the re-submitted record quarantined again with one retry", d -> {
                List<WebElement> rows = d.findElements(By.cssSelector("#quarantine tbody tr[data-id]"));
                return rows.size() == 1
                        && !id.equals(rows.get(0).getAttribute("data-id"))
                        && cell(rows.get(0), 5).equals("1");
            });
            String again = browser.findElement(By.cssSelector("#quarantine tbody tr[data-id]"))
                    .getText();
            assertTrue(again.contains("MAPPING_ERROR") && again.contains("orders/updated"), again);
            assertEquals(
                    "WAITING_FOR_PERSON", browser.findElement(By.id("health")).getText());
            screenshot("stack-store-retried");

            // The target: the healthy store's entities applied by the sync-writer, the rejected order never.
            Endpoints db = stack.endpoints();
            assertTrue(
                    Waiting.until(
                            Duration.ofSeconds(60), () -> appliedEntities(db, "shopify", healthy.storeId(), null) > 0),
                    "the healthy store's entities are in the target");
            assertEquals(
                    0, appliedEntities(db, "shopify", failing.storeId(), REJECTED_ORDER), "the rejected order is not");

            // The BigCommerce store: its thin order webhook could not be hydrated (401), quarantined as FETCH_FAILED.
            String thinKey = "bigcommerce/" + thin.storeId();
            browser.get(console + "/console");
            refreshUntil("the overview shows the BigCommerce store waiting for a person, one record quarantined", d -> {
                List<WebElement> thinRow = d.findElements(storeRow(thinKey));
                return !thinRow.isEmpty()
                        && "WAITING_FOR_PERSON".equals(thinRow.get(0).getAttribute("data-health"))
                        && cell(thinRow.get(0), 5).equals("1");
            });
            browser.findElement(storeRow(thinKey))
                    .findElement(By.linkText(thin.storeId()))
                    .click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations")));
            assertEquals("WAITING_FOR_PERSON", pollBadge(browser));
            WebElement fetchFailed = browser.findElement(By.cssSelector("#quarantine tbody tr[data-id]"));
            String fetchFailedId = fetchFailed.getAttribute("data-id");
            String fetchFailedRow = fetchFailed.getText();
            assertTrue(
                    fetchFailedRow.contains("FETCH_FAILED") && fetchFailedRow.contains("ORDER " + thinOrder),
                    fetchFailedRow);
            assertTrue(fetchFailedRow.contains("auth"), "the failure class: " + fetchFailedRow);

            // The order's trace, from the store page: the thin delivery, the fetch request, the FETCH_FAILED record.
            browser.findElement(By.id("store-trace-q")).sendKeys(thinOrder);
            browser.findElement(By.id("store-trace-submit")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
            List<String> kinds = timelineKinds();
            assertTrue(kinds.contains("WEBHOOK_DELIVERY"), "the thin delivery: " + kinds);
            assertTrue(kinds.contains("FETCH_REQUESTED"), "the normalizer's fetch request: " + kinds);
            assertTrue(kinds.contains("QUARANTINED"), "the quarantine record: " + kinds);
            assertFalse(kinds.contains("APPLIED"), "not applied: " + kinds);
            assertTrue(browser.findElement(By.id("timeline")).getText().contains("FETCH_FAILED"));
            screenshot("stack-trace-fetch-failed");

            // Back on the store page: the operator replaces the revoked token with the store's real one.
            String token = ((ApiCredentials.AccessToken) thin.credentials()).token();
            browser.findElement(By.linkText("store page")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("credentials-form")));
            browser.findElement(By.id("api_credentials")).sendKeys(token);
            browser.findElement(By.id("replace-credentials")).click();
            WebElement replaced = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("action-outcome")));
            assertTrue(replaced.getText().contains("API credentials replaced"), replaced.getText());
            assertFalse(browser.getPageSource().contains(token), "the token is never shown");
            assertFalse(browser.getCurrentUrl().contains(token), "nor in the address");

            // The poller polls the store again with the new token: its POLL is OK at its next run.
            refreshUntil("the BigCommerce store's POLL is OK with the new credentials", d -> "OK".equals(pollBadge(d)));
            screenshot("stack-thin-store");

            // Retry the FETCH_FAILED record: the normalizer asks again, the poller fetches with the new token.
            browser.findElement(By.cssSelector("#quarantine tbody tr[data-id='" + fetchFailedId + "'] button.retry"))
                    .click();
            WebElement resubmitted = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
            assertTrue(resubmitted.getText().startsWith("Re-submitted " + fetchFailedId), resubmitted.getText());

            // The trace shows the order applied: a second fetch request (the retry's), the polled read, the applied
            // change.
            browser.get(console + "/console/trace?platform=bigcommerce&store=" + thin.storeId() + "&q=" + thinOrder
                    + "&entity_type=ORDER");
            refreshUntil("the trace shows the retried order applied", d -> timelineKinds()
                    .contains("APPLIED"));
            List<String> applied = timelineKinds();
            assertEquals(2, applied.stream().filter("FETCH_REQUESTED"::equals).count(), "first and retry: " + applied);
            assertTrue(applied.contains("POLLED_READ"), "the fetched order: " + applied);
            screenshot("stack-trace-applied");
            assertEquals(
                    1, appliedEntities(db, "bigcommerce", thin.storeId(), thinOrder), "the order is in the target");

            // The store page: nothing left in its quarantine, the store OK.
            browser.findElement(By.linkText("store page")).click();
            refreshUntil(
                    "the BigCommerce store OK with an empty quarantine",
                    d -> d.findElements(By.cssSelector("#quarantine tbody tr[data-id]"))
                                    .isEmpty()
                            && "OK".equals(d.findElement(By.id("health")).getText()));

            browser.findElement(By.id("logout")).click();
            wait.until(ExpectedConditions.urlContains("/console/login"));
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    private static SimulatedStore store(Simulator sim, String key, long seed) {
        return sim.addStore(StoreSpec.builder("shopify", key)
                .seed(seed)
                .faults(FaultProfile.parse("none"))
                .build());
    }

    /** Registered with its webhook secret and credentials the store's API refuses (401). */
    private static IngestRegistration revoked(SimulatedStore store) {
        return new IngestRegistration(
                store.platform(),
                store.storeId(),
                new String(store.webhookSecret().bytes(), StandardCharsets.UTF_8),
                store.apiBaseUrl().toString(),
                new ApiCredentials.AccessToken("revoked-token").storedForm());
    }

    /** The state badge of the store page's POLL operation of orders. */
    private static String pollBadge(WebDriver d) {
        return d.findElement(By.cssSelector("#operations tr[data-operation='POLL'][data-entity-type='ORDER'] .badge"))
                .getText()
                .strip();
    }

    /** The kinds of the trace page's steps, in time order. */
    private List<String> timelineKinds() {
        return browser.findElements(By.cssSelector("#timeline tbody tr[data-kind]")).stream()
                .map(row -> row.getAttribute("data-kind"))
                .toList();
    }

    private static By storeRow(String storeKey) {
        return By.cssSelector("#stores tr[data-store='" + storeKey + "']");
    }

    /** The text of a table row's cell, by column (0-based). */
    private static String cell(WebElement row, int column) {
        return row.findElements(By.tagName("td")).get(column).getText().strip();
    }

    /** Reloads the page until {@code condition} holds (the pages are server-rendered; nothing updates them). */
    private void refreshUntil(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofSeconds(2))
                .withMessage(what)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    d.navigate().refresh();
                    return condition.apply(d);
                });
    }

    private static void register(String ingest, String adminToken, IngestRegistration registration) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + "/admin/stores"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(registration.toJson()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
    }

    /** A Shopify orders/updated webhook, signed with the store's secret, whose order lacks its required currency. */
    private static void sendOrderWithoutCurrency(String ingest, SimulatedStore store) throws Exception {
        byte[] body = ("{\"id\":" + REJECTED_ORDER + ",\"name\":\"#9001\",\"updated_at\":\"2026-12-07T08:00:00Z\","
                        + "\"line_items\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Shopify-Topic", "orders/updated");
        headers.put("X-Shopify-Shop-Domain", store.storeId());
        headers.put("X-Shopify-Webhook-Id", "stack-browser-delivery-1");
        headers.put("X-Shopify-Event-Id", "stack-browser-event-1");
        headers.put("X-Shopify-Hmac-Sha256", HmacSignatures.base64HmacSha256(store.webhookSecret(), body));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingest + "/webhooks/shopify"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    /**
     * A BigCommerce "store/order/updated" webhook for one order, thin (the order's id only), signed as BigCommerce signs
     * (Standard Webhooks: HMAC-SHA256 over id.timestamp.body with the store's secret) at the real time: the simulator's
     * own delivery would carry the store's clock, 60 days behind, which the ingest refuses as a replay.
     */
    private static void sendThinOrderWebhook(String ingest, SimulatedStore store, String orderId) throws Exception {
        long now = Instant.now().getEpochSecond();
        byte[] body =
                ("{\"scope\":\"store/order/updated\",\"store_id\":\"1000001\",\"data\":{\"type\":\"order\",\"id\":"
                                + orderId + "},\"hash\":\"stack-browser-" + orderId + "\",\"created_at\":" + now
                                + ",\"producer\":\"stores/" + store.storeId() + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        String id = "msg_stackbrowser" + orderId;
        byte[] signed = (id + "." + now + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[signed.length + body.length];
        System.arraycopy(signed, 0, content, 0, signed.length);
        System.arraycopy(body, 0, content, signed.length, body.length);
        String secret = new String(store.webhookSecret().bytes(), StandardCharsets.UTF_8);
        WebhookSecret key = secret.startsWith("whsec_")
                ? WebhookSecret.ofBytes(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                : store.webhookSecret();
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(ingest + "/webhooks/bigcommerce"))
                        .header("Content-Type", "application/json")
                        .header("webhook-id", id)
                        .header("webhook-timestamp", Long.toString(now))
                        .header("webhook-signature", "v1," + HmacSignatures.base64HmacSha256(key, content))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    /** Rows of the store in the target (sync-writer's target.entity_versions), of one entity id when given. */
    private static int appliedEntities(Endpoints db, String platform, String store, String entityId) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcUser(), "");
                PreparedStatement q = c.prepareStatement("select count(*) from target.entity_versions"
                        + " where platform = ? and store = ? and (? is null or entity_id = ?)")) {
            q.setString(1, platform);
            q.setString(2, store);
            q.setString(3, entityId);
            q.setString(4, entityId);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the target", e);
        }
    }

    private static WebDriver chromium() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(
                        new File(System.getProperty("commercesync.browser.driver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("commercesync.browser.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        return new ChromeDriver(service, options);
    }

    private void screenshot(String page) throws Exception {
        Path dir = ROOT.resolve("docs/console");
        Files.createDirectories(dir);
        Files.write(dir.resolve(page + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private void print(String line) {
        System.out.println("[e2e console] " + line);
    }
}
