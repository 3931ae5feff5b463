package dev.commercesync.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.http.ApiRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulator: one JDK HTTP server on 127.0.0.1 hosting any number of simulated stores, each under {@code
 * /stores/<key>} (its API base URL), also under {@code /hosts/<host>/stores/<key>}: the same store, addressed as if
 * at the platform's host {@code <host>} (a stand-in for one of a platform's regional endpoints; the store records the
 * hosts it was addressed at, {@link SimulatedStore#requestedHosts()}), plus the simulator's own endpoints:
 *
 * <ul>
 *   <li>{@code GET /_sim/state[?store=<key>]} — every store's entities with id, version and updated-at, and its stats;
 *   <li>{@code GET /_sim/stats[?store=<key>]} — counts of changes, webhooks per topic, faults, deliveries, API calls;
 *   <li>{@code POST /_sim/changes?store=<key>&count=<n>} — make n changes now (drives a store from another process).
 * </ul>
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(0)) {
 *     SimulatedStore shop = sim.addStore(StoreSpec.builder("shopify", "shop-1").seed(42).build());
 *     shop.subscribeAll(URI.create("http://127.0.0.1:8080/webhooks/shopify"));
 *     shop.step(100);
 *     shop.awaitDeliveries(Duration.ofSeconds(30));
 *     StoreSnapshot truth = shop.snapshot();
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
    private static final String STORES = "/stores/";
    private static final String HOSTS = "/hosts/";

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm and delayed ACKs every answer
        // waits ~40 ms. Read once, when the JDK's server first starts in this JVM; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, SimulatedStore> stores = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();
    /** Sends answers held by an injected write timeout, without keeping a server thread. */
    private final ScheduledExecutorService held = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sim-held-answers");
        thread.setDaemon(true);
        return thread;
    });

    private Simulator(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the server on 127.0.0.1 and the given port (0: a free one). */
    public static Simulator start(int port) throws IOException {
        return start(new InetSocketAddress("127.0.0.1", port));
    }

    public static Simulator start(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 128);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "sim-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        Simulator simulator = new Simulator(server, executor);
        server.createContext("/", simulator::serve);
        server.start();
        return simulator;
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort());
    }

    /** Adds a store (its starting catalog is created at once). Keys are unique per simulator. */
    public SimulatedStore addStore(StoreSpec spec) {
        SimulatedStore store = new SimulatedStore(spec, baseUrl());
        if (stores.putIfAbsent(spec.key(), store) != null) {
            store.close();
            throw new IllegalArgumentException("a store with key " + spec.key() + " exists already");
        }
        synchronized (order) {
            order.add(spec.key());
        }
        return store;
    }

    public Optional<SimulatedStore> store(String key) {
        return Optional.ofNullable(stores.get(key));
    }

    /** The stores in the order they were added. */
    public List<SimulatedStore> stores() {
        synchronized (order) {
            return order.stream().map(stores::get).toList();
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        boolean sent = true;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            ApiAnswer answer;
            Map<String, List<String>> headers = exchange.getRequestHeaders();
            if (path.startsWith(HOSTS)) {
                // /hosts/<host>/stores/<key>/...: the store's API as if at <host>
                String rest = path.substring(HOSTS.length());
                int slash = rest.indexOf('/');
                String host = slash < 0 ? "" : rest.substring(0, slash);
                path = slash < 0 ? "" : rest.substring(slash);
                headers = new java.util.HashMap<>(headers);
                headers.put(SimulatedStore.HOST_HEADER, List.of(host));
            }
            if (path.startsWith(STORES)) {
                String rest = path.substring(STORES.length());
                int slash = rest.indexOf('/');
                // Keys are lower case; a path may name one in upper case (an Amazon seller id, as the poller's
                // store-url-template puts the store id).
                SimulatedStore store =
                        stores.get((slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(java.util.Locale.ROOT));
                answer = store == null || slash < 0
                        ? notFound()
                        : store.handle(ApiRequest.of(
                                exchange.getRequestMethod(),
                                rest.substring(slash),
                                exchange.getRequestURI().getRawQuery(),
                                headers,
                                body));
            } else if (path.startsWith("/_sim/")) {
                answer = control(ApiRequest.of(
                        exchange.getRequestMethod(),
                        path,
                        exchange.getRequestURI().getRawQuery(),
                        exchange.getRequestHeaders(),
                        body));
            } else {
                answer = notFound();
            }
            if (!answer.hold().isZero()) {
                ApiAnswer late = answer;
                held.schedule(
                        () -> {
                            try {
                                send(exchange, late);
                            } catch (IOException e) {
                                // the client gave up waiting: what a held answer is for
                            } finally {
                                exchange.close();
                            }
                        },
                        answer.hold().toMillis(),
                        TimeUnit.MILLISECONDS);
                sent = false;
                return;
            }
            send(exchange, answer);
        } finally {
            if (sent) {
                exchange.close();
            }
        }
    }

    private static void send(HttpExchange exchange, ApiAnswer answer) throws IOException {
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (answer.body().length > 0) {
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private static ApiAnswer notFound() {
        return ApiAnswer.json(404, Json.MAPPER.createObjectNode().put("error", "not found"));
    }

    private ApiAnswer control(ApiRequest request) {
        List<SimulatedStore> selected = request.param("store")
                .map(key -> Optional.ofNullable(stores.get(key)).stream().toList())
                .orElseGet(this::stores);
        if (request.param("store").isPresent() && selected.isEmpty()) {
            return notFound();
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("stores");
        switch (request.method() + " " + request.path()) {
            case "GET /_sim/state" -> selected.forEach(store -> list.add(stateJson(store)));
            case "GET /_sim/stats" -> selected.forEach(store -> list.add(statsJson(store.stats())));
            case "POST /_sim/changes" -> {
                int count = request.intParam("count", 1);
                for (SimulatedStore store : selected) {
                    store.step(count);
                    list.add(statsJson(store.stats()));
                }
            }
            default -> {
                return notFound();
            }
        }
        return ApiAnswer.json(200, root);
    }

    static ObjectNode stateJson(SimulatedStore store) {
        StoreSnapshot snapshot = store.snapshot();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("platform", snapshot.platform());
        json.put("key", store.key());
        json.put("store_id", snapshot.storeId());
        json.put("api_base_url", store.apiBaseUrl().toString());
        json.put("taken_at", snapshot.takenAt().toString());
        ObjectNode entities = json.putObject("entities");
        for (EntityType type : EntityType.values()) {
            if (snapshot.count(type) == 0) {
                continue;
            }
            ArrayNode list = entities.putArray(type.name());
            for (StoreSnapshot.EntityVersion version : snapshot.of(type)) {
                ObjectNode item = list.addObject();
                item.put("id", version.id());
                if (version.parentId() != null) {
                    item.put("parent_id", version.parentId());
                }
                item.put("version", version.version());
                item.put("updated_at", version.updatedAt().toString());
                if (version.available() != null) {
                    item.put("available", version.available());
                }
            }
        }
        json.set("stats", statsJson(store.stats()));
        return json;
    }

    static ObjectNode statsJson(StoreStats stats) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("platform", stats.platform());
        json.put("store_id", stats.storeId());
        ObjectNode changes = json.putObject("changes");
        stats.changes().forEach((kind, count) -> changes.put(kind.name(), count));
        ObjectNode events = json.putObject("webhook_events");
        stats.webhookEvents().forEach(events::put);
        ObjectNode delivered = json.putObject("webhooks_delivered");
        stats.webhooksDelivered().forEach(delivered::put);
        ObjectNode faults = json.putObject("faults");
        stats.faults().forEach((fault, count) -> faults.put(fault.name(), count));
        json.put("delivery_attempts", stats.deliveryAttempts());
        json.put("delivery_failures", stats.deliveryFailures());
        json.put("undeliverable", stats.undeliverable());
        json.put("unsubscribed", stats.unsubscribed());
        json.put("api_requests", stats.apiRequests());
        json.put("api_rate_limited", stats.apiRateLimited());
        json.put("pending_deliveries", stats.pendingDeliveries());
        json.put("writes_received", stats.writesReceived());
        json.put("writes_applied", stats.writesApplied());
        json.put("writes_refused_by_fault", stats.writesRefusedByFault());
        json.put("writes_applied_twice", stats.writesAppliedTwice());
        return json;
    }

    /** The JSON of {@code GET /_sim/state} (all stores), for callers in the same JVM. */
    public String stateJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("stores");
        stores().forEach(store -> list.add(stateJson(store)));
        return new String(Json.encode(root).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stores.values().forEach(SimulatedStore::close);
        server.stop(0);
        held.shutdownNow();
        executor.shutdownNow();
    }
}
