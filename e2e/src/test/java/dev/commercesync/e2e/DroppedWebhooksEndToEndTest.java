package dev.commercesync.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.cli.DemoRun;
import dev.commercesync.simulator.Fault;
import dev.commercesync.simulator.StoreStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code synctl demo --faults none,drop=0.3}, bounded and headless, on the real components (as {@link DemoEndToEndTest}):
 * with polling and the subscription keeper off, only the reconciler can bring the dropped webhooks' changes into the
 * target, and it must bring every one. Its own class, so that surefire's two JVMs run it beside the default demo
 * instead of after it (e2e/pom.xml).
 */
class DroppedWebhooksEndToEndTest {
    private static final Path ROOT =
            Path.of(System.getProperty("commercesync.root", "..")).toAbsolutePath();

    @Test
    void theReconcilerHealsEveryDroppedWebhook() throws Exception {
        // Polling is pushed out of the run, so the dropped webhooks can only come back through reconciliation.
        DemoRun.Result result = new DemoRun(line -> System.out.println("[e2e drops] " + line))
                .run(
                        new DemoRun.Options(
                                Duration.ofSeconds(15),
                                15,
                                "none,drop=0.3",
                                11,
                                Duration.ofMinutes(4),
                                Duration.ofSeconds(5),
                                Map.of(
                                        "commercesync.poller.polling.interval",
                                        "PT1H",
                                        // No subscription keeper either: subscribing the topics the simulated stores
                                        // were not subscribed to starts a backfill poll, which would heal drops too.
                                        "commercesync.poller.webhooks.public-url",
                                        "",
                                        // The reconciler looks for due stores every 30 s, not 60 s: its first
                                        // scheduled pass (each store once; the interval is an hour) comes soon after
                                        // the 15-s load, not about 40 s later. A pass that comes before the load's
                                        // last drops heals what it sees; the settle's rounds heal the rest.
                                        "commercesync.reconciler.schedule.tick",
                                        "30s")),
                        ROOT.resolve("e2e/target/demo-drops"));

        System.out.print(result.verdict().table());
        long dropped =
                result.sent().stream().mapToLong(s -> s.fault(Fault.DROP)).sum();
        assertTrue(dropped > 0, "the run dropped webhooks");
        // Polling and the subscription keeper are off, and dropped webhooks are never retried: only the reconciler
        // (its scheduled passes or the settle's rounds) can bring the dropped changes into the target.
        assertTrue(result.reconcilerRepairs() > 0, "the reconciler repaired the drift the drops left");
        assertTrue(
                result.verdict().clean(),
                "every dropped webhook was healed:\n" + result.verdict().table());
        assertTrue(result.sent().stream().mapToLong(StoreStats::totalChanges).sum() > 0);
    }
}
