package dev.commercesync.cli;

import dev.commercesync.cli.chaos.ChaosRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "Run the chaos suite on this machine: one demo stack with a simulated store per cart platform",
            "(--platforms), and one scenario at a time while they send traffic: SIGKILL and restart each service,",
            "freeze the broker and PostgreSQL, restart the registry, a 429 storm. Each ends with the demo's verdict and",
            "a count of dead-lettered and quarantined records; exit code 0 only when every scenario is clean with none.",
            "See docs/reliability.md."
        })
final class ChaosCommand implements Callable<Integer> {

    @Option(
            names = "--only",
            split = ",",
            description = "Scenarios to run, comma-separated (default: all): kill-normalizer, kill-sync-writer,"
                    + " kill-poller, kill-inventory, kill-webhook-ingest, kill-reconciler, pause-kafka, hang-postgres,"
                    + " restart-registry, api-429-storm.")
    List<String> only = List.of();

    @Option(
            names = "--rate",
            defaultValue = "9",
            description = "Entity changes per second across the stores (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--load-after",
            defaultValue = "5s",
            description = "How long the traffic goes on after each fault is over; it starts 5 s before the fault and"
                    + " runs through it (default: ${DEFAULT-VALUE}).")
    String loadAfter;

    @Option(
            names = "--outage",
            defaultValue = "30s",
            description = "How long the broker and PostgreSQL stay frozen and the 429 storm lasts (default:"
                    + " ${DEFAULT-VALUE}).")
    String outage;

    @Option(
            names = "--settle-timeout",
            defaultValue = "6m",
            description = "How long each scenario may take to converge after its traffic; it is judged as soon as"
                    + " it is clean (default: ${DEFAULT-VALUE}).")
    String settleTimeout;

    @Option(
            names = "--platforms",
            split = ",",
            description = "One store of each of these platforms (default: those whose simulated stores push webhooks,"
                    + " ${DEFAULT-VALUE}; add the polled ones, the marketplaces, to include them: their polling cadence"
                    + " then sets each scenario's convergence time).")
    List<String> platforms = ChaosRun.Options.DEFAULT_PLATFORMS;

    @Override
    public Integer call() throws Exception {
        Path dataDir = LocalStack.dataDir().resolve("chaos");
        ChaosRun.Options defaults = ChaosRun.Options.defaults();
        ChaosRun.Options options = new ChaosRun.Options(
                rate,
                defaults.faultAfter(),
                DurationArgument.parse(loadAfter),
                DurationArgument.parse(outage),
                DurationArgument.parse(settleTimeout),
                defaults.seed(),
                only,
                platforms);
        long t0 = System.nanoTime();
        List<ChaosRun.Outcome> outcomes;
        try {
            outcomes = new ChaosRun(System.out::println).run(options, dataDir);
        } catch (Exception e) {
            System.err.println("synctl chaos failed: " + e.getMessage());
            System.err.println("Logs are in " + dataDir.resolve("logs") + ".");
            return 2;
        }
        System.out.println();
        System.out.print(ChaosRun.table(outcomes));
        long passed = outcomes.stream().filter(ChaosRun.Outcome::passed).count();
        System.out.printf(
                "%d of %d scenarios passed in %d s. Data and logs: %s (./synctl clean removes them).%n",
                passed,
                outcomes.size(),
                Duration.ofNanos(System.nanoTime() - t0).toSeconds(),
                dataDir);
        return passed == outcomes.size() ? 0 : 1;
    }
}
