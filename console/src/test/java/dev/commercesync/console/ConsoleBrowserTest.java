package dev.commercesync.console;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TraceStory;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's chromium, headless, driven by Selenium through chromedriver) on the real
 * stack: log in, find the store that needs attention, open it, retry its quarantined record, retry its dead letters in
 * bulk, trace an order from a store's page. Saves a screenshot of each
 * page to docs/console/. Needs {@code -Pbrowser} (docs/console.md), which gives the browser's and the driver's paths:
 * both are set explicitly, so Selenium Manager never downloads anything.
 */
@QuarkusTest
@WithTestResource(ConsoleTestResource.class)
@Tag("browser")
class ConsoleBrowserTest {
    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void browser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(
                        new File(System.getProperty("commercesync.browser.driver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("commercesync.browser.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorFindsTheStoreThatNeedsAttentionAndRetriesItsQuarantinedRecord() throws Exception {
        ConsoleFixtures fixtures = new ConsoleFixtures(dataSource);
        ConsoleFixtures.TwoStores stores = fixtures.oneHealthyOneFailing();
        String healthy = stores.healthy();
        String failing = stores.failing();
        String id = fixtures.quarantined(failing);
        // Three hours of traffic for its charts, read by the console before the pages are opened (screenshots).
        ConsoleFixtures.Traffic traffic = fixtures.traffic(failing, Duration.ofHours(3));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath series = given().header("Authorization", INTERNAL_AUTH)
                    .get("/api/stores/{platform}/{store}/series", ConsoleFixtures.PLATFORM, failing)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            // The quarantined record's raw envelope was received too.
            return series.getInt("buckets.received.sum()") == traffic.received() + 1
                    && series.getInt("buckets.applied.sum()") == traffic.applied();
        });

        // Not logged in: the pages send the browser to the login page.
        browser.get(url("console"));
        wait.until(ExpectedConditions.urlContains("/console/login"));
        screenshot("login");
        browser.findElement(By.id("token")).sendKeys("test-admin-token");
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("stores")));
        Cookie session = browser.manage().getCookieNamed("commercesync_session");
        assertTrue(session.isHttpOnly());
        assertFalse(session.getValue().contains("test-admin-token"));
        assertFalse(browser.getPageSource().contains("test-admin-token"));

