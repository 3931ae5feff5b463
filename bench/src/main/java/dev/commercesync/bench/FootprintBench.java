package dev.commercesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.cli.LocalServices;
import dev.commercesync.devstack.ServiceNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code synctl bench footprint}: start-up time of the whole local stack (Kafka, registry, PostgreSQL, then the five
 * services in parallel, as {@code synctl up} and the demo do) and of each service alone, the services' idle RSS, and
 * — from the latest {@code bench e2e} results — their RSS under the end-to-end load.
 */
@Command(
        name = "footprint",
        mixinStandardHelpOptions = true,
        description = {
            "Footprint: start-up time of the whole stack (Kafka, registry, PostgreSQL, then the five services in",
            "parallel, as synctl up / demo) and of each service alone; idle RSS; RSS under the end-to-end load (from",
            "bench/results/e2e.json when present). Medians of --runs. Results: bench/results/footprint.{json,md}."
        })
public final class FootprintBench implements Callable<Integer> {
    static final String NAME = "footprint";
    private static final List<String> SERVICES = List.copyOf(LocalServices.PORTS.keySet());
    private static final Pattern READY = Pattern.compile("^\\s*(\\S+)\\s+http\\S+\\s+ready after ([0-9.]+) s");

    @Mixin
    BenchOptions options;

    @Option(
            names = "--jvm",
            split = ",",
            defaultValue = "demo,bench",
            description =
                    "JVM flag sets to measure: demo (what synctl up / demo use: C1 only, SerialGC, -Xmx384m),"
                            + " bench (full JIT, -Xmx512m, as the other benchmarks run the services) (default: ${DEFAULT-VALUE}).")
    List<String> jvms;

    @Option(
            names = "--idle-wait",
            defaultValue = "10",
            description = "Seconds after a start before reading the idle RSS (default: ${DEFAULT-VALUE}).")
    int idleWait;

    /** One measurement of one flag set. */
    private static final class Run {
        double stack, services, total;
        Map<String, Double> parallelReady = new LinkedHashMap<>();
        Map<String, Double> alone = new LinkedHashMap<>();
        Map<String, Double> idleRssAll = new LinkedHashMap<>();
        Map<String, Double> idleRssAlone = new LinkedHashMap<>();
    }

    @Override
    public Integer call() throws Exception {
        String command = "./synctl bench footprint --runs " + options.runs + " --jvm " + String.join(",", jvms)
                + " --idle-wait " + idleWait;
        System.out.println("synctl bench footprint — " + BenchResults.machineLine());
        Map<String, List<Run>> results = new LinkedHashMap<>();
        for (int run = 1; run <= options.runs; run++) {
            for (String jvm : jvms) {
                System.out.printf(Locale.ROOT, "Run %d of %d, %s JVM flags:%n", run, options.runs, jvm);
                results.computeIfAbsent(jvm, k -> new ArrayList<>()).add(measure(jvm));
            }
        }
        write(command, results);
        return 0;
    }

    private static Function<String, List<String>> flags(String jvm) {
        return switch (jvm) {
            case "demo" -> module -> List.of();
            case "bench" -> module -> BenchStack.SERVICE_JVM;
            default -> throw new IllegalArgumentException("--jvm takes demo and/or bench, not " + jvm);
        };
    }

    private Run measure(String jvm) throws Exception {
        Run r = new Run();
        Map<String, String> config = Map.of();
        try (BenchStack bench = BenchStack.start(NAME, List.of(), config, false, line -> {})) {
            r.stack = bench.stackStartup().toMillis() / 1000.0;
            long t0 = System.nanoTime();
            try (LocalServices all = LocalServices.start(
                    bench.endpoints(),
                    bench.dataDir(),
                    Duration.ofSeconds(300),
                    line -> {
                        Matcher m = READY.matcher(line);
                        if (m.find()) {
                            r.parallelReady.put(m.group(1), Double.parseDouble(m.group(2)));
                        }
                    },
                    bench.ports(),
                    config,
                    SERVICES,
                    flags(jvm))) {
                r.services = (System.nanoTime() - t0) / 1e9;
                r.total = r.stack + r.services;
                System.out.printf(
                        Locale.ROOT,
                        "  whole stack from an empty folder: Kafka+registry+PostgreSQL %.1f s, then the five services"
                                + " in parallel %.1f s: %.1f s%n",
                        r.stack,
                        r.services,
                        r.total);
                Thread.sleep(idleWait * 1000L);
                for (ServiceNode node : all.nodes()) {
                    r.idleRssAll.put(node.name(), BenchResults.rssMib(node.pid()));
                }
                StackProcesses.memory(bench.dataDir(), bench.endpoints().registryUrl())
                        .forEach(r.idleRssAll::put);
                System.out.println("  idle RSS MiB, all running: " + describe(r.idleRssAll));
            }
            for (String module : SERVICES) {
                long s0 = System.nanoTime();
                try (LocalServices one = LocalServices.start(
                        bench.endpoints(),
                        bench.dataDir(),
                        Duration.ofSeconds(300),
                        line -> {},
                        bench.ports(),
                        config,
                        List.of(module),
                        flags(jvm))) {
                    double seconds = (System.nanoTime() - s0) / 1e9;
                    r.alone.put(module, seconds);
                    Thread.sleep(idleWait * 1000L);
                    double rss = BenchResults.rssMib(one.nodes().get(0).pid());
                    r.idleRssAlone.put(module, rss);
                    System.out.printf(
                            Locale.ROOT, "  %-16s alone: ready in %.1f s, idle RSS %.0f MiB%n", module, seconds, rss);
                }
            }
        }
        return r;
    }

