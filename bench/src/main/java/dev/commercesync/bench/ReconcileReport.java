package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.ReconcileBench.Pass;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.RateLimitProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The reconcile benchmark's results: the tables, the projections onto the platforms' limits, JSON, charts, Markdown. */
final class ReconcileReport {
    private final String platform;
    private final double drift;
    private final BenchOptions options;
    private final boolean rateLimits;
    private final int days;

    ReconcileReport(String platform, double drift, BenchOptions options, boolean rateLimits, int days) {
        this.platform = platform;
        this.drift = drift;
        this.options = options;
        this.rateLimits = rateLimits;
        this.days = days;
    }

    /**
     * What a page of 100 costs where a platform's budget counts cost points (a GraphQL page of 100 with its cursor: up
     * to 100 + 2). To move into the adapter SPI's request cost (issue 15, capabilities) when it has one.
     */
    private static final int PAGE_COST_POINTS = 102;

    static Summary summary(List<Pass> runs, java.util.function.ToDoubleFunction<Pass> f) {
        return Summary.of(runs.stream().map(p -> f.applyAsDouble(p)).toList());
    }

    String table(
            List<Integer> sizes,
            Map<Integer, List<Pass>> clean,
            Map<Integer, List<Pass>> drifted,
            Map<Integer, Integer> injected) {
        StringBuilder b = new StringBuilder();
        b.append("| products | case | wall time, ms (median, range, spread) | API requests | counts | pages |"
                + " findings | CPU s: reconciler / poller / PostgreSQL / simulator |\n");
        b.append("|---:|---|---|---:|---:|---:|---:|---|\n");
        for (int n : sizes) {
            row(b, n, "in step", clean.getOrDefault(n, List.of()));
            row(
                    b,
                    n,
                    percent(drift) + " drift (" + injected.getOrDefault(n, 0) + ")",
                    drifted.getOrDefault(n, List.of()));
        }
        return b.toString();
    }

    static void row(StringBuilder b, int n, String label, List<Pass> runs) {
        if (runs.isEmpty()) {
            b.append(String.format(Locale.ROOT, "| %,d | %s | failed | | | | | |%n", n, label));
            return;
        }
        b.append(String.format(
                Locale.ROOT,
                "| %,d | %s | %s | %.0f | %.0f | %.0f | %.0f | %s |%n",
                n,
                label,
                summary(runs, Pass::wallMs).describe("%,.0f"),
                summary(runs, Pass::apiCalls).median(),
                summary(runs, Pass::countCalls).median(),
                summary(runs, Pass::listCalls).median(),
                summary(runs, Pass::findings).median(),
                List.of("reconciler", "poller", "postgres", "simulator").stream()
                        .map(k -> String.format(
                                Locale.ROOT,
                                "%.2f",
                                summary(runs, p -> p.cpuSeconds().getOrDefault(k, 0.0))
                                        .median()))
                        .collect(Collectors.joining(" / "))));
    }

