package dev.commercesync.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.cli.chaos.ChaosRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code synctl chaos} in the build: every scenario on one stack, each ending with a clean verdict and nothing
 * dead-lettered or quarantined. {@code -Dchaos.only=kill-poller,pause-kafka} runs some of them. The table is kept in
 * {@code target/chaos-results.md}.
 */
class ChaosSuiteTest {
    private static final Path ROOT =
            Path.of(System.getProperty("commercesync.root", "..")).toAbsolutePath();

    @Test
    void everyScenarioEndsWithTheTargetEqualToTheStoresAndNothingDiverted() throws Exception {
        String only = System.getProperty("chaos.only", "");
        ChaosRun.Options defaults = ChaosRun.Options.defaults();
        ChaosRun.Options options = new ChaosRun.Options(
                defaults.rate(),
                defaults.faultAfter(),
                defaults.loadAfter(),
                defaults.outage(),
                defaults.settleTimeout(),
                defaults.seed(),
                only.isBlank() ? List.of() : Arrays.asList(only.split(",")),
                defaults.platforms());
        long t0 = System.nanoTime();
        List<ChaosRun.Outcome> outcomes =
                new ChaosRun(line -> System.out.println(line)).run(options, ROOT.resolve("chaos/target/stack"));
        String table = ChaosRun.table(outcomes);
        System.out.print(table);
        System.out.printf("chaos suite: %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);
        Files.writeString(ROOT.resolve("chaos/target/chaos-results.md"), table);

        assertEquals(ChaosRun.scenarios(options).size(), outcomes.size());
        assertTrue(outcomes.stream().allMatch(ChaosRun.Outcome::passed), "every scenario passes:\n" + table);
    }
}
