package dev.commercesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSnapshot.EntityVersion;
import dev.commercesync.simulator.StoreSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Figure 3 of the benchmarks: wall time and platform API requests of one reconciliation pass (the reconciler's {@code
 * POST /reconciliation/run}) of stores of growing size, once in step and once with a small share of drift, to show
 * whether the cost follows the drift or the store's size.
 *
 * <p>Setup per size: a simulated store with N products whose updated-at are spread over the last {@code --days}
 * days, and the same N products in sync-writer's target table ({@code target.products}, written by COPY exactly as
 * sync-writer writes the columns the reconciler reads). Drift: a share of the products deleted from the target
 * (missing, lost rows) or edited on the platform since the last clean pass without the target hearing of it (stale,
 * lost updates). Every pass must find exactly what was injected, or the run fails.
 */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description = {
            "Reconciliation cost against store size: wall time and platform API requests of one pass of N products,"
                    + " in step and with drift (default 10k, 100k and 1M products, 0.1 %% drift).",
            "Writes bench/results/reconcile.{json,md} and reconcile-cost.png, reconcile-wall.png."
        })
public final class ReconcileBench implements Callable<Integer> {
    static final String NAME = "reconcile";

    static final EntityType TYPE = EntityType.PRODUCT;
    private static final List<String> MODULES = List.of("sync-writer", "webhook-ingest", "poller", "reconciler");
    private static final List<String> MEASURED = List.of("reconciler", "poller");

