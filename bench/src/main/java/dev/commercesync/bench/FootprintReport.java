package dev.commercesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.FootprintBench.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The footprint benchmark's results: JSON, the per-flag-set component tables (printed and in the Markdown) and the
 * Markdown rendered from {@code templates/footprint.md}.
 */
final class FootprintReport {
    private static final List<String> STACK_COMPONENTS = List.of("kafka", "registry", "postgresql");

    /** RSS under the end-to-end load from {@code bench e2e}'s results: the offered rate, when, MiB by component. */
    record UnderLoad(String rate, String at, JsonNode mib) {
        /** From the latest {@code bench/results/e2e.json}, or null when there is none or it has no RSS. */
        static UnderLoad latest() {
            try {
                Path file = BenchResults.dir().resolve(EndToEndBench.NAME + ".json");
                return Files.isRegularFile(file) ? of(BenchResults.json().readTree(file.toFile())) : null;
            } catch (Exception e) {
                return null;
            }
        }

        /** The headline 1,000/s when measured, else the highest rate; null without RSS figures. */
        static UnderLoad of(JsonNode e2e) {
            if (!e2e.has("rss_under_load_mib")) {
                return null;
            }
            JsonNode byRate = e2e.get("rss_under_load_mib");
            String loadRate = null;
            double best = -1;
            for (Iterator<String> it = byRate.fieldNames(); it.hasNext(); ) {
                String rate = it.next();
                double value = Double.parseDouble(rate);
                if (best != 1000 && (value == 1000 || value > best)) {
                    best = value;
                    loadRate = rate;
                }
            }
            return loadRate == null
                    ? null
                    : new UnderLoad(loadRate, e2e.path("at").asText(), byRate.get(loadRate));
        }

        String ratePerSecond() {
            return String.format(Locale.ROOT, "%.0f", Double.parseDouble(rate));
        }
    }

    private final String command;
    private final int runs;
    private final int idleWait;
    private final List<String> services;
    private final Map<String, List<Run>> results;
    private final UnderLoad load;

    /**
     * @param results the runs of each JVM flag set, in the order measured
     * @param load RSS under the end-to-end load, or null when not measured yet
     */
    FootprintReport(
            String command,
            int runs,
            int idleWait,
            List<String> services,
            Map<String, List<Run>> results,
            UnderLoad load) {
        this.command = command;
        this.runs = runs;
        this.idleWait = idleWait;
        this.services = services;
        this.results = results;
        this.load = load;
    }

