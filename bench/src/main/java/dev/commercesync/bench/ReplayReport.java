package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.ReplayBench.Pass;
import dev.commercesync.bench.ReplayBench.PassKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    ReplayReport(ReplayBench bench, ReplayPool pool) {
        this.events = bench.events;
        this.poolSize = bench.poolSize;
        this.options = bench.options;
        this.noDryRun = bench.noDryRun;
        this.newOnly = bench.newOnly;
        this.seed = bench.seed;
        this.command = bench.command();
        this.poolMix = pool.poolMix;
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
        md.append("```bash\n").append(command).append("\n```\n\n");
        md.append("Machine: ")
                .append(BenchResults.machineLine())
                .append(". JVM of the replay: `")
                .append(ReplayBench.jvmArguments())
                .append("`")
                .append(
                        ReplayBench.jvmArguments().contains("TieredStopAtLevel=1")
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