    @Mixin
    BenchOptions options;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "10000,100000,1000000",
            description = "Products per store, one store per size (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(
            names = "--drift",
            defaultValue = "0.001",
            description = "Share of the products drifted in the drift case: half missing from the target, half stale"
                    + " (lost updates since the last clean pass) (default: ${DEFAULT-VALUE}).")
    double drift;

    @Option(
            names = "--platform",
            required = true,
            completionCandidates = BenchPlatforms.class,
            description = "Simulated platform, one of ${COMPLETION-CANDIDATES} (the published figures: the one"
                    + " bench/README.md names).")
    String platform;

    @Option(
            names = "--rate-limits",
            description = "Enforce the platform's rate limit (the simulator's and the poller's documented budget);"
                    + " by default both are lifted so that the wall time shows the pipeline's own cost.")
    boolean rateLimits;

    @Option(
            names = "--days",
            defaultValue = "90",
            description =
                    "The products' updated-at are spread uniformly over this many days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the store and of the drift.")
    long seed;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One measured pass. */
    record Pass(
            double wallMs,
            int apiCalls,
            int countCalls,
            int listCalls,
            long simulatorRequests,
            int bucketsCompared,
            int bucketsListed,
            int findings,
            Map<String, Double> cpuSeconds) {}

    @Override
    public Integer call() throws Exception {
        BenchPlatforms.check(platform);
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 100)) {
            System.err.println("--sizes: at least 100 products each");
            return 2;
        }
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        PlatformAdapter adapter = registry.get(platform);
        String mappingVersion =
                adapter.mapper(TYPE).map(EntityMapper::mappingVersion).orElse(platform + "/products");
        List<Integer> ordered = sizes.stream().distinct().sorted().toList();
        String command = "synctl bench reconcile --sizes "
                + ordered.stream().map(String::valueOf).collect(Collectors.joining(",")) + " --drift " + drift
                + " --runs " + options.runs + " --platform " + platform
                + (rateLimits ? " --rate-limits" : "") + (options.profile ? " --profile" : "");
        System.out.println("synctl bench reconcile: " + BenchResults.machineLine());
        System.out.printf(
                Locale.ROOT,
                "%s products per store, %s drift, %d runs each, platform %s, rate limits %s%n",
                ordered,
                ReconcileReport.percent(drift),
                options.runs,
                platform,
                rateLimits ? "enforced" : "lifted");

        ReconcileTarget target = new ReconcileTarget(platform, drift);
        Map<Integer, List<Pass>> clean = new LinkedHashMap<>();
        Map<Integer, List<Pass>> drifted = new LinkedHashMap<>();
        Map<Integer, Integer> injected = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, Profiles.Profile> profiles = Map.of();
        try (Simulator simulator = Simulator.start(0)) {
            BenchStack stack =
                    BenchStack.start(NAME, MODULES, Map.of(), moduleConfig(), options.profile, System.out::println);
            try {
                Map<Integer, SimulatedStore> stores = new LinkedHashMap<>();
                Map<Integer, List<EntityVersion>> entities = new LinkedHashMap<>();
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                for (int n : ordered) {
                    long t0 = System.nanoTime();
                    SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, "reconcile-" + n)
                            .seed(seed + n)
                            .catalog(0, 0)
                            .rateLimits(rateLimits)
                            .build());
                    entities.put(
                            n,
                            store.seedHistory(
                                    TYPE, n, now.minus(Duration.ofDays(days)), now.minus(Duration.ofHours(1))));
                    store.registerWithIngest(URI.create(stack.url("webhook-ingest")), stack.adminToken());
                    stores.put(n, store);
                    System.out.printf(
                            Locale.ROOT,
                            "store %-40s %,10d products seeded and registered in %.1f s%n",
                            store.storeId(),
                            n,
                            seconds(t0));
                }
                // Only the poller (platform view) and the reconciler take part from here: the ingest (store
                // registry, migrated) and sync-writer (target tables, migrated) are stopped so that they cost nothing.
                stack.node("webhook-ingest").close();
                stack.node("sync-writer").close();

                try (Connection db = DriverManager.getConnection(
                        stack.endpoints().jdbcUrl(), stack.endpoints().jdbcUser(), "")) {
                    long postmaster = postmasterPid(db);
                    for (int n : ordered) {
                        SimulatedStore store = stores.get(n);
                        System.out.printf(Locale.ROOT, "%n== %,d products ==%n", n);
                        long t0 = System.nanoTime();
                        target.seedTarget(db, store.storeId(), mappingVersion, entities.get(n));
                        System.out.printf(
                                Locale.ROOT, "target: %,d rows copied and analyzed in %.1f s%n", n, seconds(t0));

                        Instant lastCleanStart = Instant.now();
                        Pass warm = pass(stack, store, postmaster);
                        System.out.printf(Locale.ROOT, "  warm-up pass (not counted): %s%n", describe(warm));
                        List<Pass> runs = new ArrayList<>();
                        for (int r = 1; r <= options.runs; r++) {
                            Instant started = Instant.now();
                            Pass p = pass(stack, store, postmaster);
                            if (p.findings() == 0) {
                                lastCleanStart = started;
                            }
                            if (p.findings() != 0) {
                                failures.add(n + " in step, run " + r + ": " + p.findings() + " findings, expected 0");
                                System.out.printf(
                                        Locale.ROOT,
                                        "  in step  run %d: FAILED, %d findings (expected 0)%n",
                                        r,
                                        p.findings());
                                continue;
                            }
                            runs.add(p);
                            System.out.printf(Locale.ROOT, "  in step  run %d: %s%n", r, describe(p));
                        }
                        clean.put(n, runs);

                        ReconcileTarget.Drift d = target.injectDrift(
                                db, store, entities.get(n), new SplittableRandom(seed ^ n), lastCleanStart);
                        injected.put(n, d.size());
                        System.out.printf(
                                Locale.ROOT,
                                "drift: %d products (%d missing, %d stale) of %,d%n",
                                d.size(),
                                d.missing().size(),
                                d.stale().size(),
                                n);
                        List<Pass> driftRuns = new ArrayList<>();
                        for (int r = 1; r <= options.runs; r++) {
                            JsonNode[] report = new JsonNode[1];
                            Pass p = pass(stack, store, postmaster, report);
                            String mismatch = ReconcileTarget.compare(d, report[0]);
                            if (mismatch != null) {
                                Path dump = stack.dataDir().resolve("failed-pass-" + n + "-run-" + r + ".json");
                                ObjectNode failed = BenchResults.json().createObjectNode();
                                d.missing().forEach(failed.putArray("injected_missing")::add);
                                d.stale().forEach(failed.putArray("injected_stale")::add);
                                failed.set("report", report[0]);
                                Files.writeString(dump, failed.toPrettyString());
                                mismatch += " (report: " + dump + ")";
                                failures.add(n + " with drift, run " + r + ": " + mismatch);
                                System.out.printf(Locale.ROOT, "  drift    run %d: FAILED, %s%n", r, mismatch);
                                continue;
                            }
                            driftRuns.add(p);
                            System.out.printf(Locale.ROOT, "  drift    run %d: %s%n", r, describe(p));
                        }
                        drifted.put(n, driftRuns);
                    }
                }
            } finally {
                stack.close();
            }
            if (options.profile) {
                profiles = Profiles.summarizeAll(stack, MEASURED);
            }
        }

        ReconcileReport report = new ReconcileReport(platform, drift, options, rateLimits, days);
        String table = report.table(ordered, clean, drifted, injected);
        System.out.println();
        System.out.println(table);
        String projections = report.projections(registry, ordered, clean, drifted);
        System.out.println(projections);
        profiles.forEach(
                (module, profile) -> System.out.println("profile of " + module + ":\n" + profile.describe(12)));
        if (!failures.isEmpty()) {
            System.out.println("FAILED runs (not in the figures):");
            failures.forEach(f -> System.out.println("  " + f));
        }
        report.write(command, ordered, clean, drifted, injected, failures, table, projections, profiles);
        return failures.isEmpty() ? 0 : 1;
    }

    /** Per module: configuration only that service gets. */
    private Map<String, Map<String, String>> moduleConfig() {
        Map<String, String> poller = new LinkedHashMap<>();
        // Nothing runs on a schedule: no polling or webhook upkeep by the poller (their API requests would mix with
        // the reconciler's), no scheduled reconciliation; passes run only when the benchmark asks.
        poller.put("quarkus.scheduler.enabled", "false");
        // The reconciler's repairs are published (part of a pass) but not carried out: the poller does not consume
        // them, so the drift stays the same from one run to the next and no fetch mixes with the next pass.
        poller.put("mp.messaging.incoming.fetch-requests-in.topic", "bench.reconcile.fetch-requests-not-consumed");
        if (!rateLimits) {
            poller.put("commercesync.poller.platform.\"" + platform + "\".budget", "100000");
            poller.put("commercesync.poller.platform.\"" + platform + "\".refill-per-second", "100000");
        }
        Map<String, String> reconciler = new LinkedHashMap<>();
        reconciler.put("quarkus.scheduler.enabled", "false");
        reconciler.put("commercesync.reconciler.schedule.enabled", "false");
        reconciler.put("commercesync.reconciler.poller-timeout", "300s");
        reconciler.put("commercesync.reconciler.entity-types", TYPE.name());
        // A pass covers the window up to 1 s before it starts (no pipeline in flight here to wait for).
        reconciler.put("commercesync.reconciler.settle", "PT1S");
        return Map.of("poller", poller, "reconciler", reconciler);
    }

    // ---------------------------------------------------------------- target

    // ---------------------------------------------------------------- passes

    private Pass pass(BenchStack stack, SimulatedStore store, long postmaster)
            throws IOException, InterruptedException {
        return pass(stack, store, postmaster, new JsonNode[1]);
    }

    /** One pass on demand: wall time from the request to the report, the report's figures, CPU per process. */
    private Pass pass(BenchStack stack, SimulatedStore store, long postmaster, JsonNode[] reportOut)
            throws IOException, InterruptedException {
        ObjectNode body = BenchResults.json().createObjectNode();
        body.put("platform", platform);
        body.put("store", store.storeId());
        body.put("entity_type", TYPE.name());
        body.put("full", false);
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url("reconciler") + "/reconciliation/run"))
                .header("Authorization", "Bearer " + stack.internalToken())
                .timeout(Duration.ofHours(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        long simulatorBefore = store.stats().apiRequests();
        Map<String, Double> cpuBefore = cpu(stack, postmaster);
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double wallMs = (System.nanoTime() - t0) / 1e6;
        Map<String, Double> cpuAfter = cpu(stack, postmaster);
        long simulatorRequests = store.stats().apiRequests() - simulatorBefore;
        if (response.statusCode() != 200) {
            String error;
            try {
                error = BenchResults.json()
                        .readTree(response.body())
                        .path("types")
                        .path(0)
                        .path("error")
                        .asText(abbreviate(response.body()));
            } catch (IOException e) {
                error = abbreviate(response.body());
            }
            throw new IllegalStateException("reconciler answered " + response.statusCode() + ": " + error);
        }
        JsonNode report = BenchResults.json().readTree(response.body());
        reportOut[0] = report;
        JsonNode type = report.path("types").path(0);
        if (type.hasNonNull("error")) {
            throw new IllegalStateException(
                    "the pass failed: " + type.path("error").asText());
        }
        int apiCalls = report.path("api_calls").asInt();
        if (apiCalls != simulatorRequests) {
            throw new IllegalStateException("the reconciler reports " + apiCalls
                    + " API requests, the simulated store received " + simulatorRequests);
        }
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpuAfter.forEach((k, v) -> cpu.put(k, v - cpuBefore.getOrDefault(k, 0.0)));
        return new Pass(
                wallMs,
                apiCalls,
                type.path("count_calls").asInt(),
                type.path("list_calls").asInt(),
                simulatorRequests,
                type.path("buckets_compared").asInt(),
                type.path("buckets_listed").asInt(),
                type.path("findings").size(),
                cpu);
    }

    /**
     * CPU seconds so far of the reconciler, the poller, PostgreSQL (the postmaster's processes) and this JVM (the
     * simulated store), from /proc.
     */
    private static Map<String, Double> cpu(BenchStack stack, long postmaster) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("reconciler", cpuSeconds(stack.node("reconciler").pid()));
        cpu.put("poller", cpuSeconds(stack.node("poller").pid()));
        double pg = cpuSeconds(postmaster);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .toList()) {
                long[] stat = stat(Long.parseLong(p.getFileName().toString()));
                if (stat != null && stat[0] == postmaster) {
                    pg += (stat[1] + stat[2]) / 100.0;
                }
            }
        } catch (IOException e) {
            // /proc unreadable: no breakdown
        }
        cpu.put("postgres", pg);
        cpu.put("simulator", cpuSeconds(ProcessHandle.current().pid()));
        return cpu;
    }

    private static double cpuSeconds(long pid) {
        long[] stat = stat(pid);
        return stat == null ? 0 : (stat[1] + stat[2]) / 100.0;
    }

    /** ppid, utime, stime (clock ticks, 100 per second on Linux) of a process, or null. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long postmasterPid(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long[] stat = stat(rs.getLong(1));
            return stat == null ? -1 : stat[0];
        }
    }

    // ---------------------------------------------------------------- output

    private static String describe(Pass p) {
        return String.format(
                Locale.ROOT,
                "%8.0f ms, %5d API requests (%d counts, %d pages), %d findings, buckets %d compared / %d listed;"
                        + " CPU s: %s",
                p.wallMs(),
                p.apiCalls(),
                p.countCalls(),
                p.listCalls(),
                p.findings(),
                p.bucketsCompared(),
                p.bucketsListed(),
                p.cpuSeconds().entrySet().stream()
                        .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue()))
                        .collect(Collectors.joining(", ")));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