        // The overview: the failing store comes before the healthy one, marked as waiting for a person.
        List<String> rows = browser.findElements(By.cssSelector("#stores tbody tr")).stream()
                .map(r -> r.getAttribute("data-store"))
                .toList();
        String failingKey = PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, failing);
        String healthyKey = PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, healthy);
        assertTrue(
                rows.indexOf(failingKey) >= 0 && rows.indexOf(failingKey) < rows.indexOf(healthyKey), rows.toString());
        WebElement row = browser.findElement(By.cssSelector("#stores tr[data-store='" + failingKey + "']"));
        assertEquals("WAITING_FOR_PERSON", row.getAttribute("data-health"));
        screenshot("overview");

        // Its page: the operation waiting for a person, with its failure class and error, and its quarantined record.
        row.findElement(By.linkText(failing)).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations")));
        WebElement poll =
                browser.findElement(By.cssSelector("#operations tr[data-operation='POLL'][data-entity-type='ORDER']"));
        assertTrue(poll.getText().contains("WAITING_FOR_PERSON"), poll.getText());
        assertTrue(poll.getText().contains("AUTH"), poll.getText());
        assertTrue(poll.getText().contains("GET /orders answered 401 Unauthorized"), poll.getText());
        assertEquals(
                1,
                browser.findElements(By.cssSelector("#quarantine tr[data-id='" + id + "']"))
                        .size());
        assertFalse(browser.getPageSource().contains("buyer@example.com"), "no payload on the page");
        assertFalse(browser.getPageSource().contains("whsec-"), "no secret on the page");
        assertTrue(browser.findElement(By.id("throughput")).isDisplayed(), "the throughput chart");
        assertTrue(browser.findElement(By.id("lag")).isDisplayed(), "the lag chart");
        screenshot("store");

        // The quarantine page of that store, and the retry.
        browser.get(url("console/quarantine?platform=" + ConsoleFixtures.PLATFORM + "&store=" + failing));
        WebElement quarantined = wait.until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#quarantine tr[data-id='" + id + "']")));
        screenshot("quarantine");
        quarantined.findElement(By.cssSelector("button.retry")).click();
        WebElement outcome = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
        assertTrue(outcome.getText().startsWith("Re-submitted " + id), outcome.getText());
        assertEquals(
                0,
                browser.findElements(By.cssSelector("#quarantine tr[data-id='" + id + "']"))
                        .size());
        screenshot("quarantine-retried");

        // It is on the raw topic again, marked as the retry of that record.
        String key = PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, failing);
        KafkaTestClient.await(
                "the re-submitted raw record",
                Duration.ofSeconds(30),
                () -> fixtures.kafka().readBytes(ConsoleFixtures.TOPICS.raw(), KafkaTestClient.COMMITTED).stream()
                        .filter(r -> key.equals(r.key()))
                        .map(r -> r.headers().lastHeader(PipelineRecords.RETRY_OF_HEADER))
                        .filter(h -> h != null)
                        .map(h -> new String(h.value(), StandardCharsets.UTF_8))
                        .toList(),
                retries -> retries.contains(id));

        // The sync dead letters of that store, and their bulk retry.
        BrowseFixtures browse = new BrowseFixtures(dataSource);
        BrowseFixtures.DeadLetter letter = browse.deadLetter(failing, "4001", SyncErrorClass.CONFLICT);
        browser.get(url("console/dlq?platform=" + ConsoleFixtures.PLATFORM + "&store=" + failing));
        wait.until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dlq tr[data-id='" + letter.id() + "']")));
        screenshot("dlq");
        browser.findElement(By.id("retry-all-button")).click();
        WebElement retriedAll = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
        assertTrue(retriedAll.getText().startsWith("Re-submitted 1 of 1 dead letters"), retriedAll.getText());
        assertEquals(
                0,
                browser.findElements(By.cssSelector("#dlq tr[data-id='" + letter.id() + "']"))
                        .size());
        KafkaTestClient.await(
                "the retried dead letter's event",
                Duration.ofSeconds(30),
                () -> browse.kafka().readBytes(BrowseFixtures.ORDERS, KafkaTestClient.COMMITTED).stream()
                        .map(r -> r.headers().lastHeader(PipelineRecords.RETRY_OF_HEADER))
                        .filter(h -> h != null)
                        .map(h -> new String(h.value(), StandardCharsets.UTF_8))
                        .toList(),
                retries -> retries.contains(letter.id()));

        // Where is my order? From a store's page, its order number opens the order's trace.
        TraceStory story = new TraceStory(
                        fixtures.kafka().avroProducer(),
                        ConsoleFixtures.uniqueStore("trace"),
                        Instant.now().minusSeconds(600),
                        "")
                .publish();
        browser.get(url("console/stores/" + story.platform + "/" + story.store));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("store-trace-q")))
                .sendKeys(story.orderNumber);
        browser.findElement(By.id("store-trace-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        List<String> kinds = browser.findElements(By.cssSelector("#timeline tbody tr")).stream()
                .map(r -> r.getAttribute("data-kind"))
                .toList();
        assertEquals(TraceStory.KINDS.stream().map(Enum::name).toList(), kinds);
        assertTrue(browser.findElement(By.id("trace-orders")).getText().contains(story.orderId));
        assertTrue(browser.findElement(By.id("timeline")).getText().contains("+1.200s"));
        assertFalse(browser.getPageSource().contains("secret-body"), "no payload on the page");
        screenshot("trace");

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.urlContains("/console/login"));
        browser.get(url("console"));
        wait.until(ExpectedConditions.urlContains("/console/login"));
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + "/" + path;
    }

    private void screenshot(String page) throws Exception {
        Path dir = Path.of(System.getProperty("commercesync.root", "..")).resolve("docs/console");
        Files.createDirectories(dir);
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve(page + ".png"), png);
    }
}