    /** Writes footprint.json and footprint.md and prints the start-up medians and the component tables. */
    void write() throws IOException {
        Path written = BenchResults.write(FootprintBench.NAME, json(), markdown(BenchResults.machineLine()));
        System.out.println();
        System.out.println("Whole stack start-up (medians):");
        for (var e : results.entrySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-5s flags: %s s (Kafka+registry+PostgreSQL %.1f s, services %.1f s)%n",
                    e.getKey(),
                    summary(e.getValue(), r -> r.total).describe("%.1f"),
                    summary(e.getValue(), r -> r.stack).median(),
                    summary(e.getValue(), r -> r.services).median());
        }
        System.out.println();
        results.forEach((jvm, r) -> {
            System.out.print(componentTable(jvm, r));
            System.out.println();
            if (hasCpu(r)) {
                System.out.print(cpuTable(jvm, r));
                System.out.println();
            }
        });
        System.out.println("Wrote " + written + " and " + BenchResults.dir().resolve(FootprintBench.NAME + ".json"));
    }

    ObjectNode json() {
        ObjectNode doc = BenchResults.document(FootprintBench.NAME, command);
        doc.put("idle_wait_seconds", idleWait);
        if (load != null) {
            ObjectNode under = doc.putObject("rss_under_e2e_load");
            under.put("offered_webhooks_per_second", Double.parseDouble(load.rate()));
            under.put("from", "bench/results/e2e.json of " + load.at());
            under.set("mib", load.mib());
        }
        ObjectNode flagsNode = doc.putObject("jvm_flags");
        for (var e : results.entrySet()) {
            List<Run> runs = e.getValue();
            ObjectNode f = flagsNode.putObject(e.getKey());
            put(f, "stack_seconds", summary(runs, r -> r.stack));
            put(f, "services_parallel_seconds", summary(runs, r -> r.services));
            put(f, "whole_stack_seconds", summary(runs, r -> r.total));
            ObjectNode perService = f.putObject("services");
            for (String module : services) {
                ObjectNode s = perService.putObject(module);
                put(s, "ready_in_parallel_start_seconds", summary(runs, r -> r.parallelReady.get(module)));
                put(s, "alone_seconds", summary(runs, r -> r.alone.get(module)));
                put(s, "idle_rss_alone_mib", summary(runs, r -> r.idleRssAlone.get(module)));
                put(s, "idle_rss_all_running_mib", summary(runs, r -> r.idleRssAll.get(module)));
            }
            ObjectNode comp = f.putObject("stack_components_idle_mib");
            for (String c : STACK_COMPONENTS) {
                put(comp, c, summary(runs, r -> r.idleRssAll.get(c)));
            }
            if (hasCpu(runs)) {
                ObjectNode cpu = f.putObject("cpu_seconds");
                put(cpu, "services_together_when_all_ready", summary(runs, r -> servicesCpu(r)));
                for (String module : services) {
                    ObjectNode s = cpu.putObject(module);
                    put(s, "alone_at_ready", summary(runs, r -> r.cpuAlone.get(module)));
                    put(s, "parallel_start_when_all_ready", summary(runs, r -> r.cpuAll.get(module)));
                }
                for (String c : STACK_COMPONENTS) {
                    ObjectNode s = cpu.putObject(c);
                    put(s, "when_stack_ready", summary(runs, r -> r.cpuStack.get(c)));
                    put(s, "when_all_services_ready", summary(runs, r -> r.cpuAll.get(c)));
                }
            }
        }
        return doc;
    }

    /** footprint.md, measured on {@code machine}. */
    String markdown(String machine) {
        List<Map<String, String>> startup = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (var e : results.entrySet()) {
            List<Run> runs = e.getValue();
            startup.add(Map.of(
                    "jvm", e.getKey(),
                    "stack", cell(summary(runs, r -> r.stack)),
                    "services", cell(summary(runs, r -> r.services)),
                    "total", cell(summary(runs, r -> r.total))));
            tables.add(componentTable(e.getKey(), runs));
            if (hasCpu(runs)) {
                tables.add(cpuTable(e.getKey(), runs));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("machine", machine);
        data.put("command", command);
        data.put("idleWait", idleWait);
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("runs", runs);
        data.put("startup", startup);
        data.put("tables", tables);
        data.put("underLoad", load != null);
        if (load != null) {
            data.put("loadAt", load.at());
            data.put("loadRate", load.ratePerSecond());
        }
        return Templates.render("footprint.md", data);
    }

    /** One flag set's services and stack components: start-up, idle RSS and (bench flags) RSS under load. */
    String componentTable(String jvm, List<Run> runs) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "**%s JVM flags**%n%n", jvm));
        t.append("| component | start alone (s) | ready in the parallel start (s) | idle RSS alone (MiB) |"
                + " idle RSS, all running (MiB) |");
        boolean withLoad = load != null && jvm.equals("bench");
        if (withLoad) {
            t.append(" RSS under e2e load at " + load.ratePerSecond() + " webhooks/s, median / max (MiB) |");
        }
        t.append("\n|---|---:|---:|---:|---:|").append(withLoad ? "---:|" : "").append('\n');
        for (String module : services) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s |",
                    module,
                    cell(summary(runs, r -> r.alone.get(module))),
                    cell(summary(runs, r -> r.parallelReady.get(module))),
                    cell(summary(runs, r -> r.idleRssAlone.get(module))),
                    cell(summary(runs, r -> r.idleRssAll.get(module)))));
            if (withLoad) {
                t.append(' ').append(loadCell(load.mib().get(module))).append(" |");
            }
            t.append('\n');
        }
        for (String c : STACK_COMPONENTS) {
            Summary s = summary(runs, r -> r.idleRssAll.get(c));
            if (Double.isNaN(s.median())) {
                continue;
            }
            t.append(String.format(Locale.ROOT, "| %s | | | | %s |", c, cell(s)));
            if (withLoad) {
                t.append(' ').append(loadCell(load.mib().get(c))).append(" |");
            }
            t.append('\n');
        }
        return t.toString();
    }

    /**
     * CPU seconds (user + system) each JVM used to become ready: a start's cost, which, unlike its wall time, other
     * work on a shared machine hardly changes. On 2 cores the parallel start cannot take less wall time than half the
     * CPU seconds started together.
     */
    String cpuTable(String jvm, List<Run> runs) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "**%s JVM flags: CPU seconds**%n%n", jvm));
        t.append("| component | started alone, at ready | whole stack: when Kafka, registry and PostgreSQL were ready |"
                + " whole stack: when all services were ready |\n|---|---:|---:|---:|\n");
        for (String module : services) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | | %s |%n",
                    module,
                    cell(summary(runs, r -> r.cpuAlone.get(module))),
                    cell(summary(runs, r -> r.cpuAll.get(module)))));
        }
        t.append(String.format(
                Locale.ROOT, "| all services together | | | %s |%n", cell(summary(runs, r -> servicesCpu(r)))));
        for (String c : STACK_COMPONENTS) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | | %s | %s |%n",
                    c,
                    cell(summary(runs, r -> r.cpuStack.get(c))),
                    cell(summary(runs, r -> r.cpuAll.get(c)))));
        }
        return t.toString();
    }

    private static boolean hasCpu(List<Run> runs) {
        return runs.stream().anyMatch(r -> !r.cpuAll.isEmpty());
    }

    /** The services' CPU seconds together when all were ready, or null when one is missing. */
    private Double servicesCpu(Run r) {
        double sum = 0;
        for (String module : services) {
            Double v = r.cpuAll.get(module);
            if (v == null || v < 0) {
                return null;
            }
            sum += v;
        }
        return sum;
    }

    private static String loadCell(JsonNode n) {
        if (n == null || !n.has("median_mib")) {
            return "–";
        }
        return String.format(
                Locale.ROOT,
                "%.0f / %.0f",
                n.get("median_mib").asDouble(),
                n.get("max_mib").asDouble());
    }

    private static Summary summary(List<Run> runs, Function<Run, Double> f) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            Double v = f.apply(r);
            if (v != null && v >= 0) {
                values.add(v);
            }
        }
        return values.isEmpty() ? new Summary(Double.NaN, Double.NaN, Double.NaN, List.of()) : Summary.of(values);
    }

    /** The median (whole MiB or seconds from 100, else one decimal) and, over several runs, the spread. */
    private static String cell(Summary s) {
        return EndToEndReport.cell(s, s.median() >= 100 ? "%.0f" : "%.1f");
    }

    private static void put(ObjectNode node, String name, Summary s) {
        if (Double.isNaN(s.median())) {
            return;
        }
        ObjectNode n = node.putObject(name);
        n.put("median", Math.round(s.median() * 10) / 10.0);
        n.put("min", Math.round(s.min() * 10) / 10.0);
        n.put("max", Math.round(s.max() * 10) / 10.0);
        n.put("spread_percent", Math.round(s.spreadPercent() * 10) / 10.0);
        n.put("runs", s.runs().size());
    }
}
