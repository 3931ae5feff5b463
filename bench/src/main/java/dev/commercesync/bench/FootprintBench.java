package dev.commercesync.bench;

import dev.commercesync.cli.LocalServices;
import dev.commercesync.devstack.ClassDataArchive;
import dev.commercesync.devstack.ServiceNode;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code synctl bench footprint}: start-up time of the whole local stack (Kafka, registry, PostgreSQL, then the
 * services in parallel, as {@code synctl up} and the demo do) and of each service alone, the services' idle RSS, and
 * — from the latest {@code bench e2e} results — their RSS under the end-to-end load.
 */
@Command(
        name = "footprint",
        mixinStandardHelpOptions = true,
        description = {
            "Footprint: start-up time of the whole stack (Kafka, registry, PostgreSQL, then the six services in",
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
            names = "--class-data-sharing",
            split = ",",
            defaultValue = "on",
            description = "on: the JVMs map their class-data archives (what synctl up / demo do; an unmeasured first"
                    + " start writes any missing one); off: without (as before the archives). on,off alternates both"
                    + " in each run (default: ${DEFAULT-VALUE}).")
    List<String> classDataSharing;

    @Option(names = "--no-alone", description = "Measure the whole stack only, not each service started alone.")
    boolean noAlone;

    @Option(
            names = "--idle-wait",
            defaultValue = "10",
            description = "Seconds after a start before reading the idle RSS (default: ${DEFAULT-VALUE}).")
    int idleWait;

    /** One measurement of one flag set: seconds and MiB by component. */
    static final class Run {
        double stack, services, total;
        Map<String, Double> parallelReady = new LinkedHashMap<>();
        Map<String, Double> alone = new LinkedHashMap<>();
        Map<String, Double> idleRssAll = new LinkedHashMap<>();
        Map<String, Double> idleRssAlone = new LinkedHashMap<>();
        /** CPU seconds of Kafka, the registry and PostgreSQL when the three are ready. */
        Map<String, Double> cpuStack = new LinkedHashMap<>();
        /** CPU seconds of each service (and stack component) once all services are ready. */
        Map<String, Double> cpuAll = new LinkedHashMap<>();
        /** CPU seconds of each service started alone, at ready. */
        Map<String, Double> cpuAlone = new LinkedHashMap<>();
    }

    @Override
    public Integer call() throws Exception {
        String command = "./synctl bench footprint --runs " + options.runs + " --jvm " + String.join(",", jvms)
                + " --class-data-sharing " + String.join(",", classDataSharing) + (noAlone ? " --no-alone" : "")
                + " --idle-wait " + idleWait;
        for (String mode : classDataSharing) {
            if (!mode.equals("on") && !mode.equals("off")) {
                throw new IllegalArgumentException("--class-data-sharing takes on and/or off, not " + mode);
            }
        }
        System.out.println("synctl bench footprint — " + BenchResults.machineLine());
        for (String jvm : jvms) {
            // Unmeasured: reads every jar into the page cache for all modes alike and, with archives, writes any
            // missing one (the first start of a build), so that the measured starts are later starts.
            useClassDataSharing(classDataSharing.contains("on"));
            long t0 = System.nanoTime();
            try (BenchStack bench = BenchStack.start(NAME, List.of(), Map.of(), false, line -> {});
                    LocalServices all = LocalServices.start(
                            bench.endpoints(),
                            bench.dataDir(),
                            Duration.ofSeconds(300),
                            line -> {},
                            bench.ports(),
                            Map.of(),
                            SERVICES,
                            flags(jvm))) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                boolean written = ClassDataArchive.awaitPending();
                System.out.printf(
                        Locale.ROOT,
                        "Unmeasured first start, %s JVM flags: %.1f s%s%n",
                        jvm,
                        seconds,
                        classDataSharing.contains("on")
                                ? (written ? "; class-data archives current" : "; some archive could not be written")
                                : "");
            }
        }
        Map<String, List<Run>> results = new LinkedHashMap<>();
        for (int run = 1; run <= options.runs; run++) {
            for (String jvm : jvms) {
                for (String mode : classDataSharing) {
                    String label = mode.equals("on") ? jvm : jvm + " without CDS";
                    System.out.printf(Locale.ROOT, "Run %d of %d, %s JVM flags:%n", run, options.runs, label);
                    useClassDataSharing(mode.equals("on"));
                    results.computeIfAbsent(label, k -> new ArrayList<>()).add(measure(jvm));
                }
            }
        }
        System.clearProperty(ClassDataArchive.PROPERTY);
        new FootprintReport(command, options.runs, idleWait, SERVICES, results, FootprintReport.UnderLoad.latest())
                .write();
        return 0;
    }

    /** The stack and the services started from here on map their archives (true) or run without (false). */
    private static void useClassDataSharing(boolean on) {
        System.setProperty(ClassDataArchive.PROPERTY, Boolean.toString(on));
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
            r.cpuStack.putAll(
                    StackProcesses.cpuSeconds(bench.dataDir(), bench.endpoints().registryUrl()));
            long t0 = System.nanoTime();
            try (LocalServices all = LocalServices.start(
                    bench.endpoints(),
                    bench.dataDir(),
                    Duration.ofSeconds(300),
                    line -> {
                        Matcher m = READY.matcher(line);
                        if (m.find()) {
                            r.parallelReady.put(m.group(1), Double.parseDouble(m.group(2)));
                        } else if (line.startsWith("schemas")) {
                            System.out.println("  " + line); // registered before the services start
                        }
                    },
                    bench.ports(),
                    config,
                    SERVICES,
                    flags(jvm))) {
                r.services = (System.nanoTime() - t0) / 1e9;
                r.total = r.stack + r.services;
                for (ServiceNode node : all.nodes()) {
                    r.cpuAll.put(node.name(), BenchResults.cpuSeconds(node.pid()));
                }
                r.cpuAll.putAll(StackProcesses.cpuSeconds(
                        bench.dataDir(), bench.endpoints().registryUrl()));
                System.out.printf(
                        Locale.ROOT,
                        "  whole stack from an empty folder: Kafka+registry+PostgreSQL %.1f s, then the services"
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
                System.out.println(
                        "  CPU s when Kafka+registry+PostgreSQL were ready: " + describe(r.cpuStack, "%.1f"));
                System.out.println("  CPU s when all services were ready: " + describe(r.cpuAll, "%.1f"));
            }
            for (String module : noAlone ? List.<String>of() : SERVICES) {
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
                    double cpu = BenchResults.cpuSeconds(one.nodes().get(0).pid());
                    r.cpuAlone.put(module, cpu);
                    Thread.sleep(idleWait * 1000L);
                    double rss = BenchResults.rssMib(one.nodes().get(0).pid());
                    r.idleRssAlone.put(module, rss);
                    System.out.printf(
                            Locale.ROOT,
                            "  %-16s alone: ready in %.1f s (%.1f CPU s), idle RSS %.0f MiB%n",
                            module,
                            seconds,
                            cpu,
                            rss);
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

    private static String describe(Map<String, Double> values, String format) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, format, v)));
        return String.join(", ", parts);
    }
}
