package dev.commercesync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.cli.DemoRun;
import dev.commercesync.cli.DurationArgument;
import dev.commercesync.cli.MultichannelRun;
import dev.commercesync.cli.MultichannelVerdict;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.StoreStats;
import dev.commercesync.simulator.model.CatalogItem;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sale-to-all-channels propagation on one merchant at the platforms' standard rate limits, and the highest sales rate
 * at which every channel stays within N seconds of the pool. Drives the multichannel demo's merchant, load and pool
 * reads ({@link MultichannelRun.Merchant}, {@link MultichannelRun.Driver}, {@link MultichannelRun.Pools}) on a private
 * stack with the six services at production defaults, one rate after another; {@link MultichannelLag} samples how long
 * each channel differs from the pool, {@link MultichannelReport} judges and writes the results.
 */
@picocli.CommandLine.Command(
        name = "multichannel",
        mixinStandardHelpOptions = true,
        description = {
            "One merchant, the same catalogue on one store per platform at their standard rate limits: sale → every"
                    + " other channel propagation (p50/p99/max), the channels' longest lag behind the pool and"
                    + " writes per channel against its limit, at a sequence of sales rates; the highest rate at which"
                    + " every channel stays within --within of the pool.",
            "Writes bench/results/multichannel.{json,md,png}."
        })
public final class MultichannelBench implements Callable<Integer> {
    static final String NAME = "multichannel";
    private static final List<String> MODULES =
            List.of("webhook-ingest", "poller", "normalizer", "sync-writer", "reconciler", "inventory");

    @Mixin
    BenchOptions options;

    @Option(
            names = "--platforms",
            required = true,
            split = ",",
            completionCandidates = BenchPlatforms.class,
            description = "Simulated platforms, one store each, at least two, of ${COMPLETION-CANDIDATES} (the"
                    + " published figures: the ones bench/README.md names).")
    List<String> platforms;

    @Option(
            names = "--rates",
            defaultValue = "0.5,1,2,4",
            split = ",",
            description = "Store actions per second across the stores (26 of 30 sales), one step each, in this order"
                    + " (default: ${DEFAULT-VALUE}).")
    List<Double> rates;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            converter = DurationArgument.class,
            description = "How long each rate sells (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--within",
            defaultValue = "30s",
            converter = DurationArgument.class,
            description = "A rate passes when no channel differed from the pool longer than this (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration within;

    @Option(
            names = "--skus",
            defaultValue = "20",
            description = "SKUs of the shared catalogue (default: ${DEFAULT-VALUE}).")
    int skus;

    @Option(
            names = "--stock",
            defaultValue = "1000",
            description = "Units of each SKU on the physical source at the start, so that no rate sells out (default:"
                    + " ${DEFAULT-VALUE}).")
    int stock;

