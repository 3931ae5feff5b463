package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.Fault;
import dev.commercesync.simulator.FaultProfile;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSnapshot;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.StoreStats;
import dev.commercesync.simulator.dialect.Dialects;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The demo, end to end: a throw-away stack, the five services, one simulated store per platform driven with faults,
 * live progress, reconciliation, and a verdict comparing every store with the target. Also the engine of the
 * end-to-end test, which runs it bounded and headless.
 */
public final class DemoRun {
    /** One store per platform the simulator has a dialect for (found by ServiceLoader, as the adapters are). */
    static final List<String> PLATFORMS = Dialects.names();

    /**
     * @param settleTimeout how long, after the load, the pipeline (with reconciliation rounds) may take to converge
     */
    public record Options(
            Duration duration,
            double rate,
            String faults,
            long seed,
            Duration settleTimeout,
            Duration progressEvery,
            Map<String, String> serviceConfig,
            int commandsPerStore,
            List<String> platforms) {

        public Options {
            platforms = List.copyOf(platforms);
            for (String platform : platforms) {
                if (!PLATFORMS.contains(platform)) {
                    throw new IllegalArgumentException(
                            "unknown platform '" + platform + "'; known: " + String.join(", ", PLATFORMS));
                }
            }
            if (platforms.isEmpty()) {
                throw new IllegalArgumentException("at least one platform");
            }
        }

        /** One store per platform. */
        public Options(
                Duration duration,
                double rate,
                String faults,
                long seed,
                Duration settleTimeout,
                Duration progressEvery,
                Map<String, String> serviceConfig,
                int commandsPerStore) {
            this(
                    duration,
                    rate,
                    faults,
                    seed,
                    settleTimeout,
                    progressEvery,
                    serviceConfig,
                    commandsPerStore,
                    PLATFORMS);
        }

        /** The same with a store of each of {@code platforms} only (the chaos suite). */
        public Options withPlatforms(List<String> platforms) {
            return new Options(
                    duration,
                    rate,
                    faults,
                    seed,
                    settleTimeout,
                    progressEvery,
                    serviceConfig,
                    commandsPerStore,
                    platforms);
        }

        /** Without commands (the chaos suite, the drops test). */
        public Options(
                Duration duration,
                double rate,
                String faults,
                long seed,
                Duration settleTimeout,
                Duration progressEvery,
                Map<String, String> serviceConfig) {
            this(duration, rate, faults, seed, settleTimeout, progressEvery, serviceConfig, 0);
        }
    }

    /**
     * A demo's outcome. {@code reconcileRounds} counts the rounds the settle started itself; {@code reconcilerRepairs}
     * every repair the reconciler requested, its scheduled passes included (which often heal drops before a round).
     */
    public record Result(
            Verdict verdict,
            List<StoreStats> sent,
            int reconcileRounds,
            double reconcilerRepairs,
            Path logs,
            CommandsVerdict commands) {

        /** The stores equal the target, and the commands were applied once, none lost, as asked. */
        public boolean clean() {
            return verdict.clean() && commands.clean();
        }
    }

    /** How long, after the traffic, the demo's commands may take to reach their final results. */
    static final Duration COMMANDS_TIMEOUT = Duration.ofMinutes(3);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Consumer<String> out;
    /** The services' internal token: the reconciliation and metrics requests send it (docs/auth.md). */
    private volatile String internalAuth = "";

    public DemoRun(Consumer<String> out) {
        this.out = out;
    }

    public Result run(Options o, Path dataDir) throws Exception {
        return run(o, dataDir, (session, result) -> {});
    }

    /**
     * {@link #run(Options, Path)}, handing the result to {@code beforeStop} while the stack and the services still run:
     * {@code synctl demo} prints the verdict with the console's links there, and with {@code --keep-up} waits.
     */
    public Result run(Options o, Path dataDir, BeforeStop beforeStop) throws Exception {
        try (Session session = start(o, dataDir)) {
            session.startLoad(o.rate(), o.duration());
            session.awaitLoad();
            Result result = session.settle(o.settleTimeout());
            beforeStop.accept(session, result);
            return result;
        }
    }

