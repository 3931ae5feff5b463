package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The end-to-end benchmark's results: JSON, charts and the Markdown of bench/results/e2e.*. */
final class EndToEndReport {
    private final BenchOptions options;
    private final List<Double> headlineRates;
    private final String warmup;
    private final List<String> platforms;
    private final int stores;
    private final int deliveryThreads;
    private final boolean noRateLimits;
    private final long seed;

    EndToEndReport(EndToEndBench bench) {
        this.options = bench.options;
        this.headlineRates = bench.headlineRates;
        this.warmup = bench.warmup;
        this.platforms = bench.platforms;
        this.stores = bench.stores;
        this.deliveryThreads = bench.deliveryThreads;
        this.noRateLimits = bench.noRateLimits;
        this.seed = bench.seed;
    }

    void writeResults(
            String command,
            Duration load,
            Map<String, List<EndToEndRun.Result>> byRate,
            Map<String, Double> ratios,
            List<Double> headline,
            String profiles)
            throws Exception {
        ObjectNode doc = BenchResults.document(EndToEndBench.NAME, command);
        ObjectNode settings = doc.putObject("settings");
        settings.put("duration_seconds", load.toSeconds());
        settings.put("runs", options.runs);
        settings.put("platforms", String.join(",", platforms));
        settings.put("stores", stores);
        settings.put("delivery_threads_per_store", deliveryThreads);
        settings.put("rate_limits", !noRateLimits);
        settings.put("seed", seed);
        ObjectNode ratioNode = settings.putObject("webhooks_per_change");
        ratios.forEach(ratioNode::put);

        ArrayNode rows = doc.putArray("rates");
        ObjectNode rssNode = doc.putObject("rss_under_load_mib");
        Double highest = null;
        Map<Double, Double> p50 = new TreeMap<>(), p99 = new TreeMap<>(), max = new TreeMap<>();
        StringBuilder table = new StringBuilder();
        table.append("| offered webhooks/s | sent/s | events committed/s | p50 ms | p99 ms | max ms |"
                + " superseded | not applied | backlog slope /s | sustained |\n");
        table.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (var e : byRate.entrySet()) {
            List<EndToEndRun.Result> runs = e.getValue();
            double rate = runs.get(0).offered;
            Summary sp50 = summary(runs, r -> r.p50);
            Summary sp99 = summary(runs, r -> r.p99);
            Summary smax = summary(runs, r -> r.max);
            Summary sent = summary(runs, r -> r.sentPerSecond);
            Summary committed = summary(runs, r -> r.eventsCommittedPerSecond);
            Summary slope = summary(runs, r -> r.backlogSlope);
            boolean sustained = runs.stream().allMatch(r -> r.sustained);
            if (sustained && (highest == null || rate > highest)) {
                highest = rate;
            }
            if (!Double.isNaN(sp50.median())) {
                p50.put(rate, sp50.median());
                p99.put(rate, sp99.median());
                max.put(rate, smax.median());
            }
            ObjectNode row = rows.addObject();
            row.put("offered_webhooks_per_second", rate);
            row.put("runs", runs.size());
            put(row, "sent_per_second", sent);
            put(row, "events_committed_per_second", committed);
            put(row, "latency_p50_ms", sp50);
            put(row, "latency_p99_ms", sp99);
            put(row, "latency_max_ms", smax);
            put(row, "backlog_slope_per_second", slope);
            row.put("sustained", sustained);
            ArrayNode runNodes = row.putArray("each_run");
            for (EndToEndRun.Result r : runs) {
                runNodes.add(runNode(r));
            }
            ObjectNode rss = rssNode.putObject(String.format(Locale.ROOT, "%.0f", rate));
            for (String component : components(runs)) {
                List<Double> medians = new ArrayList<>();
                List<Double> maxima = new ArrayList<>();
                for (EndToEndRun.Result r : runs) {
                    double[] v = r.rss.get(component);
                    if (v != null) {
                        medians.add(v[0]);
                        maxima.add(v[1]);
                    }
                }
                ObjectNode c = rss.putObject(component);
                num(c, "median_mib", EndToEndRun.median(medians));
                num(c, "max_mib", EndToEndRun.max(maxima));
            }
            table.append(String.format(
                    Locale.ROOT,
                    "| %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                    rate,
                    cell(sent, "%.0f"),
                    cell(committed, "%.0f"),
                    cell(sp50, "%.0f"),
                    cell(sp99, "%.0f"),
                    cell(smax, "%.0f"),
                    sum(runs, r -> r.superseded),
                    sum(runs, r -> r.notApplied),
                    cell(slope, "%+.1f"),
                    sustained
                            ? "yes"
                            : "no: "
                                    + runs.stream()
                                            .map(r -> r.verdict)
                                            .filter(v -> !v.equals("sustained"))
                                            .findFirst()
                                            .orElse("")));
        }
        doc.put("highest_sustained_webhooks_per_second", highest);

        Path dir = BenchResults.dir();
        Charts.line(
                dir.resolve("e2e-latency.png"),
                "End to end: webhook sent → target row committed",
                "offered webhooks/s",
                "latency (ms, log)",
                false,
                true,
                List.of(Charts.series("p50", p50), Charts.series("p99", p99), Charts.series("max", max)));
        List<Charts.Series> lag = new ArrayList<>();
        for (List<EndToEndRun.Result> runs : byRate.values()) {
            EndToEndRun.Result r = runs.get(0);
            Map<Double, Double> points = new LinkedHashMap<>();
            for (long[] p : r.backlog) {
                points.put((double) p[0], (double) p[1]);
            }
            lag.add(Charts.series(String.format(Locale.ROOT, "%.0f/s", r.offered), points));
        }
        Charts.line(
                dir.resolve("e2e-lag.png"),
                "Backlog: webhooks sent and not yet in the target (first run of each rate)",
                "seconds since the load started",
                "webhooks",
                false,
                false,
                lag);

        String md = markdown(command, load, table.toString(), byRate, ratios, highest, profiles);
        Path written = BenchResults.write(EndToEndBench.NAME, doc, md);
        System.out.println();
        System.out.println("End to end (webhook sent → target row committed), medians over the runs:");
        System.out.print(table);
        System.out.println(
                highest == null
                        ? "No rate of the sweep was sustained."
                        : String.format(
                                Locale.ROOT,
                                "Highest rate sustained without the backlog growing: %.0f webhooks/s.",
                                highest));
        System.out.println();
        System.out.println("RSS under load (MiB, median / max of the 5-s samples):");
        System.out.print(rssTable(byRate));
        System.out.println("Wrote " + written + ", " + dir.resolve("e2e.json") + ", e2e-latency.png, e2e-lag.png");
    }

