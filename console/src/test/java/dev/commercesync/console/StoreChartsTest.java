package dev.commercesync.console;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.schemas.envelope.VersionBasis;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The charts on the real Kafka and registry: raw and applied records of two stores, published with chosen times, come
 * out as the expected buckets (counts and lag) per store in the API, the store page and the overview.
 */
@QuarkusTest
@WithTestResource(ConsoleTestResource.class)
class StoreChartsTest {
    private static final Duration BUCKET = Duration.ofMinutes(5);
    /** Buckets in the default 6 h window. */
    private static final int BUCKETS = 72;

    @Inject
    AgroalDataSource dataSource;

    private ConsoleFixtures fixtures;

    @BeforeEach
    void fixtures() throws Exception {
        fixtures = new ConsoleFixtures(dataSource);
    }

    @Test
    void rawAndAppliedRecordsOfTwoStoresBecomeTheirBucketsChartsAndSparklines() {
        String a = ConsoleFixtures.uniqueStore("charts-a");
        String b = ConsoleFixtures.uniqueStore("charts-b");
        fixtures.register(a);
        fixtures.register(b);
        // An hour ago, on a bucket boundary: well inside the window whenever the test runs.
        Instant t0 = Instant.ofEpochMilli(
                        Math.floorDiv(Instant.now().toEpochMilli(), BUCKET.toMillis()) * BUCKET.toMillis())
                .minus(Duration.ofHours(1));
        Instant t1 = t0.plus(BUCKET);

        fixtures.received(a, t0.plusSeconds(10));
        fixtures.received(a, t0.plusSeconds(20));
        fixtures.received(a, t0.plusSeconds(240));
        fixtures.received(a, t1.plusSeconds(1));
        fixtures.received(b, t0.plusSeconds(60));
        fixtures.received(b, t0.plusSeconds(70));
        // Store a, bucket t0: lags 2 s, 4 s, 30 s (median 4 s, max 30 s).
        fixtures.applied(a, t0.plusSeconds(30), Duration.ofSeconds(2));
        fixtures.applied(a, t0.plusSeconds(40), Duration.ofSeconds(4));
        fixtures.applied(a, t0.plusSeconds(50), Duration.ofSeconds(30));
        // Bucket t1: one change versioned by its received time (lag 7 s), one without any time (counted, no lag).
        fixtures.applied(ConsoleFixtures.change(a, t1.plusSeconds(5))
                .setVersion(Long.toString(t1.plusSeconds(5).minusSeconds(7).toEpochMilli()))
                .setVersionBasis(VersionBasis.RECEIVED_AT)
                .build());
        fixtures.applied(ConsoleFixtures.change(a, t1.plusSeconds(6))
                .setVersion("17")
                .setVersionBasis(VersionBasis.SOURCE_VERSION)
                .setSourceVersion("17")
                .build());
        // Store b: one change, 500 ms.
        fixtures.applied(b, t0.plusSeconds(90), Duration.ofMillis(500));

        JsonPath seriesA = await().atMost(Duration.ofSeconds(60))
                .until(() -> series(a, "6h"), s -> applied(s, t0) == 3 && applied(s, t1) == 2 && received(s, t1) == 1);
        assertEquals(BUCKETS, seriesA.getList("buckets").size());
        assertEquals("PT6H", seriesA.getString("window"));
        assertEquals("PT5M", seriesA.getString("bucket"));
        assertTrue(seriesA.getBoolean("caught_up"));
        assertTrue(seriesA.getString("lag_basis").contains("updated_at"), seriesA.getString("lag_basis"));
        Map<String, Object> first = bucket(seriesA, t0);
        assertEquals(3, first.get("received"));
        assertEquals(3, first.get("applied"));
        assertEquals(30_000, ((Number) first.get("lag_max_ms")).longValue());
        long p50 = ((Number) first.get("lag_p50_ms")).longValue();
        assertTrue(Math.abs(p50 - 4_000) <= 360, "the median within 9 % of 4 s: " + p50);
        Map<String, Object> second = bucket(seriesA, t1);
        assertEquals(7_000, ((Number) second.get("lag_p50_ms")).longValue());
        assertEquals(7_000, ((Number) second.get("lag_max_ms")).longValue());
        long elsewhere = seriesA.getList("buckets", Map.class).stream()
                .filter(m ->
                        !m.get("start").equals(t0.toString()) && !m.get("start").equals(t1.toString()))
                .mapToLong(m -> ((Number) m.get("received")).longValue() + ((Number) m.get("applied")).longValue())
                .sum();
        assertEquals(0, elsewhere, "no record of store a outside its two buckets");

        JsonPath seriesB =
                await().atMost(Duration.ofSeconds(60)).until(() -> series(b, "6h"), s -> applied(s, t0) == 1);
        Map<String, Object> onlyB = bucket(seriesB, t0);
        assertEquals(2, onlyB.get("received"));
        assertEquals(500, ((Number) onlyB.get("lag_p50_ms")).longValue());
        assertEquals(500, ((Number) onlyB.get("lag_max_ms")).longValue());
        assertNull(bucket(seriesB, t1).get("lag_max_ms"));
        assertEquals(0, bucket(seriesB, t1).get("applied"));

        JsonPath last90 = series(a, "90m");
        assertEquals(18, last90.getList("buckets").size());
        assertEquals(3, bucket(last90, t0).get("applied"));

        // The store page: both charts, one point per bucket for the counts, one per bucket with changes for the lag.
        String session = session();
        String page = given().cookie("commercesync_session", session)
                .get("/console/stores/{platform}/{store}", ConsoleFixtures.PLATFORM, a)
                .then()
                .statusCode(200)
                .body(containsString("<svg id=\"throughput\""))
                .body(containsString("<svg id=\"lag\""))
                .body(containsString("<title id=\"throughput-title\">Throughput of " + a))
                .body(containsString("applied_at − the platform&#39;s updated_at"))
                .extract()
                .asString();
        assertEquals(BUCKETS, points(page, "throughput", "received"));
        assertEquals(BUCKETS, points(page, "throughput", "applied"));
        assertEquals(2, points(page, "lag", "median"));
        assertEquals(2, points(page, "lag", "max"));

        String overview = given().cookie("commercesync_session", session)
                .get("/console")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String sparkA = "spark-"
                + Integer.toHexString(
                        PipelineRecords.storeKey(ConsoleFixtures.PLATFORM, a).hashCode());
        assertEquals(BUCKETS, points(overview, sparkA, "received"));
        assertTrue(overview.contains(a + ": 4 received, 5 applied in the last 6h"), "store a's sparkline title");
        assertTrue(overview.contains(b + ": 2 received, 1 applied in the last 6h"), "store b's sparkline title");
    }

