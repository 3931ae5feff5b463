package dev.commercesync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.cli.CommandsVerdict;
import dev.commercesync.cli.DemoRun;
import dev.commercesync.cli.Verdict;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.dialect.Dialects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code synctl demo}, bounded and headless, on the real components: Kafka, the registry, PostgreSQL, the five services
 * as built applications, and a simulated store of every platform sending signed webhooks. The target must equal the stores exactly,
 * and the commands sent to every store during the traffic must be applied exactly once, as asked.
 */
class DemoEndToEndTest {
    private static final Path ROOT =
            Path.of(System.getProperty("commercesync.root", "..")).toAbsolutePath();

    @Test
    void withTheDefaultFaultsTheTargetEqualsTheStoresExactly() throws Exception {
        DemoRun.Result result = new DemoRun(line -> System.out.println("[e2e default] " + line))
                .run(
                        new DemoRun.Options(
                                Duration.ofSeconds(20),
                                15,
                                "default",
                                7,
                                Duration.ofMinutes(4),
                                Duration.ofSeconds(5),
                                Map.of(),
                                8),
                        ROOT.resolve("e2e/target/demo-default"));

        System.out.print(result.verdict().table());
        System.out.print(result.commands().table());
        assertTrue(result.verdict().total(Verdict.Row::expected) > 0, "the stores have entities to compare");
        assertTrue(
                result.verdict().clean(),
                "missing, stale, extra and duplicated are all zero:\n"
                        + result.verdict().table());
        assertEquals(
                new TreeSet<>(Dialects.names()),
                result.verdict().rows().stream()
                        .map(Verdict.Row::platform)
                        .collect(Collectors.toCollection(TreeSet::new)),
                "a store of every platform with a simulator dialect is judged");
        // The commands sent during the traffic: on every platform, one was applied although its first answer was a 5xx
        // or a timeout (forced on each store's first writes), and where the platform makes its kind's echo
        // recognisable (the adapter's recognisableEchoes(): not WooCommerce's levels and shipments) the store's
        // webhook about it was recognised; none was applied twice or lost, and the stores show what the last applied
        // command of each entity asked for.
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        CommandsVerdict commands = result.commands();
        assertEquals(
                new TreeSet<>(Dialects.names()),
                commands.rows().stream()
                        .map(CommandsVerdict.Row::platform)
                        .collect(Collectors.toCollection(TreeSet::new)),
                "commands went to a store of every platform");
        for (CommandsVerdict.Row row : commands.rows()) {
            String table = "\n" + commands.table();
            assertTrue(row.sent() > 0, row.platform() + ": commands sent" + table);
            assertTrue(row.ambiguousThenApplied() >= 1, row.platform() + ": ambiguous, then applied once" + table);
            if (!registry.get(row.platform()).recognisableEchoes().isEmpty()) {
                assertTrue(
                        row.ambiguousRecognisable() >= 1,
                        row.platform() + ": ambiguous, then applied, of a kind whose echo is recognisable" + table);
            }
            assertEquals(
                    row.ambiguousRecognisable(),
                    row.ambiguousEchoed(),
                    row.platform() + ": the echo of each such command recognised" + table);
            assertEquals(0, row.appliedTwice(), row.platform() + ": applied twice" + table);
            assertEquals(0, row.lost(), row.platform() + ": lost" + table);
            assertEquals(
                    row.stateChecked(), row.stateMatched(), row.platform() + ": the store's state as sent" + table);
            assertTrue(row.stateChecked() > 0, row.platform() + ": applied commands whose state is checked" + table);
            assertEquals(row.sent(), row.oneFinalResult(), row.platform() + ": one final result each" + table);
            assertEquals(
                    1, row.rejected().getOrDefault("NOT_FOUND", 0), row.platform() + ": the unknown product" + table);
            assertTrue(row.expired() >= 1, row.platform() + ": the command whose deadline passed" + table);
        }
        assertTrue(commands.clean(), commands.table());
        // Levels listed only as a snapshot (BigCommerce's, Adobe Commerce's MSI source items) have no updated-at:
        // judged by their stock, and the seeded ones (never sent as webhooks) arrive through the reconciler's snapshot
        // comparison.
        List<Verdict.Row> levels = result.verdict().rows().stream()
                .filter(r -> r.type() == EntityType.INVENTORY_LEVEL
                        && registry.get(r.platform())
                                .capabilities()
                                .listedAsSnapshot()
                                .contains(EntityType.INVENTORY_LEVEL))
                .toList();
        assertFalse(levels.isEmpty(), "some platform lists its levels as a snapshot");
        for (Verdict.Row row : levels) {
            assertTrue(row.judged() && row.expected() > 0 && row.found() == row.expected(), row.toString());
        }
    }
}
