package dev.commercesync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.bench.WriterBench.Run;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriterReportTest {
    /** A run of {@code events} (a tenth of them stale) applied in {@code seconds}. */
    private static Run run(String build, int run, double seconds, double load, boolean finished) {
        return new Run(
                build,
                run,
                10_000,
                9_000,
                1_000,
                seconds,
                seconds + 5,
                (seconds + 5) * 0.8,
                300,
                350 + run,
                new double[] {load, load - 1, load - 2},
                new double[] {load + 0.5, 0, 0},
                finished);
    }

    private static final List<Run> INTERLEAVED = List.of(
            run("e58f823", 1, 20, 10, true),
            run("1bbe27c", 1, 10, 11, true),
            run("e58f823", 2, 25, 12, true),
            run("1bbe27c", 2, 8, 13, true),
            run("e58f823", 3, 40, 14, true),
            run("1bbe27c", 3, 12.5, 15, false));

    private static WriterReport report() {
        return new WriterReport(
                "./synctl bench writer --events 10000",
                10_000,
                INTERLEAVED,
                new WriterEvents.Fill(10_000, 6_000, 4_000, Map.of("order", 6_000L, "product", 4_000L), 2),
                Map.of());
    }

    @Test
    void eachBuildIsTheMedianOfItsOwnRunsWithTheirRange() {
        WriterReport report = report();
        assertEquals(List.of("e58f823", "1bbe27c"), report.builds(), "in the order they first ran");
        assertEquals(400, report.rate("e58f823").median(), 1e-9);
        assertEquals(250, report.rate("e58f823").min(), 1e-9);
        assertEquals(1000, report.rate("1bbe27c").median(), 1e-9);
        String table = report.buildTable();
        assertTrue(table.contains("| e58f823 | 3 | **400 (250–500)** |"), table);
        assertTrue(table.contains("| 1bbe27c | 3 | **1,000 (800–1,250)** |"), table);
        assertTrue(table.contains("| 10.0 → 10.5, 12.0 → 12.5, 14.0 → 14.5 |"), table);
        assertTrue(table.contains("| 300 / 353 MiB |"), "RSS: median of medians / largest max: " + table);
    }

    @Test
    void theComparisonIsOfMediansAndNamesTheOverlap() {
        List<String> comparisons = report().comparisons();
        assertEquals(1, comparisons.size());
        assertTrue(comparisons.get(0).startsWith("1bbe27c ÷ e58f823: 2.50×"), comparisons.get(0));
        assertTrue(comparisons.get(0).contains("slowest 1bbe27c run 800, fastest e58f823 run 500"), comparisons.get(0));
    }

    @Test
    void everyRunIsListedInOrderWithItsLoadAndAnUnfinishedRunSaysSo() {
        String runs = report().runTable();
        List<String> rows =
                runs.lines().filter(l -> l.matches("\\| \\d+ \\|.*")).toList();
        assertEquals(6, rows.size(), runs);
        assertTrue(rows.get(0).startsWith("| 1 | 1 | e58f823 | 500 | 9,000 / 1,000 | 20.0 s | 25.0 s |"), rows.get(0));
        assertTrue(rows.get(5).contains("| not finished: 800 |"), rows.get(5));
        assertTrue(rows.get(5).endsWith("| 15.0 / 14.0 / 13.0 → 15.5 |"), rows.get(5));
    }

    @Test
    void theMarkdownHoldsTheCommandTheTablesAndTheEventMix() {
        String md = report().markdown();
        assertTrue(md.contains("Command: `./synctl bench writer --events 10000`"), md);
        assertTrue(md.contains(report().buildTable()), md);
        assertTrue(md.contains(report().runTable()), md);
        assertTrue(md.contains("- 1bbe27c ÷ e58f823: 2.50×"), md);
        assertTrue(md.contains("10,000 events of 6,000 entities (4,000 updates"), md);
        assertTrue(!md.contains("Profile of"), "no profile without --profile: " + md);
    }
}
