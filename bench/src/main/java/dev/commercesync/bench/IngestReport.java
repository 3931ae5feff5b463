package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.IngestBench.Run;
import dev.commercesync.bench.IngestSweep.RatePoint;
import dev.commercesync.bench.IngestWorkload.StoredRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The ingest benchmark's results: console summary, JSON, charts and the Markdown of bench/results/ingest.*. */
final class IngestReport {
    private final List<Integer> connectionCounts;
    private final Duration warmup;
    private final Duration duration;
    private final List<Integer> rates;
    private final Duration rateDuration;
    private final int maxInFlight;
    private final Duration p99Limit;
    private final int bisectSteps;
    private final List<String> kafkaPayloads;
    private final IngestMarkdown markdown;

    IngestReport(IngestBench bench) {
        this.markdown = new IngestMarkdown(bench);
        this.connectionCounts = bench.connectionCounts;
        this.warmup = bench.warmup;
        this.duration = bench.duration;
        this.rates = bench.rates;
        this.rateDuration = bench.rateDuration;
        this.maxInFlight = bench.maxInFlight;
        this.p99Limit = bench.p99Limit;
        this.bisectSteps = bench.bisectSteps;
        this.kafkaPayloads = bench.kafkaPayloads;
    }

    void report(
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
                            r -> IngestSweep.cores(
                                    r.rateCpu.get(rate).ingest(), at.apply(r).seconds())));
            m.put(
                    "broker_cores",
                    summary(
                            runs,
                            r -> IngestSweep.cores(
                                    r.rateCpu.get(rate).broker(), at.apply(r).seconds())));
            m.put(
                    "generator_cores",
                    summary(
                            runs,
                            r -> IngestSweep.cores(
                                    r.rateCpu.get(rate).generator(), at.apply(r).seconds())));
            perRate.put(rate, m);
        }
        long crossed = runs.stream().filter(r -> r.crossingAbove != null).count();
        Summary crossingAbove = crossed == runs.size() ? summary(runs, r -> (double) r.crossingAbove) : null;
        Summary crossingBelow = summary(runs, r -> (double) r.crossingBelow);
        int maxRate = rates.get(rates.size() - 1);
        String crossingText = crossed == 0
                ? "not reached up to " + fmt(maxRate) + "/s (p99 ≤ " + IngestBench.seconds(p99Limit)
                        + " at every offered rate)"
                : crossed < runs.size()
                        ? "crossed in " + crossed + " of " + runs.size()
                                + " runs (see the runs); not in the others up to " + fmt(maxRate) + "/s"
                        : "between " + fmt(crossingBelow.median()) + "/s and " + fmt(crossingAbove.median())
                                + "/s (medians of the last rate under and the first over "
                                + IngestBench.seconds(p99Limit) + ")";

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
        System.out.println("p99 crosses " + IngestBench.seconds(p99Limit) + ": " + crossingText);

        // ---- JSON ----
        ObjectNode doc = BenchResults.document(IngestBench.NAME, command);
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
        put(ingest, "ingest_cores", summary(runs, r -> IngestSweep.cores(r.closedCpu.ingest(), r.closed.seconds())));
        put(ingest, "broker_cores", summary(runs, r -> IngestSweep.cores(r.closedCpu.broker(), r.closed.seconds())));
        put(
                ingest,
                "generator_cores",
                summary(runs, r -> IngestSweep.cores(r.closedCpu.generator(), r.closed.seconds())));
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
                                "p99 limit (" + IngestBench.seconds(p99Limit) + ")",
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
        String md = markdown.markdown(
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
        Path written = BenchResults.write(IngestBench.NAME, doc, md);
        System.out.println();
        System.out.println("results: " + written + " (+ .json, ingest-latency.png, ingest-throughput.png)");
    }

    static Summary summary(List<Run> runs, Function<Run, Double> figure) {
        return Summary.of(runs.stream().map(figure).toList());
    }

    static List<Double> series(Map<Integer, Map<String, Summary>> perRate, String figure) {
        return perRate.values().stream().map(m -> m.get(figure).median()).toList();
    }

    static void put(ObjectNode node, String name, Summary s) {
        ObjectNode n = node.putObject(name);
        n.put("median", s.median());
        n.put("min", s.min());
        n.put("max", s.max());
        n.put("spread_percent", s.spreadPercent());
        ArrayNode values = n.putArray("runs");
        s.runs().forEach(values::add);
    }

    /** {@code median (min–max)}, or the median alone for one run. */
    static String cell(Summary s, String format) {
        String median = String.format(Locale.ROOT, format, s.median());
        if (s.runs().size() == 1) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, format, s.min()) + "–"
                + String.format(Locale.ROOT, format, s.max()) + ")";
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String sizeRange(List<Integer> sizes) {
        int min = sizes.stream().mapToInt(i -> i).min().orElse(0);
        int max = sizes.stream().mapToInt(i -> i).max().orElse(0);
        return min == max ? fmt(min) : fmt(min) + "–" + fmt(max);
    }
}
