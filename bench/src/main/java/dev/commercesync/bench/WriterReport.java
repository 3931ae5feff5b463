package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.WriterBench.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The writer benchmark's tables, JSON and Markdown ({@code templates/writer.md}). */
final class WriterReport {
    private final String command;
    private final long events;
    private final List<Run> runs;
    private final WriterEvents.Fill fill;
    private final Map<String, Profiles.Profile> profiles;

    WriterReport(
            String command,
            long events,
            List<Run> runs,
            WriterEvents.Fill fill,
            Map<String, Profiles.Profile> profiles) {
        this.command = command;
        this.events = events;
        this.runs = List.copyOf(runs);
        this.fill = fill;
        this.profiles = profiles;
    }

    /** The builds in the order they first ran. */
    List<String> builds() {
        return List.copyOf(new LinkedHashSet<>(runs.stream().map(Run::build).toList()));
    }

    private List<Run> of(String build) {
        return runs.stream().filter(r -> r.build().equals(build)).toList();
    }

    /** Events applied/s of one build over its runs. */
    Summary rate(String build) {
        return Summary.of(of(build).stream().map(Run::perSecond).toList());
    }

    /** One row per build: medians with the runs' range, and the load average at each run's start. */
    String buildTable() {
        StringBuilder b = new StringBuilder();
        b.append("| sync-writer build | runs | events applied/s | ready → lag 0, events/s | writer CPU, cores"
                + " | writer RSS median / max | load average (1 min) at each run's start → end |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (String build : builds()) {
            List<Run> of = of(build);
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | **%s** | %s | %s | %s / %s MiB | %s |\n",
                    build,
                    of.size(),
                    range(rate(build), "%,.0f"),
                    range(Summary.of(of.stream().map(Run::wallPerSecond).toList()), "%,.0f"),
                    range(Summary.of(of.stream().map(Run::cores).toList()), "%.2f"),
                    fmt(
                            "%.0f",
                            Summary.of(of.stream().map(Run::rssMedianMib).toList())
                                    .median()),
                    fmt(
                            "%.0f",
                            Summary.of(of.stream().map(Run::rssMaxMib).toList()).max()),
                    String.join(
                            ", ",
                            of.stream()
                                    .map(r -> fmt("%.1f", r.loadStart()[0]) + " → " + fmt("%.1f", r.loadEnd()[0]))
                                    .toList())));
        }
        return b.toString();
    }

    /** Every run in the order it ran. */
    String runTable() {
        StringBuilder b = new StringBuilder();
        b.append("| # | run | sync-writer build | events applied/s | applied / stale | first transaction → last commit"
                + " | ready → lag 0 | writer CPU, cores | writer RSS median / max | load average 1 / 5 / 15 min at"
                + " start, 1 min at end |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        int i = 1;
        for (Run r : runs) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %s | %s%,.0f | %,d / %,d | %.1f s | %.1f s | %.2f | %.0f / %.0f MiB | %.1f / %.1f /"
                            + " %.1f → %.1f |\n",
                    i++,
                    r.run(),
                    r.build(),
                    r.finished() ? "" : "not finished: ",
                    r.perSecond(),
                    r.applied(),
                    r.stale(),
                    r.applySeconds(),
                    r.wallSeconds(),
                    r.cores(),
                    r.rssMedianMib(),
                    r.rssMaxMib(),
                    r.loadStart()[0],
                    r.loadStart()[1],
                    r.loadStart()[2],
                    r.loadEnd()[0]));
        }
        return b.toString();
    }

    /** Each build's median against the first build's, when several ran. */
    List<String> comparisons() {
        List<String> builds = builds();
        List<String> lines = new ArrayList<>();
        for (int i = 1; i < builds.size(); i++) {
            Summary base = rate(builds.get(0));
            Summary other = rate(builds.get(i));
            lines.add(String.format(
                    Locale.ROOT,
                    "%s ÷ %s: %.2f× (medians %,.0f ÷ %,.0f events/s; slowest %s run %,.0f, fastest %s run %,.0f)",
                    builds.get(i),
                    builds.get(0),
                    other.median() / base.median(),
                    other.median(),
                    base.median(),
                    builds.get(i),
                    other.min(),
                    builds.get(0),
                    base.max()));
        }
        return lines;
    }

    void json(ObjectNode doc) {
        ObjectNode parameters = doc.putObject("parameters");
        parameters.put("events", events);
        if (fill != null) {
            ObjectNode f = doc.putObject("fill");
            f.put("events", fill.events());
            f.put("entities", fill.newEntities());
            f.put("updates", fill.updates());
            f.put("seconds", fill.seconds());
            ObjectNode types = f.putObject("by_entity_type");
            fill.byType().forEach(types::put);
        }
        ObjectNode builds = doc.putObject("builds");
        for (String build : builds()) {
            builds.set(build, ReplayReport.summary(rate(build)));
        }
        ArrayNode list = doc.putArray("runs");
        for (Run r : runs) {
            ObjectNode n = BenchResults.json().valueToTree(r);
            n.put("events_per_s", r.perSecond());
            n.put("wall_events_per_s", r.wallPerSecond());
            n.put("cores", r.cores());
            list.add(n);
        }
        if (!profiles.isEmpty()) {
            ObjectNode p = doc.putObject("profiles");
            profiles.forEach((build, profile) -> {
                ObjectNode node = p.putObject(build);
                node.put("samples", profile.samples());
                ObjectNode comps = node.putObject("components");
                profile.components().forEach((k, v) -> comps.put(k, Math.round(1000.0 * v / profile.samples()) / 10.0));
            });
        }
    }

    String markdown() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", command);
        data.put("machine", BenchResults.machineLine());
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("events", String.format(Locale.ROOT, "%,d", events));
        data.put(
                "fill",
                fill == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "%,d events of %,d entities (%,d updates of an entity already on the topics); by entity"
                                        + " type %s",
                                fill.events(),
                                fill.newEntities(),
                                fill.updates(),
                                fill.byType()));
        data.put("builds", buildTable());
        data.put("runs", runTable());
        data.put("comparisons", comparisons());
        Map<String, String> profileText = new LinkedHashMap<>();
        profiles.forEach((build, profile) -> profileText.put(build, profile.describe(12)));
        data.put("profiles", profileText);
        return Templates.render("writer.md", data);
    }

    void report(ObjectNode doc) throws IOException {
        json(doc);
        System.out.println();
        System.out.printf(Locale.ROOT, "Sync-writer alone, %,d canonical events per run:%n", events);
        System.out.print(buildTable());
        comparisons().forEach(c -> System.out.println("  " + c));
        profiles.forEach((build, profile) -> {
            System.out.println();
            System.out.println("Profile of sync-writer " + build + " (JFR, its last run):");
            System.out.print(profile.describe(12));
        });
        Path md = BenchResults.write(WriterBench.NAME, doc, markdown());
        System.out.println();
        System.out.println("Results: " + md + ", " + md.resolveSibling(WriterBench.NAME + ".json"));
    }

    private static String range(Summary s, String format) {
        return s.runs().size() == 1
                ? fmt(format, s.median())
                : fmt(format, s.median()) + " (" + fmt(format, s.min()) + "–" + fmt(format, s.max()) + ")";
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
