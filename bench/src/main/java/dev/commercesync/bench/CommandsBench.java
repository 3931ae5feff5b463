package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.cli.DurationArgument;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.dialect.PlatformDialect;
import dev.commercesync.simulator.http.ApiBudget;
import dev.commercesync.simulator.model.InventoryLevel;
import io.github.bucket4j.TimeMeter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * Commands against the platforms' standard rate limits: commands/s the poller's command executor sustains and
 * command-to-applied latency, per platform, next to the best any client could do within the store's budget.
 *
 * <p>The real path: {@code SetInventoryLevel} commands are produced to {@code commerce.commands.v1} (Avro, acks=all),
 * the poller journals them in PostgreSQL and applies them through its rate limiter and the platform adapter's write
 * client to a simulated store with its platform's standard limits enforced; the latency runs to the APPLIED result on
 * {@code commerce.command-results.v1} ({@link CommandsRun}). Two phases per platform: a closed loop keeping a fixed
 * number of commands outstanding (the rate the executor sustains when the store's budget is the bottleneck; its
 * latency is mostly the wait behind the other outstanding commands), then commands paced at a share of that rate
 * (latency without a queue).
 */
@picocli.CommandLine.Command(
        name = "commands",
        mixinStandardHelpOptions = true,
        description = {
            "Commands against the platforms' standard rate limits: commands/s sustained and command-to-APPLIED latency"
                    + " (p50/p99) through the poller's executor, next to the limit (write requests/s the store's budget"
                    + " allows).",
            "Writes bench/results/commands.{json,md}."
        })
public final class CommandsBench implements Callable<Integer> {
    static final String NAME = "commands";
    private static final List<String> MODULES = List.of("webhook-ingest", "poller");

    @Option(
            names = "--platforms",
            required = true,
            split = ",",
            completionCandidates = BenchPlatforms.class,
            description = "Simulated platforms, of ${COMPLETION-CANDIDATES} (the published figures: the ones"
                    + " bench/README.md names).")
    List<String> platforms;

    @Option(
            names = "--saturation",
            defaultValue = "60s",
            converter = DurationArgument.class,
            description = "Closed-loop phase: how long --in-flight commands are kept outstanding (the rate the"
                    + " executor sustains, measured over the second half, which must span a store's fixed window:"
                    + " 30 s where the simulator has one) (default: ${DEFAULT-VALUE}).")
    Duration saturation;

    @Option(
            names = "--in-flight",
            defaultValue = "16",
            description = "Closed-loop phase: commands outstanding at any time, more than the executor's workers so"
                    + " that the store's budget is the bottleneck (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(
            names = "--duration",
            defaultValue = "15s",
            converter = DurationArgument.class,
            description = "Paced phase: how long commands are sent at --rate-share of the sustained rate (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--count",
            defaultValue = "0",
            description = "Paced phase: send this many commands instead of sending for --duration (default: none).")
    int count;

    @Option(
            names = "--rate-share",
            defaultValue = "0.5",
            description = "Paced phase: the rate as a share of the lower of the limit and the rate the closed loop"
                    + " sustained (default: ${DEFAULT-VALUE}).")
    double rateShare;

    @Option(
            names = "--products",
            defaultValue = "400",
            description = "Products per store: the commands spread over their inventory levels (default:"
                    + " ${DEFAULT-VALUE}).")
    int products;

    @Option(
            names = "--timeout",
            defaultValue = "5m",
            converter = DurationArgument.class,
            description = "How long a phase waits for its last result after its last command (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the stores.")
    long seed;

    /** The best any client could do: write requests/s the store's budget allows, and how that was computed. */
    record Limit(double writesPerSecond, double burstWrites, String how) {}

    /** What the poller's own limiter allows: requests/s from the adapter's rate profile and request cost. */
    record PollerBudget(double commandsPerSecond, String how) {}