    /**
     * What the measured requests would take at each registered platform's published limit (its adapter's {@link
     * RateLimitProfile}), with a full bucket at the start and nothing else spending it: (units − bucket) ÷ refill. A
     * count is one unit; a page of 100 is one request, or {@link #PAGE_COST_POINTS} where the budget counts cost points.
     */
    String projections(
            PlatformRegistry registry,
            List<Integer> sizes,
            Map<Integer, List<Pass>> clean,
            Map<Integer, List<Pass>> drifted) {
        List<String> names = BenchPlatforms.names();
        StringBuilder b = new StringBuilder();
        b.append("Time the requests alone would need at the platforms' rate limits (seconds; full bucket at the start,"
                + " nothing else spending it):\n\n");
        b.append("| products | case | API requests |");
        for (String name : names) {
            RateLimitProfile profile = registry.get(name).rateLimitProfile();
            b.append(String.format(
                    Locale.ROOT,
                    " %s (%,.0f %s, %,.4g/s%s) |",
                    name,
                    profile.budget(),
                    profile.unit(),
                    profile.refillPerSecond(),
                    costPoints(profile) ? "; count 1, page ≤ " + PAGE_COST_POINTS : ""));
        }
        b.append("\n|---:|---|---:|").append("---:|".repeat(names.size())).append('\n');
        for (int n : sizes) {
            for (var c : List.of(Map.entry("in step", clean), Map.entry(percent(drift) + " drift", drifted))) {
                List<Pass> runs = c.getValue().getOrDefault(n, List.of());
                if (runs.isEmpty()) {
                    continue;
                }
                double counts = summary(runs, Pass::countCalls).median();
                double pages = summary(runs, Pass::listCalls).median();
                b.append(String.format(Locale.ROOT, "| %,d | %s | %.0f |", n, c.getKey(), counts + pages));
                for (String name : names) {
                    RateLimitProfile profile = registry.get(name).rateLimitProfile();
                    double units = counts + (costPoints(profile) ? PAGE_COST_POINTS : 1) * pages;
                    b.append(String.format(Locale.ROOT, " %.1f |", limited(units, profile)));
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    static boolean costPoints(RateLimitProfile profile) {
        return profile.unit().equals("cost points");
    }

    static double limited(double units, RateLimitProfile profile) {
        return Math.max(0, units - profile.budget()) / profile.refillPerSecond();
    }

    void write(
            String command,
            List<Integer> sizes,
            Map<Integer, List<Pass>> clean,
            Map<Integer, List<Pass>> drifted,
            Map<Integer, Integer> injected,
            List<String> failures,
            String table,
            String projections,
            Map<String, Profiles.Profile> profiles)
            throws IOException {
        ObjectNode doc = BenchResults.document(ReconcileBench.NAME, command);
        ObjectNode setup = doc.putObject("setup");
        setup.put("platform", platform);
        setup.put("entity_type", ReconcileBench.TYPE.name());
        setup.put("drift", drift);
        setup.put("runs", options.runs);
        setup.put("rate_limits", rateLimits ? "enforced" : "lifted");
        setup.put("updated_at_spread_days", days);
        ArrayNode results = doc.putArray("results");
        Map<Double, Double> callsClean = new TreeMap<>();
        Map<Double, Double> callsDrift = new TreeMap<>();
        Map<Double, Double> wallClean = new TreeMap<>();
        Map<Double, Double> wallDrift = new TreeMap<>();
        Map<Double, Double> fullListing = new TreeMap<>();
        for (int n : sizes) {
            fullListing.put((double) n, Math.ceil(n / 100.0));
            ObjectNode r = results.addObject();
            r.put("products", n);
            r.put("injected_drift", injected.getOrDefault(n, 0));
            r.set("in_step", runsJson(clean.getOrDefault(n, List.of())));
            r.set("drift", runsJson(drifted.getOrDefault(n, List.of())));
            if (!clean.getOrDefault(n, List.of()).isEmpty()) {
                callsClean.put((double) n, summary(clean.get(n), Pass::apiCalls).median());
                wallClean.put((double) n, summary(clean.get(n), Pass::wallMs).median() / 1000);
            }
            if (!drifted.getOrDefault(n, List.of()).isEmpty()) {
                callsDrift.put(
                        (double) n, summary(drifted.get(n), Pass::apiCalls).median());
                wallDrift.put((double) n, summary(drifted.get(n), Pass::wallMs).median() / 1000);
            }
        }
        ArrayNode failed = doc.putArray("failures");
        failures.forEach(failed::add);
        ObjectNode prof = doc.putObject("profiles");
        profiles.forEach((m, p) -> prof.put(m, p.describe(15)));

        Path dir = BenchResults.dir();
        String driftLabel = percent(drift) + " drift";
        Charts.line(
                dir.resolve("reconcile-cost.png"),
                "Reconciliation: platform API requests per pass",
                "products in the store",
                "API requests",
                true,
                true,
                List.of(
                        Charts.series("in step", callsClean),
                        Charts.series(driftLabel, callsDrift),
                        Charts.series("for comparison: a full listing (pages of 100)", fullListing)));
        Charts.line(
                dir.resolve("reconcile-wall.png"),
                "Reconciliation: wall time per pass (rate limits " + (rateLimits ? "enforced" : "lifted") + ")",
                "products in the store",
                "seconds",
                true,
                true,
                List.of(Charts.series("in step", wallClean), Charts.series(driftLabel, wallDrift)));

        StringBuilder md = new StringBuilder();
        md.append("## Reconciliation cost against store size\n\n");
        md.append("What it measures: one reconciliation pass (`POST /reconciliation/run`, the reconciler's bucketed"
                        + " count-and-descend comparison, docs/reconciler.md) of one simulated ")
                .append(platform)
                .append(" store's products against sync-writer's target table, for stores of ")
                .append(sizes.stream()
                        .map(n -> String.format(Locale.ROOT, "%,d", n))
                        .collect(Collectors.joining(", ")))
                .append(" products: once with the target in step, once with ")
                .append(percent(drift))
                .append(
                        " of the products drifted (half missing from the target, half stale: edited on the platform since the last clean pass, the"
                                + " update lost on its way to the target)."
                                + " Wall time is from the request to the report; API requests are the report's, cross-checked"
                                + " against the requests the simulated store received (equal in every run). Every in-step pass"
                                + " must find nothing and every drift pass exactly the injected ids, or the run fails and is"
                                + " left out.\n\n");
        md.append("Command: `")
                .append(command)
                .append("` (")
                .append(BenchResults.machineLine())
                .append(").\n\n");
        md.append(table).append('\n');
        md.append("![API requests against store size](reconcile-cost.png)\n");
        md.append("![Wall time against store size](reconcile-wall.png)\n\n");
        md.append("The cost chart also draws what a full listing of the store costs (N / 100 pages: a full pass, or a"
                + " comparison without counts) for comparison.\n\n");
        md.append(projections).append('\n');
        md.append("Setup and assumptions:\n\n");
        md.append("- Services: poller (platform view: `/platform-view/{platform}/count|list`, through its rate"
                + " limiter and the platform adapter's real API client) and reconciler, full JIT, "
                + String.join(" ", BenchStack.SERVICE_JVM)
                + "; webhook-ingest and sync-writer run only to migrate the store registry and the target"
                + " tables and to register the stores, and are stopped before the first pass. Nothing runs on a"
                + " schedule (`quarkus.scheduler.enabled=false`: no polling, no webhook upkeep).\n");
        md.append("- Platform: ")
                .append(platform)
                .append(
                        rateLimits
                                ? ", with the simulator's rate limit and the poller's documented budget enforced."
                                : ", with the simulator's rate limit and the poller's budget lifted, so that the wall time is"
                                        + " the pipeline's own (WooCommerce is self-hosted and documents no API limit); the"
                                        + " table above projects the same requests onto the platforms' published limits."
                                        + " Real API round trips (100–300 ms each, sequential in a pass) would add"
                                        + " requests × latency.")
                .append(" Counts are one request each (`X-WP-Total` of a `per_page=1` listing on WooCommerce), a leaf"
                        + " lists one or two pages of 100.\n");
        md.append("- Store: products last updated at uniformly random whole seconds over the last ")
                .append(days)
                .append(" days (`SimulatedStore.seedHistory`); the simulator keeps an updated-at index, so its counts"
                        + " and pages cost O(range), not a scan of the store.\n");
        md.append("- Target: one live row per product in `target.products`, written by COPY with the columns"
                + " sync-writer writes (entity key, version = updated-at in epoch ms with basis SOURCE_UPDATED_AT,"
                + " source_updated_at, event id, mapping version) and a ~300-byte stand-in for the canonical JSON;"
                + " no variant rows (the reconciler reads only `target.entity_versions`); VACUUM ANALYZE after"
                + " loading and after injecting drift.\n");
        md.append("- Stale products are edited on the platform (`SimulatedStore.touch`: new version, no webhook) at"
                + " a time between the last clean pass and the drift pass — lost updates, the way a target falls"
                + " behind; the reconciler lists what changed since its last clean pass and counts the rest (passes"
                + " run with `settle=PT1S`). Missing ones are deleted from the target (lost rows, any age). Extras"
                + " (in the target only) are not injected: a missing and an extra product in one bucket cancel out"
                + " in the counts and are found by full passes only (docs/reconciler.md, Limits).\n");
        md.append("- Repairs: the pass publishes its fetch requests and findings to Kafka (acks=all, inside the"
                + " measured time), but the poller does not consume them here, so the drift is the same in every"
                + " run.\n");
        md.append("- One unmeasured warm-up pass per size; figures are medians of the runs; CPU seconds per process"
                + " from /proc (the simulator shares the benchmark's JVM).\n");
        if (!failures.isEmpty()) {
            md.append("\nFailed runs (not in the figures):\n\n");
            failures.forEach(f -> md.append("- ").append(f).append('\n'));
        }
        if (!profiles.isEmpty()) {
            md.append("\nWhere the CPU went (JFR):\n\n");
            profiles.forEach((m, p) -> md.append("```\n")
                    .append(m)
                    .append(": ")
                    .append(p.describe(12))
                    .append("```\n"));
        }
        Path written = BenchResults.write(ReconcileBench.NAME, doc, md.toString());
        System.out.println("results: " + written + " (+ .json, reconcile-cost.png, reconcile-wall.png)");
    }

    static ArrayNode runsJson(List<Pass> runs) {
        ArrayNode a = BenchResults.json().createArrayNode();
        for (Pass p : runs) {
            ObjectNode o = a.addObject();
            o.put("wall_ms", p.wallMs());
            o.put("api_calls", p.apiCalls());
            o.put("count_calls", p.countCalls());
            o.put("list_calls", p.listCalls());
            o.put("simulator_requests", p.simulatorRequests());
            o.put("buckets_compared", p.bucketsCompared());
            o.put("buckets_listed", p.bucketsListed());
            o.put("findings", p.findings());
            ObjectNode cpu = o.putObject("cpu_seconds");
            p.cpuSeconds().forEach(cpu::put);
        }
        return a;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.3g %%", share * 100).replaceAll("\\.?0+ %", " %");
    }
}