    @Option(
            names = "--settle-timeout",
            defaultValue = "3m",
            converter = DurationArgument.class,
            description = "After each rate: how long to wait for every channel to show the pool's value (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration settleTimeout;

    @Option(
            names = "--sample-every",
            defaultValue = "250ms",
            converter = DurationArgument.class,
            description = "How often the pool and the stores' levels are compared (default: ${DEFAULT-VALUE}).")
    Duration sampleEvery;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the catalogue, the stores and the load.")
    long seed;

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    @Override
    public Integer call() throws Exception {
        platforms.forEach(BenchPlatforms::check);
        if (platforms.size() < 2) {
            System.err.println("--platforms: at least two channels");
            return 2;
        }
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        for (String platform : platforms) {
            if (!registry.get(platform).capabilities().supports(CommandKind.SET_INVENTORY_LEVEL)) {
                System.err.println(platform + " applies no SET_INVENTORY_LEVEL command");
                return 2;
            }
        }
        String source = MultichannelRun.sourcePlatform(registry, platforms);
        String command = "synctl bench multichannel --platforms " + String.join(",", platforms) + " --rates "
                + String.join(",", rates.stream().map(CommandsBench::fmt).toList()) + " --duration "
                + duration.toSeconds() + "s --within " + within.toSeconds() + "s --skus " + skus + " --stock " + stock
                + " --runs " + options.runs;
        System.out.println("synctl bench multichannel: " + BenchResults.machineLine());
        List<CatalogItem> catalogue = MultichannelRun.catalogue(skus, seed).stream()
                .map(i -> i.withStock(stock))
                .toList();

        List<MultichannelReport.Step> steps = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, java.nio.file.Path> recordings = new LinkedHashMap<>();
        try (Simulator simulator = Simulator.start(0);
                BenchStack stack = BenchStack.start(
                        NAME, MODULES, DemoRun.serviceConfig(), options.profile, System.out::println)) {
            String ingest = stack.url("webhook-ingest");
            Map<String, SimulatedStore> stores = new LinkedHashMap<>();
            int i = 0;
            for (String platform : platforms) {
                SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, "mc-" + platform)
                        .seed(seed + i++)
                        .sharedCatalog(
                                platform.equals(source)
                                        ? catalogue
                                        : catalogue.stream()
                                                .map(c -> c.withStock(0))
                                                .toList(),
                                10)
                        .rateLimits(true)
                        .build());
                store.registerWithIngest(URI.create(ingest), stack.adminToken());
                store.subscribeAll(URI.create(ingest + "/webhooks/" + platform));
                stores.put(platform, store);
            }
            MultichannelRun.Merchant merchant = MultichannelRun.Merchant.configure(
                    ingest, stack.url("inventory"), stack.dataDir(), stores, source, null, System.out::println);
            System.out.printf(
                    Locale.ROOT,
                    "Merchant '%s': %d stores (%s), %s the physical source, %d SKUs × %d units; rates %s actions/s,"
                            + " %d s each, %d run(s)%n",
                    MultichannelRun.MERCHANT,
                    stores.size(),
                    String.join(", ", platforms),
                    source,
                    skus,
                    stock,
                    rates,
                    duration.toSeconds(),
                    options.runs);
            merchant.awaitInitialLevels(settleTimeout, PROGRESS_EVERY);
            MultichannelRun.Driver driver =
                    new MultichannelRun.Driver(stores, catalogue, seed, source, System.out::println);
            for (int run = 1; run <= options.runs; run++) {
                for (double rate : rates) {
                    System.out.printf(
                            Locale.ROOT,
                            "%n== run %d, %s actions/s for %d s ==%n",
                            run,
                            CommandsBench.fmt(rate),
                            duration.toSeconds());
                    MultichannelReport.Step step = step(run, rate, merchant, driver);
                    steps.add(step);
                    System.out.printf(
                            Locale.ROOT,
                            "  %.2f sales/s; propagation p50 %s, p99 %s, max %s over %d sales; longest lag behind"
                                    + " the pool %s (%s); %s%n",
                            step.salesPerSecond(),
                            MultichannelReport.ms(step.p50Ms()),
                            MultichannelReport.ms(step.p99Ms()),
                            MultichannelReport.ms(step.maxMs()),
                            step.propagations(),
                            MultichannelReport.ms(step.maxLagMs()),
                            step.worstLag().isEmpty() ? "none" : step.worstLag(),
                            step.settled() ? "settled" : "NOT SETTLED");
                    if (!step.settled()) {
                        failures.add(String.format(
                                Locale.ROOT,
                                "run %d, %s actions/s: not settled within %s",
                                run,
                                CommandsBench.fmt(rate),
                                settleTimeout));
                    }
                }
            }
            List<MultichannelVerdict.Oversell> oversells = merchant.pools().oversells();
            long beyond = oversells.stream()
                    .filter(o -> !o.race())
                    .mapToLong(MultichannelVerdict.Oversell::units)
                    .sum();
            if (beyond > 0) {
                failures.add(beyond + " unit(s) oversold beyond same-moment races");
            }
            MODULES.forEach(m -> recordings.put(m, stack.profileFile(m)));
        }
        if (options.profile) {
            EndToEndBench.profileSummary(recordings);
        }