    @Override
    public Integer call() throws Exception {
        platforms.forEach(BenchPlatforms::check);
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        for (String platform : platforms) {
            if (!registry.get(platform).capabilities().supports(CommandKind.SET_INVENTORY_LEVEL)) {
                System.err.println(platform + " applies no SET_INVENTORY_LEVEL command");
                return 2;
            }
        }
        String command = "synctl bench commands --platforms " + String.join(",", platforms) + " --saturation "
                + saturation.toSeconds() + "s --in-flight " + inFlight + " --rate-share " + rateShare
                + (count > 0 ? " --count " + count : " --duration " + duration.toSeconds() + "s");
        System.out.println("synctl bench commands: " + BenchResults.machineLine());

        Map<String, CommandsRun.Result> results = new LinkedHashMap<>();
        Map<String, Limit> limits = new LinkedHashMap<>();
        Map<String, PollerBudget> budgets = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (Simulator simulator = Simulator.start(0)) {
            BenchStack stack = BenchStack.start(NAME, MODULES, Map.of(), moduleConfig(), false, System.out::println);
            try {
                Map<String, SimulatedStore> stores = new LinkedHashMap<>();
                for (String platform : platforms) {
                    SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, "commands-" + platform)
                            .seed(seed)
                            .catalog(products, 0)
                            .rateLimits(true)
                            .build());
                    store.registerWithIngest(URI.create(stack.url("webhook-ingest")), stack.adminToken());
                    stores.put(platform, store);
                }
                // The ingest only registers the stores (the registry the poller reads); nothing subscribes the stores'
                // webhooks (no schedule runs in the poller), so the writes' echoes are not sent and cost nothing.
                stack.node("webhook-ingest").close();
                try (CommandsRun run = new CommandsRun(stack.endpoints(), System.out::println)) {
                    for (String platform : platforms) {
                        SimulatedStore store = stores.get(platform);
                        Limit limit = limit(platform);
                        limits.put(platform, limit);
                        List<String[]> levels = stockIds(store);
                        budgets.put(
                                platform,
                                pollerBudget(
                                        registry.get(platform),
                                        store,
                                        command(store, levels.get(0), 1).command()));
                        System.out.printf(
                                Locale.ROOT,
                                "%n== %s: limit %.2f writes/s (%s); poller's budget %.2f commands/s ==%n",
                                platform,
                                limit.writesPerSecond(),
                                limit.how(),
                                budgets.get(platform).commandsPerSecond());
                        CommandsRun.Result result = run.measure(
                                store,
                                i -> command(store, levels.get(i % levels.size()), 1000 + i),
                                limit.writesPerSecond(),
                                rateShare,
                                inFlight,
                                saturation,
                                count,
                                duration,
                                timeout);
                        results.put(platform, result);
                        if (result.notApplied() > 0 || result.missing() > 0) {
                            failures.add(platform + ": " + result.notApplied() + " not APPLIED, " + result.missing()
                                    + " without a result");
                        }
                    }
                }
            } finally {
                stack.close();
            }
        }

        CommandsReport report = new CommandsReport(results, limits, budgets);
        String table = report.table();
        System.out.println();
        System.out.println(table);
        if (!failures.isEmpty()) {
            System.out.println("FAILED:");
            failures.forEach(f -> System.out.println("  " + f));
        }
        ObjectNode doc = BenchResults.document(NAME, command);
        report.json(doc);
        failures.forEach(doc.putArray("failures")::add);
        String md = report.markdown(command, rateShare, inFlight, saturation, duration, count, failures);
        System.out.println("results: " + BenchResults.write(NAME, doc, md));
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * The best any client could do on the store, by its standard budget (the simulator's dialect) and what one write
     * request spends of it: steady writes/s = units restored per second ÷ units per write (a fixed window: quota ÷
     * window); the full bucket adds a one-time burst of capacity ÷ units per write.
     */
    static Limit limit(String platform) {
        PlatformDialect dialect = Dialects.get(platform);
        PlatformDialect.WriteCost cost = dialect.writeCost();
        ApiBudget budget = dialect.budgets(TimeMeter.SYSTEM_MILLISECONDS, true).get(cost.budget());
        double perSecond = budget.window() == null
                ? budget.refillPerSecond()
                : budget.capacity() / (budget.window().toMillis() / 1000.0);
        String source = budget.window() == null
                ? fmt(budget.refillPerSecond()) + " units/s restored"
                : budget.capacity() + " per " + budget.window().toSeconds() + " s window";
        return new Limit(
                perSecond / cost.units(),
                (double) budget.capacity() / cost.units(),
                source + " ÷ " + cost.units() + (cost.units() == 1 ? " unit" : " units") + " per write");
    }

    /**
     * The poller's own limiter: the adapter's rate profile, each command charged what the adapter's writer declares
     * for it ({@code PlatformWriteClient#applyCost}).
     */
    static PollerBudget pollerBudget(PlatformAdapter adapter, SimulatedStore store, Command command) {
        RateLimitProfile profile = adapter.capabilities().rateLimitProfile();
        WriteCost cost = adapter.writeClient(store.apiConnection()).applyCost(command);
        return new PollerBudget(
                profile.refillPerSecond() / cost.units(),
                fmt(profile.refillPerSecond()) + " " + profile.unit() + "/s ÷ " + fmt(cost.units()) + " per command ("
                        + cost.requests() + (cost.requests() == 1 ? " request" : " requests")
                        + ", as the writer declares)");
    }

    /** Per inventory level of the store: the command's item and location ids (location null without locations). */
    private static List<String[]> stockIds(SimulatedStore store) {
        PlatformDialect dialect = Dialects.get(store.platform());
        return store.state().all(EntityType.INVENTORY_LEVEL).stream()
                .map(InventoryLevel.class::cast)
                .map(dialect::stockIds)
                .collect(Collectors.toMap(ids -> ids[0] + "@" + ids[1], ids -> ids, (a, b) -> a, LinkedHashMap::new))
                .values()
                .stream()
                .toList();
    }

    /** An absolute quantity for one level, without compare-and-set (what a warehouse pushes). */
    private static CommandsRun.Sent command(SimulatedStore store, String[] ids, long quantity) {
        String entityId = ids[1] == null ? ids[0] : ids[0] + "@" + ids[1];
        String commandId = java.util.UUID.randomUUID().toString();
        Instant now = Instant.now();
        Command command = new Command(
                CommandMetadata.newBuilder()
                        .setCommandId(commandId)
                        .setPlatform(store.platform())
                        .setStore(store.storeId())
                        .setEntityType(EntityType.INVENTORY_LEVEL)
                        .setEntityId(entityId)
                        .setCommandKey(EventKeys.entityKey(
                                store.platform(), store.storeId(), EntityType.INVENTORY_LEVEL, entityId))
                        .setIssuedAt(now)
                        .setDeadline(now.plus(Duration.ofMinutes(30)))
                        .setIssuer("synctl bench commands")
                        .build(),
                new SetInventoryLevel(ids[0], ids[1], quantity, null));
        return new CommandsRun.Sent(commandId, command);
    }

    /** Per module: configuration only that service gets. */
    private static Map<String, Map<String, String>> moduleConfig() {
        // Nothing runs on a schedule in the poller: no polling or webhook upkeep shares the stores' budgets with the
        // commands (the executor has its own timer), so the figures are the commands' alone.
        return Map.of("poller", Map.of("quarkus.scheduler.enabled", "false"));
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
