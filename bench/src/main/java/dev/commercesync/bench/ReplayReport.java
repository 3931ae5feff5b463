package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.ReplayBench.Pass;
import dev.commercesync.bench.ReplayBench.PassKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The replay benchmark's results: JSON, the chart and the Markdown of bench/results/replay.*. */
final class ReplayReport {
    private final long events;
    private final int poolSize;
    private final BenchOptions options;
    private final boolean noDryRun;
    private final boolean newOnly;
    private final long seed;
    private final String command;
    private final Map<String, Long> poolMix;
    private final List<String> platforms;
    private final Set<String> thinPlatforms;

    ReplayReport(ReplayBench bench, ReplayPool pool) {
        this.events = bench.events;
        this.poolSize = bench.poolSize;
        this.options = bench.options;
        this.noDryRun = bench.noDryRun;
        this.newOnly = bench.newOnly;
        this.seed = bench.seed;
        this.command = bench.command();
        this.poolMix = pool.poolMix;
        this.platforms = bench.platforms;
        this.thinPlatforms = pool.thinPlatforms;
    }

    void report(ObjectNode doc, List<Pass> passes, Map<String, Double> fill, long diskBytes, Profiles.Profile profile)
            throws IOException {
        ObjectNode parameters = doc.putObject("parameters");
        parameters.put("events", events);
        parameters.put("pool", poolSize);
        parameters.put("runs", options.runs);
        parameters.put("dry_run_pass", !noDryRun);
        parameters.put("seed", seed);
        parameters.put("synctl_jvm", ReplayBench.jvmArguments());
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
        Path md = BenchResults.write(ReplayBench.NAME, doc, markdown(table.toString(), fill, diskBytes, profileText));
        System.out.println();
        System.out.println("Results: " + md + ", " + md.resolveSibling("replay.json") + ", " + png);
    }

    String markdown(String table, Map<String, Double> fill, long diskBytes, String profileText) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("events", String.format(Locale.ROOT, "%,d", events));
        data.put("command", command);
        data.put("machine", BenchResults.machineLine());
        data.put("jvm", ReplayBench.jvmArguments());
        data.put("c1Only", ReplayBench.jvmArguments().contains("TieredStopAtLevel=1"));
        data.put("runs", options.runs);
        data.put("newOnly", newOnly);
        data.put("table", table);
        data.put(
                "fill",
                String.format(
                        Locale.ROOT,
                        "%,d raw events produced at %,.0f events/s (%,.1f MiB/s serialized, %,.0f bytes per event as"
                                + " Avro), %,.1f MiB on disk with lz4 (the ingest's compression).",
                        events,
                        fill.get("events_per_s"),
                        fill.get("serialized_mib_per_s"),
                        fill.get("serialized_bytes") / events,
                        diskBytes / 1048576.0));
        data.put("poolSize", String.format(Locale.ROOT, "%,d", poolSize));
        data.put("platforms", String.join(", ", platforms));
        data.put("cycles", String.format(Locale.ROOT, "%,d", (events + poolSize - 1) / poolSize));
        data.put("thinPlatforms", String.join(", ", thinPlatforms));
        data.put("poolMix", poolMix.toString());
        data.put("profile", profileText == null ? "" : profileText);
        return Templates.render("replay.md", data);
    }

    static ObjectNode summary(Summary s) {
        ObjectNode node = BenchResults.json().createObjectNode();
        node.put("median", s.median());
        node.put("min", s.min());
        node.put("max", s.max());
        node.put("spread_percent", s.spreadPercent());
        ArrayNode runs = node.putArray("runs");
        s.runs().forEach(runs::add);
        return node;
    }
}
