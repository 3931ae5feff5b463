package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.model.CatalogItem;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.model.WriteResult;
import dev.commercesync.stores.ChannelRule;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code synctl demo --scenario multichannel}: one merchant selling the same catalogue on one simulated store per
 * platform, the Shopify store the source of physical stock, one channel rule; the stock pool (the inventory service)
 * keeps every channel's level at what its rule lists of the pool's available while customers buy concurrently on
 * every store, orders are cancelled and shipped and the merchant edits stock by hand on the source. Then the pools
 * settle and {@link MultichannelVerdict} judges: oversold units beyond same-moment races, every channel equal to its
 * rule applied to the pool, and the propagation time. Also the engine of the end-to-end test.
 */
public final class MultichannelRun {
    /** The merchant the demo creates. */
    public static final String MERCHANT = "demo";
    /** The simulated platforms that are the merchant's channels ({@link #channelPlatforms}). */
    public static final List<String> CHANNEL_PLATFORMS =
            channelPlatforms(PlatformRegistry.loadInstalled(), Dialects.names());

    /** The store whose level is the merchant's physical stock ({@link #sourcePlatform}). */
    static final String SOURCE_PLATFORM = sourcePlatform(PlatformRegistry.loadInstalled(), Dialects.names());
    /** The channel that holds a safety buffer back, to show that rules apply: the last other one by name. */
    static final String BUFFERED_PLATFORM = CHANNEL_PLATFORMS.stream()
            .filter(p -> !p.equals(SOURCE_PLATFORM))
            .reduce((a, b) -> b)
            .orElseThrow();

