package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.cli.DurationArgument;
import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.dialect.PlatformDialect;
import dev.commercesync.simulator.dialect.StoreContext;
import dev.commercesync.simulator.model.Change;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
    static final String RAW_TOPIC = "commerce.raw.v1";
    /** webhook-ingest's producer settings that the Kafka tool gets too (when the ingest sets them). */
    static final List<String> MIRRORED_PRODUCER_PROPS = List.of(
            "acks",
            "enable.idempotence",
            "linger.ms",
            "batch.size",
            "compression.type",
            "max.in.flight.requests.per.connection",
            "buffer.memory");

    @Mixin
    BenchOptions options;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--platform",
            defaultValue = "shopify",
            completionCandidates = BenchPlatforms.class,
            description = "Simulated platform whose signed order-created webhooks are sent (${COMPLETION-CANDIDATES};"
                    + " default: ${DEFAULT-VALUE}, the published figures').")
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

    /** The stored records' sizes, read back from the raw topic. */
    record StoredRecords(
            int sampled,
            double meanValue,
            int minValue,
            int maxValue,
            double meanKey,
            double meanHeaders,
            int partitions) {}

    /** One offered rate of one run. */
    record RatePoint(int rate, IngestLoad.Result result, boolean bisection) {}

    /** CPU time of the processes that matter, in nanoseconds. */
    record Cpu(long ingest, long broker, long generator) {
        Cpu minus(Cpu earlier) {
            return new Cpu(ingest - earlier.ingest, broker - earlier.broker, generator - earlier.generator);
        }
    }

    /** One run's measurements. */
    static final class Run {
        IngestLoad.Result closed;
        Cpu closedCpu;
        int closedConnections;
        final Map<Integer, IngestLoad.Result> closedBy = new LinkedHashMap<>();
        final Map<String, IngestKafkaPerf.Result> kafka = new LinkedHashMap<>();
        final List<RatePoint> points = new ArrayList<>();
        final Map<Integer, Cpu> rateCpu = new LinkedHashMap<>();
        Integer crossingAbove;
        int crossingBelow;
    }

    private ProcessHandle ingestProcess;
    private ProcessHandle brokerProcess;

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
            List<IngestLoad.SignedWebhook> pool = orderWebhooks(store, bodyCount, bodyBytes);
            progress(String.format(
                    Locale.ROOT,
                    "%d signed %s webhooks from the simulator's %s dialect: body %s bytes",
                    pool.size(),
                    pool.get(0).topic(),
                    platform,
                    sizeRange(pool.stream().map(w -> w.body().length).toList())));

            Map<String, String> producerProps = ingestProducerProps();
            List<Run> runs = new ArrayList<>();
            StoredRecords stored;
            Map<String, Profiles.Profile> profiles = Map.of();
            String perfRandom;
            String perfBodies;
            progress("starting Kafka, the registry, PostgreSQL and webhook-ingest");
            BenchStack stack = BenchStack.start(NAME, List.of(MODULE), serviceConfig, options.profile, this::progress);
            try {
                store.registerWithIngest(URI.create(stack.url(MODULE)), stack.adminToken());
                ingestProcess = ProcessHandle.of(stack.node(MODULE).pid()).orElse(null);
                brokerProcess = ProcessHandle.current()
                        .descendants()
                        .filter(p -> commandLine(p).contains("KafkaMain"))
                        .findFirst()
                        .orElse(null);
                if (brokerProcess == null) {
                    progress("  (the broker's process was not found: its CPU is not reported)");
                }
                String bootstrap = stack.endpoints().kafkaBootstrap();
                URI target = URI.create(stack.url(MODULE).replaceAll("/$", "") + "/webhooks/" + platform);
                Path payloadFile = stack.dataDir().resolve("kafka-perf-bodies.txt");
                Files.writeString(
                        payloadFile,
                        pool.stream()
                                .map(w -> new String(w.body(), StandardCharsets.UTF_8))
                                .collect(Collectors.joining("\n")));
                IngestKafkaPerf perf =
                        new IngestKafkaPerf(bootstrap, producerProps, stack.dataDir(), () -> cpuOf(brokerProcess));
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
                            stored = readBack(bootstrap, 200);
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
                            pause();
                            Cpu c0 = cpu();
                            IngestLoad.Result closed = load.closedLoop(c, duration);
                            Cpu used = cpu().minus(c0);
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
                                    cores(used.ingest(), closed.seconds()),
                                    cores(used.broker(), closed.seconds()),
                                    cores(used.generator(), closed.seconds())));
                        }
                        for (String kind : kafkaPayloads) {
                            IngestKafkaPerf.Payload payload = kind.equals("random")
                                    ? new IngestKafkaPerf.Payload((int) Math.round(stored.meanValue()), null)
                                    : new IngestKafkaPerf.Payload(null, payloadFile);
                            String base = "bench-perf-" + kind + "-run" + r;
                            createTopic(admin, base + "-warmup", stored.partitions());
                            createTopic(admin, base, stored.partitions());
                            pause();
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
                        sweep(load, run);
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
            report(command, pool, stored, producerProps, runs, profiles, perfRandom, perfBodies);
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

    /** The offered rates, then bisection towards where p99 crosses the limit. */
    private void sweep(IngestLoad load, Run run) throws InterruptedException {
        double limitMs = p99Limit.toNanos() / 1e6;
        for (int rate : rates) {
            run.points.add(openLoop(load, run, rate, false));
        }
        // The lowest rate from which p99 stays over the limit at every higher rate (a lone spike at a lower rate,
        // e.g. a GC pause, shows in the table but does not make the crossing).
        Integer above = null;
        int below = 0;
        for (RatePoint p : run.points) {
            if (p.result().percentileMs(99) > limitMs) {
                if (above == null) {
                    above = p.rate();
                }
            } else {
                above = null;
                below = p.rate();
            }
        }
        if (above != null) {
            for (int step = 0; step < bisectSteps; step++) {
                int mid = (int) (Math.round((below + above) / 2.0 / 10) * 10);
                if (mid <= below || mid >= above || above - below <= Math.max(20, above / 20)) {
                    break;
                }
                RatePoint p = openLoop(load, run, mid, true);
                run.points.add(p);
                if (p.result().percentileMs(99) > limitMs) {
                    above = mid;
                } else {
                    below = mid;
                }
            }
        }
        run.crossingAbove = above;
        run.crossingBelow = below;
        progress(
                above == null
                        ? "  p99 stays under " + seconds(p99Limit) + " up to " + rates.get(rates.size() - 1) + "/s"
                        : "  p99 crosses " + seconds(p99Limit) + " between " + below + "/s and " + above + "/s");
    }

    private RatePoint openLoop(IngestLoad load, Run run, int rate, boolean bisection) throws InterruptedException {
        pause();
        Cpu c0 = cpu();
        IngestLoad.Result r = load.openLoop(rate, rateDuration, maxInFlight);
        Cpu c = cpu().minus(c0);
        if (!bisection) {
            run.rateCpu.put(rate, c);
        }
        progress(String.format(
                Locale.ROOT,
                "  %s%,6d/s offered: %,7.0f/s achieved, p50 %8.1f ms, p99 %8.1f ms, max %8.1f ms, %,d failed%s;"
                        + " ingest %.2f, broker %.2f, generator %.2f cores",
                bisection ? "(bisect) " : "",
                rate,
                r.okPerSecond(),
                r.percentileMs(50),
                r.percentileMs(99),
                r.maxMs(),
                r.failed(),
                r.failures().isEmpty() ? "" : " " + r.failures(),
                cores(c.ingest(), r.seconds()),
                cores(c.broker(), r.seconds()),
                cores(c.generator(), r.seconds())));
        return new RatePoint(rate, r, bisection);
    }

    /** A short pause between phases, so one's tail does not fall into the next. */
    private static void pause() throws InterruptedException {
        Thread.sleep(2_000);
    }

    private Cpu cpu() {
        return new Cpu(cpuOf(ingestProcess), cpuOf(brokerProcess), IngestLoad.ownCpuNanos());
    }

    private static long cpuOf(ProcessHandle process) {
        if (process == null) {
            return 0;
        }
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
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

    private static double cores(long cpuNanos, double seconds) {
        return seconds <= 0 ? 0 : cpuNanos / 1e9 / seconds;
    }

    // ---- the workload ----

    /**
     * {@code count} order-created webhooks of the simulated store, rendered and signed by the simulator's dialect of its
     * platform (the platform's published payload shape and signature headers, signed with the store's secret), keeping
     * the orders whose body is within ±10% of {@code targetBytes}. The topic is the first the dialect sends for a new
     * order; the delivery-id header (new on every request) is the one whose value is the delivery id.
     */
    static List<IngestLoad.SignedWebhook> orderWebhooks(SimulatedStore store, int count, int targetBytes) {
        PlatformDialect dialect = Dialects.get(store.platform());
        // What the dialect reads of a store to render and sign an order webhook.
        StoreContext context = new StoreContext(
                store.platform(),
                store.key(),
                store.storeId(),
                store.apiBaseUrl(),
                null,
                null,
                store.webhookSecret(),
                store.credentials(),
                Clock.systemUTC(),
                null,
                Map.of());
        List<IngestLoad.SignedWebhook> pool = new ArrayList<>();
        int low = (int) (targetBytes * 0.9);
        int high = (int) Math.ceil(targetBytes * 1.1);
        String topic = null;
        for (int step = 0; pool.size() < count && step < count * 200; step++) {
            Change change = store.step();
            int index = 0;
            for (Notification notification : change.notifications()) {
                String seed = change.sequence() + "/" + index++;
                if (!(notification.entity() instanceof Order) || notification.kind() != Notification.Kind.CREATED) {
                    continue;
                }
                for (WebhookMessage message : dialect.webhooks(notification, seed, context)) {
                    topic = topic == null ? message.topic() : topic;
                    int size = message.body().length;
                    if (!message.topic().equals(topic) || size < low || size > high) {
                        continue;
                    }
                    if (new String(message.body(), StandardCharsets.UTF_8).indexOf('\n') >= 0) {
                        continue; // the Kafka tool's payload file is one body per line
                    }
                    pool.add(signed(dialect, context, store, message));
                }
            }
        }
        if (pool.size() < count) {
            throw new IllegalStateException("the simulator made only " + pool.size() + " " + topic + " bodies of " + low
                    + "–" + high + " bytes; try another --body-bytes");
        }
        return pool;
    }

    /** A message with the dialect's signed delivery headers, less the delivery id that each request sets anew. */
    private static IngestLoad.SignedWebhook signed(
            PlatformDialect dialect, StoreContext context, SimulatedStore store, WebhookMessage message) {
        Subscription subscription = new Subscription(
                "bench",
                message.topic(),
                URI.create("http://127.0.0.1/webhooks/" + store.platform()),
                store.webhookSecret(),
                true,
                Instant.now());
        String marker = "bench-delivery-" + UUID.randomUUID();
        Map<String, String> headers =
                new LinkedHashMap<>(dialect.deliveryHeaders(subscription, message, marker, Instant.now(), context));
        String deliveryIdHeader = headers.entrySet().stream()
                .filter(e -> e.getValue().equals(marker))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the " + store.platform() + " dialect's delivery headers carry no delivery id"));
        headers.remove(deliveryIdHeader);
        return new IngestLoad.SignedWebhook(message.body(), Map.copyOf(headers), deliveryIdHeader, message.topic());
    }

    /** webhook-ingest's own Kafka producer settings for the raw topic (its application.properties). */
    static Map<String, String> ingestProducerProps() throws IOException {
        Properties p = new Properties();
        Path file = RepoRoot.find().resolve("webhook-ingest/src/main/resources/application.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : MIRRORED_PRODUCER_PROPS) {
            String value = p.getProperty("mp.messaging.outgoing.raw-out." + key);
            if (value != null) {
                props.put(key, value.trim());
            }
        }
        props.putIfAbsent("acks", "all");
        return props;
    }

    /** Sizes of the first records on the raw topic: what webhook-ingest stores per webhook. */
    static StoredRecords readBack(String bootstrap, int max) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, max);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(RAW_TOPIC, Duration.ofSeconds(30));
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(RAW_TOPIC, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < max && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            if (records.isEmpty()) {
                throw new IllegalStateException("no record on " + RAW_TOPIC);
            }
            List<ConsumerRecord<byte[], byte[]>> sample = records.subList(0, Math.min(max, records.size()));
            double value = sample.stream()
                    .mapToInt(ConsumerRecord::serializedValueSize)
                    .average()
                    .orElse(0);
            int min = sample.stream()
                    .mapToInt(ConsumerRecord::serializedValueSize)
                    .min()
                    .orElse(0);
            int maxValue = sample.stream()
                    .mapToInt(ConsumerRecord::serializedValueSize)
                    .max()
                    .orElse(0);
            double key = sample.stream()
                    .mapToInt(rec -> Math.max(0, rec.serializedKeySize()))
                    .average()
                    .orElse(0);
            double headers = sample.stream()
                    .mapToInt(rec -> {
                        int bytes = 0;
                        for (Header h : rec.headers()) {
                            bytes += h.key().getBytes(StandardCharsets.UTF_8).length
                                    + (h.value() == null ? 0 : h.value().length);
                        }
                        return bytes;
                    })
                    .average()
                    .orElse(0);
            return new StoredRecords(sample.size(), value, min, maxValue, key, headers, infos.size());
        }
    }

    private static void createTopic(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get();
    }

    // ---- results ----

    private void report(
            String command,
            List<IngestLoad.SignedWebhook> pool,
            StoredRecords stored,
            Map<String, String> producerProps,
            List<Run> runs,
            Map<String, Profiles.Profile> profiles,
            String perfRandom,
            String perfBodies)
            throws IOException {
        List<Integer> bodySizes = pool.stream().map(w -> w.body().length).toList();
        double meanBody = bodySizes.stream().mapToInt(i -> i).average().orElse(0);
        double limitMs = p99Limit.toNanos() / 1e6;

        Summary ingestRate = summary(runs, r -> r.closed.okPerSecond());
        Summary ingestP50 = summary(runs, r -> r.closed.percentileMs(50));
        Summary ingestP99 = summary(runs, r -> r.closed.percentileMs(99));
        Summary ingestMax = summary(runs, r -> r.closed.maxMs());
        Summary ingestFailed = summary(runs, r -> (double) r.closed.failed());
        Map<String, Map<String, Summary>> kafka = new LinkedHashMap<>();
        for (String kind : kafkaPayloads) {
            Map<String, Summary> k = new LinkedHashMap<>();
            k.put("records_per_second", summary(runs, r -> r.kafka.get(kind).recordsPerSecond()));
            k.put("mb_per_second", summary(runs, r -> r.kafka.get(kind).mbPerSecond()));
            k.put("avg_ms", summary(runs, r -> r.kafka.get(kind).avgMs()));
            k.put("p50_ms", summary(runs, r -> (double) r.kafka.get(kind).p50Ms()));
            k.put("p99_ms", summary(runs, r -> (double) r.kafka.get(kind).p99Ms()));
            k.put("max_ms", summary(runs, r -> r.kafka.get(kind).maxMs()));
            k.put(
                    "ratio",
                    summary(
                            runs,
                            r -> r.closed.okPerSecond() / r.kafka.get(kind).recordsPerSecond()));
            k.put(
                    "broker_cores",
                    summary(
                            runs,
                            r -> r.kafka.get(kind).brokerCpuSeconds()
                                    / r.kafka.get(kind).wallSeconds()));
            k.put(
                    "tool_cores",
                    summary(
                            runs,
                            r -> r.kafka.get(kind).cpuSeconds()
                                    / r.kafka.get(kind).wallSeconds()));
            kafka.put(kind, k);
        }
        Map<Integer, Map<String, Summary>> perRate = new LinkedHashMap<>();
        for (int rate : rates) {
            Map<String, Summary> m = new LinkedHashMap<>();
            Function<Run, IngestLoad.Result> at = r -> r.points.stream()
                    .filter(p -> p.rate() == rate && !p.bisection())
                    .findFirst()
                    .orElseThrow()
                    .result();
            m.put("achieved_per_second", summary(runs, r -> at.apply(r).okPerSecond()));
            m.put("p50_ms", summary(runs, r -> at.apply(r).percentileMs(50)));
            m.put("p99_ms", summary(runs, r -> at.apply(r).percentileMs(99)));
            m.put("max_ms", summary(runs, r -> at.apply(r).maxMs()));
            m.put("failed", summary(runs, r -> (double) at.apply(r).failed()));
            m.put("slot_waits", summary(runs, r -> (double) at.apply(r).slotWaits()));
            m.put(
                    "send_lag_p99_ms",
                    summary(runs, r -> at.apply(r).sendLagMicros().getValueAtPercentile(99) / 1000.0));
            m.put(
                    "ingest_cores",
                    summary(
                            runs,
                            r -> cores(r.rateCpu.get(rate).ingest(), at.apply(r).seconds())));
            m.put(
                    "broker_cores",
                    summary(
                            runs,
                            r -> cores(r.rateCpu.get(rate).broker(), at.apply(r).seconds())));
            m.put(
                    "generator_cores",
                    summary(
                            runs,
                            r -> cores(
                                    r.rateCpu.get(rate).generator(), at.apply(r).seconds())));
            perRate.put(rate, m);
        }
        long crossed = runs.stream().filter(r -> r.crossingAbove != null).count();
        Summary crossingAbove = crossed == runs.size() ? summary(runs, r -> (double) r.crossingAbove) : null;
        Summary crossingBelow = summary(runs, r -> (double) r.crossingBelow);
        int maxRate = rates.get(rates.size() - 1);
        String crossingText = crossed == 0
                ? "not reached up to " + fmt(maxRate) + "/s (p99 ≤ " + seconds(p99Limit) + " at every offered rate)"
                : crossed < runs.size()
                        ? "crossed in " + crossed + " of " + runs.size()
                                + " runs (see the runs); not in the others up to " + fmt(maxRate) + "/s"
                        : "between " + fmt(crossingBelow.median()) + "/s and " + fmt(crossingAbove.median())
                                + "/s (medians of the last rate under and the first over " + seconds(p99Limit) + ")";

        // ---- console ----
        System.out.println();
        System.out.println("Ingest benchmark — " + BenchResults.machineLine());
        System.out.printf(
                Locale.ROOT,
                "body %s bytes (mean %,.0f), stored record value %,.0f bytes, %d run(s)%n",
                sizeRange(bodySizes),
                meanBody,
                stored.meanValue(),
                runs.size());
        System.out.printf(
                Locale.ROOT, "%-44s %s%n", "webhook-ingest accepted/s (closed loop)", ingestRate.describe("%,.0f"));
        for (var e : kafka.entrySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-44s %s%n",
                    "kafka-producer-perf records/s (" + e.getKey() + ")",
                    e.getValue().get("records_per_second").describe("%,.0f"));
            System.out.printf(
                    Locale.ROOT,
                    "%-44s %s%n",
                    "  ratio ingest / kafka (" + e.getKey() + ")",
                    e.getValue().get("ratio").describe("%.3f"));
        }
        System.out.printf(
                Locale.ROOT,
                "%n%10s %12s %10s %10s %10s %8s%n",
                "offered/s",
                "achieved/s",
                "p50 ms",
                "p99 ms",
                "max ms",
                "failed");
        for (var e : perRate.entrySet()) {
            Map<String, Summary> m = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "%,10d %,12.0f %10.1f %10.1f %10.1f %,8.0f%n",
                    e.getKey(),
                    m.get("achieved_per_second").median(),
                    m.get("p50_ms").median(),
                    m.get("p99_ms").median(),
                    m.get("max_ms").median(),
                    m.get("failed").median());
        }
        System.out.println("p99 crosses " + seconds(p99Limit) + ": " + crossingText);

        // ---- JSON ----
        ObjectNode doc = BenchResults.document(NAME, command);
        ObjectNode cfg = doc.putObject("config");
        cfg.put("runs", runs.size());
        ArrayNode connectionArray = cfg.putArray("connections");
        connectionCounts.forEach(connectionArray::add);
        cfg.put("warmup_s", warmup.toMillis() / 1000.0);
        cfg.put("duration_s", duration.toMillis() / 1000.0);
        cfg.put("rate_duration_s", rateDuration.toMillis() / 1000.0);
        cfg.put("max_in_flight", maxInFlight);
        cfg.put("p99_limit_ms", limitMs);
        cfg.put("bisect_steps", bisectSteps);
        ArrayNode rateArray = cfg.putArray("rates");
        rates.forEach(rateArray::add);
        cfg.put("kafka_command_random", perfRandom);
        cfg.put("kafka_command_bodies", perfBodies);
        ObjectNode producer = cfg.putObject("producer_props");
        producerProps.forEach(producer::put);
        ObjectNode workload = doc.putObject("workload");
        workload.put("bodies", pool.size());
        workload.put("body_bytes_min", bodySizes.stream().mapToInt(i -> i).min().orElse(0));
        workload.put("body_bytes_mean", Math.round(meanBody));
        workload.put("body_bytes_max", bodySizes.stream().mapToInt(i -> i).max().orElse(0));
        workload.put("record_value_bytes_mean", Math.round(stored.meanValue()));
        workload.put("record_value_bytes_min", stored.minValue());
        workload.put("record_value_bytes_max", stored.maxValue());
        workload.put("record_key_bytes_mean", Math.round(stored.meanKey()));
        workload.put("record_header_bytes_mean", Math.round(stored.meanHeaders()));
        workload.put("raw_topic_partitions", stored.partitions());
        ObjectNode results = doc.putObject("results");
        ObjectNode ingest = results.putObject("ingest_closed_loop");
        put(ingest, "accepted_per_second", ingestRate);
        ObjectNode byConnections = ingest.putObject("by_connections");
        for (int c : connectionCounts) {
            put(byConnections, Integer.toString(c), summary(runs, r -> r.closedBy
                    .get(c)
                    .okPerSecond()));
        }
        put(ingest, "p50_ms", ingestP50);
        put(ingest, "p99_ms", ingestP99);
        put(ingest, "max_ms", ingestMax);
        put(ingest, "failed", ingestFailed);
        put(ingest, "ingest_cores", summary(runs, r -> cores(r.closedCpu.ingest(), r.closed.seconds())));
        put(ingest, "broker_cores", summary(runs, r -> cores(r.closedCpu.broker(), r.closed.seconds())));
        put(ingest, "generator_cores", summary(runs, r -> cores(r.closedCpu.generator(), r.closed.seconds())));
        ObjectNode kafkaNode = results.putObject("kafka_producer_perf");
        kafka.forEach((kind, m) -> {
            ObjectNode k = kafkaNode.putObject(kind);
            m.forEach((name, s) -> put(k, name, s));
            ArrayNode lines = k.putArray("summary_lines");
            runs.forEach(r -> lines.add(r.kafka.get(kind).summaryLine()));
        });
        ObjectNode rateNode = results.putObject("open_loop");
        perRate.forEach((rate, m) -> {
            ObjectNode n = rateNode.putObject(Integer.toString(rate));
            m.forEach((name, s) -> put(n, name, s));
        });
        ObjectNode crossing = results.putObject("p99_crossing");
        crossing.put("text", crossingText);
        crossing.put("runs_crossed", crossed);
        if (crossingAbove != null) {
            put(crossing, "first_rate_over", crossingAbove);
        }
        put(crossing, "last_rate_under", crossingBelow);
        ArrayNode runArray = results.putArray("runs");
        for (Run r : runs) {
            ObjectNode n = runArray.addObject();
            n.put("ingest_accepted_per_second", r.closed.okPerSecond());
            n.put("ingest_best_connections", r.closedConnections);
            ObjectNode failures = n.putObject("ingest_failures");
            r.closed.failures().forEach(failures::put);
            r.kafka.forEach((kind, k) -> n.put("kafka_" + kind + "_records_per_second", k.recordsPerSecond()));
            ArrayNode points = n.putArray("open_loop");
            for (RatePoint p : r.points) {
                ObjectNode pn = points.addObject();
                pn.put("offered_per_second", p.rate());
                pn.put("bisection", p.bisection());
                pn.put("achieved_per_second", p.result().okPerSecond());
                pn.put("p50_ms", p.result().percentileMs(50));
                pn.put("p99_ms", p.result().percentileMs(99));
                pn.put("max_ms", p.result().maxMs());
                pn.put("failed", p.result().failed());
                ObjectNode pf = pn.putObject("failures");
                p.result().failures().forEach(pf::put);
            }
            if (r.crossingAbove != null) {
                n.put("p99_crossing_first_over", r.crossingAbove);
            }
            n.put("p99_crossing_last_under", r.crossingBelow);
        }
        if (!profiles.isEmpty()) {
            ObjectNode prof = doc.putObject("profiles");
            profiles.forEach((module, profile) -> prof.put(module, profile.describe(15)));
        }

        // ---- charts ----
        Path dir = BenchResults.dir();
        List<Double> xs = rates.stream().map(Integer::doubleValue).toList();
        Charts.line(
                dir.resolve("ingest-latency.png"),
                "webhook-ingest response time at offered rates (open loop, medians of " + runs.size() + " runs)",
                "offered rate (webhooks/s)",
                "response time (ms, from the intended send time)",
                false,
                true,
                List.of(
                        new Charts.Series("p50", xs, series(perRate, "p50_ms")),
                        new Charts.Series("p99", xs, series(perRate, "p99_ms")),
                        new Charts.Series("max", xs, series(perRate, "max_ms")),
                        new Charts.Series(
                                "p99 limit (" + seconds(p99Limit) + ")",
                                List.of(xs.get(0), xs.get(xs.size() - 1)),
                                List.of(limitMs, limitMs))));
        List<Charts.Series> throughput = new ArrayList<>();
        throughput.add(new Charts.Series("achieved (2xx/s)", xs, series(perRate, "achieved_per_second")));
        throughput.add(new Charts.Series("offered", xs, xs));
        throughput.add(new Charts.Series(
                "closed-loop maximum",
                List.of(xs.get(0), xs.get(xs.size() - 1)),
                List.of(ingestRate.median(), ingestRate.median())));
        Charts.line(
                dir.resolve("ingest-throughput.png"),
                "webhook-ingest: achieved against offered rate (medians of " + runs.size() + " runs)",
                "offered rate (webhooks/s)",
                "webhooks/s",
                false,
                false,
                throughput);

        // ---- markdown ----
        String md = markdown(
                command,
                pool,
                bodySizes,
                meanBody,
                stored,
                producerProps,
                runs,
                ingestRate,
                ingestP50,
                ingestP99,
                ingestMax,
                kafka,
                perRate,
                crossingText,
                profiles,
                perfRandom,
                perfBodies);
        Path written = BenchResults.write(NAME, doc, md);
        System.out.println();
        System.out.println("results: " + written + " (+ .json, ingest-latency.png, ingest-throughput.png)");
    }

    private String markdown(
            String command,
            List<IngestLoad.SignedWebhook> pool,
            List<Integer> bodySizes,
            double meanBody,
            StoredRecords stored,
            Map<String, String> producerProps,
            List<Run> runs,
            Summary ingestRate,
            Summary ingestP50,
            Summary ingestP99,
            Summary ingestMax,
            Map<String, Map<String, Summary>> kafka,
            Map<Integer, Map<String, Summary>> perRate,
            String crossingText,
            Map<String, Profiles.Profile> profiles,
            String perfRandom,
            String perfBodies) {
        StringBuilder b = new StringBuilder();
        String props = producerProps.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        b.append("## Ingest: webhooks accepted per second, against Kafka's own producer\n\n");
        b.append("```bash\n").append(command).append("\n```\n\n");
        b.append("Machine: ")
                .append(BenchResults.machineLine())
                .append(". Measured ")
                .append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .append("; medians of ")
                .append(runs.size())
                .append(" run(s) on one stack, with the range of the runs in brackets.\n\n");
        b.append("**What is measured.** Signed Shopify `orders/create` webhooks sent to webhook-ingest's `POST"
                        + " /webhooks/shopify`: ")
                .append(pool.size())
                .append(" distinct orders rendered by the simulator's Shopify dialect (Shopify's published payload"
                        + " shape), bodies ")
                .append(sizeRange(bodySizes))
                .append(" bytes (mean ")
                .append(fmt(meanBody))
                .append("), each signed with the registered store's secret as Shopify does (`X-Shopify-Hmac-Sha256`,"
                        + " base64 HMAC-SHA256 of the body, plus `X-Shopify-Topic`, `-Shop-Domain`, `-API-Version`,"
                        + " `-Event-Id`, `-Triggered-At`), and a new `X-Shopify-Webhook-Id` on every request. Every"
                        + " accepted request is a verified webhook stored on `commerce.raw.v1` with acks=all before"
                        + " the 200. What the ingest stores per webhook (read back from the topic): an Avro"
                        + " `RawEnvelope` of ")
                .append(fmt(stored.meanValue()))
                .append(" bytes (")
                .append(fmt(stored.minValue()))
                .append("–")
                .append(fmt(stored.maxValue()))
                .append("), key ")
                .append(fmt(stored.meanKey()))
                .append(" bytes, headers ")
                .append(fmt(stored.meanHeaders()))
                .append(" bytes; the topic has ")
                .append(stored.partitions())
                .append(" partitions (one store: every webhook goes to one partition, keyed `platform/store`).\n\n");
        b.append("- **Accepted per second**: closed loop with ")
                .append(connectionCounts.stream().map(String::valueOf).collect(Collectors.joining(" and then ")))
                .append(" connections, each sending its next webhook when the previous one was answered, for ")
                .append(seconds(duration))
                .append(" each after a ")
                .append(seconds(warmup))
                .append(" warm-up; only 2xx answers inside the window count, and the figure is the most accepted of"
                        + " the connection counts (each handler thread of the ingest waits for Kafka's ack, so it takes"
                        + " concurrency to fill the producer's batches).\n");
        if (kafkaPayloads.isEmpty()) {
            b.append("- Kafka's own producer benchmark was not run (`--kafka-payloads none`).\n");
        } else {
            b.append("- **Kafka's own producer** (`org.apache.kafka.tools.ProducerPerformance`, i.e."
                            + " `kafka-producer-perf-test.sh`, Kafka 4.1.1) in the same run on the same broker, to a fresh topic"
                            + " with the raw topic's partition count, with webhook-ingest's producer settings (`")
                    .append(props)
                    .append(
                            "`, from webhook-ingest's application.properties). `--num-records` is sized from an unbounded"
                                    + " warm-up run of ")
                    .append(seconds(warmup))
                    .append(" so that the measured run lasts about ")
                    .append(seconds(duration))
                    .append(". Two payloads: **random** — `--record-size ")
                    .append(Math.round(stored.meanValue()))
                    .append("` (the stored record's value size; the tool fills it with random letters, which lz4 cannot"
                            + " compress: more bytes reach the broker than the ingest's compressible JSON records);"
                            + " **bodies** — `--payload-file` with the same webhook bodies (")
                    .append(fmt(meanBody))
                    .append(" bytes, as compressible as what the ingest stores, a little smaller than its envelope). No"
                            + " key and no HTTP, signature check or Avro serialization: the physical limit of this broker"
                            + " on this machine for this record size.\n");
        }
        b.append("- **Response time at fixed offered rates**: open loop — request *i* is due at *start + i/rate*"
                        + " whatever the answers do, and its response time counts from that due time (HdrHistogram), so a"
                        + " stall is not hidden by the generator waiting (coordinated omission corrected). At most ")
                .append(maxInFlight)
                .append(" requests are outstanding; time spent waiting for a free slot counts, and requests still"
                        + " waiting for one when the rate's time is over are not sent but counted as failed (\"not sent:"
                        + " max in flight\"), with the time they had waited as their response time (a lower bound)."
                        + " Each rate runs ")
                .append(seconds(rateDuration))
                .append("; \"achieved\" is 2xx answers per second from the first due time to the last answer. The"
                        + " rate where p99 crosses ")
                .append(seconds(p99Limit))
                .append(" is the lowest offered rate from which p99 stays over it at every higher rate (a lone"
                        + " spike at a lower rate, e.g. a GC pause, shows in the table but is not the crossing),"
                        + " bracketed by the sweep and then narrowed by up to ")
                .append(bisectSteps)
                .append(" bisection rate(s).\n");
        b.append(
                        "- The load generator is Vert.x's HTTP client (HTTP/1.1 keep-alive, one event-loop thread; the JDK's"
                                + " `java.net.http.HttpClient` cost about three times the CPU per request) inside the `synctl` JVM; it shares the ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores with webhook-ingest, Kafka, the registry and PostgreSQL (the last two idle here), as"
                        + " does the Kafka tool. The CPU each one used is in the tables (cores busy = CPU seconds per"
                        + " second).\n");
        b.append("- webhook-ingest runs with the full JIT (`")
                .append(String.join(" ", BenchStack.SERVICE_JVM))
                .append("`); the Kafka tool with `")
                .append(String.join(" ", IngestKafkaPerf.JVM))
                .append("`.\n\n");

        b.append("### Throughput\n\n");
        b.append("| | per second | MB/s | p50 | p99 | max | CPU (cores busy) |\n|---|---|---|---|---|---|---|\n");
        b.append("| webhook-ingest, webhooks accepted (closed loop, best of ")
                .append(connectionCounts.stream().map(String::valueOf).collect(Collectors.joining("/")))
                .append(" connections) | **")
                .append(cell(ingestRate, "%,.0f"))
                .append("** | ")
                .append(String.format(
                        Locale.ROOT,
                        "%.2f body, %.2f stored",
                        ingestRate.median() * meanBody / 1048576.0,
                        ingestRate.median() * stored.meanValue() / 1048576.0))
                .append(" | ")
                .append(cell(ingestP50, "%,.1f"))
                .append(" ms | ")
                .append(cell(ingestP99, "%,.1f"))
                .append(" ms | ")
                .append(cell(ingestMax, "%,.0f"))
                .append(" ms | ")
                .append(String.format(
                        Locale.ROOT,
                        "ingest %.2f, broker %.2f, generator %.2f",
                        Summary.of(runs.stream()
                                        .map(r -> cores(r.closedCpu.ingest(), r.closed.seconds()))
                                        .toList())
                                .median(),
                        Summary.of(runs.stream()
                                        .map(r -> cores(r.closedCpu.broker(), r.closed.seconds()))
                                        .toList())
                                .median(),
                        Summary.of(runs.stream()
                                        .map(r -> cores(r.closedCpu.generator(), r.closed.seconds()))
                                        .toList())
                                .median()))
                .append(" |\n");
        for (var e : kafka.entrySet()) {
            Map<String, Summary> k = e.getValue();
            b.append("| Kafka producer-perf, ")
                    .append(
                            e.getKey().equals("random")
                                    ? "`--record-size " + Math.round(stored.meanValue()) + "` (random letters)"
                                    : "`--payload-file` (the webhook bodies)")
                    .append(", records acked | **")
                    .append(cell(k.get("records_per_second"), "%,.0f"))
                    .append("** | ")
                    .append(cell(k.get("mb_per_second"), "%.2f"))
                    .append(" | ")
                    .append(cell(k.get("p50_ms"), "%,.0f"))
                    .append(" ms | ")
                    .append(cell(k.get("p99_ms"), "%,.0f"))
                    .append(" ms | ")
                    .append(cell(k.get("max_ms"), "%,.0f"))
                    .append(" ms | ")
                    .append(String.format(
                            Locale.ROOT,
                            "tool %.2f, broker %.2f",
                            k.get("tool_cores").median(),
                            k.get("broker_cores").median()))
                    .append(" |\n");
        }
        for (var e : kafka.entrySet()) {
            b.append("| **ratio** webhook-ingest / Kafka (")
                    .append(e.getKey())
                    .append(") | **")
                    .append(cell(e.getValue().get("ratio"), "%.3f"))
                    .append("** | | | | | |\n");
        }
        b.append("\nwebhook-ingest accepted/s by connections: ");
        b.append(connectionCounts.stream()
                .map(c -> c + " → " + cell(summary(runs, r -> r.closedBy.get(c).okPerSecond()), "%,.0f"))
                .collect(Collectors.joining("; ")));
        b.append(". Spread of the runs (max − min over the median): webhook-ingest ")
                .append(String.format(Locale.ROOT, "%.0f%%", ingestRate.spreadPercent()));
        kafka.forEach((kind, k) -> b.append(", Kafka ")
                .append(kind)
                .append(" ")
                .append(String.format(
                        Locale.ROOT, "%.0f%%", k.get("records_per_second").spreadPercent())));
        b.append(". The Kafka tool's latency is from `send()` to the ack (no HTTP); webhook-ingest's is the HTTP"
                + " response time at saturation. MB/s of the ingest: request bodies and stored record values.\n\n");

        b.append("### Response time at fixed offered rates\n\n");
        b.append("| offered/s | achieved/s | p50 ms | p99 ms | max ms | failed | CPU: ingest / broker / generator |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (var e : perRate.entrySet()) {
            Map<String, Summary> m = e.getValue();
            b.append("| ")
                    .append(fmt(e.getKey()))
                    .append(" | ")
                    .append(cell(m.get("achieved_per_second"), "%,.0f"))
                    .append(" | ")
                    .append(cell(m.get("p50_ms"), "%,.1f"))
                    .append(" | ")
                    .append(cell(m.get("p99_ms"), "%,.1f"))
                    .append(" | ")
                    .append(cell(m.get("max_ms"), "%,.1f"))
                    .append(" | ")
                    .append(cell(m.get("failed"), "%,.0f"))
                    .append(" | ")
                    .append(String.format(
                            Locale.ROOT,
                            "%.2f / %.2f / %.2f",
                            m.get("ingest_cores").median(),
                            m.get("broker_cores").median(),
                            m.get("generator_cores").median()))
                    .append(" |\n");
        }
        b.append("\n**p99 crosses ")
                .append(seconds(p99Limit))
                .append("**: ")
                .append(crossingText)
                .append(".\n\n");
        b.append("![response time against offered rate](ingest-latency.png)\n");
        b.append("![achieved against offered rate](ingest-throughput.png)\n\n");
        b.append("Above the ingest's capacity an open loop cannot be served: the backlog (and the response time,"
                + " counted from each request's due time) grows for as long as the rate lasts, then requests wait for"
                + " one of the in-flight slots and those still waiting at the end are counted as not sent, so p99 and"
                + " max there depend on `--rate-duration` and `--max-in-flight`.\n\n");

        b.append("### Runs\n\n");
        b.append("| run | ingest accepted/s |");
        kafka.keySet().forEach(kind -> b.append(" Kafka ").append(kind).append(" records/s |"));
        b.append(" p99 crossing | ingest failures |\n|---|---|");
        kafka.keySet().forEach(kind -> b.append("---|"));
        b.append("---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            b.append("| ")
                    .append(i + 1)
                    .append(" | ")
                    .append(fmt(r.closed.okPerSecond()))
                    .append(" |");
            kafka.keySet().forEach(kind -> b.append(" ")
                    .append(fmt(r.kafka.get(kind).recordsPerSecond()))
                    .append(" |"));
            b.append(" ")
                    .append(
                            r.crossingAbove == null
                                    ? "not reached"
                                    : fmt(r.crossingBelow) + "–" + fmt(r.crossingAbove) + "/s")
                    .append(" | ")
                    .append(
                            r.closed.failures().isEmpty()
                                    ? "none"
                                    : r.closed.failures().toString())
                    .append(" |\n");
        }
        b.append("\nBisection rates per run are in ingest.json (`results.runs[].open_loop`, `bisection: true`).\n");
        if (!kafkaPayloads.isEmpty()) {
            b.append("Kafka tool, as run:\n\n```\n");
            if (kafkaPayloads.contains("random")) {
                b.append(perfRandom).append("\n");
            }
            if (kafkaPayloads.contains("bodies")) {
                b.append(perfBodies).append("\n");
            }
            b.append("```\n");
        }
        if (!profiles.isEmpty()) {
            b.append("\n### Where webhook-ingest's CPU went (JFR, whole benchmark)\n\n");
            profiles.forEach((module, profile) ->
                    b.append("```\n").append(profile.describe(15)).append("```\n"));
        }
        return b.toString();
    }

    // ---- helpers ----

    private static Summary summary(List<Run> runs, Function<Run, Double> figure) {
        return Summary.of(runs.stream().map(figure).toList());
    }

    private static List<Double> series(Map<Integer, Map<String, Summary>> perRate, String figure) {
        return perRate.values().stream().map(m -> m.get(figure).median()).toList();
    }

    private static void put(ObjectNode node, String name, Summary s) {
        ObjectNode n = node.putObject(name);
        n.put("median", s.median());
        n.put("min", s.min());
        n.put("max", s.max());
        n.put("spread_percent", s.spreadPercent());
        ArrayNode values = n.putArray("runs");
        s.runs().forEach(values::add);
    }

    /** {@code median (min–max)}, or the median alone for one run. */
    private static String cell(Summary s, String format) {
        String median = String.format(Locale.ROOT, format, s.median());
        if (s.runs().size() == 1) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, format, s.min()) + "–"
                + String.format(Locale.ROOT, format, s.max()) + ")";
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String sizeRange(List<Integer> sizes) {
        int min = sizes.stream().mapToInt(i -> i).min().orElse(0);
        int max = sizes.stream().mapToInt(i -> i).max().orElse(0);
        return min == max ? fmt(min) : fmt(min) + "–" + fmt(max);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private void progress(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
