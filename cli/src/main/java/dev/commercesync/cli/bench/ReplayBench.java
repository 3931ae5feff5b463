package dev.commercesync.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.commercesync.cli.ReplayCommand;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.simulator.FaultProfile;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Issue 7, figure 4: raw events re-normalized per second by {@code synctl replay} over 1M retained raw events. Fills
 * {@code commerce.raw.v1} once with simulator payloads (Shopify, WooCommerce, BigCommerce webhooks and the
 * BigCommerce hydrations the poller would write), then per run replays all of them three times through {@link
 * ReplayCommand} itself, in this JVM: into empty canonical topics, as a dry run, and again over the events the first
 * pass wrote (the production case: the canonical topics hold the events of the retained raw records).
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Raw events re-normalized per second by 'synctl replay' (run in this JVM, the command itself) over"
                    + " --events retained raw events on a private stack.",
            "Fills commerce.raw.v1 once with simulator payloads (Shopify, WooCommerce, BigCommerce), then per run:"
                    + " replay into empty canonical topics, --dry-run, and replay over the existing canonical events."
        })
public final class ReplayBench implements Callable<Integer> {
    private static final String NAME = "replay";
    private static final List<String> PLATFORMS = List.of("shopify", "woocommerce", "bigcommerce");
    private static final Pattern SUMMARY = Pattern.compile(
            "(?:Replay done|Dry run): read (\\d+), (?:produced|would produce) (\\d+) \\(changed (\\d+), new (\\d+)\\),"
                    + " unchanged (\\d+), quarantined (\\d+), thin skipped (\\d+), undecodable (\\d+)");
    private static final Pattern PROGRESS =
            Pattern.compile("\\s*\\.\\.\\. (\\d+) raw records scanned, (\\d+) replayed");

