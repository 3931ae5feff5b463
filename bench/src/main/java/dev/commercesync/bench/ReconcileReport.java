package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.ReconcileBench.Pass;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.RateLimitProfile;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
                    " %s (%,.0f %s, %s/s%s) |",
                    name,
                    profile.budget(),
                    profile.unit(),
                    BigDecimal.valueOf(profile.refillPerSecond())
                            .stripTrailingZeros()
                            .toPlainString(),
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

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("platform", platform);
        data.put(
                "sizes",
                sizes.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).collect(Collectors.joining(", ")));
        data.put("drift", percent(drift));
        data.put("command", command);
        data.put("machine", BenchResults.machineLine());
        data.put("table", table);
        data.put("projections", projections);
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("rateLimits", rateLimits);
        data.put("days", days);
        data.put("failures", failures);
        Map<String, String> profileText = new LinkedHashMap<>();
        profiles.forEach((m, p) -> profileText.put(m, p.describe(12)));
        data.put("profiles", profileText);
        String md = Templates.render("reconcile.md", data);
        Path written = BenchResults.write(ReconcileBench.NAME, doc, md);
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
