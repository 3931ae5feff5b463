package dev.commercesync.bench;

import dev.commercesync.devstack.ServiceNode;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.simulator.FaultProfile;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.webhooks.DeliveryListener;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One sustained run of the end-to-end benchmark: fresh simulated stores send webhooks to the ingest at a steady rate;
 * every delivery's send time (the simulator's {@link DeliveryListener}) is matched with the commit time of the same
 * entity version in the target, which comes from the sync-writer's bookkeeping (see {@link #commitTimes}) and the
 * applied stream ({@code commerce.applied.v1}, which names the entity version of each applied event).
 */
final class EndToEndRun {
    static final String APPLIED_TOPIC = CommerceTopic.APPLIED.topicName();
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    record Settings(
            double rate,
            Duration duration,
            Duration drainTimeout,
            List<String> platforms,
            int stores,
            int deliveryThreads,
            boolean rateLimits,
            long seed,
            Map<String, Double> webhooksPerChange) {}

    /** One delivered webhook: which entity version, when it was (first) sent, how long the ingest took to answer. */
    record Sent(String key, String entity, long updatedAtMs, long sentMicros, long queuedNanos, long responseNanos) {}

    /** A live sample, every {@link #SAMPLE_EVERY}. */
    record Sample(double seconds, long sent, Map<String, Long> consumerLag, Map<String, Double> rssMib) {}

    /** What a run measured. Times in ms unless named otherwise. */
    static final class Result {
        String label;
        double offered;
        double durationSeconds;
        long changes;
        long delivered;
        long failedAttempts;
        double sentPerSecond;
        double eventsCommittedPerSecond;
        long eventsCommitted;
        long matched;
        long superseded;
        long notApplied;
        double p50, p90, p99, p999, max, mean;
        double relayP50 = Double.NaN, relayP99 = Double.NaN;
        double ingestResponseP50, ingestResponseP99, senderQueueP99;
        double p99FirstWindow, p99LastWindow, windowSeconds;
        double backlogSlope;
        long maxBacklog;
        boolean drained;
        double drainSeconds;
        boolean sustained;
        String verdict;
        String commitBasis;
        List<long[]> backlog = new ArrayList<>(); // [second, backlog]
        List<Sample> samples = new ArrayList<>();
        Map<String, double[]> rss = new LinkedHashMap<>(); // service → [median, max]
    }

    private final BenchStack bench;
    private final Simulator simulator;
    private final Admin admin;
    private final Consumer<String> out;

    EndToEndRun(BenchStack bench, Simulator simulator, Admin admin, Consumer<String> out) {
        this.bench = bench;
        this.simulator = simulator;
        this.admin = admin;
        this.out = out;
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(p);
    }

    /**
     * How many webhooks a platform's store sends per change, from a throw-away store (not subscribed anywhere) making
     * {@code changes} changes from the same seed: the ratio that turns an offered webhook rate into the simulator's
     * change rate.
     */
    static double webhooksPerChange(Simulator simulator, String platform, long seed, int changes) {
        SimulatedStore probe = simulator.addStore(StoreSpec.builder(platform, "calibrate-" + platform + "-" + seed)
                .seed(seed)
                .faults(FaultProfile.none())
                .rateLimits(false)
                .build());
        probe.step(changes);
        double ratio = (double) probe.stats().unsubscribed() / changes;
        probe.close();
        return ratio;
    }

