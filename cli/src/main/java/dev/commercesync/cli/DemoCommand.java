package dev.commercesync.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
            "it asked.",
            "With --scenario multichannel: one merchant selling the same catalogue on every store, the stock pool",
            "keeping every channel's level while customers buy concurrently; exit code 0 only when no unit was",
            "oversold beyond same-moment races and every channel shows its rule applied to the pool (docs/synctl.md)."
        })
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--scenario",
            defaultValue = "default",
            description = "default | multichannel (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--skus",
            defaultValue = "20",
            description = "multichannel: SKUs of the shared catalogue (default: ${DEFAULT-VALUE}).")
    int skus;

    @Option(
            names = "--duration",
            defaultValue = "2m",
            description = "How long to drive traffic, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--rate",
            description = {
                "Entity changes per second across the stores (default: 20; multichannel: store actions per second,"
                        + " sales mostly, default 5). The simulated stores"
                        + " enforce their platforms' standard API limits: where webhooks are thin each is hydrated by"
                        + " API calls within the platform's limit, so at 50/s the backlog outlasted the default"
                        + " --settle-timeout (docs/synctl.md); give faster runs a longer one."
            })
    Double rate;

    @Option(
            names = "--faults",
            description = "none | default | heavy, optionally with overrides: 'default,drop=0.1' (default: default;"
                    + " multichannel: none).")
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

    @Option(
            names = "--keep-up",
            description = "After the verdict, keep the stack, the services and the console running until Ctrl-C, to"
                    + " look at what the verdict shows in the console (docs/console.md).")
    boolean keepUp;

    @Override
    public Integer call() throws Exception {
        Path dataDir = LocalStack.dataDir().resolve("demo");
        switch (scenario) {
            case "default" -> {
                return defaultScenario(dataDir);
            }
            case "multichannel" -> {
                return multichannel(dataDir);
            }
            default -> {
                System.err.println("unknown scenario '" + scenario + "': default or multichannel");
                return 2;
            }
        }
    }

    private Integer multichannel(Path dataDir) {
        MultichannelRun.Options options = new MultichannelRun.Options(
                DurationArgument.parse(duration),
                rate != null ? rate : 5,
                faults != null ? faults : "none",
                seed,
                DurationArgument.parse(settleTimeout),
                Duration.ofSeconds(5),
                skus);
        MultichannelRun.Result result;
        try {
            result = new MultichannelRun(System.out::println).run(options, dataDir);
        } catch (Exception e) {
            return failed("synctl demo --scenario multichannel", e, dataDir);
        }
        System.out.println();
        System.out.println("Verdict (each simulated store's level vs its rule applied to the pool's available):");
        System.out.print(result.verdict().table());
        System.out.print(result.verdict().summary());
        stopped(dataDir);
        return result.verdict().clean() ? 0 : 1;
    }

    private Integer defaultScenario(Path dataDir) {
        DemoRun.Options options = new DemoRun.Options(
                DurationArgument.parse(duration),
                rate != null ? rate : 20,
                faults != null ? faults : "default",
                seed,
                DurationArgument.parse(settleTimeout),
                Duration.ofSeconds(5),
                Map.of(),
                commands);
        DemoRun.Result result;
        CountDownLatch closed = new CountDownLatch(1);
        try {
            result = new DemoRun(System.out::println).run(options, dataDir, (session, r) -> {
                printVerdict(r, session.services().url("console"));
                if (keepUp) {
                    keptUp(closed);
                }
            });
        } catch (Exception e) {
            return failed("synctl demo", e, dataDir);
        } finally {
            closed.countDown();
        }
        stopped(dataDir);
        return result.clean() ? 0 : 1;
    }

    /**
     * Waits for Ctrl-C with everything running. Ctrl-C runs the shutdown hook, which ends this wait and then holds the
     * JVM until the demo's session has closed (services and stack stopped, {@code closed} counted down by the caller).
     */
    private static void keptUp(CountDownLatch closed) throws InterruptedException {
        System.out.println();
        System.out.println("Everything stays up (--keep-up). Press Ctrl-C to stop.");
        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("\nStopping ...");
                            interrupted.countDown();
                            try {
                                closed.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "synctl-demo-stop"));
        interrupted.await();
    }

    private static void printVerdict(DemoRun.Result result, String console) {
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
        String explanations = result.verdict().explanations(console);
        if (!explanations.isEmpty()) {
            System.out.println();
            System.out.println("Where the console explains each row that is not clean (its store page: operations,"
                    + " quarantine, dead letters, reconciliation findings; and the trace of some of its entities):");
            System.out.print(explanations);
        }
    }

    private static int failed(String command, Exception e, Path dataDir) {
        System.err.println(command + " failed: " + e.getMessage());
        System.err.println("Logs are in " + dataDir.resolve("logs") + ".");
        return 2;
    }

    private static void stopped(Path dataDir) {
        System.out.println("Everything was stopped. The demo's data and logs are in " + dataDir
                + " (the next demo starts afresh; ./synctl clean removes them).");
    }
}
