package dev.commercesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSnapshot.EntityVersion;
import dev.commercesync.simulator.StoreSpec;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
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
                    + " in step and with drift (default 10k, 100k and 1M products, 0.1 % drift).",
            "Writes bench/results/reconcile.{json,md} and reconcile-cost.png, reconcile-wall.png."
        })
public final class ReconcileBench implements Callable<Integer> {
    private static final String NAME = "reconcile";
    /**
     * What a page of 100 costs where a platform's budget counts cost points (a GraphQL page of 100 with its cursor: up
     * to 100 + 2). To move into the adapter SPI's request cost (issue 15, capabilities) when it has one.
     */
    private static final int PAGE_COST_POINTS = 102;
    /** The platform of the published figures: self-hosted, no documented API limit of its own. */
    private static final String DEFAULT_PLATFORM = "woocommerce";

    private static final EntityType TYPE = EntityType.PRODUCT;
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
            defaultValue = DEFAULT_PLATFORM,
            completionCandidates = BenchPlatforms.class,
            description = "Simulated platform (${COMPLETION-CANDIDATES}; default: ${DEFAULT-VALUE}, the published"
                    + " figures').")
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

    /** The injected drift of one store. */
    record Drift(TreeSet<String> missing, TreeSet<String> stale) {
        int size() {
            return missing.size() + stale.size();
        }
    }

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
                + " --runs " + options.runs + (platform.equals(DEFAULT_PLATFORM) ? "" : " --platform " + platform)
                + (rateLimits ? " --rate-limits" : "") + (options.profile ? " --profile" : "");
        System.out.println("synctl bench reconcile: " + BenchResults.machineLine());
        System.out.printf(
                Locale.ROOT,
                "%s products per store, %s drift, %d runs each, platform %s, rate limits %s%n",
                ordered,
                percent(drift),
                options.runs,
                platform,
                rateLimits ? "enforced" : "lifted");

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
                        seedTarget(db, store.storeId(), mappingVersion, entities.get(n));
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

                        Drift d =
                                injectDrift(db, store, entities.get(n), new SplittableRandom(seed ^ n), lastCleanStart);
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
                            String mismatch = compare(d, report[0]);
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

        String table = table(ordered, clean, drifted, injected);
        System.out.println();
        System.out.println(table);
        String projections = projections(registry, ordered, clean, drifted);
        System.out.println(projections);
        profiles.forEach(
                (module, profile) -> System.out.println("profile of " + module + ":\n" + profile.describe(12)));
        if (!failures.isEmpty()) {
            System.out.println("FAILED runs (not in the figures):");
            failures.forEach(f -> System.out.println("  " + f));
        }
        write(command, ordered, clean, drifted, injected, failures, table, projections, profiles);
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

    /**
     * The target as sync-writer would have left it after applying every product once: one live row per product in
     * {@code target.products} with the columns sync-writer writes (entity key, version from updated-at in epoch
     * milliseconds — the platforms' events carry no numeric source version —, version basis, source_updated_at, event
     * id, mapping version) and a representative canonical JSON in {@code data}. Variants are left out: the reconciler
     * reads only {@code target.entity_versions}.
     */
    private void seedTarget(Connection db, String store, String mappingVersion, List<EntityVersion> entities)
            throws SQLException, IOException {
        try (Statement s = db.createStatement()) {
            s.execute("TRUNCATE target.products CASCADE");
        }
        String copy = "COPY target.products (entity_key, platform, store, entity_type, entity_id, version,"
                + " version_basis, source_version, source_updated_at, deleted, event_id, mapping_version, applied_at,"
                + " data, title, handle, status, vendor, product_type) FROM STDIN (FORMAT csv)";
        PGConnection pg = db.unwrap(PGConnection.class);
        StringBuilder chunk = new StringBuilder(1 << 20);
        Instant appliedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < entities.size(); i++) {
            EntityVersion e = entities.get(i);
            String key = platform + "/" + store + "/product/" + e.id();
            String title = "Simulated product " + e.id();
            String handle = "simulated-product-" + e.id();
            String data = "{\"id\":\"" + e.id() + "\",\"title\":\"" + title + "\",\"handle\":\"" + handle
                    + "\",\"status\":\"active\",\"vendor\":\"Simulated Goods\",\"product_type\":\"simple\","
                    + "\"updated_at\":\"" + e.updatedAt() + "\",\"variants\":[{\"sku\":\"SKU-" + e.id()
                    + "\",\"price\":19.99,\"currency\":\"USD\"}]}";
            chunk.append(key)
                    .append(',')
                    .append(platform)
                    .append(',')
                    .append(store)
                    .append(",PRODUCT,")
                    .append(e.id())
                    .append(',')
                    .append(e.updatedAt().toEpochMilli())
                    .append(",SOURCE_UPDATED_AT,,")
                    .append(e.updatedAt())
                    .append(",false,")
                    .append(eventId(key, e.updatedAt()))
                    .append(',')
                    .append(mappingVersion)
                    .append(',')
                    .append(appliedAt)
                    .append(",\"")
                    .append(data.replace("\"", "\"\""))
                    .append("\",")
                    .append(title)
                    .append(',')
                    .append(handle)
                    .append(",active,Simulated Goods,simple\n");
            if (chunk.length() > (1 << 20) - 2048 || i == entities.size() - 1) {
                pg.getCopyAPI().copyIn(copy, new StringReader(chunk.toString()));
                chunk.setLength(0);
            }
        }
        analyze(db);
    }

    /** sync-writer's event id of a polled product: the name-based UUID of its computed dedup key. */
    private static String eventId(String entityKey, Instant updatedAt) {
        return UUID.nameUUIDFromBytes((entityKey + "@" + updatedAt).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    private static void analyze(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("VACUUM (ANALYZE) target.products");
        }
    }

    /**
     * Drifts {@code share} of the products, the two ways a target falls behind: the first half (rounded up) deleted
     * from the target — missing (lost rows, any age) —, the rest edited on the platform since the last clean pass
     * with no webhook reaching the target — stale (lost updates: the target keeps the version before).
     */
    private Drift injectDrift(
            Connection db,
            SimulatedStore store,
            List<EntityVersion> entities,
            SplittableRandom random,
            Instant lastCleanStart)
            throws SQLException {
        int total = (int) Math.max(drift > 0 ? 1 : 0, Math.round(entities.size() * drift));
        int missing = (total + 1) / 2;
        TreeSet<Integer> picked = new TreeSet<>();
        while (picked.size() < total) {
            picked.add(random.nextInt(entities.size()));
        }
        TreeSet<String> missingIds = new TreeSet<>();
        TreeSet<String> staleIds = new TreeSet<>();
        // Lost updates happen between the last clean pass and now (the passes' settle is 1 s).
        long from = lastCleanStart.getEpochSecond() - 30;
        long to = Instant.now().getEpochSecond() - 2;
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM target.products WHERE entity_key = ?")) {
            int i = 0;
            for (int index : picked) {
                EntityVersion e = entities.get(index);
                if (i++ < missing) {
                    String key = platform + "/" + store.storeId() + "/product/" + e.id();
                    delete.setString(1, key);
                    check(delete.executeUpdate(), key);
                    missingIds.add(e.id());
                } else {
                    Instant at = Instant.ofEpochSecond(from + random.nextLong(Math.max(1, to - from)));
                    store.touch(
                            TYPE,
                            e.id(),
                            at.isAfter(e.updatedAt()) ? at : e.updatedAt().plusSeconds(1));
                    staleIds.add(e.id());
                }
            }
        }
        analyze(db);
        return new Drift(missingIds, staleIds);
    }

    private static void check(int rows, String key) {
        if (rows != 1) {
            throw new IllegalStateException("target row " + key + " not found");
        }
    }

    /** Null when the report's findings are exactly the injected drift, else what differs. */
    private static String compare(Drift drift, JsonNode report) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> stale = new TreeSet<>();
        Map<String, Integer> other = new TreeMap<>();
        for (JsonNode type : report.path("types")) {
            if (type.hasNonNull("error")) {
                return "error: " + type.path("error").asText();
            }
            for (JsonNode f : type.path("findings")) {
                String kind = f.path("kind").asText();
                switch (kind) {
                    case "MISSING" -> missing.add(f.path("entity_id").asText());
                    case "STALE" -> stale.add(f.path("entity_id").asText());
                    default -> other.merge(kind, 1, Integer::sum);
                }
            }
        }
        if (missing.equals(drift.missing()) && stale.equals(drift.stale()) && other.isEmpty()) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "found %d missing, %d stale, %s; injected %d missing, %d stale (%d missing and %d stale not found)",
                missing.size(),
                stale.size(),
                other.isEmpty() ? "nothing else" : other,
                drift.missing().size(),
                drift.stale().size(),
                drift.missing().stream().filter(id -> !missing.contains(id)).count(),
                drift.stale().stream().filter(id -> !stale.contains(id)).count());
    }

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

    private static Summary summary(List<Pass> runs, java.util.function.ToDoubleFunction<Pass> f) {
        return Summary.of(runs.stream().map(p -> f.applyAsDouble(p)).toList());
    }

    private String table(
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

    private static void row(StringBuilder b, int n, String label, List<Pass> runs) {
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
    private String projections(
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

    private static boolean costPoints(RateLimitProfile profile) {
        return profile.unit().equals("cost points");
    }

    private static double limited(double units, RateLimitProfile profile) {
        return Math.max(0, units - profile.budget()) / profile.refillPerSecond();
    }

    private void write(
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
        ObjectNode doc = BenchResults.document(NAME, command);
        ObjectNode setup = doc.putObject("setup");
        setup.put("platform", platform);
        setup.put("entity_type", TYPE.name());
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
        Path written = BenchResults.write(NAME, doc, md.toString());
        System.out.println("results: " + written + " (+ .json, reconcile-cost.png, reconcile-wall.png)");
    }

    private static ArrayNode runsJson(List<Pass> runs) {
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

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.3g %%", share * 100).replaceAll("\\.?0+ %", " %");
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
