package dev.commercesync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultichannelReportTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static MultichannelReport.Step step(int run, double rate, long maxLagMs, boolean settled, double p99Ms) {
        return new MultichannelReport.Step(
                run,
                rate,
                60,
                (long) (rate * 52),
                0,
                (long) (rate * 50),
                p99Ms / 2,
                p99Ms,
                p99Ms * 1.5,
                maxLagMs,
                "b MC-001",
                Map.of("a", maxLagMs / 2, "b", maxLagMs),
                settled,
                4,
                Map.of(
                        "a", new MultichannelReport.Channel(60, 1.0, 120, 2.0, 0, 10, 2),
                        "b", new MultichannelReport.Channel(150, 2.5, 300, 5.0, 3, 5, 5)));
    }

    @Test
    void highestRateIsTheLastOfTheRisingRatesWithinWhateverOrderTheyRan() {
        MultichannelReport report = new MultichannelReport(
                List.of(
                        step(1, 2, 20_000, true, 3000),
                        step(1, 0.5, 2_000, true, 900),
                        step(1, 4, 45_000, true, 8000),
                        step(1, 1, 5_000, true, 1200)),
                WITHIN);
        assertEquals(
                List.of(0.5, 1.0, 2.0, 4.0),
                report.rates().stream().map(MultichannelReport.Rate::rate).toList());
        assertEquals(2.0, report.highestWithin());
        assertTrue(report.headline().contains("2 actions/s"), report.headline());
        assertFalse(report.headline().contains("the limit is higher"), report.headline());
    }

    @Test
    void aRateIsWithinOnlyWhenEveryRunIsAndItSettled() {
        MultichannelReport report = new MultichannelReport(
                List.of(
                        step(1, 1, 5_000, true, 1000),
                        step(1, 2, 5_000, true, 1000),
                        step(2, 1, 5_000, true, 1000),
                        step(2, 2, 31_000, true, 1000),
                        step(1, 4, 1_000, false, 1000)),
                WITHIN);
        assertEquals(1.0, report.highestWithin(), "one run of 2/s was 31 s behind");
        String table = report.table();
        assertTrue(table.contains("| 4 | "), table);
        assertTrue(table.contains("no (not settled)"), table);
        assertTrue(table.contains("| 1 | 0.87 (0.87–0.87) |"), table);
    }

    @Test
    void aLowestRateOutsideMeansNoRate() {
        MultichannelReport report =
                new MultichannelReport(List.of(step(1, 1, 40_000, true, 1000), step(1, 2, 5_000, true, 1000)), WITHIN);
        assertTrue(Double.isNaN(report.highestWithin()), "a higher rate within does not count after a lower one out");
        assertTrue(report.headline().startsWith("No rate tried"), report.headline());
    }

    @Test
    void allRatesWithinSaysTheLimitIsHigher() {
        MultichannelReport report =
                new MultichannelReport(List.of(step(1, 1, 1_000, true, 500), step(1, 2, 2_000, true, 700)), WITHIN);
        assertEquals(2.0, report.highestWithin());
        assertTrue(report.headline().contains("the limit is higher"), report.headline());
        assertTrue(report.headline().contains("p99 700 ms"), report.headline());
    }

    @Test
    void writesTableShowsEachChannelAgainstItsLimit() {
        String table = new MultichannelReport(List.of(step(1, 1, 1_000, true, 500)), WITHIN).writesTable();
        assertTrue(table.contains("| 1 | 1.00 of 10 (2.00, 0) | 2.50 of 5 (5.00, 3) |"), table);
    }

    @Test
    void jsonHasEveryStepAndTheVerdict() {
        ObjectNode doc = BenchResults.json().createObjectNode();
        new MultichannelReport(List.of(step(1, 1, 1_000, true, 500), step(1, 2, 40_000, true, 700)), WITHIN).json(doc);
        assertEquals(1.0, doc.get("highest_rate_within").asDouble());
        assertEquals(30, doc.get("within_seconds").asLong());
        assertEquals(2, doc.get("steps").size());
        assertTrue(doc.get("steps").get(0).get("within").asBoolean());
        assertFalse(doc.get("steps").get(1).get("within").asBoolean());
        assertEquals(40_000, doc.get("steps").get(1).get("maxLagMs").asLong());
    }
}