    static List<String> components(List<EndToEndRun.Result> runs) {
        List<String> names = new ArrayList<>();
        for (EndToEndRun.Result r : runs) {
            for (String k : r.rss.keySet()) {
                if (!names.contains(k)) {
                    names.add(k);
                }
            }
        }
        return names;
    }

    static String rssTable(Map<String, List<EndToEndRun.Result>> byRate) {
        List<String> names = new ArrayList<>();
        byRate.values().forEach(runs -> components(runs).forEach(c -> {
            if (!names.contains(c)) {
                names.add(c);
            }
        }));
        StringBuilder b = new StringBuilder("| offered webhooks/s |");
        names.forEach(n -> b.append(' ').append(n).append(" |"));
        b.append("\n|---:|");
        names.forEach(n -> b.append("---:|"));
        b.append('\n');
        for (List<EndToEndRun.Result> runs : byRate.values()) {
            b.append(String.format(Locale.ROOT, "| %.0f |", runs.get(0).offered));
            for (String n : names) {
                List<Double> medians = new ArrayList<>();
                List<Double> maxima = new ArrayList<>();
                for (EndToEndRun.Result r : runs) {
                    double[] v = r.rss.get(n);
                    if (v != null) {
                        medians.add(v[0]);
                        maxima.add(v[1]);
                    }
                }
                b.append(
                        medians.isEmpty()
                                ? " – |"
                                : String.format(
                                        Locale.ROOT,
                                        " %.0f / %.0f |",
                                        EndToEndRun.median(medians),
                                        EndToEndRun.max(maxima)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    String markdown(
            String command,
            Duration load,
            String table,
            Map<String, List<EndToEndRun.Result>> byRate,
            Map<String, Double> ratios,
            Double highest,
            String profiles) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("machine", BenchResults.machineLine());
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("command", command);
        data.put("stores", stores);
        data.put("platforms", String.join("/", platforms));
        data.put("deliveryThreads", deliveryThreads);
        data.put(
                "ratios",
                ratios.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%.2f (%s)", e.getValue(), e.getKey()))
                        .reduce((x, y) -> x + ", " + y)
                        .orElse("?"));
        data.put("loadSeconds", load.toSeconds());
        data.put("headlineRates", describe(headlineRates));
        data.put("runs", options.runs);
        data.put("warmup", warmup);
        data.put("table", table);
        data.put("highest", highest == null ? "" : String.format(Locale.ROOT, "%.0f", highest));
        List<String> noise = new ArrayList<>();
        List<Map<String, String>> others = new ArrayList<>();
        for (List<EndToEndRun.Result> runs : byRate.values()) {
            if (runs.size() >= 2) {
                noise.add(String.format(
                        Locale.ROOT,
                        "%.0f/s: p50 %s ms; p99 %s ms",
                        runs.get(0).offered,
                        summary(runs, r -> r.p50).describe("%.0f"),
                        summary(runs, r -> r.p99).describe("%.0f")));
            }
            others.add(Map.of(
                    "offered", String.format(Locale.ROOT, "%.0f", runs.get(0).offered),
                    "ingestP50", fmt(summary(runs, r -> r.ingestResponseP50).median()),
                    "ingestP99", fmt(summary(runs, r -> r.ingestResponseP99).median()),
                    "relayP50", fmt(summary(runs, r -> r.relayP50).median()),
                    "relayP99", fmt(summary(runs, r -> r.relayP99).median()),
                    "senderP99", fmt(summary(runs, r -> r.senderQueueP99).median())));
        }
        data.put("noise", noise);
        data.put("others", others);
        data.put("rss", rssTable(byRate));
        data.put("profiles", profiles);
        return Templates.render("e2e.md", data);
    }

    static ObjectNode runNode(EndToEndRun.Result r) {
        ObjectNode n = BenchResults.json().createObjectNode();
        n.put("label", r.label);
        n.put("changes", r.changes);
        n.put("webhooks_delivered", r.delivered);
        n.put("failed_attempts", r.failedAttempts);
        num(n, "sent_per_second", r.sentPerSecond);
        n.put("events_committed", r.eventsCommitted);
        num(n, "events_committed_per_second", r.eventsCommittedPerSecond);
        n.put("matched", r.matched);
        n.put("superseded", r.superseded);
        n.put("not_applied", r.notApplied);
        num(n, "latency_p50_ms", r.p50);
        num(n, "latency_p90_ms", r.p90);
        num(n, "latency_p99_ms", r.p99);
        num(n, "latency_p999_ms", r.p999);
        num(n, "latency_max_ms", r.max);
        num(n, "latency_mean_ms", r.mean);
        num(n, "to_applied_topic_p50_ms", r.relayP50);
        num(n, "to_applied_topic_p99_ms", r.relayP99);
        num(n, "ingest_response_p50_ms", r.ingestResponseP50);
        num(n, "ingest_response_p99_ms", r.ingestResponseP99);
        num(n, "sender_queue_p99_ms", r.senderQueueP99);
        n.put("window_seconds", r.windowSeconds);
        num(n, "p99_first_window_ms", r.p99FirstWindow);
        num(n, "p99_last_window_ms", r.p99LastWindow);
        num(n, "backlog_slope_per_second", r.backlogSlope);
        n.put("max_backlog", r.maxBacklog);
        n.put("drained", r.drained);
        num(n, "drain_seconds_after_last_send", r.drainSeconds);
        n.put("sustained", r.sustained);
        n.put("verdict", r.verdict);
        n.put("commit_time_basis", r.commitBasis);
        ArrayNode backlog = n.putArray("backlog_every_5s");
        for (long[] p : r.backlog) {
            if (p[0] % 5 == 0) {
                backlog.addArray().add(p[0]).add(p[1]);
            }
        }
        ArrayNode samples = n.putArray("samples");
        for (EndToEndRun.Sample s : r.samples) {
            ObjectNode sn = samples.addObject();
            num(sn, "seconds", s.seconds());
            sn.put("webhooks_sent", s.sent());
            ObjectNode lag = sn.putObject("consumer_lag");
            s.consumerLag().forEach(lag::put);
            ObjectNode rss = sn.putObject("rss_mib");
            s.rssMib().forEach((k, v) -> rss.put(k, round(v)));
        }
        return n;
    }

    /** A number, or null when it was not measured (JSON has no NaN). */
    static void num(ObjectNode node, String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(name);
        } else {
            node.put(name, round(value));
        }
    }

    static void put(ObjectNode row, String name, Summary s) {
        ObjectNode n = row.putObject(name);
        num(n, "median", s.median());
        num(n, "min", s.min());
        num(n, "max", s.max());
        num(n, "spread_percent", s.spreadPercent());
    }

    static Summary summary(List<EndToEndRun.Result> runs, Function<EndToEndRun.Result, Double> f) {
        List<Double> values = new ArrayList<>();
        for (EndToEndRun.Result r : runs) {
            double v = f.apply(r);
            if (!Double.isNaN(v)) {
                values.add(v);
            }
        }
        return values.isEmpty() ? new Summary(Double.NaN, Double.NaN, Double.NaN, List.of()) : Summary.of(values);
    }

    static long sum(List<EndToEndRun.Result> runs, java.util.function.ToLongFunction<EndToEndRun.Result> f) {
        return runs.stream().mapToLong(f).sum();
    }

    static String cell(Summary s, String format) {
        if (Double.isNaN(s.median())) {
            return "–";
        }
        String median = String.format(Locale.ROOT, format, s.median());
        return s.runs().size() < 2
                ? median
                : median + String.format(Locale.ROOT, " (spread %.0f%%)", s.spreadPercent());
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }

    static String describe(List<Double> rates) {
        return String.join(
                ", ",
                rates.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList());
    }
}