    @Test
    void theSeriesApiNeedsTheTokenAndRefusesABadWindow() {
        given().get("/api/stores/{platform}/{store}/series", "p", "s").then().statusCode(401);
        given().cookie("commercesync_session", session())
                .get("/api/stores/{platform}/{store}/series", "p", "s")
                .then()
                .statusCode(401);
        for (String bad : List.of("7m", "7h", "0h", "six", "6d")) {
            given().header("Authorization", INTERNAL_AUTH)
                    .queryParam("window", bad)
                    .get("/api/stores/{platform}/{store}/series", "p", "s")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("bad_window"))
                    .body("message", containsString(bad));
        }
        // A store without records: zeros over the default window.
        given().header("Authorization", INTERNAL_AUTH)
                .get("/api/stores/{platform}/{store}/series", "p", "no-records")
                .then()
                .statusCode(200)
                .body("buckets.size()", equalTo(BUCKETS))
                .body("buckets.received.sum()", equalTo(0));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/api/stores/{platform}/{store}/series"));
    }

    private static JsonPath series(String store, String window) {
        return given().header("Authorization", INTERNAL_AUTH)
                .queryParam("window", window)
                .get("/api/stores/{platform}/{store}/series", ConsoleFixtures.PLATFORM, store)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bucket(JsonPath series, Instant start) {
        return series.getList("buckets", Map.class).stream()
                .filter(m -> start.toString().equals(m.get("start")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bucket starting " + start));
    }

    private static long applied(JsonPath series, Instant start) {
        return ((Number) bucket(series, start).get("applied")).longValue();
    }

    private static long received(JsonPath series, Instant start) {
        return ((Number) bucket(series, start).get("received")).longValue();
    }

    /** How many points the polylines of one series of one SVG hold. */
    private static int points(String html, String svgId, String series) {
        int from = html.indexOf("<svg id=\"" + svgId + "\"");
        assertTrue(from >= 0, "no svg " + svgId);
        String svg = html.substring(from, html.indexOf("</svg>", from));
        Matcher m = Pattern.compile("data-series=\"" + series + "\" points=\"([^\"]*)\"")
                .matcher(svg);
        int points = 0;
        while (m.find()) {
            points += m.group(1).split(" ").length;
        }
        return points;
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
}
