package dev.commercesync.bench;

import dev.commercesync.cli.DurationArgument;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synctl bench ingest}: signed order-created webhooks of one platform accepted per second by webhook-ingest
 * (acks=all), next to Kafka's own producer benchmark on the same broker with the same record size and producer
 * settings; then response times at fixed offered rates (open loop, corrected for coordinated omission) and the rate
 * where p99 crosses a limit (1 s).
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Webhooks accepted per second by webhook-ingest (acks=all) against Kafka's own producer benchmark on the same"
                    + " broker, and response times at fixed offered rates.",
            "Starts Kafka, the registry, PostgreSQL and webhook-ingest on free ports; writes"
                    + " bench/results/ingest.{json,md} and ingest-latency.png, ingest-throughput.png."
        })
public final class IngestBench implements Callable<Integer> {
    static final String NAME = "ingest";
    static final String MODULE = "webhook-ingest";
    static final String RAW_TOPIC = CommerceTopic.RAW.topicName();

    @Mixin
    BenchOptions options;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--platform",
            required = true,
            completionCandidates = BenchPlatforms.class,
            description = "Simulated platform whose signed order-created webhooks are sent, one of"
                    + " ${COMPLETION-CANDIDATES} (the published figures: the one bench/README.md names).")
    String platform;

    @Option(
            names = "--connections",
            defaultValue = "64,256",
            description =
                    "Concurrent connections of the closed-loop (maximum throughput) phases, one phase each; the most"
                            + " accepted of them is the figure (default: ${DEFAULT-VALUE}).",
            split = ",")
    List<Integer> connectionCounts;

    /** The largest of {@link #connectionCounts} (the warm-up's). */
    private int connections;

    @Option(
            names = "--warmup",
            defaultValue = "10s",
            converter = DurationArgument.class,
            description = "Warm-up before each run's closed-loop phase and before the Kafka tool's measured run"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            converter = DurationArgument.class,
            description =
                    "Measured time of the closed-loop phase and, about, of the Kafka tool (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "250,500,1000,2000,3000,5000",
            description = "Offered rates (webhooks/s) of the open-loop phase (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(
            names = "--rate-duration",
            defaultValue = "20s",
            converter = DurationArgument.class,
            description = "How long each offered rate runs (default: ${DEFAULT-VALUE}).")
    Duration rateDuration;

    @Option(
            names = "--max-in-flight",
            defaultValue = "512",
            description = "Open loop: most outstanding requests; waiting for a slot counts as latency"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(
            names = "--p99-limit",
            defaultValue = "1s",
            converter = DurationArgument.class,
            description = "The p99 response time whose crossing rate is reported (default: ${DEFAULT-VALUE}).")
    Duration p99Limit;

    @Option(
            names = "--bisect",
            defaultValue = "2",
            description = "Extra rates tried between the last rate under the p99 limit and the first over it"
                    + " (default: ${DEFAULT-VALUE}).")
    int bisectSteps;

    @Option(
            names = "--body-bytes",
            defaultValue = "7000",
            description = "Body size aimed at: simulated orders/create payloads within ±10%% of it (default:"
                    + " ${DEFAULT-VALUE}).")
    int bodyBytes;

    @Option(
            names = "--bodies",
            defaultValue = "200",
            description = "Distinct orders sent in turn (default: ${DEFAULT-VALUE}).")
    int bodyCount;

    @Option(
            names = "--kafka-payloads",
            split = ",",
            defaultValue = "random,bodies",
            description = "Kafka tool runs: 'random' (--record-size = the stored record's size: the tool's random"
                    + " letters) and/or 'bodies' (--payload-file with the webhook bodies: as compressible as the"
                    + " ingest's records), or none (default: ${DEFAULT-VALUE}).")
    List<String> kafkaPayloads;

    @Option(
            names = "--request-timeout",
            defaultValue = "30s",
            converter = DurationArgument.class,
            description = "HTTP request timeout; a timed-out request counts as an error (default: ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(
            names = "--service-config",
            description = "Configuration webhook-ingest gets, key=value, repeatable; e.g."
                    + " quarkus.otel.sdk.disabled=false, quarkus.otel.exporter.otlp.endpoint=http://127.0.0.1:4318 and"
                    + " quarkus.otel.exporter.otlp.protocol=http/protobuf to measure tracing (docs/observability.md).")
    Map<String, String> serviceConfig = new LinkedHashMap<>();

    /** One run's measurements. */
    static final class Run {
        IngestLoad.Result closed;
        IngestSweep.Cpu closedCpu;
        int closedConnections;
        final Map<Integer, IngestLoad.Result> closedBy = new LinkedHashMap<>();
        final Map<String, IngestKafkaPerf.Result> kafka = new LinkedHashMap<>();
        final List<IngestSweep.RatePoint> points = new ArrayList<>();
        final Map<Integer, IngestSweep.Cpu> rateCpu = new LinkedHashMap<>();
        Integer crossingAbove;
        int crossingBelow;
    }

    @Override
    public Integer call() throws Exception {
        BenchPlatforms.check(platform);
        validate();
        List<String> args = commandArgs();
        String command = ("./synctl bench ingest " + String.join(" ", args)).trim();
        progress("synctl bench ingest: " + options.runs + " run(s); closed loop " + connectionCounts + " connections "
                + seconds(duration) + " after " + seconds(warmup) + " warm-up; rates " + rates + "/s for "
                + seconds(rateDuration) + " each");

        try (Simulator simulator = Simulator.start(0)) {
            SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, "bench-ingest")
                    .seed(7)
                    .catalog(40, 40)
                    .rateLimits(false)
                    .build());
            List<IngestLoad.SignedWebhook> pool = IngestWorkload.orderWebhooks(store, bodyCount, bodyBytes);
            progress(String.format(
                    Locale.ROOT,
                    "%d signed %s webhooks from the simulator's %s dialect: body %s bytes",
                    pool.size(),
                    pool.get(0).topic(),
                    platform,
                    IngestReport.sizeRange(
                            pool.stream().map(w -> w.body().length).toList())));

            Map<String, String> producerProps = IngestWorkload.ingestProducerProps();
            List<Run> runs = new ArrayList<>();
            IngestWorkload.StoredRecords stored;
            Map<String, Profiles.Profile> profiles = Map.of();
            String perfRandom;
            String perfBodies;
            progress("starting Kafka, the registry, PostgreSQL and webhook-ingest");
            BenchStack stack = BenchStack.start(NAME, List.of(MODULE), serviceConfig, options.profile, this::progress);
            try {
                store.registerWithIngest(URI.create(stack.url(MODULE)), stack.adminToken());
                ProcessHandle ingestProcess =
                        ProcessHandle.of(stack.node(MODULE).pid()).orElse(null);
                ProcessHandle brokerProcess = ProcessHandle.current()
                        .descendants()
                        .filter(p -> commandLine(p).contains("KafkaMain"))
                        .findFirst()
                        .orElse(null);
                if (brokerProcess == null) {
                    progress("  (the broker's process was not found: its CPU is not reported)");
                }
                IngestSweep sweep = new IngestSweep(this, ingestProcess, brokerProcess, this::progress);
                String bootstrap = stack.endpoints().kafkaBootstrap();
                URI target = URI.create(stack.url(MODULE).replaceAll("/$", "") + "/webhooks/" + platform);
                Path payloadFile = stack.dataDir().resolve("kafka-perf-bodies.txt");
                Files.writeString(
                        payloadFile,
                        pool.stream()
                                .map(w -> new String(w.body(), StandardCharsets.UTF_8))
                                .collect(Collectors.joining("\n")));
                IngestKafkaPerf perf = new IngestKafkaPerf(
                        bootstrap, producerProps, stack.dataDir(), () -> IngestSweep.cpuOf(brokerProcess));
                try (IngestLoad load =
                                new IngestLoad(target, pool, requestTimeout, Math.max(connections, maxInFlight));
                        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    // A first delivery creates the raw topic (as in production, before the normalizer exists).
                    String first = "";
                    for (int attempt = 0; attempt < 10 && !first.equals("ok"); attempt++) {
                        first = load.sendOne();
                    }
                    if (!first.equals("ok")) {
                        throw new IllegalStateException("webhook-ingest refuses the webhooks: " + first + "; see "
                                + stack.node(MODULE).log());
                    }
                    stored = null;
                    for (int r = 1; r <= options.runs; r++) {
                        progress("run " + r + "/" + options.runs);
                        Run run = new Run();
                        progress("  warm-up: closed loop, " + connections + " connections, " + seconds(warmup));
                        IngestLoad.Result warm = load.closedLoop(connections, warmup);
                        progress(String.format(Locale.ROOT, "  warm-up: %,.0f accepted/s", warm.okPerSecond()));
                        if (stored == null) {
                            stored = IngestWorkload.readBack(bootstrap, 200);
                            progress(String.format(
                                    Locale.ROOT,
                                    "  stored records on %s (%d read back): value %,.0f bytes (%,d–%,d), key %.0f"
                                            + " bytes, headers %.0f bytes; %d partitions",
                                    RAW_TOPIC,
                                    stored.sampled(),
                                    stored.meanValue(),
                                    stored.minValue(),
                                    stored.maxValue(),
                                    stored.meanKey(),
                                    stored.meanHeaders(),
                                    stored.partitions()));
                        }
                        for (int c : connectionCounts) {
                            IngestSweep.pause();
                            IngestSweep.Cpu c0 = sweep.cpu();
                            IngestLoad.Result closed = load.closedLoop(c, duration);
                            IngestSweep.Cpu used = sweep.cpu().minus(c0);
                            run.closedBy.put(c, closed);
                            if (run.closed == null || closed.okPerSecond() > run.closed.okPerSecond()) {
                                run.closed = closed;
                                run.closedCpu = used;
                                run.closedConnections = c;
                            }
                            progress(String.format(
                                    Locale.ROOT,
                                    "  webhook-ingest, %d connections: %,.0f accepted/s (%,d in %s, %,d failed), p50"
                                            + " %.1f ms, p99 %.1f ms, max %.1f ms; ingest %.2f, broker %.2f, generator"
                                            + " %.2f cores",
                                    c,
                                    closed.okPerSecond(),
                                    closed.ok(),
                                    seconds(duration),
                                    closed.failed(),
                                    closed.percentileMs(50),
                                    closed.percentileMs(99),
                                    closed.maxMs(),
                                    IngestSweep.cores(used.ingest(), closed.seconds()),
                                    IngestSweep.cores(used.broker(), closed.seconds()),
                                    IngestSweep.cores(used.generator(), closed.seconds())));
                        }
                        for (String kind : kafkaPayloads) {
                            IngestKafkaPerf.Payload payload = kind.equals("random")
                                    ? new IngestKafkaPerf.Payload((int) Math.round(stored.meanValue()), null)
                                    : new IngestKafkaPerf.Payload(null, payloadFile);
                            String base = "bench-perf-" + kind + "-run" + r;
                            IngestWorkload.createTopic(admin, base + "-warmup", stored.partitions());
                            IngestWorkload.createTopic(admin, base, stored.partitions());
                            IngestSweep.pause();
                            IngestKafkaPerf.Result result =
                                    perf.run(base + "-warmup", base, payload, warmup, duration, this::progress);
                            run.kafka.put(kind, result);
                            progress(String.format(
                                    Locale.ROOT,
                                    "  kafka-producer-perf (%s): %,.0f records/s, %.2f MB/s, avg %.1f ms, p50 %d ms,"
                                            + " p99 %d ms, max %.0f ms",
                                    kind,
                                    result.recordsPerSecond(),
                                    result.mbPerSecond(),
                                    result.avgMs(),
                                    result.p50Ms(),
                                    result.p99Ms(),
                                    result.maxMs()));
                            admin.deleteTopics(List.of(base + "-warmup", base))
                                    .all()
                                    .get();
                        }
                        sweep.sweep(load, run);
                        runs.add(run);
                    }
                }
                perfRandom = perf.describe(
                        "<fresh topic>",
                        "<rate × duration>",
                        new IngestKafkaPerf.Payload((int) Math.round(stored.meanValue()), null));
                perfBodies =
                        perf.describe("<fresh topic>", "<rate × duration>", new IngestKafkaPerf.Payload(null, null));
            } finally {
                progress("stopping the stack");
                stack.close();
            }
            if (options.profile) {
                profiles = Profiles.summarizeAll(stack, List.of(MODULE));
                profiles.forEach((module, profile) -> {
                    System.out.println();
                    System.out.println("JFR profile of " + module + " (whole benchmark):");
                    System.out.print(profile.describe(15));
                });
            }
            new IngestReport(this).report(command, pool, stored, producerProps, runs, profiles, perfRandom, perfBodies);
        }
        return 0;
    }

    private void validate() {
        if (connectionCounts.isEmpty() || connectionCounts.stream().anyMatch(c -> c < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--connections must be positive");
        }
        connectionCounts = connectionCounts.stream().distinct().sorted().toList();
        connections = connectionCounts.get(connectionCounts.size() - 1);
        if (options.runs < 1 || maxInFlight < 1 || bodyCount < 1 || rates.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--runs, --connections, --max-in-flight, --bodies and --rates must be positive");
        }
        for (int rate : rates) {
            if (rate < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "rates must be positive: " + rate);
            }
        }
        kafkaPayloads =
                kafkaPayloads.stream().filter(k -> !k.equals("none")).distinct().toList();
        for (String kind : kafkaPayloads) {
            if (!kind.equals("random") && !kind.equals("bodies")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--kafka-payloads takes random and/or bodies, not " + kind);
            }
        }
        rates = rates.stream().distinct().sorted().toList();
    }

    /** The arguments after {@code bench ingest}, for the command line the results show. */
    private List<String> commandArgs() {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        int at = original.indexOf("ingest");
        return at >= 0 ? original.subList(at + 1, original.size()) : original;
    }

    /** A process's full command line (Linux /proc; ProcessHandle.Info cuts long ones short). */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                            StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }

    // ---- the workload ----

    // ---- results ----

    // ---- helpers ----

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private void progress(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