    /** What a demo's owner does with its result before everything stops. */
    @FunctionalInterface
    public interface BeforeStop {
        void accept(Session session, Result result) throws Exception;
    }

    /**
     * The services' configuration in a demo (also {@code synctl bench multichannel}'s): the poller polls every 20 s (the
     * pool learns each store's catalogue from its first poll) and checks its webhook subscriptions as often.
     */
    public static Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("commercesync.poller.polling.interval", "PT20S");
        // Subscriptions the stores silently delete (a fault) are re-created within the demo, not after 15 minutes.
        config.put("commercesync.poller.webhooks.check-interval", "PT20S");
        // The demo reconciles once the target has stopped moving: compare up to a few seconds ago.
        config.put("commercesync.reconciler.settle", "PT3S");
        // The simulated stores answer within milliseconds; a write answer they hold back (write-timeout-after-apply,
        // 30 s) must end as a timeout of the poller's request, which the command executor then reads back after.
        config.put("commercesync.poller.api.request-timeout", "PT10S");
        // A simulated store whose call limit is not its adapter's profile (eBay's: no daily limit here) is paced to
        // what it allows, as a seller's bigger plan would be configured.
        for (String platform : Dialects.names()) {
            Dialects.get(platform).pollerCallLimit().ifPresent(limit -> {
                String prefix = "commercesync.poller.platform.\"" + platform + "\".";
                config.put(prefix + "budget", Long.toString(limit.budget()));
                config.put(prefix + "refill-per-second", Long.toString(limit.refillPerSecond()));
            });
        }
        return config;
    }

    /**
     * Starts a throw-away stack in {@code dataDir}, the five services and one simulated store per platform (registered
     * at the ingest, subscribed to every topic), without traffic yet: the caller drives it and may act on the running
     * stack in the meantime (the chaos suite kills and freezes its parts).
     */
    public Session start(Options o, Path dataDir) throws Exception {
        return start(o, dataDir, (platform, spec) -> spec);
    }

    /**
     * {@link #start(Options, Path)} with each store's spec adjusted by {@code storeSpec} (platform, the demo's
     * builder), e.g. the multichannel demo's shared catalogue.
     */
    Session start(Options o, Path dataDir, BiFunction<String, StoreSpec.Builder, StoreSpec.Builder> storeSpec)
            throws Exception {
        FaultProfile faults = FaultProfile.parse(o.faults());
        // Every demo starts afresh; its data and logs stay after it, for a look at what happened.
        if (Files.exists(dataDir)) {
            DevStack.deleteRecursively(dataDir);
        }
        out.accept("Starting Kafka, the schema registry and PostgreSQL ...");
        DevStack stack = DevStack.start(
                new DevStack.Options(dataDir, 0, 0, 0, 0, true, Duration.ofSeconds(120)),
                line -> out.accept("  " + line));
        LocalServices services = null;
        Simulator sim = null;
        try {
            Map<String, Integer> ports = LocalServices.freePorts();
            Map<String, String> config = new LinkedHashMap<>(serviceConfig());
            config.putAll(o.serviceConfig());
            out.accept("Starting the services ...");
            services = LocalServices.start(
                    stack.endpoints(),
                    dataDir,
                    Duration.ofSeconds(180),
                    line -> out.accept("  " + line),
                    ports,
                    config);
            services.consoleLine(dataDir).ifPresent(out);
            sim = Simulator.start(0);
            String ingest = services.url("webhook-ingest");
            String token = LocalServices.adminToken(dataDir);
            internalAuth = "Bearer " + LocalServices.internalToken(dataDir);
            List<SimulatedStore> stores = new ArrayList<>();
            for (int i = 0; i < o.platforms().size(); i++) {
                String platform = o.platforms().get(i);
                SimulatedStore store = sim.addStore(storeSpec
                        .apply(
                                platform,
                                StoreSpec.builder(platform, "demo-" + platform)
                                        .seed(o.seed() + i)
                                        .faults(faults))
                        .build());
                store.registerWithIngest(URI.create(ingest), token);
                store.subscribeAll(URI.create(ingest + "/webhooks/" + platform));
                stores.add(store);
            }
            out.accept(String.format(
                    "Stores %s, faults '%s' (%s)", String.join(", ", o.platforms()), o.faults(), describe(faults)));
            DemoCommands commands = o.commandsPerStore() > 0
                    ? new DemoCommands(
                            URI.create(services.url("poller")), internalAuth, stores, o.commandsPerStore(), faults, out)
                    : null;
            return new Session(stack, services, sim, stores, o.progressEvery(), dataDir.resolve("logs"), commands);
        } catch (Exception | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {sim, services, stack}) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
    }

    /** A running demo: the stack, the services and the simulated stores, driven by its owner. */
    public final class Session implements AutoCloseable {
        private final DevStack stack;
        private final LocalServices services;
        private final Simulator sim;
        private final List<SimulatedStore> stores;
        private final Duration progressEvery;
        private final Path logs;
        /** The demo's commands; null without them. */
        private final DemoCommands commands;

        private long t0 = System.nanoTime();

        private Session(
                DevStack stack,
                LocalServices services,
                Simulator sim,
                List<SimulatedStore> stores,
                Duration progressEvery,
                Path logs,
                DemoCommands commands) {
            this.commands = commands;
            this.stack = stack;
            this.services = services;
            this.sim = sim;
            this.stores = stores;
            this.progressEvery = progressEvery;
            this.logs = logs;
        }

        public DevStack stack() {
            return stack;
        }

        public LocalServices services() {
            return services;
        }

        /** The Authorization header value the services' internal endpoints accept (docs/auth.md). */
        public String internalAuth() {
            return internalAuth;
        }

        public List<SimulatedStore> stores() {
            return stores;
        }

        private String platformNames() {
            return String.join(
                    ", ", stores.stream().map(SimulatedStore::platform).toList());
        }

        /** Changes the stores have made so far. */
        public long changes() {
            return stores.stream().mapToLong(s -> s.stats().totalChanges()).sum();
        }

        /** Starts changes in the stores in the background: {@code rate} per second in all, for {@code duration}. */
        public void startLoad(double rate, Duration duration) {
            out.accept(String.format(
                    "Driving %s for %d s at %.0f changes/s in all ...", platformNames(), duration.toSeconds(), rate));
            long perStore = Math.max(1, Math.round(rate / stores.size() * duration.toSeconds()));
            t0 = System.nanoTime();
            for (SimulatedStore store : stores) {
                store.startLoad(rate / stores.size(), perStore);
            }
            if (commands != null) {
                commands.start(duration);
            }
        }

        /** Starts changes in the stores in the background, {@code rate} per second in all, until {@link #stopLoad}. */
        public void startLoad(double rate) {
            out.accept(String.format("Driving %s at %.0f changes/s in all ...", platformNames(), rate));
            t0 = System.nanoTime();
            for (SimulatedStore store : stores) {
                store.startLoad(rate / stores.size(), 0);
            }
        }

        /** Stops the stores' changes; the webhooks of changes made go on being delivered. */
        public void stopLoad() {
            stores.forEach(SimulatedStore::stopLoad);
            out.accept(progress(services, stores, t0));
        }

        /** Waits, with progress lines, until the load has ended and every webhook has been delivered. */
        public void awaitLoad() throws InterruptedException {
            while (stores.stream().anyMatch(SimulatedStore::loadRunning)) {
                Thread.sleep(progressEvery.toMillis());
                out.accept(progress(services, stores, t0));
            }
            for (SimulatedStore store : stores) {
                store.awaitDeliveries(Duration.ofSeconds(60));
            }
            out.accept(progress(services, stores, t0));
        }

        /** Waits for the target to converge, reconciling each store when it stops moving, until clean or timeout. */
        public Result settle(Duration timeout) throws Exception {
            if (commands != null) {
                // Their writes are changes the target must show too: the verdict waits for them.
                commands.awaitResults(COMMANDS_TIMEOUT);
                out.accept(String.format(
                        "  commands: %d sent, %d with a final result", commands.sentCount(), commands.finalCount()));
            }
            Result result = DemoRun.this.settle(timeout, stack.endpoints(), services, stores, t0, logs);
            if (commands == null) {
                return result;
            }
            return new Result(
                    result.verdict(),
                    result.sent(),
                    result.reconcileRounds(),
                    result.reconcilerRepairs(),
                    result.logs(),
                    commands.verdict(stack.endpoints()));
        }

        /** Ends the demo: its outcome is taken, so the services are killed, not drained ({@link LocalServices#discard}). */
        @Override
        public void close() {
            sim.close();
            services.discard();
            stack.close();
        }
    }

    /**
     * How long the verdict and the pipeline must both stand still before a reconciliation round: the pipeline heals
     * most drift on its own (webhook retries, gap polling, hydration), a round costs minutes of rate-limited API calls.
     * Longer than the demo's polling interval (20 s) and than BigCommerce's rate-limit window (30 s), which hydration
     * waits out without a counter moving: with 15 s, rounds started while the pipeline was about to heal the rest.
     */
    static final Duration IDLE_BEFORE_RECONCILING = Duration.ofSeconds(35);
    /** Reconcile after the verdict stood still this long even when the pipeline never seems idle. */
    static final Duration STILL_BEFORE_RECONCILING = Duration.ofSeconds(90);

    /**
     * Waits for the target to converge: the verdict every 2 s, done as soon as it is clean. A reconciliation round per
     * store (side by side) only when the verdict is not clean and neither it nor the pipeline has moved for {@link
     * #IDLE_BEFORE_RECONCILING} (no webhook delivery pending or made, no record consumed, fetched or applied), or the
     * verdict for {@link #STILL_BEFORE_RECONCILING}; until clean or out of time.
     */
    private Result settle(
            Duration settleTimeout,
            Endpoints endpoints,
            LocalServices services,
            List<SimulatedStore> stores,
            long t0,
            Path logs)
            throws Exception {
        Map<String, Set<EntityType>> reconcilable = reconcilable(stores);
        long deadline = System.nanoTime() + settleTimeout.toNanos();
        int rounds = 0;
        int lastOpen = -1;
        long lastChange = System.nanoTime();
        double lastActivity = -1;
        long lastActive = System.nanoTime();
        Verdict verdict;
        while (true) {
            verdict = Verdict.compare(endpoints.jdbcUrl(), endpoints.jdbcUser(), snapshots(stores), reconcilable);
            int open = verdict.total(Verdict.Row::missing)
                    + verdict.total(Verdict.Row::stale)
                    + verdict.total(Verdict.Row::extra)
                    + verdict.total(Verdict.Row::duplicated);
            if (open == 0 || System.nanoTime() > deadline) {
                break;
            }
            long now = System.nanoTime();
            double activity = activity(services, stores);
            if (activity != lastActivity) {
                lastActivity = activity;
                lastActive = now;
            }
            if (open != lastOpen) {
                lastOpen = open;
                lastChange = now;
                out.accept(String.format(
                        "  converging: %d missing, %d stale, %d extra, %d duplicated   %s",
                        verdict.total(Verdict.Row::missing),
                        verdict.total(Verdict.Row::stale),
                        verdict.total(Verdict.Row::extra),
                        verdict.total(Verdict.Row::duplicated),
                        progress(services, stores, t0)));
            } else if (now - lastChange > STILL_BEFORE_RECONCILING.toNanos()
                    || (now - lastChange > IDLE_BEFORE_RECONCILING.toNanos()
                            && now - lastActive > IDLE_BEFORE_RECONCILING.toNanos())) {
                rounds++;
                out.accept("  the target and the pipeline stopped moving: reconciliation round " + rounds + " ...");
                // Each store has its own API budget: reconcile them side by side, not one after another (a pass over
                // a store takes about a minute of rate-limited calls).
                String reconciler = services.url("reconciler");
                List<CompletableFuture<String>> passes = stores.stream()
                        .map(store -> CompletableFuture.supplyAsync(
                                () -> reconcile(reconciler, store), task -> new Thread(task, "reconcile").start()))
                        .toList();
                passes.forEach(pass -> out.accept("    " + pass.join()));
                lastChange = System.nanoTime();
                lastActive = lastChange;
            }
            Thread.sleep(2000);
        }
        List<StoreStats> sent = stores.stream().map(SimulatedStore::stats).toList();
        double repairs = metrics(services, "reconciler").getOrDefault("reconciler_repairs_total", 0.0);
        return new Result(verdict, sent, rounds, repairs, logs, CommandsVerdict.none());
    }

    /** The counters that move while the pipeline works; while any changes (or a delivery is pending) it is busy. */
    private static final Map<String, List<String>> ACTIVITY = Map.of(
            "webhook-ingest", List.of("commercesync_webhooks_received_total"),
            "normalizer", List.of("normalizer_records_consumed_total"),
            "poller",
                    List.of(
                            "commercesync_poller_fetch_answered_total",
                            "commercesync_poller_fetch_coalesced_total",
                            "commercesync_poller_fetch_not_found_total",
                            "commercesync_poller_api_rate_limited_total",
                            "commercesync_poller_fetch_infrastructure_waits_total"),
            "sync-writer", List.of("commercesync_syncwriter_applied_total", "commercesync_syncwriter_noop_total"));

    /**
     * One number that changes whenever the pipeline does something: the services' work counters and the stores'
     * webhook delivery attempts; NaN (never equal to itself: busy) while a store has deliveries pending.
     */
    private double activity(LocalServices services, List<SimulatedStore> stores) {
        double sum = 0;
        for (SimulatedStore store : stores) {
            StoreStats stats = store.stats();
            if (stats.pendingDeliveries() > 0) {
                return Double.NaN;
            }
            sum += stats.deliveryAttempts();
        }
        for (Map.Entry<String, List<String>> service : ACTIVITY.entrySet()) {
            Map<String, Double> counters = metrics(services, service.getKey());
            for (String counter : service.getValue()) {
                sum += counters.getOrDefault(counter, 0.0);
            }
        }
        return sum;
    }

    /**
     * Per platform, the types the reconciler compares there: what its adapter lists, by updated-at or as a snapshot
     * ({@code PlatformCapabilities#reconcilable()}). The verdict judges these; any other type arrives by webhook only
     * (a dropped webhook of its is never healed): shown as not reconcilable.
     */
    private static Map<String, Set<EntityType>> reconcilable(List<SimulatedStore> stores) {
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        Map<String, Set<EntityType>> types = new LinkedHashMap<>();
        for (SimulatedStore store : stores) {
            types.put(
                    store.platform(),
                    registry.get(store.platform()).capabilities().reconcilable());
        }
        return types;
    }

    private static List<StoreSnapshot> snapshots(List<SimulatedStore> stores) {
        return stores.stream().map(SimulatedStore::snapshot).toList();
    }

    private String reconcile(String reconcilerUrl, SimulatedStore store) {
        try {
            String body = JSON.writeValueAsString(Map.of("platform", store.platform(), "store", store.storeId()));
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(reconcilerUrl + "/reconciliation/run"))
                            .header("Authorization", internalAuth)
                            // a pass runs its types one after another within the store's rate limit: Shopify's five
                            // types (refunds and inventory levels are counted by walking their listings) take longer
                            .timeout(Duration.ofMinutes(5))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode report = JSON.readTree(response.body());
            int findings = 0;
            long calls = 0;
            for (JsonNode type : report.path("types")) {
                findings += type.path("findings").size();
                calls += type.path("api_calls").asLong(type.path("apiCalls").asLong());
            }
            return String.format(
                    "%-12s %d findings, %d platform API calls (HTTP %d)",
                    store.platform(), findings, calls, response.statusCode());
        } catch (IOException e) {
            return store.platform() + ": reconciliation failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return store.platform() + ": interrupted";
        }
    }

    /** One progress line from the simulator's counts and the services' Prometheus metrics. */
    private String progress(LocalServices services, List<SimulatedStore> stores, long t0) {
        long changes = stores.stream().mapToLong(s -> s.stats().totalChanges()).sum();
        long delivered =
                stores.stream().mapToLong(s -> s.stats().totalDelivered()).sum();
        Map<String, Double> ingest = metrics(services, "webhook-ingest");
        Map<String, Double> normalizer = metrics(services, "normalizer");
        Map<String, Double> writer = metrics(services, "sync-writer");
        Map<String, Double> reconciler = metrics(services, "reconciler");
        return String.format(
                "%4ds  changes %d | webhooks sent %d, stored %.0f, rejected %.0f | canonical %.0f, fetches %.0f,"
                        + " quarantined %.0f | applied %.0f | drift %.0f, repairs %.0f",
                (System.nanoTime() - t0) / 1_000_000_000L,
                changes,
                delivered,
                ingest.getOrDefault("commercesync_webhooks_accepted_total", 0.0),
                ingest.getOrDefault("commercesync_webhooks_rejected_total", 0.0),
                normalizer.getOrDefault("normalizer_events_produced_total", 0.0),
                normalizer.getOrDefault("normalizer_fetch_requests_total", 0.0),
                normalizer.getOrDefault("normalizer_quarantined_total", 0.0),
                writer.getOrDefault("commercesync_syncwriter_applied_total", 0.0),
                reconciler.getOrDefault("reconciler_drift", 0.0),
                reconciler.getOrDefault("reconciler_repairs_total", 0.0));
    }

    /** A service's Prometheus metrics, each family summed over its labels; empty when it does not answer. */
    private Map<String, Double> metrics(LocalServices services, String module) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(services.url(module) + "/q/metrics"))
                            .header("Authorization", internalAuth)
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return metricSums(response.body());
        } catch (IOException | RuntimeException e) {
            // a service that does not answer shows zeros
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of();
    }

    /**
     * Each metric of a Prometheus/OpenMetrics text body summed over its labels. A sample is
     * {@code name{labels} value [timestamp] [# {exemplar labels} value [timestamp]]}: the value is the first field after
     * the name and its labels, never an exemplar's value or timestamp.
     */
    static Map<String, Double> metricSums(String body) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            boolean labelled = brace >= 0 && (space < 0 || brace < space);
            int nameEnd = labelled ? brace : space;
            int labelsEnd = labelled ? line.indexOf('}', brace) + 1 : nameEnd;
            if (nameEnd <= 0 || labelsEnd <= 0) {
                continue;
            }
            String[] fields = line.substring(labelsEnd).trim().split("\\s+");
            try {
                double value = Double.parseDouble(fields[0]);
                if (!Double.isNaN(value)) { // a gauge with nothing to report
                    sums.merge(line.substring(0, nameEnd), value, Double::sum);
                }
            } catch (NumberFormatException ignored) {
                // not a sample
            }
        }
        return sums;
    }

    private static String describe(FaultProfile faults) {
        List<String> parts = new ArrayList<>();
        for (Fault f : Fault.values()) {
            double rate = faults.rate(f);
            if (rate > 0) {
                parts.add(f.name().toLowerCase(Locale.ROOT) + " " + Math.round(rate * 1000) / 10.0 + "%");
            }
        }
        return parts.isEmpty() ? "no faults" : String.join(", ", parts);
    }
}
