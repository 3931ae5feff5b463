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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * commerce.command-results.v1} (a reader of its own, from the topic's start): per platform a closed-loop phase (a
 * fixed number of commands outstanding) and a paced one, each waited for until every command has its result.
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
     * @param offeredPerSecond the paced rate (NaN: closed loop)
     * @param inFlight closed loop: commands outstanding at any time (0 otherwise)
     * @param perSecond APPLIED results per second: paced, over the whole phase (first send to last result); closed
     *     loop, over its second half (after a full bucket's burst is spent: the rate the executor sustains)
     */
    record Phase(
            String name,
            int sent,
            int applied,
            Map<String, Integer> otherStatuses,
            int missing,
            double offeredPerSecond,
            int inFlight,
            double seconds,
            double perSecond,
            double p50,
            double p99,
            double max) {}

    /** A platform's two phases, and the store's API requests and writes per command over both. */
    record Result(Phase paced, Phase closed, double requestsPerCommand, double writesPerCommand, long rateLimited) {
        int notApplied() {
            return paced.otherStatuses().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum()
                    + closed.otherStatuses().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum();
        }

        int missing() {
            return paced.missing() + closed.missing();
        }
    }

    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<SpecificRecord> values;
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final Thread reader;
    private final Consumer<String> out;
    private volatile boolean running = true;
    private final AtomicInteger arrived = new AtomicInteger();
    private int next;
    private int sent;

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
                if (arrivals.putIfAbsent(
                                result.getCommandId(),
                                new Arrival(now, result.getStatus().name()))
                        == null) {
                    arrived.incrementAndGet();
                }
            }
        }
    }

    /**
     * Warm-up (a few commands, not counted); then {@code inFlight} commands kept outstanding for {@code duration} (the
     * store's budget the bottleneck: the rate the executor sustains); then commands paced at {@code rateShare} of the
     * lower of that rate and {@code limit} for {@code paced} (or {@code pacedCount} of them). Each phase waits for its results (at most {@code
     * timeout} after its last send).
     */
    Result measure(
            SimulatedStore store,
            IntFunction<Sent> commands,
            double limit,
            double rateShare,
            int inFlight,
            Duration saturation,
            int pacedCount,
            Duration paced,
            Duration timeout)
            throws InterruptedException {
        phase("warm-up", store.platform(), commands, WARMUP, Double.POSITIVE_INFINITY, Duration.ZERO, timeout);
        StoreStats before = store.stats();
        Phase s = phase("closed", store.platform(), commands, inFlight, Double.NaN, saturation, timeout);
        double rate = rateShare * (s.perSecond() > 0 ? Math.min(limit, s.perSecond()) : limit);
        Duration pacedFor = pacedCount > 0 ? Duration.ofNanos((long) ((pacedCount - 0.5) * 1e9 / rate)) : paced;
        Phase p = phase("paced", store.platform(), commands, 0, rate, pacedFor, timeout);
        StoreStats after = store.stats();
        int sent = s.sent() + p.sent();
        return new Result(
                p,
                s,
                (after.apiRequests() - before.apiRequests()) / (double) sent,
                (after.writesReceived() - before.writesReceived()) / (double) sent,
                after.apiRateLimited() - before.apiRateLimited());
    }

    /**
     * One phase: {@code count} commands at once (rate infinite), commands at {@code rate}/s for {@code duration}, or
     * (rate NaN) {@code count} commands outstanding at any time for {@code duration}.
     */
    private Phase phase(
            String name,
            String platform,
            IntFunction<Sent> commands,
            int count,
            double rate,
            Duration duration,
            Duration timeout)
            throws InterruptedException {
        if (!(rate > 0) && !Double.isNaN(rate)) {
            throw new IllegalArgumentException("a paced phase needs a positive rate: " + rate);
        }
        List<String> ids = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        long lastProgress = t0;
        boolean closedLoop = Double.isNaN(rate);
        while (true) {
            long now = System.nanoTime();
            if (Double.isInfinite(rate)) {
                if (ids.size() == count) {
                    break;
                }
            } else if (now >= end) {
                break;
            } else if (closedLoop) {
                if (sent - arrived.get() >= count) {
                    Thread.sleep(2);
                    continue;
                }
            } else {
                long due = t0 + (long) (ids.size() * 1e9 / rate);
                if (due >= end) {
                    break;
                }
                sleepUntil(due);
            }
            Sent s = commands.apply(next++);
            ids.add(s.commandId());
            sentAt.add(System.nanoTime());
            sent++;
            producer.send(
                    new ProducerRecord<>(COMMANDS, s.command().getMetadata().getCommandKey(), s.command()));
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY) {
                lastProgress = System.nanoTime();
                progress(name, platform, ids, t0);
            }
        }
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (results(ids) < ids.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY) {
                lastProgress = System.nanoTime();
                progress(name, platform, ids, t0);
            }
        }
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        Map<String, Integer> others = new LinkedHashMap<>();
        int applied = 0;
        int appliedInSecondHalf = 0;
        long half = t0 + duration.toNanos() / 2;
        long lastArrival = t0;
        int missing = 0;
        for (int i = 0; i < ids.size(); i++) {
            Arrival a = arrivals.get(ids.get(i));
            if (a == null) {
                missing++;
                continue;
            }
            lastArrival = Math.max(lastArrival, a.nanos());
            if (a.status().equals("APPLIED")) {
                applied++;
                latency.recordValue(Math.max(0, (a.nanos() - sentAt.get(i)) / 1000));
                if (a.nanos() >= half && a.nanos() < end) {
                    appliedInSecondHalf++;
                }
            } else {
                others.merge(a.status(), 1, Integer::sum);
            }
        }
        double seconds = (lastArrival - t0) / 1e9;
        // Closed loop: APPLIED per second in the second half of the phase (the burst of a full bucket spent before);
        // otherwise over the whole phase, from the first send to the last result.
        double perSecond = closedLoop ? appliedInSecondHalf / (duration.toNanos() / 2e9) : applied / seconds;
        Phase phase = new Phase(
                name,
                ids.size(),
                applied,
                others,
                missing,
                closedLoop ? Double.NaN : rate,
                closedLoop ? count : 0,
                seconds,
                perSecond,
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0);
        out.accept(String.format(
                Locale.ROOT,
                "  %-8s %s: %d sent%s, %d APPLIED%s%s in %.1f s: %.2f APPLIED/s%s, p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                name,
                platform,
                ids.size(),
                closedLoop
                        ? " (" + count + " in flight)"
                        : Double.isFinite(rate) ? String.format(Locale.ROOT, " at %.2f/s", rate) : " at once",
                applied,
                others.isEmpty() ? "" : ", " + others,
                missing == 0 ? "" : ", " + missing + " WITHOUT A RESULT",
                seconds,
                perSecond,
                closedLoop ? " (second half)" : "",
                phase.p50(),
                phase.p99(),
                phase.max()));
        return phase;
    }

    private int results(List<String> ids) {
        int n = 0;
        for (String id : ids) {
            if (arrivals.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    private void progress(String name, String platform, List<String> ids, long t0) {
        out.accept(String.format(
                Locale.ROOT,
                "  %-8s %s: %5.0f s, %d sent, %d results",
                name,
                platform,
                (System.nanoTime() - t0) / 1e9,
                ids.size(),
                results(ids)));
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
