package dev.commercesync.bench;

import dev.commercesync.bench.IngestBench.Run;
import dev.commercesync.bench.IngestWorkload.StoredRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The ingest benchmark's Markdown (bench/results/ingest.md): the figures as the template's named values. */
final class IngestMarkdown {
    private final String platform;
    private final List<Integer> connectionCounts;
    private final Duration warmup;
    private final Duration duration;
    private final Duration rateDuration;
    private final int maxInFlight;
    private final Duration p99Limit;
    private final int bisectSteps;
    private final List<String> kafkaPayloads;

    IngestMarkdown(IngestBench bench) {
        this.platform = bench.platform;
        this.connectionCounts = bench.connectionCounts;
        this.warmup = bench.warmup;
        this.duration = bench.duration;
        this.rateDuration = bench.rateDuration;
        this.maxInFlight = bench.maxInFlight;
        this.p99Limit = bench.p99Limit;
        this.bisectSteps = bench.bisectSteps;
        this.kafkaPayloads = bench.kafkaPayloads;
    }

    String markdown(
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
        String props = producerProps.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        IngestLoad.SignedWebhook sample = pool.get(0);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", command);
        data.put("machine", BenchResults.machineLine());
        data.put("at", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        data.put("runCount", runs.size());
        data.put("platform", platform);
        data.put("topic", sample.topic());
        data.put("bodies", pool.size());
        data.put("bodyRange", IngestReport.sizeRange(bodySizes));
        data.put("bodyMean", IngestReport.fmt(meanBody));
        data.put(
                "signedHeaders",
                sample.headers().keySet().stream()
                        .sorted()
                        .map(h -> "`" + h + "`")
                        .collect(Collectors.joining(", ")));
        data.put("deliveryIdHeader", sample.deliveryIdHeader());
        data.put("storedMean", IngestReport.fmt(stored.meanValue()));
        data.put("storedMin", IngestReport.fmt(stored.minValue()));
        data.put("storedMax", IngestReport.fmt(stored.maxValue()));
        data.put("storedKey", IngestReport.fmt(stored.meanKey()));
        data.put("storedHeaders", IngestReport.fmt(stored.meanHeaders()));
        data.put("partitions", stored.partitions());
        data.put(
                "connectionsThen",
                connectionCounts.stream().map(String::valueOf).collect(Collectors.joining(" and then ")));
        data.put(
                "connectionsSlash",
                connectionCounts.stream().map(String::valueOf).collect(Collectors.joining("/")));
        data.put("duration", IngestBench.seconds(duration));
        data.put("warmup", IngestBench.seconds(warmup));
        data.put("props", props);
        data.put("recordSize", Math.round(stored.meanValue()));
        data.put("maxInFlight", maxInFlight);
        data.put("rateDuration", IngestBench.seconds(rateDuration));
        data.put("p99Limit", IngestBench.seconds(p99Limit));
        data.put("bisectSteps", bisectSteps);
        data.put("cores", Runtime.getRuntime().availableProcessors());
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("kafkaJvm", String.join(" ", IngestKafkaPerf.JVM));
        data.put(
                "ingest",
                Map.of(
                        "rate", IngestReport.cell(ingestRate, "%,.0f"),
                        "mb",
                                String.format(
                                        Locale.ROOT,
                                        "%.2f body, %.2f stored",
                                        ingestRate.median() * meanBody / 1048576.0,
                                        ingestRate.median() * stored.meanValue() / 1048576.0),
                        "p50", IngestReport.cell(ingestP50, "%,.1f"),
                        "p99", IngestReport.cell(ingestP99, "%,.1f"),
                        "max", IngestReport.cell(ingestMax, "%,.0f"),
                        "cpu",
                                String.format(
                                        Locale.ROOT,
                                        "ingest %.2f, broker %.2f, generator %.2f",
                                        IngestReport.summary(
                                                        runs,
                                                        r -> IngestSweep.cores(
                                                                r.closedCpu.ingest(), r.closed.seconds()))
                                                .median(),
                                        IngestReport.summary(
                                                        runs,
                                                        r -> IngestSweep.cores(
                                                                r.closedCpu.broker(), r.closed.seconds()))
                                                .median(),
                                        IngestReport.summary(
                                                        runs,
                                                        r -> IngestSweep.cores(
                                                                r.closedCpu.generator(), r.closed.seconds()))
                                                .median()),
                        "spread", String.format(Locale.ROOT, "%.0f%%", ingestRate.spreadPercent())));
        List<Map<String, String>> kafkaRows = new ArrayList<>();
        kafka.forEach((kind, k) -> kafkaRows.add(Map.of(
                "kind", kind,
                "label",
                        kind.equals("random")
                                ? "`--record-size " + Math.round(stored.meanValue()) + "` (random letters)"
                                : "`--payload-file` (the webhook bodies)",
                "rate", IngestReport.cell(k.get("records_per_second"), "%,.0f"),
                "mb", IngestReport.cell(k.get("mb_per_second"), "%.2f"),
                "p50", IngestReport.cell(k.get("p50_ms"), "%,.0f"),
                "p99", IngestReport.cell(k.get("p99_ms"), "%,.0f"),
                "max", IngestReport.cell(k.get("max_ms"), "%,.0f"),
                "cpu",
                        String.format(
                                Locale.ROOT,
                                "tool %.2f, broker %.2f",
                                k.get("tool_cores").median(),
                                k.get("broker_cores").median()),
                "ratio", IngestReport.cell(k.get("ratio"), "%.3f"),
                "spread",
                        String.format(
                                Locale.ROOT,
                                "%.0f%%",
                                k.get("records_per_second").spreadPercent()))));
        data.put("kafka", kafkaRows);
        data.put(
                "byConnections",
                connectionCounts.stream()
                        .map(c -> c + " → "
                                + IngestReport.cell(
                                        IngestReport.summary(
                                                runs, r -> r.closedBy.get(c).okPerSecond()),
                                        "%,.0f"))
                        .collect(Collectors.joining("; ")));
        List<Map<String, String>> rateRows = new ArrayList<>();
        perRate.forEach((rate, m) -> rateRows.add(Map.of(
                "offered", IngestReport.fmt(rate),
                "achieved", IngestReport.cell(m.get("achieved_per_second"), "%,.0f"),
                "p50", IngestReport.cell(m.get("p50_ms"), "%,.1f"),
                "p99", IngestReport.cell(m.get("p99_ms"), "%,.1f"),
                "max", IngestReport.cell(m.get("max_ms"), "%,.1f"),
                "failed", IngestReport.cell(m.get("failed"), "%,.0f"),
                "cpu",
                        String.format(
                                Locale.ROOT,
                                "%.2f / %.2f / %.2f",
                                m.get("ingest_cores").median(),
                                m.get("broker_cores").median(),
                                m.get("generator_cores").median()))));
        data.put("rates", rateRows);
        data.put("crossing", crossingText);
        List<Map<String, Object>> runRows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            runRows.add(Map.of(
                    "number",
                    i + 1,
                    "accepted",
                    IngestReport.fmt(r.closed.okPerSecond()),
                    "kafka",
                    kafka.keySet().stream()
                            .map(kind -> IngestReport.fmt(r.kafka.get(kind).recordsPerSecond()))
                            .toList(),
                    "crossing",
                    r.crossingAbove == null
                            ? "not reached"
                            : IngestReport.fmt(r.crossingBelow) + "–" + IngestReport.fmt(r.crossingAbove) + "/s",
                    "failures",
                    r.closed.failures().isEmpty() ? "none" : r.closed.failures().toString()));
        }
        data.put("runs", runRows);
        List<String> perfLines = new ArrayList<>();
        if (kafkaPayloads.contains("random")) {
            perfLines.add(perfRandom);
        }
        if (kafkaPayloads.contains("bodies")) {
            perfLines.add(perfBodies);
        }
        data.put("perfLines", perfLines);
        data.put("profiles", profiles.values().stream().map(p -> p.describe(15)).toList());
        return Templates.render("ingest.md", data);
    }
}
