package dev.commercesync.simulator;

import dev.commercesync.platforms.shared.Json;
import dev.commercesync.simulator.dialect.Dialects;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs simulated stores standalone:
 *
 * <pre>
 * java -cp ... dev.commercesync.simulator.SimulatorMain --platform shopify,bigcommerce --stores 2 --port 8090 \
 *     --ingest-url http://127.0.0.1:8080 --admin-token $TOKEN --rate 50 --faults default --seed 42
 * </pre>
 *
 * Prints each store's id and API base URL, then (every 10 s and at the end) what it sent. Runs until {@code
 * --duration} or {@code --changes} is reached, or Ctrl-C.
 */
public final class SimulatorMain {
    private static final String USAGE =
            """
            Usage: SimulatorMain [options]
              --platform LIST        platforms with a simulator dialect, comma-separated (default all of them:
                                     %s)
              --stores N             stores per platform (default 1)
              --port PORT            the simulator's HTTP port on 127.0.0.1 (default 8090; 0 = any free port)
              --ingest-url URL       webhook-ingest base URL; subscribes every store to <url>/webhooks/<platform>
              --admin-token TOKEN    also register each store with the ingest's admin API (POST /admin/stores)
              --rate R               changes per second per store (default 1; 0 = none, drive via POST /_sim/changes)
              --changes N            stop each store after N changes (default 0 = no limit)
              --duration SECONDS     stop after this long (default 0 = until Ctrl-C)
              --faults SPEC          none | default | heavy, with overrides: default,drop=0.2,max-delay=PT5S
              --seed N               seed of the first store; store i uses seed+i (default 42)
              --catalog P,C          products and customers each store starts with (default 20,10)
              --no-rate-limits       do not enforce the platforms' API budgets
              --delivery-threads N   webhook senders per store (default 1 keeps order)
              --print-registrations  print each store's registration JSON (contains its webhook secret and API
                                     credentials: test values, but keep them out of shared logs)
            """
                    .formatted(String.join(", ", Dialects.names()));

    private SimulatorMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.containsKey("help")) {
            System.out.print(USAGE);
            return;
        }
        PrintStream out = System.out;
        List<String> platforms = List.of(options.getOrDefault("platform", String.join(",", Dialects.names()))
                .split(","));
        int perPlatform = Integer.parseInt(options.getOrDefault("stores", "1"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "1"));
        long maxChanges = Long.parseLong(options.getOrDefault("changes", "0"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        String[] catalog = options.getOrDefault("catalog", "20,10").split(",");
        FaultProfile faults = FaultProfile.parse(options.getOrDefault("faults", "none"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "0")));

        Simulator simulator = Simulator.start(Integer.parseInt(options.getOrDefault("port", "8090")));
        List<SimulatedStore> stores = new ArrayList<>();
        int index = 0;
        for (String platform : platforms) {
            for (int i = 1; i <= perPlatform; i++) {
                stores.add(simulator.addStore(StoreSpec.builder(platform.trim(), "sim-" + platform.trim() + "-" + i)
                        .seed(seed + index++)
                        .faults(faults)
                        .catalog(Integer.parseInt(catalog[0].trim()), Integer.parseInt(catalog[1].trim()))
                        .rateLimits(!options.containsKey("no-rate-limits"))
                        .deliveryThreads(Integer.parseInt(options.getOrDefault("delivery-threads", "1")))
                        .build()));
            }
        }
        out.println("simulator listening on " + simulator.baseUrl() + " (state: " + simulator.baseUrl()
                + "/_sim/state, stats: " + simulator.baseUrl() + "/_sim/stats)");
        for (SimulatedStore store : stores) {
            out.printf("  %-12s %-45s %s%n", store.platform(), store.storeId(), store.apiBaseUrl());
        }
        String ingest = options.get("ingest-url");
        if (ingest != null) {
            String base = ingest.replaceAll("/$", "");
            for (SimulatedStore store : stores) {
                if (options.containsKey("admin-token")) {
                    store.registerWithIngest(URI.create(base), options.get("admin-token"));
                }
                store.subscribeAll(URI.create(base + "/webhooks/" + store.platform()));
            }
            out.println("webhooks go to " + base + "/webhooks/<platform>"
                    + (options.containsKey("admin-token") ? "; stores registered with the ingest" : ""));
        }
        if (options.containsKey("print-registrations")) {
            for (SimulatedStore store : stores) {
                out.println(store.registration().toJson());
            }
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stores.forEach(SimulatedStore::stopLoad);
            printStats(out, stores);
            simulator.close();
            done.countDown();
        }));
        if (rate > 0) {
            stores.forEach(store -> store.startLoad(rate, maxChanges));
        }
        long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (rate > 0 && maxChanges > 0 && stores.stream().noneMatch(SimulatedStore::loadRunning)) {
                for (SimulatedStore store : stores) {
                    store.awaitDeliveries(Duration.ofMinutes(3));
                }
                break;
            }
            if (System.nanoTime() > nextReport) {
                printStats(out, stores);
                nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            }
        }
        System.exit(0); // runs the shutdown hook: final stats
        done.await();
    }

    private static void printStats(PrintStream out, List<SimulatedStore> stores) {
        for (SimulatedStore store : stores) {
            out.println(Json.encode(Simulator.statsJson(store.stats())));
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            switch (name) {
                case "help", "no-rate-limits", "print-registrations" -> options.put(name, "true");
                case "platform",
                        "stores",
                        "port",
                        "ingest-url",
                        "admin-token",
                        "rate",
                        "changes",
                        "duration",
                        "faults",
                        "seed",
                        "catalog",
                        "delivery-threads" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    options.put(name, args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        return options;
    }
}
