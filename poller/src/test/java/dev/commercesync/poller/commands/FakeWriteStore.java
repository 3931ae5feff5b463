package dev.commercesync.poller.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.stores.StoreRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store's write API on 127.0.0.1 for {@link TestWritePlatform}: {@code PUT /items/{id}} sets an item's value
 * (applying it and counting the application per command id), {@code GET /items/{id}} reads it back. Faults are queued
 * answers for the next writes: applied and then answered 500, applied and then answered only after the client's
 * timeout, or refused (429 with Retry-After, 401, 404) without applying.
 */
final class FakeWriteStore implements AutoCloseable {

    /** What the next write does. */
    enum Fault {
        APPLY_THEN_500,
        APPLY_THEN_TIME_OUT,
        /** 500 without applying. */
        SERVER_ERROR,
        RATE_LIMITED,
        UNAUTHORIZED,
        NOT_FOUND
    }

    record Request(String method, String path, String commandId, Instant at, int status) {}

    private final HttpServer server;
    private final Map<String, Long> values = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> applications = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean refuseCredentials;

    FakeWriteStore() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/items/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-write-store");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Registers a new store of {@link TestWritePlatform} (unique id starting with {@code prefix}) writing here. */
    String register(StoreRegistry stores, String prefix) {
        String store = prefix + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        stores.add(
                TestWritePlatform.NAME,
                store,
                "Command test",
                baseUrl(),
                "whsec",
                "{\"key\": \"ck_test\", \"secret\": \"cs_test\"}");
        return store;
    }

    void add(String item, long value) {
        values.put(item, value);
    }

    void fault(Fault fault) {
        faults.add(fault);
    }

    /** Every request is answered 401 (true) or served again (false). */
    void refuseCredentials(boolean refuse) {
        refuseCredentials = refuse;
    }

    Long value(String item) {
        return values.get(item);
    }

    /** How many times the command's write was applied. */
    int applications(String commandId) {
        AtomicInteger n = applications.get(commandId);
        return n == null ? 0 : n.get();
    }

    List<Request> writes(String commandId) {
        return requests.stream()
                .filter(r -> r.method().equals("PUT") && commandId.equals(r.commandId()))
                .toList();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String item = exchange.getRequestURI().getPath().substring("/items/".length());
        String method = exchange.getRequestMethod();
        if (refuseCredentials) {
            requests.add(new Request(method, item, null, Instant.now(), 401));
            answer(exchange, 401, Map.of(), "{\"message\": \"invalid token\"}");
            return;
        }
        if (method.equals("GET")) {
            Long value = values.get(item);
            requests.add(new Request(method, item, null, Instant.now(), value == null ? 404 : 200));
            if (value == null) {
                answer(exchange, 404, Map.of(), "{\"message\": \"no such item\"}");
            } else {
                answer(exchange, 200, Map.of(), state(item, value));
            }
            return;
        }
        JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        String commandId = body.path("command_id").asText();
        Fault fault = faults.poll();
        if (fault == Fault.RATE_LIMITED
                || fault == Fault.UNAUTHORIZED
                || fault == Fault.NOT_FOUND
                || fault == Fault.SERVER_ERROR
                || !values.containsKey(item)) {
            int status = fault == Fault.RATE_LIMITED
                    ? 429
                    : fault == Fault.UNAUTHORIZED ? 401 : fault == Fault.SERVER_ERROR ? 500 : 404;
            requests.add(new Request(method, item, commandId, Instant.now(), status));
            answer(exchange, status, status == 429 ? Map.of("Retry-After", "1") : Map.of(), "{\"message\": \"no\"}");
            return;
        }
        long value = body.path("value").asLong();
        values.put(item, value);
        applications.computeIfAbsent(commandId, k -> new AtomicInteger()).incrementAndGet();
        int status = fault == Fault.APPLY_THEN_500 ? 500 : 200;
        requests.add(new Request(method, item, commandId, Instant.now(), status));
        if (fault == Fault.APPLY_THEN_TIME_OUT) {
            try {
                closed.await(TestWritePlatform.REQUEST_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer(exchange, status, Map.of("X-Request-Id", "req-" + requests.size()), state(item, value));
    }

    private static String state(String item, long value) {
        ObjectNode state = Json.MAPPER.createObjectNode().put("id", item).put("value", value);
        return Json.encode(state);
    }

    private static void answer(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // the client timed out and closed the connection
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