        MultichannelReport report = new MultichannelReport(steps, within);
        System.out.println();
        System.out.println(report.table());
        System.out.println(report.writesTable());
        System.out.println(report.headline());
        if (!failures.isEmpty()) {
            System.out.println("FAILED:");
            failures.forEach(f -> System.out.println("  " + f));
        }
        ObjectNode doc = BenchResults.document(NAME, command);
        doc.put("source", source);
        doc.put("skus", skus);
        doc.put("stock", stock);
        doc.put("duration_seconds", duration.toSeconds());
        report.json(doc);
        failures.forEach(doc.putArray("failures")::add);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("command", command);
        setup.put("skus", skus);
        setup.put("stock", stock);
        setup.put("platforms", String.join(", ", platforms));
        setup.put("source", source);
        setup.put("duration", duration.toSeconds() + " s");
        setup.put("sampleEvery", sampleEvery.toMillis() + " ms");
        setup.put("settleTimeout", settleTimeout.toSeconds() + " s");
        setup.put(
                "runs",
                options.runs == 1
                        ? "One run: the figures are that run's."
                        : options.runs + " runs on one stack, one after another: medians with the range of the runs.");
        System.out.println("results: " + BenchResults.write(NAME, doc, report.markdown(setup)));
        report.chart(BenchResults.dir().resolve("multichannel-latency.png"));
        return failures.isEmpty() ? 0 : 1;
    }

    /** One rate: sells for --duration while sampling, then settles (still sampling). */
    private MultichannelReport.Step step(
            int run, double rate, MultichannelRun.Merchant merchant, MultichannelRun.Driver driver) throws Exception {
        MultichannelRun.Pools pools = merchant.pools();
        long since = pools.propagation().count();
        long sales0 = driver.sales();
        long refused0 = driver.refusals();
        Map<String, StoreStats> before = stats(merchant);
        MultichannelLag lag = new MultichannelLag();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> sample(merchant, lag, sampling), "mc-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        Map<String, StoreStats> after;
        boolean settled;
        double seconds;
        long settleStart;
        try {
            driver.run(rate, duration, PROGRESS_EVERY, pools);
            seconds = (System.nanoTime() - t0) / 1e9;
            after = stats(merchant);
            settleStart = System.nanoTime();
            settled = merchant.settle(settleTimeout, PROGRESS_EVERY);
        } finally {
            sampling.set(false);
            sampler.join();
        }
        double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
        MultichannelVerdict.Propagation propagation = pools.propagation(since);
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        Map<String, MultichannelReport.Channel> channels = new LinkedHashMap<>();
        for (String platform : merchant.stores().keySet().stream().sorted().toList()) {
            StoreStats a = before.get(platform);
            StoreStats b = after.get(platform);
            long writes = b.writesReceived() - a.writesReceived();
            long requests = b.apiRequests() - a.apiRequests();
            channels.put(
                    platform,
                    new MultichannelReport.Channel(
                            writes,
                            writes / seconds,
                            requests,
                            requests / seconds,
                            b.apiRateLimited() - a.apiRateLimited(),
                            CommandsBench.limit(platform).writesPerSecond(),
                            pollerCallsPerSecond(registry.get(platform).capabilities())));
        }
        boolean none = propagation.count() == 0;
        return new MultichannelReport.Step(
                run,
                rate,
                seconds,
                driver.sales() - sales0,
                driver.refusals() - refused0,
                propagation.count(),
                none ? Double.NaN : propagation.p50Ms(),
                none ? Double.NaN : propagation.p99Ms(),
                none ? Double.NaN : propagation.maxMs(),
                lag.maxMs(),
                lag.worst(),
                new TreeMap<>(lag.maxPerChannel()),
                settled,
                settleSeconds,
                channels);
    }

    /** Compares the pool's available (each channel's rule applied) with the stores' levels every --sample-every. */
    private void sample(MultichannelRun.Merchant merchant, MultichannelLag lag, AtomicBoolean sampling) {
        while (sampling.get()) {
            try {
                JsonNode raw = merchant.pools().raw();
                Map<String, Map<String, Integer>> shown = merchant.levels();
                long at = System.currentTimeMillis();
                Map<String, Map<String, Long>> listed = new LinkedHashMap<>();
                for (String channel : shown.keySet()) {
                    Map<String, Long> bySku = new LinkedHashMap<>();
                    for (JsonNode pool : raw.path("pools")) {
                        bySku.put(
                                pool.path("sku").asText(),
                                merchant.listed(channel, pool.path("available").asLong()));
                    }
                    listed.put(channel, bySku);
                }
                lag.sample(at, listed, shown);
                Thread.sleep(sampleEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // The pool's service briefly not answering (restoring state): the next sample tries again.
                System.out.println("  sample: " + e.getMessage());
                try {
                    Thread.sleep(sampleEvery.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Map<String, StoreStats> stats(MultichannelRun.Merchant merchant) {
        Map<String, StoreStats> stats = new LinkedHashMap<>();
        merchant.stores().forEach((platform, store) -> stats.put(platform, store.stats()));
        return stats;
    }

    /** The poller's budget for routine calls (listings, reads): its limiter's refill ÷ one call's cost. */
    private static double pollerCallsPerSecond(dev.commercesync.platforms.spi.PlatformCapabilities capabilities) {
        return capabilities.rateLimitProfile().refillPerSecond() / capabilities.requestCost();
    }
}
