package dev.commercesync.bench;

import dev.commercesync.devstack.RepoRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own producer benchmark, {@code org.apache.kafka.tools.ProducerPerformance} (kafka-producer-perf-test.sh), as
 * a child JVM on {@code devstack/target/kafka.classpath} against the benchmark's broker. It has no duration option, so
 * a first, unbounded run (which also warms the broker) is stopped after the warm-up, and its last 5-second window
 * sizes the measured run ({@code --num-records = rate × duration}).
 */
final class IngestKafkaPerf {
    /** The tool's summary line (Kafka 4.1: {@code ProducerPerformance.Stats.printTotal}). */
    static final Pattern TOTAL = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\),"
            + " ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th,"
            + " (\\d+) ms 99\\.9th\\.");
    /** Its 5-second window line ({@code printWindow}). */
    static final Pattern WINDOW = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms"
                    + " max latency\\.");

    static final List<String> JVM =
            List.of("-Xmx512m", "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    /** What the tool printed at the end, plus the CPU it used. */
    record Result(
            long records,
            double recordsPerSecond,
            double mbPerSecond,
            double avgMs,
            double maxMs,
            long p50Ms,
            long p95Ms,
            long p99Ms,
            long p999Ms,
            double cpuSeconds,
            double brokerCpuSeconds,
            double wallSeconds,
            String summaryLine) {}

    /** The payload: {@code --record-size N} (random letters, as the tool makes them) or {@code --payload-file}. */
    record Payload(Integer recordSize, Path payloadFile) {
        List<String> args() {
            return recordSize != null
                    ? List.of("--record-size", Integer.toString(recordSize))
                    : List.of("--payload-file", payloadFile.toString());
        }
    }

    private final String bootstrap;
    private final Map<String, String> producerProps;
    private final Path logDir;
    private final java.util.function.LongSupplier brokerCpuNanos;

    /** @param brokerCpuNanos the broker's CPU time so far (0 when unknown), read around the measured run */
    IngestKafkaPerf(
            String bootstrap,
            Map<String, String> producerProps,
            Path logDir,
            java.util.function.LongSupplier brokerCpuNanos) {
        this.bootstrap = bootstrap;
        this.producerProps = producerProps;
        this.logDir = logDir;
        this.brokerCpuNanos = brokerCpuNanos;
    }

    /** The producer properties passed to the tool ({@code bootstrap.servers} included). */
    List<String> propsArgs() {
        List<String> props = new ArrayList<>();
        props.add("bootstrap.servers=" + bootstrap);
        producerProps.forEach((k, v) -> props.add(k + "=" + v));
        return props;
    }

    List<String> command(String topic, long records, Payload payload) throws IOException {
        Path cpFile = RepoRoot.find().resolve("devstack/target/kafka.classpath");
        if (!Files.isRegularFile(cpFile)) {
            throw new IllegalStateException(cpFile + " is missing: build devstack (./mvnw -pl devstack install)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.add("-cp");
        command.add(Files.readString(cpFile).trim());
        command.add("org.apache.kafka.tools.ProducerPerformance");
        command.addAll(List.of("--topic", topic, "--num-records", Long.toString(records), "--throughput", "-1"));
        command.addAll(payload.args());
        command.add("--producer-props");
        command.addAll(propsArgs());
        return command;
    }

    /** The command as a person would type it (the classpath abbreviated). */
    String describe(String topic, String records, Payload payload) {
        List<String> parts = new ArrayList<>();
        parts.add("java -cp $(cat devstack/target/kafka.classpath) org.apache.kafka.tools.ProducerPerformance");
        parts.addAll(List.of("--topic", topic, "--num-records", records, "--throughput", "-1"));
        parts.addAll(payload.recordSize() != null ? payload.args() : List.of("--payload-file", "<bodies>"));
        parts.add("--producer-props");
        parts.addAll(propsArgs());
        return String.join(" ", parts);
    }

    /**
     * Runs the tool unbounded on {@code warmupTopic} for {@code warmup} (at least until its first 5 s window), then
     * measured on {@code topic} for about {@code duration}.
     */
    Result run(
            String warmupTopic,
            String topic,
            Payload payload,
            Duration warmup,
            Duration duration,
            Consumer<String> progress)
            throws IOException, InterruptedException {
        double rate = calibrate(warmupTopic, payload, warmup, progress);
        long records = Math.max(1_000, Math.round(rate * duration.toNanos() / 1e9));
        progress.accept(String.format(
                java.util.Locale.ROOT,
                "  kafka-producer-perf: warm-up at %,.0f records/s; measuring %,d records",
                rate,
                records));
        Duration timeout = duration.multipliedBy(6).plusSeconds(120);
        Result result = measure(topic, records, payload, timeout);
        double seconds = duration.toNanos() / 1e9;
        // A warm-up slower than the tool's steady state makes the measured run too short: size it again.
        for (int retry = 0; retry < 2 && result.wallSeconds() < 0.5 * seconds; retry++) {
            records = Math.max(records * 2, Math.round(result.recordsPerSecond() * seconds));
            progress.accept(String.format(
                    java.util.Locale.ROOT,
                    "  kafka-producer-perf: that took only %.1f s; measuring %,d records",
                    result.wallSeconds(),
                    records));
            result = measure(topic, records, payload, timeout);
        }
        return result;
    }

    private double calibrate(String topic, Payload payload, Duration warmup, Consumer<String> progress)
            throws IOException, InterruptedException {
        Process process = start(command(topic, 1_000_000_000L, payload), topic);
        AtomicReference<Double> lastRate = new AtomicReference<>();
        Thread reader = reader(process, topic, line -> {
            Matcher m = WINDOW.matcher(line);
            if (m.find()) {
                lastRate.set(Double.parseDouble(m.group(2)));
            }
        });
        long start = System.nanoTime();
        long deadline = start + warmup.toNanos() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (lastRate.get() != null && System.nanoTime() - start >= warmup.toNanos()) {
                break;
            }
            Thread.sleep(100);
        }
        stop(process);
        reader.join(5_000);
        if (lastRate.get() == null) {
            throw new IllegalStateException(
                    "kafka-producer-perf printed no throughput during its warm-up; see " + logFile(topic));
        }
        return lastRate.get();
    }

    private Result measure(String topic, long records, Payload payload, Duration timeout)
            throws IOException, InterruptedException {
        long broker0 = brokerCpuNanos.getAsLong();
        long t0 = System.nanoTime();
        Process process = start(command(topic, records, payload), topic);
        AtomicLong cpu = new AtomicLong();
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perf-cpu");
            t.setDaemon(true);
            return t;
        });
        // The tool's CPU time, sampled until it exits (a reaped process has none to read).
        poll.scheduleAtFixedRate(
                () -> process.toHandle()
                        .info()
                        .totalCpuDuration()
                        .ifPresent(d -> cpu.accumulateAndGet(d.toNanos(), Math::max)),
                0,
                200,
                TimeUnit.MILLISECONDS);
        AtomicReference<Matcher> total = new AtomicReference<>();
        Thread reader = reader(process, topic, line -> {
            Matcher m = TOTAL.matcher(line);
            if (m.find()) {
                total.set(m);
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                throw new IllegalStateException("kafka-producer-perf did not finish within " + timeout);
            }
        } finally {
            poll.shutdownNow();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double brokerCpu = (brokerCpuNanos.getAsLong() - broker0) / 1e9;
        reader.join(5_000);
        Matcher m = total.get();
        if (process.exitValue() != 0 || m == null) {
            throw new IllegalStateException(
                    "kafka-producer-perf failed (exit " + process.exitValue() + "); see " + logFile(topic));
        }
        return new Result(
                Long.parseLong(m.group(1)),
                Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5)),
                Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7)),
                Long.parseLong(m.group(8)),
                Long.parseLong(m.group(9)),
                cpu.get() / 1e9,
                brokerCpu,
                wall,
                m.group(0));
    }

    private Path logFile(String topic) {
        return logDir.resolve("kafka-perf-" + topic + ".log");
    }

    private Process start(List<String> command, String topic) throws IOException {
        Files.createDirectories(logDir);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Never leave the tool running when the benchmark is interrupted.
        Thread hook = new Thread(process::destroyForcibly, "perf-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        process.onExit().thenRun(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        });
        return process;
    }

    /** Copies the tool's output to its log file and hands each line to {@code each}. */
    private Thread reader(Process process, String topic, Consumer<String> each) throws IOException {
        Writer log = Files.newBufferedWriter(logFile(topic), StandardCharsets.UTF_8);
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                            Writer out = log) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            out.write(line);
                            out.write('\n');
                            each.accept(line);
                        }
                    } catch (IOException e) {
                        // the process went away; what was read is in the log
                    }
                },
                "perf-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