    private static String describe(Map<String, Double> rss) {
        List<String> parts = new ArrayList<>();
        rss.forEach((k, v) -> parts.add(k + " " + Math.round(v)));
        return String.join(", ", parts);
    }

    private void write(String command, Map<String, List<Run>> results) throws Exception {
        ObjectNode doc = BenchResults.document(NAME, command);
        doc.put("idle_wait_seconds", idleWait);
        JsonNode e2e = latestE2e();
        String loadRate = null;
        JsonNode loadRss = null;
        if (e2e != null && e2e.has("rss_under_load_mib")) {
            JsonNode byRate = e2e.get("rss_under_load_mib");
            double best = -1;
            for (Iterator<String> it = byRate.fieldNames(); it.hasNext(); ) {
                String rate = it.next();
                double value = Double.parseDouble(rate);
                // the headline 1,000/s when measured, else the highest rate
                if (best != 1000 && (value == 1000 || value > best)) {
                    best = value;
                    loadRate = rate;
                }
            }
            if (loadRate != null) {
                loadRss = byRate.get(loadRate);
                ObjectNode under = doc.putObject("rss_under_e2e_load");
                under.put("offered_webhooks_per_second", Double.parseDouble(loadRate));
                under.put("from", "bench/results/e2e.json of " + e2e.path("at").asText());
                under.set("mib", loadRss);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("## Footprint: start-up time and memory\n\n");
        md.append("Measured on ").append(BenchResults.machineLine()).append(".\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        md.append("- **Whole stack**: from an empty data folder, Kafka, the registry and PostgreSQL start in parallel,"
                + " then the five services in parallel once they are ready (what `synctl up` and `synctl demo` do:"
                + " the demo adds only its simulator). Until every `/q/health/ready` answers 200; includes the"
                + " services' first-start work (Flyway migrations, topic creation).\n");
        md.append("- **Alone**: each service started by itself against that running stack (schema already migrated,"
                + " as on a restart), until ready.\n");
        md.append("- **Idle RSS**: resident memory ")
                .append(idleWait)
                .append(" s after ready, no traffic (services"
                        + " and the JVMs of Kafka and the registry: RSS; PostgreSQL: summed PSS of its processes).\n");
        md.append("- **JVM flags**: *demo* = what `synctl up` / `synctl demo` use (`-Xms64m -Xmx384m"
                + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1`: quick start, C1 only); *bench* = the flags the"
                + " benchmarks (and production-like runs) use on top (`"
                + String.join(" ", BenchStack.SERVICE_JVM) + "`: full JIT).\n");
        md.append(String.format(
                Locale.ROOT,
                "- Medians of %d run(s); ranges and spread (range / median) in footprint.json.%n%n",
                options.runs));
        StringBuilder printed = new StringBuilder();
        md.append(
                "| JVM flags | Kafka + registry + PostgreSQL (s) | five services in parallel (s) | whole stack (s) |\n");
        md.append("|---|---:|---:|---:|\n");
        ObjectNode flagsNode = doc.putObject("jvm_flags");
        for (var e : results.entrySet()) {
            List<Run> runs = e.getValue();
            Summary stack = Summary.of(runs.stream().map(r -> r.stack).toList());
            Summary services = Summary.of(runs.stream().map(r -> r.services).toList());
            Summary total = Summary.of(runs.stream().map(r -> r.total).toList());
            md.append(String.format(
                    Locale.ROOT, "| %s | %s | %s | %s |%n", e.getKey(), cell(stack), cell(services), cell(total)));
            ObjectNode f = flagsNode.putObject(e.getKey());
            put(f, "stack_seconds", stack);
            put(f, "services_parallel_seconds", services);
            put(f, "whole_stack_seconds", total);
            ObjectNode perService = f.putObject("services");
            for (String module : SERVICES) {
                ObjectNode s = perService.putObject(module);
                put(s, "ready_in_parallel_start_seconds", summary(runs, r -> r.parallelReady.get(module)));
                put(s, "alone_seconds", summary(runs, r -> r.alone.get(module)));
                put(s, "idle_rss_alone_mib", summary(runs, r -> r.idleRssAlone.get(module)));
                put(s, "idle_rss_all_running_mib", summary(runs, r -> r.idleRssAll.get(module)));
            }
            ObjectNode comp = f.putObject("stack_components_idle_mib");
            for (String c : List.of("kafka", "registry", "postgresql")) {
                Summary s = summary(runs, r -> r.idleRssAll.get(c));
                if (!Double.isNaN(s.median())) {
                    put(comp, c, s);
                }
            }
        }
        md.append('\n');
        for (var e : results.entrySet()) {
            List<Run> runs = e.getValue();
            StringBuilder t = new StringBuilder();
            t.append(String.format(Locale.ROOT, "**%s JVM flags**%n%n", e.getKey()));
            t.append("| component | start alone (s) | ready in the parallel start (s) | idle RSS alone (MiB) |"
                    + " idle RSS, all running (MiB) |");
            boolean load = loadRss != null && e.getKey().equals("bench");
            if (load) {
                t.append(String.format(
                        Locale.ROOT,
                        " RSS under e2e load at %.0f webhooks/s, median / max (MiB) |",
                        Double.parseDouble(loadRate)));
            }
            t.append("\n|---|---:|---:|---:|---:|").append(load ? "---:|" : "").append('\n');
            for (String module : SERVICES) {
                t.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %s | %s |",
                        module,
                        cell(summary(runs, r -> r.alone.get(module))),
                        cell(summary(runs, r -> r.parallelReady.get(module))),
                        cell(summary(runs, r -> r.idleRssAlone.get(module))),
                        cell(summary(runs, r -> r.idleRssAll.get(module)))));
                if (load) {
                    t.append(' ').append(loadCell(loadRss.get(module))).append(" |");
                }
                t.append('\n');
            }
            for (String c : List.of("kafka", "registry", "postgresql")) {
                Summary s = summary(runs, r -> r.idleRssAll.get(c));
                if (Double.isNaN(s.median())) {
                    continue;
                }
                t.append(String.format(Locale.ROOT, "| %s | | | | %s |", c, cell(s)));
                if (load) {
                    t.append(' ').append(loadCell(loadRss.get(c))).append(" |");
                }
                t.append('\n');
            }
            t.append('\n');
            md.append(t);
            printed.append(t);
        }
        if (loadRss == null) {
            md.append("RSS under load: no bench/results/e2e.json yet (run `./synctl bench e2e` first, then this).\n");
        } else {
            md.append(String.format(
                    Locale.ROOT,
                    "RSS under load is from `bench e2e` (%s): sampled every 5 s during its %.0f webhooks/s runs, services"
                            + " with the bench flags.%n",
                    e2e.path("at").asText(),
                    Double.parseDouble(loadRate)));
        }
        Path written = BenchResults.write(NAME, doc, md.toString());
        System.out.println();
        System.out.println("Whole stack start-up (medians):");
        for (var e : results.entrySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "  %-5s flags: %s s (Kafka+registry+PostgreSQL %s s, services %s s)%n",
                    e.getKey(),
                    Summary.of(e.getValue().stream().map(r -> r.total).toList()).describe("%.1f"),
                    String.format(
                            Locale.ROOT,
                            "%.1f",
                            Summary.of(e.getValue().stream().map(r -> r.stack).toList())
                                    .median()),
                    String.format(
                            Locale.ROOT,
                            "%.1f",
                            Summary.of(e.getValue().stream()
                                            .map(r -> r.services)
                                            .toList())
                                    .median()));
        }
        System.out.println();
        System.out.print(printed);
        System.out.println("Wrote " + written + " and " + BenchResults.dir().resolve(NAME + ".json"));
    }

    private static JsonNode latestE2e() {
        try {
            Path file = BenchResults.dir().resolve(EndToEndBench.NAME + ".json");
            return Files.isRegularFile(file) ? BenchResults.json().readTree(file.toFile()) : null;
        } catch (Exception e) {
            return null;
        }
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

    private static String cell(Summary s) {
        if (Double.isNaN(s.median())) {
            return "–";
        }
        String v = s.median() >= 100
                ? String.format(Locale.ROOT, "%.0f", s.median())
                : String.format(Locale.ROOT, "%.1f", s.median());
        return s.runs().size() < 2 ? v : v + String.format(Locale.ROOT, " (spread %.0f%%)", s.spreadPercent());
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