    Result run(String label, Settings s, int runNumber) throws Exception {
        Result r = new Result();
        r.label = label;
        r.offered = s.rate();
        r.durationSeconds = s.duration().toMillis() / 1000.0;
        String ingest = bench.url("webhook-ingest");
        String token = bench.adminToken();

        awaitIdle(s.drainTimeout(), "before the run");

        // fresh stores: a new key per run, so every entity version of this run is new to the pipeline
        List<SimulatedStore> stores = new ArrayList<>();
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        Map<String, Instant> firstFailure = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        AtomicLong deliveredCount = new AtomicLong();
        for (int i = 0; i < s.stores(); i++) {
            String platform = s.platforms().get(i % s.platforms().size());
            SimulatedStore store = simulator.addStore(
                    StoreSpec.builder(platform, String.format(Locale.ROOT, "e2e-r%d-%s-%d", runNumber, platform, i))
                            .seed(s.seed() + i)
                            .faults(FaultProfile.none())
                            .rateLimits(s.rateLimits())
                            .deliveryThreads(s.deliveryThreads())
                            .build());
            store.registerWithIngest(URI.create(ingest), token);
            store.subscribeAll(URI.create(ingest + "/webhooks/" + platform));
            String storeId = store.storeId();
            store.onDelivery(a -> {
                if (!a.delivered()) {
                    failed.incrementAndGet();
                    firstFailure.putIfAbsent(a.deliveryId(), a.sentAt());
                    return;
                }
                Instant first = a.attempt() > 1 ? firstFailure.remove(a.deliveryId()) : null;
                Instant at = first != null ? first : a.sentAt();
                String entity = storeId + "|" + a.message().entityType().name() + "|"
                        + a.message().entityId();
                long updatedAt = a.message().triggeredAt().toEpochMilli();
                sent.add(new Sent(
                        entity + "|" + updatedAt, entity, updatedAt, micros(at), a.queuedNanos(), a.responseNanos()));
                deliveredCount.incrementAndGet();
            });
            stores.add(store);
        }

        Instant start = Instant.now();
        long t0 = System.nanoTime();
        for (SimulatedStore store : stores) {
            double ratio = s.webhooksPerChange().getOrDefault(store.platform(), 1.0);
            double changesPerSecond = s.rate() / s.stores() / ratio;
            long maxChanges =
                    Math.max(1, Math.round(changesPerSecond * s.duration().toMillis() / 1000.0));
            store.startLoad(changesPerSecond, maxChanges);
        }
        Map<String, List<Double>> rssSamples = new LinkedHashMap<>();
        long nextSample = t0 + SAMPLE_EVERY.toNanos();
        while (stores.stream().anyMatch(SimulatedStore::loadRunning)) {
            long now = System.nanoTime();
            if (now >= nextSample) {
                nextSample += SAMPLE_EVERY.toNanos();
                r.samples.add(sample(r, (now - t0) / 1e9, deliveredCount.get(), rssSamples));
            }
            Thread.sleep(100);
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        for (SimulatedStore store : stores) {
            if (!store.awaitDeliveries(s.drainTimeout())) {
                out.accept("    (deliveries still pending after "
                        + s.drainTimeout().toSeconds() + " s)");
            }
        }
        r.samples.add(sample(r, (System.nanoTime() - t0) / 1e9, deliveredCount.get(), rssSamples));
        r.drained = awaitIdle(s.drainTimeout(), "after the load");
        for (SimulatedStore store : stores) {
            r.changes += store.stats().totalChanges();
            store.onDelivery(null);
        }
        r.failedAttempts = failed.get();
        rssSamples.forEach((service, values) -> r.rss.put(service, new double[] {median(values), max(values)}));

        new EndToEndAnalysis(bench, out).analyse(r, s, start, loadSeconds, new ArrayList<>(sent));
        return r;
    }

    private Sample sample(Result r, double seconds, long delivered, Map<String, List<Double>> rssSamples) {
        Map<String, Double> rss = new LinkedHashMap<>();
        for (ServiceNode node : bench.nodes()) {
            double mib = BenchResults.rssMib(node.pid());
            if (mib > 0) {
                rss.put(node.name(), mib);
            }
        }
        StackProcesses.memory(bench.dataDir(), bench.endpoints().registryUrl()).forEach((name, mib) -> {
            if (mib > 0) {
                rss.put(name, mib);
            }
        });
        rss.forEach(
                (k, v) -> rssSamples.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        Map<String, Long> lag = consumerLag();
        out.accept(String.format(
                Locale.ROOT,
                "    %5.0fs  webhooks sent %,d (%.0f/s)  consumer lag %s  RSS MiB %s",
                seconds,
                delivered,
                delivered / Math.max(0.001, seconds),
                describeLag(lag),
                describeRss(rss)));
        return new Sample(seconds, delivered, lag, rss);
    }

    private static String describeLag(Map<String, Long> lag) {
        List<String> parts = new ArrayList<>();
        lag.forEach((group, n) -> parts.add(shortGroup(group) + " " + n));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String shortGroup(String group) {
        return group.replace("commerce-sync-", "").replace("commercesync-", "");
    }

    private static String describeRss(Map<String, Double> rss) {
        List<String> parts = new ArrayList<>();
        rss.forEach((k, v) -> parts.add(k.replace("webhook-", "") + " " + Math.round(v)));
        return String.join(", ", parts);
    }

    /**
     * Total committed-offset lag of every consumer group, by group (a partition 1 behind counts 0: that is the commit
     * marker of a transaction); empty when Kafka does not answer.
     */
    Map<String, Long> consumerLag() {
        Map<String, Long> lag = new TreeMap<>();
        try {
            @SuppressWarnings("deprecation")
            Collection<org.apache.kafka.clients.admin.ConsumerGroupListing> groups =
                    admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS);
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            for (var group : groups) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                committed.put(group.groupId(), offsets);
                offsets.keySet().forEach(tp -> query.put(tp, OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(query).all().get(10, TimeUnit.SECONDS);
            committed.forEach((group, offsets) -> {
                long sum = 0;
                for (var e : offsets.entrySet()) {
                    if (e.getValue() == null || !ends.containsKey(e.getKey())) {
                        continue;
                    }
                    long behind = ends.get(e.getKey()).offset() - e.getValue().offset();
                    // 1 behind is a transaction's commit marker (the normalizer writes exactly once), not a record
                    sum += behind > 1 ? behind : 0;
                }
                lag.put(group, sum);
            });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        return lag;
    }

    /**
     * Waits until the pipeline is idle: every consumer group has caught up (committed lag 0) and the sync-writer's
     * count of handled events has not moved for 3 s, or that count has not moved for 15 s. False when {@code timeout} passed first.
     */
    boolean awaitIdle(Duration timeout, String when) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastCount = -1;
        long lastChange = System.nanoTime();
        long lastPrint = 0;
        while (System.nanoTime() < deadline) {
            Map<String, Long> lag = consumerLag();
            long total = lag.values().stream().mapToLong(Long::longValue).sum();
            long count = processedCount();
            if (count != lastCount) {
                lastCount = count;
                lastChange = System.nanoTime();
            }
            long still = System.nanoTime() - lastChange;
            // committed lag alone can read 0 before a group committed anything: the writer must be still too
            if ((!lag.isEmpty() && total == 0 && still > Duration.ofSeconds(3).toNanos())
                    || still > Duration.ofSeconds(15).toNanos()) {
                return true;
            }
            if (System.nanoTime() - lastPrint > Duration.ofSeconds(10).toNanos()) {
                lastPrint = System.nanoTime();
                out.accept("    draining " + when + ": consumer lag " + describeLag(lag));
            }
            Thread.sleep(1000);
        }
        out.accept("    not idle " + when + " within " + timeout.toSeconds() + " s");
        return false;
    }

    static Connection jdbc(BenchStack bench) throws SQLException {
        return DriverManager.getConnection(
                bench.endpoints().jdbcUrl(), bench.endpoints().jdbcUser(), "");
    }

    private long processedCount() {
        try (Connection c = jdbc(bench);
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM syncwriter.processed_events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Summary.of(values).median();
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
