package dev.commercesync.reconciler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.commercesync.testsupport.ServiceReadinessContract;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A JDK HttpServer standing in for the poller's platform view (docs/reconciler.md contract): entities per
 * {@code platform/store/TYPE}, one platform request per count and per page of 100. Static: the Quarkus app and the
 * test share it.
 */
public class FakePoller implements QuarkusTestResourceLifecycleManager {
    static final Map<String, Map<String, Instant>> ENTITIES = new ConcurrentHashMap<>();
    static final AtomicInteger PLATFORM_CALLS = new AtomicInteger();

    /** What the fake poller reports its adapter lists ({@code /capabilities}): the reconciler's default types. */
    static final String CAPABILITIES =
            "{\"listed_by_updated_at\": [\"ORDER\", \"REFUND\"], \"listed_as_snapshot\": [\"INVENTORY_LEVEL\"]}";

    /** A store whose configured types override the platform's ({@code ReconciliationRunTest}). */
    static final String OVERRIDDEN_STORE = "overridden.example.com";

    private static final int PAGE = 100;
    private HttpServer server;

    /** Stores whose view the fake poller fails, with the answer it gives (status and body). */
    static final Map<String, Map.Entry<Integer, String>> FAILING = new ConcurrentHashMap<>();

    /** Every view request of the store is answered {@code status} with {@code body} (the real poller's error shapes). */
    static void fail(String platform, String store, int status, String body) {
        FAILING.put(platform + "/" + store, Map.entry(status, body));
    }

    static Map<String, Instant> store(String platform, String store, String type) {
        return ENTITIES.computeIfAbsent(platform + "/" + store + "/" + type, k -> new ConcurrentHashMap<>());
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/platform-view/", FakePoller::handle);
        server.start();
        return Map.of(
                "commercesync.reconciler.poller-url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "commercesync.reconciler.target-relation",
                "reconciler_test.entity_versions",
                "commercesync.reconciler.store.\"woocommerce/" + OVERRIDDEN_STORE + "\".entity-types",
                "ORDER");
    }

    private static void handle(HttpExchange exchange) throws IOException {
        // The real poller refuses requests without its internal token (docs/auth.md): so does this one.
        if (!ServiceReadinessContract.INTERNAL_AUTH.equals(
                exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{\"error\":\"unauthorized\"}");
            return;
        }
        String[] path = exchange.getRequestURI().getPath().split("/"); // "", platform-view, {platform}, count|list
        if (path[3].equals("capabilities")) {
            respond(exchange, 200, CAPABILITIES);
            return;
        }
        Map<String, String> q = new HashMap<>();
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        Map.Entry<Integer, String> failure = FAILING.get(path[2] + "/" + q.get("store"));
        if (failure != null) {
            respond(exchange, failure.getKey(), failure.getValue());
            return;
        }
        Map<String, Instant> entities = ENTITIES.get(path[2] + "/" + q.get("store") + "/" + q.get("type"));
        if (entities == null) {
            respond(exchange, 404, "{\"error\":\"unknown_store\"}");
            return;
        }
        Instant from = Instant.parse(q.get("from"));
        Instant to = Instant.parse(q.get("to"));
        Map<String, Instant> inRange = entities.entrySet().stream()
                .filter(e -> !e.getValue().isBefore(from) && e.getValue().isBefore(to))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (path[3].equals("count")) {
            PLATFORM_CALLS.incrementAndGet();
            respond(exchange, 200, "{\"count\": " + inRange.size() + ", \"api_calls\": 1}");
            return;
        }
        int pages = Math.max(1, (inRange.size() + PAGE - 1) / PAGE);
        PLATFORM_CALLS.addAndGet(pages);
        String listed = inRange.entrySet().stream()
                .map(e -> "{\"id\": \"" + e.getKey() + "\", \"updated_at\": \"" + e.getValue() + "\"}")
                .collect(Collectors.joining(","));
        respond(exchange, 200, "{\"entities\": [" + listed + "], \"api_calls\": " + pages + "}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
