package dev.commercesync.bench;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.AvroKafka;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.StoreStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Sends commands to {@code commerce.commands.v1} and times each until its final result on {@code
 * commerce.command-results.v1} (a reader of its own, from the topic's start): a paced phase and a backlog phase per
 * platform, each waited for until every command has its result.
 */
final class CommandsRun implements AutoCloseable {
    static final String COMMANDS = CommerceTopic.COMMANDS.topicName();
    static final String RESULTS = CommerceTopic.COMMAND_RESULTS.topicName();
    private static final long PROGRESS_EVERY = TimeUnit.SECONDS.toNanos(5);
    private static final int WARMUP = 5;

    /** A command to send, by its id. */
    record Sent(String commandId, Command command) {}

    /** A final result as it arrived: when (System.nanoTime) and its status. */
    record Arrival(long nanos, String status) {}

    /**
     * One phase's figures; times in ms.
     *
     * @param perSecond APPLIED results per second: paced, over the whole phase (first send to last result); backlog,
     *     over its second half (after the store's burst is spent: the rate the executor sustains)
     */
    record Phase(
            String name,
            int sent,
            int applied,
            Map<String, Integer> otherStatuses,
            int missing,
            double offeredPerSecond,
            double seconds,
            double perSecond,
            double p50,
            double p99,
            double max) {}

    /** A platform's two phases, and the store's API requests and writes per command over both. */
    record Result(Phase paced, Phase backlog, double requestsPerCommand, double writesPerCommand, long rateLimited) {
        int notApplied() {
            return paced.otherStatuses().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum()
                    + backlog.otherStatuses().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum();
        }

        int missing() {
            return paced.missing() + backlog.missing();
        }
    }

    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<SpecificRecord> values;
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final Thread reader;
    private final Consumer<String> out;
    private volatile boolean running = true;
    private int next;

    CommandsRun(Endpoints endpoints, Consumer<String> out) {
        this.out = out;
        String registry = AvroSerdes.registryApiUrl(endpoints.registryUrl());
        producer = AvroKafka.producer(endpoints.kafkaBootstrap(), registry, "bench-commands");
        Map<String, Object> config = AvroKafka.committedReaderConfig(endpoints.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-commands-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000); // the poller creates the topic with its first result
        consumer = new KafkaConsumer<>(config);
        values = AvroSerdes.valueDeserializer(registry);
        consumer.subscribe(List.of(RESULTS));
        reader = new Thread(this::read, "bench-command-results");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                long now = System.nanoTime();
                CommandResult result = (CommandResult) values.deserialize(RESULTS, record.value());
                arrivals.putIfAbsent(
                        result.getCommandId(),
                        new Arrival(now, result.getStatus().name()));
            }
        }
    }

    /**
     * Warm-up (a few commands, not counted), then {@code rate} commands/s for {@code duration}, then {@code backlog}
     * commands at once; each phase waits for all its results (at most {@code timeout} after its last send).
     */
    Result measure(
            SimulatedStore store,
            IntFunction<Sent> commands,
            double rate,
            Duration duration,
            int backlog,
            Duration timeout)
            throws InterruptedException {
        phase("warm-up", store.platform(), commands, WARMUP, Double.POSITIVE_INFINITY, timeout);
        StoreStats before = store.stats();
        int paced = (int) Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        Phase p = phase("paced", store.platform(), commands, paced, rate, timeout);
        Phase b = phase("backlog", store.platform(), commands, backlog, Double.POSITIVE_INFINITY, timeout);
        StoreStats after = store.stats();
        int sent = p.sent() + b.sent();
        return new Result(
                p,
                b,
                (after.apiRequests() - before.apiRequests()) / (double) sent,
                (after.writesReceived() - before.writesReceived()) / (double) sent,
                after.apiRateLimited() - before.apiRateLimited());
    }

    private Phase phase(
            String name, String platform, IntFunction<Sent> commands, int count, double rate, Duration timeout)
            throws InterruptedException {
        long[] sentAt = new long[count];
        String[] ids = new String[count];
        long t0 = System.nanoTime();
        long lastProgress = t0;
        for (int i = 0; i < count; i++) {
            if (Double.isFinite(rate)) {
                sleepUntil(t0 + (long) (i * 1e9 / rate));
            }
            Sent s = commands.apply(next++);
            ids[i] = s.commandId();
            sentAt[i] = System.nanoTime();
            producer.send(
                    new ProducerRecord<>(COMMANDS, s.command().getMetadata().getCommandKey(), s.command()));
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY) {
                lastProgress = System.nanoTime();
                progress(name, platform, ids, i + 1, count, t0);
            }
        }
        producer.flush();
        long lastSend = System.nanoTime();
        long deadline = lastSend + timeout.toNanos();
        while (results(ids, count) < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY) {
                lastProgress = System.nanoTime();
                progress(name, platform, ids, count, count, t0);
            }
        }
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        Map<String, Integer> others = new LinkedHashMap<>();
        List<Long> appliedAt = new ArrayList<>();
        long lastArrival = t0;
        int missing = 0;
        for (int i = 0; i < count; i++) {
            Arrival a = arrivals.get(ids[i]);
            if (a == null) {
                missing++;
                continue;
            }
            lastArrival = Math.max(lastArrival, a.nanos());
            if (a.status().equals("APPLIED")) {
                latency.recordValue(Math.max(0, (a.nanos() - sentAt[i]) / 1000));
                appliedAt.add(a.nanos());
            } else {
                others.merge(a.status(), 1, Integer::sum);
            }
        }
        double seconds = (lastArrival - t0) / 1e9;
        double perSecond;
        if (Double.isFinite(rate)) {
            perSecond = appliedAt.size() / seconds;
        } else {
            long[] at = appliedAt.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(at);
            int h = at.length / 2;
            perSecond = at.length < 4
                    ? appliedAt.size() / seconds
                    : (at.length - 1 - h) / ((at[at.length - 1] - at[h]) / 1e9);
        }
        Phase phase = new Phase(
                name,
                count,
                appliedAt.size(),
                others,
                missing,
                Double.isFinite(rate) ? rate : Double.NaN,
                seconds,
                perSecond,
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0);
        out.accept(String.format(
                Locale.ROOT,
                "  %-8s %s: %d sent, %d APPLIED%s%s in %.1f s: %.2f commands/s, p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                name,
                platform,
                count,
                phase.applied(),
                others.isEmpty() ? "" : ", " + others,
                missing == 0 ? "" : ", " + missing + " WITHOUT A RESULT",
                seconds,
                perSecond,
                phase.p50(),
                phase.p99(),
                phase.max()));
        return phase;
    }

    private int results(String[] ids, int upTo) {
        int n = 0;
        for (int i = 0; i < upTo; i++) {
            if (ids[i] != null && arrivals.containsKey(ids[i])) {
                n++;
            }
        }
        return n;
    }

    private void progress(String name, String platform, String[] ids, int sent, int count, long t0) {
        out.accept(String.format(
                Locale.ROOT,
                "  %-8s %s: %5.0f s, %d/%d sent, %d results",
                name,
                platform,
                (System.nanoTime() - t0) / 1e9,
                sent,
                count,
                results(ids, sent)));
    }

    private static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(5000);
        consumer.close();
        producer.close(Duration.ofSeconds(10));
    }
}