    @Mixin
    BenchOptions options;

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "Raw events retained on commerce.raw.v1 and replayed (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--pool",
            defaultValue = "12000",
            description = "Distinct simulator payloads the events cycle through, each cycle as other stores so every"
                    + " event is distinct (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--no-dry-run", description = "Skip the --dry-run pass.")
    boolean noDryRun;

    @Option(
            names = "--new-only",
            description =
                    "Only the first pass (canonical topics empty). The comparing passes hold every existing"
                            + " canonical event in memory: at 1M events they need more than the default heap (bench/README.md).")
    boolean newOnly;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** One measured replay pass. */
    enum PassKind {
        EMPTY("replay, canonical topics empty", false),
        DRY_RUN("replay --dry-run, canonical events exist", true),
        EXISTING("replay, canonical events exist", false);

        final String label;
        final boolean dryRun;

        PassKind(String label, boolean dryRun) {
            this.label = label;
            this.dryRun = dryRun;
        }
    }

    /** What one pass printed and took. */
    record Pass(
            PassKind kind,
            double seconds,
            int exitCode,
            Map<String, Long> counts,
            long quarantineLines,
            long diffLines,
            double peakHeapMib,
            List<double[]> progress) {
        double rawPerSecond(long events) {
            return events / seconds;
        }

        double producedPerSecond() {
            return counts.getOrDefault("produced", 0L) / seconds;
        }
    }

    private final Map<String, Long> poolMix = new TreeMap<>();

    @Override
    public Integer call() throws Exception {
        if (events < 1 || poolSize < 30 || options.runs < 1) {
            System.err.println("--events must be at least 1, --pool at least 30, --runs at least 1");
            return 2;
        }
        say(
                "Replay benchmark: %,d retained raw events (pool of %,d simulator payloads), %d run(s)%s",
                events, poolSize, options.runs, options.profile ? ", profiled" : "");
        say("JVM: %s", jvmArguments());
        ObjectNode doc = BenchResults.document(NAME, command());
        List<Pass> passes = new ArrayList<>();
        Map<String, Double> fill;
        long diskBytes;
        Profiles.Profile profile = null;
        try (BenchStack stack = BenchStack.start(NAME, List.of(), Map.of(), false, this::say)) {
            Endpoints endpoints = stack.endpoints();
            TopicNames topics = TopicNames.standard();
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap()))) {
                createTopics(admin, topics);
                List<Template> pool = generatePool();
                Instant from = Instant.now().minusSeconds(60);
                fill = fill(endpoints, topics, pool);
                diskBytes = bytesOnDisk(admin, topics.raw());
                say(
                        "Raw topic on disk: %.1f MiB (lz4 batches, %.0f bytes per event)",
                        diskBytes / 1048576.0, (double) diskBytes / events);
                Recording recording = null;
                if (options.profile) {
                    recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.setName("synctl-replay");
                    recording.start();
                }
                for (int run = 1; run <= options.runs; run++) {
                    clearOutputs(admin, topics);
                    for (PassKind kind : PassKind.values()) {
                        if ((kind == PassKind.DRY_RUN && noDryRun) || (newOnly && kind != PassKind.values()[0])) {
                            continue;
                        }
                        say("Run %d/%d: %s ...", run, options.runs, kind.label);
                        Pass pass = replay(kind, from, endpoints);
                        passes.add(pass);
                        say(
                                "Run %d/%d: %s: %,.0f raw events/s, %,.0f canonical events %s/s, %.1f s, %s",
                                run,
                                options.runs,
                                kind.label,
                                pass.rawPerSecond(events),
                                pass.producedPerSecond(),
                                kind.dryRun ? "compared" : "produced",
                                pass.seconds(),
                                pass.counts());
                    }
                }
                if (recording != null) {
                    recording.stop();
                    Path jfr = stack.profileFile("synctl");
                    Files.createDirectories(jfr.getParent());
                    recording.dump(jfr);
                    recording.close();
                    profile = Profiles.summarize(jfr);
                }
            }
        }
        report(doc, passes, fill, diskBytes, profile);
        return 0;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Topics

    /** The normalizer's topics as its TopicProvisioner creates them (3 partitions, raw and quarantine kept 30 days). */
    private void createTopics(Admin admin, TopicNames topics) throws Exception {
        List<NewTopic> all = new ArrayList<>();
        all.add(new NewTopic(topics.raw(), 3, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS)));
        all.addAll(outputTopics(topics));
        admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
    }

    private static final String THIRTY_DAYS = Long.toString(Duration.ofDays(30).toMillis());

    private static List<NewTopic> outputTopics(TopicNames topics) {
        List<NewTopic> all = new ArrayList<>();
        for (String topic : topics.outputs()) {
            NewTopic t = new NewTopic(topic, 3, (short) 1);
            if (topic.equals(topics.quarantine())) {
                t.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS));
            }
            all.add(t);
        }
        return all;
    }

    /**
     * Empties the canonical, quarantine and fetch-request topics before a run by deleting and re-creating them. (An
     * earlier version emptied them with {@code deleteRecords}; on one run the broker then failed a request with "a
     * fault occurred in a recent unsafe memory access operation", not diagnosed.)
     */
    private void clearOutputs(Admin admin, TopicNames topics) throws Exception {
        Set<String> outputs = Set.copyOf(topics.outputs());
        admin.deleteTopics(outputs).all().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (admin.listTopics().names().get(60, TimeUnit.SECONDS).stream().anyMatch(outputs::contains)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the output topics were not deleted within 60 s");
            }
            Thread.sleep(200);
        }
        admin.createTopics(outputTopics(topics)).all().get(60, TimeUnit.SECONDS);
    }

    private static long bytesOnDisk(Admin admin, String topic) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).stream()
                .map(n -> n.id())
                .toList();
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers)
                .allDescriptions()
                .get(60, TimeUnit.SECONDS)
                .values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica :
                        dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().equals(topic)) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Payload pool

    /** A raw envelope as the ingest or the poller built it, and the header names that carry its store. */
    record Template(RawEnvelope envelope, List<String> storeHeaders) {}

    /**
     * Distinct raw envelopes from simulated stores, one per platform, without faults: their signed webhooks as the
     * ingest stores them ({@link RawEnvelopes#fromWebhook}) and, for BigCommerce's thin webhooks, the entity the
     * poller fetches ({@link RawEnvelopes#fromApi}, source POLL), in the order they happened.
     */
    private List<Template> generatePool() throws Exception {
        long t0 = System.nanoTime();
        say("Generating %,d distinct payloads with the simulator (Shopify, WooCommerce, BigCommerce) ...", poolSize);
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        Normalization normalization = new Normalization(registry);
        List<WebhookRequest> received = new CopyOnWriteArrayList<>();
        Map<WebhookRequest, String> platformOf = new java.util.concurrent.ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/webhooks/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            WebhookRequest request = new WebhookRequest(headers, body);
            String path = exchange.getRequestURI().getPath();
            platformOf.put(request, path.substring(path.lastIndexOf('/') + 1));
            received.add(request);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        List<Template> pool = new ArrayList<>();
        java.util.concurrent.ExecutorService fetchers = Executors.newFixedThreadPool(4);
        try (Simulator simulator = Simulator.start(0)) {
            Map<String, SimulatedStore> stores = new LinkedHashMap<>();
            Map<String, PlatformApiClient> clients = new HashMap<>();
            for (int i = 0; i < PLATFORMS.size(); i++) {
                String platform = PLATFORMS.get(i);
                SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, platform + "-replay")
                        .seed(seed + i)
                        .faults(FaultProfile.none())
                        .catalog(300, 200)
                        .rateLimits(false)
                        .deliveryThreads(4)
                        .build());
                store.subscribeAll(
                        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/" + platform));
                stores.put(platform, store);
                clients.put(platform, registry.get(platform).apiClient(store.apiConnection()));
            }
            int taken = 0;
            java.util.Set<String> polledEventIds = new java.util.HashSet<>();
            double deliverySeconds = 0;
            double fetchSeconds = 0;
            while (pool.size() < poolSize) {
                long round = System.nanoTime();
                for (SimulatedStore store : stores.values()) {
                    store.step(Math.max(20, Math.min(300, (poolSize - pool.size()) / 4)));
                }
                for (SimulatedStore store : stores.values()) {
                    if (!store.awaitDeliveries(Duration.ofSeconds(120))) {
                        throw new IllegalStateException("simulated webhooks were not delivered in time");
                    }
                }
                deliverySeconds += seconds(round);
                long converting = System.nanoTime();
                List<WebhookRequest> batch = List.copyOf(received.subList(taken, received.size()));
                taken += batch.size();
                List<RawEnvelope> webhooks = new ArrayList<>();
                List<java.util.concurrent.Future<List<RawEnvelope>>> hydrations = new ArrayList<>();
                for (WebhookRequest request : batch) {
                    String platform = platformOf.get(request);
                    RawEnvelope envelope = RawEnvelopes.fromWebhook(registry.get(platform), request, Instant.now());
                    webhooks.add(envelope);
                    NormalizationOutcome outcome = normalization.normalize(envelope);
                    hydrations.add(
                            outcome instanceof NormalizationOutcome.FetchNeeded fetch
                                    ? fetchers.submit(() -> hydrate(clients.get(platform), fetch))
                                    : java.util.concurrent.CompletableFuture.completedFuture(List.of()));
                }
                for (int i = 0; i < webhooks.size(); i++) {
                    pool.add(template(webhooks.get(i)));
                    mix(webhooks.get(i));
                    for (RawEnvelope polled : hydrations.get(i).get()) {
                        // The poller coalesces fetches of one entity and the normalizer drops a re-read of the same
                        // version: keep one polled record per event id.
                        if (normalization.normalize(polled) instanceof NormalizationOutcome.Events e
                                && polledEventIds.add(dev.commercesync.schemas.content.CanonicalEvents.metadata(
                                                e.canonicalEvents().get(0))
                                        .getEventId())) {
                            pool.add(template(polled));
                            mix(polled);
                        }
                    }
                }
                fetchSeconds += seconds(converting);
                say(
                        "  %,d payloads (webhooks delivered in %.1f s, enveloped and hydrated in %.1f s so far)",
                        pool.size(), deliverySeconds, fetchSeconds);
            }
        } finally {
            receiver.stop(0);
            ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
            fetchers.shutdownNow();
        }
        List<Template> trimmed = List.copyOf(pool.subList(0, poolSize));
        double avgBody = trimmed.stream()
                        .mapToLong(t -> t.envelope().getBody().remaining())
                        .sum()
                / (double) trimmed.size();
        say(
                "Pool ready in %.1f s: %,d payloads, mean body %,.0f bytes; mix %s",
                seconds(t0), trimmed.size(), avgBody, poolMix);
        return trimmed;
    }

    /** The entities a thin webhook names, read through the platform's API as the poller reads them. */
    private static List<RawEnvelope> hydrate(PlatformApiClient client, NormalizationOutcome.FetchNeeded fetch)
            throws Exception {
        List<RawEnvelope> polled = new ArrayList<>();
        for (String id : fetch.entityIds()) {
            var entity =
                    client.getById(fetch.entityType(), id, fetch.parentId()).value();
            if (entity.isPresent()) {
                polled.add(RawEnvelopes.fromApi(
                        fetch.platform(),
                        fetch.store(),
                        fetch.entityType(),
                        entity.get(),
                        EventSource.POLL,
                        Instant.now(),
                        UUID.randomUUID().toString()));
            }
        }
        return polled;
    }

    private void mix(RawEnvelope envelope) {
        poolMix.merge(envelope.getPlatform() + " " + envelope.getEventType(), 1L, Long::sum);
    }

    private static Template template(RawEnvelope envelope) {
        List<String> storeHeaders = new ArrayList<>();
        envelope.getHeaders().forEach((name, value) -> {
            if (value != null && value.contains(envelope.getStore())) {
                storeHeaders.add(name);
            }
        });
        return new Template(envelope, storeHeaders);
    }

    /**
     * The pool entry as delivered by another store (cycle 0: the original): same payload, the store renamed (which
     * makes its dedup key and event id distinct), a fresh envelope id, delivery id and receive time.
     */
    static RawEnvelope variant(Template template, long cycle) {
        RawEnvelope original = template.envelope();
        RawEnvelope.Builder b = RawEnvelope.newBuilder(original)
                .setEnvelopeId(UUID.randomUUID().toString())
                .setReceivedAt(Instant.now())
                .setBody(original.getBody().duplicate());
        if (cycle > 0) {
            String store = storeVariant(original.getStore(), cycle);
            b.setStore(store);
            if (!template.storeHeaders().isEmpty()) {
                Map<String, String> headers = new LinkedHashMap<>(original.getHeaders());
                for (String name : template.storeHeaders()) {
                    headers.put(name, headers.get(name).replace(original.getStore(), store));
                }
                b.setHeaders(headers);
            }
            if (original.getDeliveryId() != null) {
                b.setDeliveryId(original.getDeliveryId() + "-" + cycle);
            }
        }
        return b.build();
    }

    static String storeVariant(String store, long cycle) {
        String tag = String.format(Locale.ROOT, "%04d", cycle);
        int shopify = store.indexOf(".myshopify.com");
        return shopify > 0 ? store.substring(0, shopify) + "-" + tag + store.substring(shopify) : store + "-" + tag;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Fill

    /** Produces {@code events} raw envelopes as the ingest does (Apicurio Avro serde, acks=all, idempotent, lz4). */
    private Map<String, Double> fill(Endpoints endpoints, TopicNames topics, List<Template> pool) throws Exception {
        say("Filling %s with %,d raw events ...", topics.raw(), events);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        AtomicLong serializedBytes = new AtomicLong();
        Serializer<SpecificRecord> avro = AvroSerdes.valueSerializer(endpoints.registryApiUrl());
        Serializer<SpecificRecord> counting = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, SpecificRecord data) {
                return count(avro.serialize(topic, data));
            }

            @Override
            public byte[] serialize(String topic, Headers headers, SpecificRecord data) {
                return count(avro.serialize(topic, headers, data));
            }

            private byte[] count(byte[] bytes) {
                serializedBytes.addAndGet(bytes.length);
                return bytes;
            }
        };
        AtomicReference<Exception> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        long lastPrint = t0;
        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(config, new StringSerializer(), counting)) {
            for (long i = 0; i < events; i++) {
                Template template = pool.get((int) (i % pool.size()));
                RawEnvelope envelope = variant(template, i / pool.size());
                producer.send(
                        new ProducerRecord<>(
                                topics.raw(),
                                PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore()),
                                envelope),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                if (failure.get() != null) {
                    throw new IllegalStateException("filling the raw topic failed", failure.get());
                }
                long now = System.nanoTime();
                if (now - lastPrint > 2_000_000_000L) {
                    say(
                            "  filled %,d/%,d (%,.0f events/s, %,.0f MiB serialized)",
                            i + 1, events, (i + 1) / seconds(t0), serializedBytes.get() / 1048576.0);
                    lastPrint = now;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling the raw topic failed", failure.get());
        }
        double s = seconds(t0);
        say(
                "Filled %,d raw events in %.1f s: %,.0f events/s, %,.1f MiB/s serialized (%,.0f bytes per event)",
                events, s, events / s, serializedBytes.get() / 1048576.0 / s, serializedBytes.get() / (double) events);
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("seconds", s);
        result.put("events_per_s", events / s);
        result.put("serialized_bytes", (double) serializedBytes.get());
        result.put("serialized_mib_per_s", serializedBytes.get() / 1048576.0 / s);
        return result;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Replay

    /** Runs {@code synctl replay} itself (picocli, this JVM) over the whole raw topic and reads what it printed. */
    private Pass replay(PassKind kind, Instant from, Endpoints endpoints) {
        List<String> args = new ArrayList<>(List.of(
                "--from",
                from.toString(),
                "--bootstrap",
                endpoints.kafkaBootstrap(),
                "--registry",
                endpoints.registryUrl()));
        if (kind.dryRun) {
            args.add("--dry-run");
        }
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        Output output = new Output(t0);
        CommandLine command = new CommandLine(new ReplayCommand());
        command.setOut(new PrintWriter(output, true));
        command.setErr(new PrintWriter(output, true));
        int exit = command.execute(args.toArray(String[]::new));
        double s = seconds(t0);
        output.flushLine();
        double peakHeap =
                heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
        if (output.counts == null) {
            throw new IllegalStateException("synctl replay printed no summary (exit " + exit + ")");
        }
        if (exit != 0 && exit != 1) {
            throw new IllegalStateException("synctl replay failed with exit code " + exit);
        }
        long accounted = output.counts.get("read") + output.counts.get("thin") + output.counts.get("undecodable");
        if (accounted != events) {
            say("  note: %,d raw records accounted for (read + thin + undecodable), %,d retained", accounted, events);
        }
        return new Pass(
                kind, s, exit, output.counts, output.quarantineLines, output.diffLines, peakHeap, output.progress);
    }

    /** Receives what the replay command prints: forwards progress and summary, counts per-event lines. */
    private final class Output extends Writer {
        private final long t0;
        private final StringBuilder line = new StringBuilder();
        final List<double[]> progress = new ArrayList<>();
        Map<String, Long> counts;
        long quarantineLines;
        long diffLines;

        Output(long t0) {
            this.t0 = t0;
            progress.add(new double[] {0, 0});
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    flushLine();
                } else if (c != '\r') {
                    line.append(c);
                }
            }
        }

        void flushLine() {
            if (line.length() == 0) {
                return;
            }
            String text = line.toString();
            line.setLength(0);
            Matcher m = PROGRESS.matcher(text);
            if (m.matches()) {
                double t = seconds(t0);
                long scanned = Long.parseLong(m.group(1));
                progress.add(new double[] {t, scanned});
                say(
                        "    %5.0f s  %,d raw records scanned (%,.0f/s so far), %s events replayed",
                        t, scanned, scanned / t, String.format(Locale.ROOT, "%,d", Long.parseLong(m.group(2))));
                return;
            }
            Matcher s = SUMMARY.matcher(text);
            if (s.find()) {
                Map<String, Long> c = new LinkedHashMap<>();
                String[] names = {
                    "read", "produced", "changed", "new", "unchanged", "quarantined", "thin", "undecodable"
                };
                for (int g = 0; g < names.length; g++) {
                    c.put(names[g], Long.parseLong(s.group(g + 1)));
                }
                counts = c;
                progress.add(new double[] {seconds(t0), events});
                say("    %s", text);
                return;
            }
            if (text.startsWith("!")) {
                if (quarantineLines++ < 5) {
                    say("    %s", text);
                }
                return;
            }
            if (text.startsWith("+") || text.startsWith("~") || text.startsWith("    ")) {
                if (diffLines++ < 12) {
                    say("    %s", text);
                }
                return;
            }
            say("    %s", text);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Report

    private void report(
            ObjectNode doc, List<Pass> passes, Map<String, Double> fill, long diskBytes, Profiles.Profile profile)
            throws IOException {
        ObjectNode parameters = doc.putObject("parameters");
        parameters.put("events", events);
        parameters.put("pool", poolSize);
        parameters.put("runs", options.runs);
        parameters.put("dry_run_pass", !noDryRun);
        parameters.put("seed", seed);
        parameters.put("synctl_jvm", jvmArguments());
        ObjectNode mixNode = doc.putObject("pool_mix");
        poolMix.forEach(mixNode::put);
        ObjectNode fillNode = doc.putObject("fill");
        fill.forEach(fillNode::put);
        fillNode.put("bytes_on_disk", diskBytes);

        StringBuilder table = new StringBuilder();
        table.append("| pass | raw events/s | canonical events produced/s | wall time | peak old gen | read | produced"
                + " | changed | new | unchanged | quarantined | thin skipped |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Replay of %,d retained raw events, medians of %d run(s) (range, spread):%n",
                events,
                options.runs);
        ArrayNode results = doc.putArray("passes");
        List<Charts.Series> chart = new ArrayList<>();
        for (PassKind kind : PassKind.values()) {
            List<Pass> of = passes.stream().filter(p -> p.kind() == kind).toList();
            if (of.isEmpty()) {
                continue;
            }
            Summary raw =
                    Summary.of(of.stream().map(p -> p.rawPerSecond(events)).toList());
            Summary produced =
                    Summary.of(of.stream().map(Pass::producedPerSecond).toList());
            Summary wall = Summary.of(of.stream().map(Pass::seconds).toList());
            Summary heap = Summary.of(of.stream().map(Pass::peakHeapMib).toList());
            Pass last = of.get(of.size() - 1);
            Map<String, Long> c = last.counts();
            ObjectNode node = results.addObject();
            node.put("pass", kind.name().toLowerCase(Locale.ROOT));
            node.put("label", kind.label);
            node.set("raw_events_per_s", summary(raw));
            node.set(
                    kind.dryRun ? "canonical_events_compared_per_s" : "canonical_events_produced_per_s",
                    summary(produced));
            node.set("wall_seconds", summary(wall));
            node.set("peak_heap_mib", summary(heap));
            ObjectNode countsNode = node.putObject("counts_last_run");
            c.forEach(countsNode::put);
            node.put("dry_run_diff_lines_last_run", last.diffLines());
            System.out.printf(Locale.ROOT, "  %-42s %s raw events/s%n", kind.label, raw.describe("%,.0f"));
            System.out.printf(
                    Locale.ROOT,
                    "  %-42s %s canonical events %s/s, wall %s s, peak old gen %s MiB%n",
                    "",
                    produced.describe("%,.0f"),
                    kind.dryRun ? "compared" : "produced",
                    wall.describe("%.1f"),
                    heap.describe("%,.0f"));
            System.out.printf(Locale.ROOT, "  %-42s %s%n", "", c);
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | **%s** | %s | %s s | %s MiB | %,d | %,d | %,d | %,d | %,d | %,d | %,d |\n",
                    kind.label + (kind.dryRun ? " (compared, not produced)" : ""),
                    raw.describe("%,.0f"),
                    produced.describe("%,.0f"),
                    wall.describe("%.1f"),
                    heap.describe("%,.0f"),
                    c.get("read"),
                    c.get("produced"),
                    c.get("changed"),
                    c.get("new"),
                    c.get("unchanged"),
                    c.get("quarantined"),
                    c.get("thin")));
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<double[]> samples = last.progress();
            for (int i = 1; i < samples.size(); i++) {
                double dt = samples.get(i)[0] - samples.get(i - 1)[0];
                if (dt > 0.2) {
                    x.add(samples.get(i)[0]);
                    y.add((samples.get(i)[1] - samples.get(i - 1)[1]) / dt);
                }
            }
            chart.add(new Charts.Series(kind.label, x, y));
        }
        System.out.printf(
                Locale.ROOT,
                "  fill: %,.0f raw events/s (%,.1f MiB/s serialized), %,.1f MiB on disk%n",
                fill.get("events_per_s"),
                fill.get("serialized_mib_per_s"),
                diskBytes / 1048576.0);
        Path png = BenchResults.dir().resolve("replay-rate.png");
        Charts.line(
                png,
                "synctl replay: raw events re-normalized per second during the last run ("
                        + String.format(Locale.ROOT, "%,d", events) + " events)",
                "seconds since the pass started",
                "raw events/s (2 s intervals)",
                false,
                false,
                chart);
        doc.put("chart", "replay-rate.png");
        String profileText = null;
        if (profile != null) {
            profileText = profile.describe(15);
            System.out.println();
            System.out.println("Profile of the synctl JVM during the replay passes (JFR, all runs):");
            System.out.print(profileText);
            ObjectNode p = doc.putObject("profile");
            p.put("samples", profile.samples());
            ObjectNode comps = p.putObject("components");
            profile.components().forEach((k, v) -> comps.put(k, Math.round(1000.0 * v / profile.samples()) / 10.0));
            ObjectNode hot = p.putObject("hot_methods");
            profile.hotMethods().entrySet().stream()
                    .limit(25)
                    .forEach(e -> hot.put(e.getKey(), Math.round(1000.0 * e.getValue() / profile.samples()) / 10.0));
        }
        Path md = BenchResults.write(NAME, doc, markdown(table.toString(), fill, diskBytes, profileText));
        System.out.println();
        System.out.println("Results: " + md + ", " + md.resolveSibling("replay.json") + ", " + png);
    }

    private String markdown(String table, Map<String, Double> fill, long diskBytes, String profileText) {
        StringBuilder md = new StringBuilder();
        md.append("## Replay: raw events re-normalized per second\n\n");
        md.append(String.format(
                Locale.ROOT,
                "`synctl replay` re-normalizes the raw records retained on `commerce.raw.v1` with this build's mapping"
                        + " code and republishes the canonical events. Measured over **%,d retained raw events**, with"
                        + " the command itself (`ReplayCommand` through picocli, in the benchmark's JVM — the same"
                        + " code path as `./synctl replay --from …`), against a private single-node Kafka and registry"
                        + " on this machine.\n\n",
                events));
        md.append("```bash\n").append(command()).append("\n```\n\n");
        md.append("Machine: ")
                .append(BenchResults.machineLine())
                .append(". JVM of the replay: `")
                .append(jvmArguments())
                .append("`")
                .append(
                        jvmArguments().contains("TieredStopAtLevel=1")
                                ? " (`./synctl` starts its JVM with C1 only, for quick start-up: the replay runs with it)."
                                : ".")
                .append("\n\n");
        md.append(String.format(
                Locale.ROOT,
                "Medians of %d run(s); in brackets the range and the spread ((max − min) / median). Each run empties"
                        + " the canonical topics (deletes and re-creates them), then replays all retained raw events three times:\n\n",
                options.runs));
        md.append("1. **canonical topics empty**: every event is new (a first replay, or canonical topics kept shorter"
                + " than the raw topic);\n");
        md.append("2. **--dry-run, canonical events exist**: normalize and compare with the events pass 1 wrote,"
                + " publish nothing;\n");
        md.append("3. **canonical events exist**: the production case — the canonical topics hold the events of the"
                + " retained raw records, each one is compared (by a content fingerprint per event id) and republished;"
                + " this is the headline figure.\n\n");
        if (newOnly) {
            md.append("This run measured pass 1 only (`--new-only`).\n\n");
        }
        md.append("Raw events/s is the retained raw records divided by the command's wall time (connecting, reading"
                + " the raw topic, reading the canonical topics since `--from` (a fingerprint and position per event id),"
                + " normalizing, comparing, producing with acks=all and the final flush). Peak old gen is the peak of the"
                + " old-generation heap pool during the pass: it grows with what the replay keeps (a 64-bit fingerprint"
                + " and a position per canonical event id since `--from`, not the events) plus garbage not collected yet, so it is an upper"
                + " bound of what the replay needs.\n\n");
        md.append(table).append('\n');
        md.append(String.format(
                Locale.ROOT,
                "Fill (not part of the figure): %,d raw events produced at %,.0f events/s (%,.1f MiB/s serialized,"
                        + " %,.0f bytes per event as Avro), %,.1f MiB on disk with lz4 (the ingest's compression).\n\n",
                events,
                fill.get("events_per_s"),
                fill.get("serialized_mib_per_s"),
                fill.get("serialized_bytes") / events,
                diskBytes / 1048576.0));
        md.append("![replay rate](replay-rate.png)\n\n");
        md.append("Assumptions:\n\n");
        md.append(String.format(
                Locale.ROOT,
                "- The raw events are %,d distinct simulator payloads (one Shopify, one WooCommerce and one BigCommerce"
                        + " store, no faults) cycled %,d times; each cycle is delivered as other stores (store renamed,"
                        + " new envelope and delivery ids), so every raw event has its own dedup key and event id:"
                        + " nothing is a duplicate, and the replay maps and compares every one. The envelopes are built"
                        + " with `RawEnvelopes.fromWebhook` / `fromApi` as webhook-ingest and the poller build them.\n",
                poolSize,
                (events + poolSize - 1) / poolSize));
        md.append("- BigCommerce webhooks are thin: replay classifies and skips them (\"thin skipped\"); their"
                + " entities are on the raw topic as the poller's hydration records (source POLL), which replay"
                + " maps. No other polled records (gap-fill polling) are included.\n");
        md.append("- Pool mix (platform, event type → payloads): ")
                .append(poolMix)
                .append(".\n");
        md.append("- Kafka, the registry and the replay share the 2 cores; the raw topic has 3 partitions (the"
                + " normalizer's default) and replay reads it with one consumer.\n");
        if (profileText != null) {
            md.append("\nProfile of the replaying JVM (JFR execution samples over all passes):\n\n```\n")
                    .append(profileText)
                    .append("```\n");
        }
        return md.toString();
    }

    private static ObjectNode summary(Summary s) {
        ObjectNode node = BenchResults.json().createObjectNode();
        node.put("median", s.median());
        node.put("min", s.min());
        node.put("max", s.max());
        node.put("spread_percent", s.spreadPercent());
        ArrayNode runs = node.putArray("runs");
        s.runs().forEach(runs::add);
        return node;
    }

    private String command() {
        StringBuilder c = new StringBuilder("./synctl bench replay");
        if (events != 1_000_000) {
            c.append(" --events ").append(events);
        }
        if (poolSize != 12000) {
            c.append(" --pool ").append(poolSize);
        }
        if (options.runs != 3) {
            c.append(" --runs ").append(options.runs);
        }
        if (noDryRun) {
            c.append(" --no-dry-run");
        }
        if (newOnly) {
            c.append(" --new-only");
        }
        if (seed != 42) {
            c.append(" --seed ").append(seed);
        }
        if (options.profile) {
            c.append(" --profile");
        }
        return c.toString();
    }

    private static String jvmArguments() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-D") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
                .toList();
        long maxHeap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return (args.isEmpty() ? "(no options)" : String.join(" ", args)) + ", max heap " + maxHeap + " MiB";
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
