package dev.commercesync.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run everything on this machine: Kafka, the registry, PostgreSQL, the six services and one simulated",
            "store per simulated platform sending signed webhooks with injected faults, and commands to every store",
            "meanwhile; then reconcile and compare every store with the target. Exit code 0 only when nothing is",
            "missing, stale or duplicated, and no command was applied twice or lost or left the store otherwise than",
            "it asked."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--duration",
            defaultValue = "2m",
            description = "How long to drive traffic, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--rate",
            defaultValue = "20",
            description = {
                "Entity changes per second across the stores (default: ${DEFAULT-VALUE}). The simulated stores"
                        + " enforce their platforms' standard API limits: where webhooks are thin each is hydrated by"
                        + " API calls within the platform's limit, so at 50/s the backlog outlasted the default"
                        + " --settle-timeout (docs/synctl.md); give faster runs a longer one."
            })
    double rate;

    @Option(
            names = "--faults",
            defaultValue = "default",
            description =
                    "none | default | heavy, optionally with overrides: 'default,drop=0.1' (default: ${DEFAULT-VALUE}).")
    String faults;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the simulated changes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--settle-timeout",
            defaultValue = "5m",
            description = "How long the pipeline may take to converge after the load (default: ${DEFAULT-VALUE}).")
    String settleTimeout;

    @Option(
            names = "--commands",
            defaultValue = "" + DemoCommands.DEFAULT_PER_STORE,
            description = {
                "Commands sent to each store during the traffic through the poller's POST /commands (default:"
                        + " ${DEFAULT-VALUE}; 0: none): every kind the platform declares, about entities the store's"
                        + " traffic leaves alone; of the first four, one meets a 429 and a 5xx after applying, one a"
                        + " timeout after applying (with write faults in --faults), one must expire and one is for an"
                        + " unknown product (REJECTED, NOT_FOUND). The verdict adds a commands table per store."
            })
    int commands;

    @Override
    public Integer call() throws Exception {
        Path dataDir = LocalStack.dataDir().resolve("demo");
        DemoRun.Options options = new DemoRun.Options(
                DurationArgument.parse(duration),
                rate,
                faults,
                seed,
                DurationArgument.parse(settleTimeout),
                Duration.ofSeconds(5),
                Map.of(),
                commands);
        DemoRun.Result result;
        try {
            result = new DemoRun(System.out::println).run(options, dataDir);
        } catch (Exception e) {
            System.err.println("synctl demo failed: " + e.getMessage());
            System.err.println("Logs are in " + dataDir.resolve("logs") + ".");
            return 2;
        }
        System.out.println();
        System.out.println("Verdict (simulated stores vs the target database):");
        System.out.print(result.verdict().table());
        System.out.printf(
                "%s: %d missing, %d stale, %d extra, %d duplicated after %d reconciliation round(s).%n",
                result.verdict().clean() ? "CLEAN" : "NOT CLEAN",
                result.verdict().total(Verdict.Row::missing),
                result.verdict().total(Verdict.Row::stale),
                result.verdict().total(Verdict.Row::extra),
                result.verdict().total(Verdict.Row::duplicated),
                result.reconcileRounds());
        if (!result.commands().rows().isEmpty()) {
            System.out.println();
            System.out.println("Commands (sent through the poller's POST /commands, judged against the stores):");
            System.out.print(result.commands().table());
            System.out.printf(
                    "%s: %d commands, %d applied twice, %d lost, state as sent %d/%d, one final result %d/%d.%n",
                    result.commands().clean() ? "CLEAN" : "NOT CLEAN",
                    result.commands().total(CommandsVerdict.Row::sent),
                    result.commands().total(CommandsVerdict.Row::appliedTwice),
                    result.commands().total(CommandsVerdict.Row::lost),
                    result.commands().total(CommandsVerdict.Row::stateMatched),
                    result.commands().total(CommandsVerdict.Row::stateChecked),
                    result.commands().total(CommandsVerdict.Row::oneFinalResult),
                    result.commands().total(CommandsVerdict.Row::sent));
        }
        System.out.println("Everything was stopped. The demo's data and logs are in " + dataDir
                + " (the next demo starts afresh; ./synctl clean removes them).");
        return result.clean() ? 0 : 1;
    }
}
