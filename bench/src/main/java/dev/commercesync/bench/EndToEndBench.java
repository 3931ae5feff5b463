package dev.commercesync.bench;

import dev.commercesync.cli.DurationArgument;
import dev.commercesync.cli.LocalServices;
import dev.commercesync.simulator.Simulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code synctl bench e2e}: time from a simulated store sending a webhook to the target row holding that entity version
 * being committed, at steady offered rates, with Kafka, the registry, PostgreSQL, the services and the simulator
 * all on this machine; and the highest rate the pipeline sustains without its backlog growing.
 */
@Command(
        name = "e2e",
        mixinStandardHelpOptions = true,
        description = {
            "End to end: webhook sent by a simulated store → its entity version committed in the target,",
            "p50/p99/max at steady rates (default 500/s and 1,000/s, 60 s each, medians of --runs), a sweep for the",
            "highest rate sustained without the backlog growing, and each service's RSS under the load.",
            "Results: bench/results/e2e.{json,md}, e2e-latency.png, e2e-lag.png."
        })
public final class EndToEndBench implements Callable<Integer> {
    static final String NAME = "e2e";

    @Mixin
    BenchOptions options;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "250,500,750,1000,1500",
            description = "Offered webhooks per second of the sweep, one run each (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(
            names = "--headline-rates",
            split = ",",
            defaultValue = "500,1000",
            description = "Rates of the sweep measured --runs times; their medians are the headline figures"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Double> headlineRates;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            description = "Load per run, e.g. 60s, 2m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--warmup",
            defaultValue = "20s",
            description = "Unmeasured load at the lowest rate before the first run (JIT, topics, schemas);"
                    + " 0s for none (default: ${DEFAULT-VALUE}).")
    String warmup;

    @Option(
            names = "--drain-timeout",
            defaultValue = "120s",
            description = "How long the pipeline may take to catch up after a run (default: ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Option(
            names = "--platforms",
            split = ",",
            required = true,
            completionCandidates = BenchPlatforms.class,
            description =
                    "Platforms of the simulated stores, assigned round-robin, of ${COMPLETION-CANDIDATES}; several"
                            + " for a mix (thin webhooks make the poller fetch each entity) (the published figures:"
                            + " the ones bench/README.md names).")
    List<String> platforms;

    @Option(
            names = "--stores",
            defaultValue = "4",
            description = "Simulated stores sharing the rate (default: ${DEFAULT-VALUE}).")
    int stores;

    @Option(
            names = "--delivery-threads",
            defaultValue = "16",
            description =
                    "Concurrent webhook senders per store (a platform sends from many workers; with one, the ingest's answer time would cap the rate) (default: ${DEFAULT-VALUE}).")
    int deliveryThreads;

    @Option(
            names = "--no-rate-limits",
            description = "Let the simulated stores' APIs answer without the platforms' rate limits.")
    boolean noRateLimits;

    @Option(
            names = "--seed",
            defaultValue = "7",
            description = "Seed of the simulated changes (default: ${DEFAULT-VALUE}).")
    long seed;

    private static final List<String> SERVICES = List.copyOf(LocalServices.PORTS.keySet());
    /** The registry client's deprecation warnings, once per deserializer, are noise here. */
    private static final java.util.logging.Logger APICURIO = java.util.logging.Logger.getLogger("io.apicurio");

    @Override
    public Integer call() throws Exception {
        platforms.forEach(BenchPlatforms::check);
        APICURIO.setLevel(java.util.logging.Level.SEVERE);
        Duration load = DurationArgument.parse(duration);
        Duration warm = DurationArgument.parse(warmup);
        Duration drain = DurationArgument.parse(drainTimeout);
        List<Double> sweep = new ArrayList<>(new TreeSet<>(rates));
        List<Double> headline = headlineRates.stream().filter(sweep::contains).toList();
        String command = commandLine();
        System.out.println("synctl bench e2e — " + BenchResults.machineLine());
        System.out.printf(
                Locale.ROOT,
                "Rates %s webhooks/s (%s: %d runs each, the others 1), %d s per run, %d %s store(s) with %d senders"
                        + " each.%n",
                EndToEndReport.describe(sweep),
                headline.isEmpty() ? "none repeated" : EndToEndReport.describe(headline),
                options.runs,
                load.toSeconds(),
                stores,
                String.join("/", platforms),
                deliveryThreads);
        System.out.println("Starting Kafka, the registry, PostgreSQL and the services ...");
        Map<String, List<EndToEndRun.Result>> byRate = new TreeMap<>();
        Map<String, Double> ratios = new LinkedHashMap<>();
        String profiles = "";
        Map<String, Path> recordings = new LinkedHashMap<>();
        try (BenchStack bench = BenchStack.start(NAME, SERVICES, Map.of(), options.profile, System.out::println);
                Simulator simulator = Simulator.start(0);
                Admin admin = EndToEndRun.admin(bench.endpoints().kafkaBootstrap())) {
            System.out.printf(
                    Locale.ROOT,
                    "Stack ready in %.1f s, services in %.1f s.%n",
                    bench.stackStartup().toMillis() / 1000.0,
                    bench.servicesStartup().toMillis() / 1000.0);
            for (String platform : platforms) {
                double ratio = EndToEndRun.webhooksPerChange(simulator, platform, seed, 3000);
                ratios.put(platform, ratio);
                System.out.printf(Locale.ROOT, "  %s: %.3f webhooks per simulated change%n", platform, ratio);
            }
            SERVICES.forEach(m -> recordings.put(m, bench.profileFile(m)));
            EndToEndRun runner = new EndToEndRun(bench, simulator, admin, System.out::println);
            int runNumber = 0;
            if (!warm.isZero()) {
                double rate = sweep.get(0);
                System.out.printf(
                        Locale.ROOT, "Warm-up: %.0f webhooks/s for %d s (not measured) ...%n", rate, warm.toSeconds());
                runner.run("warm-up", settings(rate, warm, drain, ratios), runNumber++);
            }
            List<double[]> plan = new ArrayList<>(); // [rate, round]
            for (double rate : sweep) {
                plan.add(new double[] {rate, 1});
            }
            for (int round = 2; round <= options.runs; round++) {
                for (double rate : headline) {
                    plan.add(new double[] {rate, round});
                }
            }
            for (double[] step : plan) {
                double rate = step[0];
                String label = String.format(Locale.ROOT, "%.0f/s run %d", rate, (int) step[1]);
                System.out.printf(
                        Locale.ROOT,
                        "Run %d of %d: %.0f webhooks/s for %d s ...%n",
                        runNumber,
                        plan.size(),
                        rate,
                        load.toSeconds());
                EndToEndRun.Result r = runner.run(label, settings(rate, load, drain, ratios), runNumber++);
                System.out.println("  " + oneLine(r));
                byRate.computeIfAbsent(key(rate), k -> new ArrayList<>()).add(r);
            }
        }
        if (options.profile) {
            profiles = profileSummary(recordings);
        }
        new EndToEndReport(this).writeResults(command, load, byRate, ratios, headline, profiles);
        return 0;
    }

    private EndToEndRun.Settings settings(double rate, Duration load, Duration drain, Map<String, Double> ratios) {
        return new EndToEndRun.Settings(
                rate, load, drain, platforms, stores, deliveryThreads, !noRateLimits, seed, ratios);
    }

    static String profileSummary(Map<String, Path> recordings) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (var e : recordings.entrySet()) {
            String module = e.getKey();
            Path jfr = e.getValue();
            if (java.nio.file.Files.isRegularFile(jfr)) {
                b.append("### ").append(module).append("\n\n```\n");
                b.append(Profiles.summarize(jfr).describe(12));
                b.append("```\n\n");
            }
        }
        System.out.println();
        System.out.println("Where the CPU went (JFR, whole benchmark):");
        System.out.print(b.toString().replace("```\n", "").replace("### ", ""));
        return b.toString();
    }

    static String key(double rate) {
        return String.format(Locale.ROOT, "%06.0f", rate);
    }

    private static String oneLine(EndToEndRun.Result r) {
        return String.format(
                Locale.ROOT,
                "sent %.0f/s, events committed %.0f/s | latency p50 %s p99 %s max %s ms | %d matched, %d superseded,"
                        + " %d not applied | backlog slope %+.1f/s, max %d | %s",
                r.sentPerSecond,
                r.eventsCommittedPerSecond,
                EndToEndReport.fmt(r.p50),
                EndToEndReport.fmt(r.p99),
                EndToEndReport.fmt(r.max),
                r.matched,
                r.superseded,
                r.notApplied,
                r.backlogSlope,
                r.maxBacklog,
                r.verdict);
    }

    private String commandLine() {
        StringBuilder b = new StringBuilder("./synctl bench e2e");
        b.append(" --runs ").append(options.runs);
        b.append(" --rates ")
                .append(String.join(
                        ",",
                        rates.stream()
                                .map(r -> String.format(Locale.ROOT, "%.0f", r))
                                .toList()));
        b.append(" --headline-rates ")
                .append(String.join(
                        ",",
                        headlineRates.stream()
                                .map(r -> String.format(Locale.ROOT, "%.0f", r))
                                .toList()));
        b.append(" --duration ").append(duration);
        b.append(" --warmup ").append(warmup);
        b.append(" --platforms ").append(String.join(",", platforms));
        b.append(" --stores ").append(stores);
        b.append(" --delivery-threads ").append(deliveryThreads);
        if (noRateLimits) {
            b.append(" --no-rate-limits");
        }
        if (options.profile) {
            b.append(" --profile");
        }
        return b.toString();
    }
}