    /**
     * The physical source: the first simulated platform (by name) whose stock changes reach the pool at once and
     * whole — its levels come in full webhooks (not thin ones to hydrate) and are listed by updated-at (not only as a
     * snapshot), and the echo of a SetInventoryLevel on it is recognisable — so that its hand edits and sales arrive
     * as the deltas the pool takes for stock. Chosen from the adapters' declarations, no platform named here.
     */
    public static String sourcePlatform(PlatformRegistry registry, java.util.Collection<String> simulated) {
        return simulated.stream()
                .sorted()
                .filter(p -> {
                    var adapter = registry.get(p);
                    var caps = adapter.capabilities();
                    return !caps.thinWebhookTypes().contains(EntityType.INVENTORY_LEVEL)
                            && caps.listedByUpdatedAt().contains(EntityType.INVENTORY_LEVEL)
                            && adapter.recognisableEchoes().contains(CommandKind.SET_INVENTORY_LEVEL);
                })
                .findFirst()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "no simulated platform sends whole, listable, recognisable stock levels for a physical source"));
    }

    /**
     * The platforms whose stores can be channels of a pool: those whose adapter maps products or inventory levels, as
     * the pool learns which item of a channel is which SKU from those (docs/inventory.md, "Which item is which SKU").
     * An adapter that maps neither (Amazon: orders only, listings written but not read) gives the pool no item to
     * write: its store is left out of the merchant, not judged as a channel that never moves.
     */
    public static List<String> channelPlatforms(PlatformRegistry registry, java.util.Collection<String> simulated) {
        return simulated.stream()
                .filter(p -> {
                    var adapter = registry.get(p);
                    return adapter.mapper(EntityType.PRODUCT).isPresent()
                            || adapter.mapper(EntityType.INVENTORY_LEVEL).isPresent();
                })
                .toList();
    }

    static final int SAFETY_BUFFER = 2;

    /**
     * @param skus how many SKUs the shared catalogue has
     * @param rate store actions per second across the stores (sales mostly, some cancellations and shipments)
     */
    public record Options(
            Duration duration,
            double rate,
            String faults,
            long seed,
            Duration settleTimeout,
            Duration progressEvery,
            int skus) {}

    public record Result(MultichannelVerdict verdict, Path logs) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Consumer<String> out;

    public MultichannelRun(Consumer<String> out) {
        this.out = out;
    }

    /** The shared catalogue: the source's starting stock per SKU (10 to 30 units); the other stores start at 0. */
    public static List<CatalogItem> catalogue(int skus, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] nouns = {"Mug", "Backpack", "Lamp", "Scarf", "Notebook", "Teapot", "Sneaker", "Jar"};
        List<CatalogItem> items = new ArrayList<>();
        for (int i = 1; i <= skus; i++) {
            items.add(new CatalogItem(
                    String.format("MC-%03d", i),
                    nouns[i % nouns.length] + " " + i,
                    BigDecimal.valueOf(500 + random.nextInt(9500), 2),
                    10 + random.nextInt(21)));
        }
        return items;
    }

    public Result run(Options o, Path dataDir) throws Exception {
        List<CatalogItem> catalogue = catalogue(o.skus(), o.seed());
        DemoRun demo = new DemoRun(out);
        DemoRun.Options demoOptions = new DemoRun.Options(
                o.duration(), o.rate(), o.faults(), o.seed(), o.settleTimeout(), o.progressEvery(), Map.of());
        try (DemoRun.Session session = demo.start(
                demoOptions,
                dataDir,
                (platform, spec) -> spec.sharedCatalog(
                        platform.equals(SOURCE_PLATFORM)
                                ? catalogue
                                : catalogue.stream().map(i -> i.withStock(0)).toList(),
                        10))) {
            Map<String, SimulatedStore> stores = new LinkedHashMap<>();
            session.stores().stream()
                    .filter(s -> CHANNEL_PLATFORMS.contains(s.platform()))
                    .forEach(s -> stores.put(s.platform(), s));
            if (!stores.containsKey(SOURCE_PLATFORM)) {
                throw new IllegalStateException("no simulated " + SOURCE_PLATFORM + " store for the physical source");
            }
            Merchant merchant = Merchant.configure(
                    session.services().url("webhook-ingest"),
                    inventoryUrl(session.services()),
                    dataDir,
                    stores,
                    SOURCE_PLATFORM,
                    BUFFERED_PLATFORM,
                    out);
            out.accept(String.format(
                    "Merchant '%s': %d stores, %s the physical source, %s holds %d units back; %d SKUs, %d to %d"
                            + " units each on the source",
                    MERCHANT,
                    stores.size(),
                    SOURCE_PLATFORM,
                    BUFFERED_PLATFORM,
                    SAFETY_BUFFER,
                    catalogue.size(),
                    catalogue.stream().mapToInt(CatalogItem::stock).min().orElse(0),
                    catalogue.stream().mapToInt(CatalogItem::stock).max().orElse(0)));
            merchant.awaitInitialLevels(o.settleTimeout(), o.progressEvery());
            Driver driver = new Driver(stores, catalogue, o.seed(), SOURCE_PLATFORM, out);
            driver.run(o.rate(), o.duration(), o.progressEvery(), merchant.pools());
            merchant.settle(o.settleTimeout(), o.progressEvery());
            Pools pools = merchant.pools();
            MultichannelVerdict verdict = MultichannelVerdict.judge(
                    pools.pools(),
                    pools.oversells(),
                    pools.propagation(),
                    merchant.levels(),
                    merchant.rules(),
                    driver.tally());
            return new Result(verdict, dataDir.resolve("logs"));
        }
    }

    /** The inventory service's URL in {@code services}, or why the demo cannot run without it. */
    static String inventoryUrl(LocalServices services) {
        try {
            return services.url("inventory");
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "the multichannel demo needs the inventory service (the stock pool), which this build does"
                            + " not start: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The demo's merchant on running services and stores: created through webhook-ingest's admin API, its pool read
     * from the inventory service, its channels' levels read from the simulated stores. Also what {@code synctl bench
     * multichannel} drives.
     *
     * @param stores platform → its simulated store
     * @param rules platform → its channel rule (absent: {@link ChannelRule#DEFAULT})
     */
    public record Merchant(
            Map<String, SimulatedStore> stores,
            Map<String, ChannelRule> rules,
            String source,
            Pools pools,
            Consumer<String> out) {

        /**
         * Creates the merchant through webhook-ingest's admin API (docs/inventory.md#configuring-a-merchant): every
         * store attached, {@code source}'s one location as the physical stock, and on {@code buffered} (null: none) a
         * safety buffer of {@link #SAFETY_BUFFER}.
         */
        public static Merchant configure(
                String ingestUrl,
                String inventoryUrl,
                Path dataDir,
                Map<String, SimulatedStore> stores,
                String source,
                String buffered,
                Consumer<String> out)
                throws Exception {
            if (!stores.containsKey(source)) {
                throw new IllegalStateException("no simulated " + source + " store for the physical source");
            }
            URI admin = URI.create(ingestUrl + "/admin/merchants");
            String token = "Bearer " + LocalServices.adminToken(dataDir);
            admin(token, "POST", admin, object().put("id", MERCHANT).put("display_name", "Demo merchant"));
            for (SimulatedStore store : stores.values()) {
                admin(
                        token,
                        "POST",
                        URI.create(admin + "/" + MERCHANT + "/stores"),
                        object().put("platform", store.platform()).put("store_id", store.storeId()));
            }
            SimulatedStore physical = stores.get(source);
            admin(
                    token,
                    "PUT",
                    URI.create(admin + "/" + MERCHANT + "/physical"),
                    object().put("platform", physical.platform())
                            .put("store_id", physical.storeId())
                            .put("mode", "LOCATION")
                            .put("location_id", physical.locationId()));
            Map<String, ChannelRule> rules = new LinkedHashMap<>();
            SimulatedStore store = buffered == null ? null : stores.get(buffered);
            if (store != null) {
                admin(
                        token,
                        "PUT",
                        URI.create(admin + "/" + MERCHANT + "/rules"),
                        object().put("platform", store.platform())
                                .put("store_id", store.storeId())
                                .put("safety_buffer", SAFETY_BUFFER));
                rules.put(buffered, new ChannelRule(SAFETY_BUFFER, null, 100, null, null));
            }
            return new Merchant(
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stores)),
                    Map.copyOf(rules),
                    source,
                    new Pools(inventoryUrl, dataDir),
                    out);
        }

        /** platform → SKU → the store's available units now. */
        public Map<String, Map<String, Integer>> levels() {
            Map<String, Map<String, Integer>> levels = new LinkedHashMap<>();
            stores.forEach((platform, store) -> levels.put(platform, store.levelsBySku()));
            return levels;
        }

        /** What {@code platform}'s rule lists of {@code available} units in the pool. */
        public long listed(String platform, long available) {
            return rules.getOrDefault(platform, ChannelRule.DEFAULT).listed(available);
        }

        /** Channel×SKU pairs whose store shows what its rule lists of {@code available} (SKU → units). */
        private long equalPairs(Map<String, Long> available) {
            long equal = 0;
            for (Map.Entry<String, Map<String, Integer>> channel : levels().entrySet()) {
                for (Map.Entry<String, Integer> level : channel.getValue().entrySet()) {
                    Long pool = available.get(level.getKey());
                    if (pool != null && listed(channel.getKey(), pool) == level.getValue()) {
                        equal++;
                    }
                }
            }
            return equal;
        }

        /**
         * Before any sale: the pool has read the source's stock and written every other channel's level (they start
         * at 0), so each store shows its rule applied to the source's stock.
         */
        public void awaitInitialLevels(Duration timeout, Duration every) throws InterruptedException {
            Map<String, Long> physical = new TreeMap<>();
            stores.get(source).levelsBySku().forEach((sku, units) -> physical.put(sku, (long) units));
            long pairs = (long) physical.size() * stores.size();
            out.accept("Waiting for the pool to list the source's stock on every channel ...");
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastReport = 0;
            while (true) {
                long equal = equalPairs(physical);
                if (equal == pairs) {
                    out.accept(String.format(
                            "  every channel lists its share of the source's stock (%d/%d)", equal, pairs));
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(String.format(
                            "the pool did not list the source's stock on every channel within %s (%d/%d channel×SKU"
                                    + " levels right): is the inventory service running and the merchant's pool"
                                    + " built?",
                            timeout, equal, pairs));
                }
                if (System.nanoTime() - lastReport > every.toNanos()) {
                    lastReport = System.nanoTime();
                    out.accept(String.format("  %d/%d channel×SKU levels listed", equal, pairs));
                }
                Thread.sleep(500);
            }
        }

        /**
         * After the traffic: until no pool has a write in flight or a channel behind what it wants, and every store
         * shows its rule applied to its pool's available. Returns whether it settled within {@code timeout}.
         */
        public boolean settle(Duration timeout, Duration every) throws Exception {
            out.accept("Settling: waiting for every channel to show the pool's stock ...");
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "";
            long lastReport = 0;
            while (true) {
                JsonNode raw = pools.raw();
                long inflight = 0;
                long behind = 0;
                Map<String, Long> available = new TreeMap<>();
                for (JsonNode pool : raw.path("pools")) {
                    available.put(
                            pool.path("sku").asText(), pool.path("available").asLong());
                    for (JsonNode channel : pool.path("channels")) {
                        JsonNode flight = channel.path("inflight");
                        // The write in flight: {command_id, quantity, ...}, null when none.
                        if (flight.isObject()) {
                            inflight++;
                        }
                        if (!channel.path("wanted").equals(channel.path("last_known"))) {
                            behind++;
                        }
                    }
                }
                long pairs = stores.values().stream()
                        .mapToLong(s -> s.levelsBySku().size())
                        .sum();
                long equal = equalPairs(available);
                if (inflight == 0 && behind == 0 && equal == pairs) {
                    out.accept(String.format("  settled: %d/%d channel×SKU levels equal their pool", equal, pairs));
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    out.accept(String.format(
                            "  not settled within %s: %d writes in flight, %d channels behind, %d/%d levels equal",
                            timeout, inflight, behind, equal, pairs));
                    return false;
                }
                String now = inflight + "/" + behind + "/" + equal;
                if (!now.equals(last) || System.nanoTime() - lastReport > every.toNanos()) {
                    last = now;
                    lastReport = System.nanoTime();
                    out.accept(String.format(
                            "  %d writes in flight, %d channels behind, %d/%d levels equal",
                            inflight, behind, equal, pairs));
                }
                Thread.sleep(1000);
            }
        }
    }

    private static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static void admin(String token, String method, URI uri, ObjectNode body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException("configuring the merchant: " + method + " " + uri.getPath() + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
    }

    /** The inventory service's REST API for the demo's merchant (internal token). */
    public static final class Pools {
        private final String base;
        private final String auth;

        Pools(String inventoryUrl, Path dataDir) {
            this.base = inventoryUrl + "/pools/" + MERCHANT;
            this.auth = "Bearer " + LocalServices.internalToken(dataDir);
        }

        /**
         * How long a 503 of the inventory service is waited out: its pools' state being restored or rebalanced (a
         * Kafka Streams task fenced and migrated, as on a loaded machine) is temporary.
         */
        static final Duration NOT_READY_WAIT = Duration.ofMinutes(2);

        JsonNode get(String path) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + NOT_READY_WAIT.toNanos();
            HttpResponse<String> response;
            while (true) {
                try {
                    response = HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Authorization", auth)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    throw new IOException("the inventory service does not answer at " + base + path + ": " + e, e);
                }
                if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                    break;
                }
                long retryAfter =
                        response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(1000L * Math.max(1, Math.min(5, retryAfter)));
            }
            if (response.statusCode() != 200) {
                throw new IOException("the inventory service answered GET " + base + path + " with HTTP "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }

        /** {@code GET /pools/{merchant}} as it came: every SKU's pool with its channels. */
        public JsonNode raw() throws IOException, InterruptedException {
            return get("");
        }

        public List<MultichannelVerdict.Pool> pools() throws IOException, InterruptedException {
            List<MultichannelVerdict.Pool> pools = new ArrayList<>();
            raw().path("pools").forEach(p -> pools.add(MultichannelVerdict.Pool.of(p)));
            return pools;
        }

        public List<MultichannelVerdict.Oversell> oversells() throws IOException, InterruptedException {
            List<MultichannelVerdict.Oversell> oversells = new ArrayList<>();
            get("/oversells").path("oversells").forEach(o -> oversells.add(MultichannelVerdict.Oversell.of(o)));
            return oversells;
        }

        public MultichannelVerdict.Propagation propagation() throws IOException, InterruptedException {
            return MultichannelVerdict.Propagation.of(get("/propagation"));
        }

        /** Over the propagations recorded after the first {@code since} (a {@code count} read before). */
        public MultichannelVerdict.Propagation propagation(long since) throws IOException, InterruptedException {
            return MultichannelVerdict.Propagation.of(get("/propagation?since=" + since));
        }

        /** One progress line's worth, or why the service does not answer. */
        String progress() {
            try {
                List<MultichannelVerdict.Oversell> oversells = oversells();
                return String.format(
                        "oversold %d (races %d) | propagation %s",
                        oversells.stream()
                                .filter(o -> !o.race())
                                .mapToLong(MultichannelVerdict.Oversell::units)
                                .sum(),
                        oversells.stream()
                                .filter(MultichannelVerdict.Oversell::race)
                                .mapToLong(MultichannelVerdict.Oversell::units)
                                .sum(),
                        propagation().describe());
            } catch (IOException e) {
                return "pool: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    /**
     * The customers and the merchant: one thread per store, each at its share of the rate; of 30 actions 26 are sales
     * (random SKU, 1 or 2 units), 3 the restocked cancellation and 1 the shipment of one of the store's open orders (a
     * sale when it has none); on the source store one of the 3 is stock counted in by hand instead (1 to 10 units).
     */
    public static final class Driver {
        private final Map<String, SimulatedStore> stores;
        private final List<CatalogItem> catalogue;
        private final long seed;
        private final String source;
        private final Consumer<String> out;
        private final Map<String, LongAdder[]> perSku = new ConcurrentHashMap<>();
        private final AtomicLong sales = new AtomicLong();
        private final AtomicLong refusals = new AtomicLong();
        private final AtomicLong cancellations = new AtomicLong();
        private final AtomicLong shipments = new AtomicLong();
        private final AtomicLong edits = new AtomicLong();
        private volatile Throwable failed;
        private long rounds;

        /** @param source the store whose stock the merchant counts in by hand */
        public Driver(
                Map<String, SimulatedStore> stores,
                List<CatalogItem> catalogue,
                long seed,
                String source,
                Consumer<String> out) {
            this.stores = stores;
            this.catalogue = catalogue;
            this.seed = seed;
            this.source = source;
            this.out = out;
            catalogue.forEach(i -> perSku.put(
                    i.sku(), new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()}));
        }

        /** Acts on every store at its share of {@code rate} actions/s for {@code duration}; may run again. */
        public void run(double rate, Duration duration, Duration every, Pools pools) throws InterruptedException {
            out.accept(String.format(
                    "Selling on %d stores at %.1f actions/s for %ds ...", stores.size(), rate, duration.toSeconds()));
            long t0 = System.nanoTime();
            long end = t0 + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            int i = 0;
            long round = rounds++;
            for (SimulatedStore store : stores.values()) {
                SplittableRandom random = new SplittableRandom(seed * 31 + i++ + round * 1009);
                double share = rate / stores.size();
                Thread thread = new Thread(() -> drive(store, random, share, t0, end), "mc-" + store.platform());
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
            while (threads.stream().anyMatch(Thread::isAlive)) {
                for (Thread thread : threads) {
                    thread.join(Math.max(1, every.toMillis() / threads.size()));
                }
                out.accept(progress(t0, pools));
            }
            if (failed != null) {
                throw new IllegalStateException("the demo's driver failed: " + failed, failed);
            }
        }

        private String progress(long t0, Pools pools) {
            return String.format(
                    "%4ds  sales %d, refused %d (stock out), cancelled %d, shipped %d, stock edits %d | %s",
                    (System.nanoTime() - t0) / 1_000_000_000L,
                    sales.get(),
                    refusals.get(),
                    cancellations.get(),
                    shipments.get(),
                    edits.get(),
                    pools.progress());
        }

        private void drive(SimulatedStore store, SplittableRandom random, double rate, long t0, long end) {
            List<Order> open = new ArrayList<>();
            boolean source = store.platform().equals(this.source);
            long done = 0;
            try {
                while (System.nanoTime() < end) {
                    long due = (long) ((System.nanoTime() - t0) / 1e9 * rate) + 1;
                    while (done < due && System.nanoTime() < end) {
                        act(store, random, open, source);
                        done++;
                    }
                    Thread.sleep(Math.max(1, (long) (1000 / rate / 2)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failed = e;
            }
        }

        private void act(SimulatedStore store, SplittableRandom random, List<Order> open, boolean source) {
            int dice = random.nextInt(30);
            if (source && dice == 0) {
                String sku = catalogue.get(random.nextInt(catalogue.size())).sku();
                int units = 1 + random.nextInt(10);
                store.adjustLevelByHand(sku, units);
                perSku.get(sku)[3].add(units);
                edits.incrementAndGet();
            } else if (dice <= 2 && !open.isEmpty()) {
                Order order = open.remove(random.nextInt(open.size()));
                if (store.cancel(order.id()) instanceof WriteResult.Applied) {
                    perSku.get(order.lines().get(0).sku())[2].add(
                            order.lines().get(0).quantity());
                    cancellations.incrementAndGet();
                }
            } else if (dice == 3 && !open.isEmpty()) {
                Order order = open.remove(random.nextInt(open.size()));
                if (store.ship(order.id(), "UPS", "1Z" + (100_000_000L + random.nextLong(900_000_000L)))
                        instanceof WriteResult.Applied) {
                    shipments.incrementAndGet();
                }
            } else {
                String sku = catalogue.get(random.nextInt(catalogue.size())).sku();
                int units = 1 + random.nextInt(2);
                store.sell(sku, units)
                        .ifPresentOrElse(
                                order -> {
                                    open.add(order);
                                    perSku.get(sku)[0].add(units);
                                    sales.incrementAndGet();
                                },
                                () -> {
                                    perSku.get(sku)[1].add(units);
                                    refusals.incrementAndGet();
                                });
            }
        }

        /** Orders placed so far. */
        public long sales() {
            return sales.get();
        }

        /** Sales the stores refused (stock out) so far. */
        public long refusals() {
            return refusals.get();
        }

        public Map<String, MultichannelVerdict.Tally> tally() {
            Map<String, MultichannelVerdict.Tally> tally = new TreeMap<>();
            perSku.forEach((sku, c) ->
                    tally.put(sku, new MultichannelVerdict.Tally(c[0].sum(), c[1].sum(), c[2].sum(), c[3].sum())));
            return tally;
        }
    }
}
