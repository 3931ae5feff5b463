package dev.commercesync.poller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.shared.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WooCommerce store's REST API v3 on 127.0.0.1, in WooCommerce's shapes: orders listed with {@code
 * modified_after} (GMT, exclusive), {@code orderby=modified&order=asc}, {@code page}/{@code per_page} and {@code
 * X-WP-Total(Pages)}; orders by id; webhooks list/create/delete. Faults are queued answers served before the real
 * ones (429 with Retry-After, 401, 503). Every request is recorded with its arrival time.
 */
final class FakeWooStore implements AutoCloseable {

    record Request(String method, String path, Map<String, String> query, Instant at, int status) {}

    private record Fault(int status, Map<String, String> headers) {}

    private final HttpServer server;
    private final List<ObjectNode> orders = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> webhooks = new LinkedHashMap<>();
    private final java.util.Set<String> refusedTopics = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger webhookIds = new AtomicInteger(100);
    private volatile Fault alwaysFail;
    private final JsonNode orderTemplate;

    FakeWooStore() {
        try (InputStream in =
                FakeWooStore.class.getClassLoader().getResourceAsStream("fixtures/woocommerce/order.json")) {
            orderTemplate = Json.MAPPER.readTree(in);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds an order (a copy of the documented example) with this id and GMT modification time. */
    void addOrder(long id, Instant modified) {
        ObjectNode order = orderTemplate.deepCopy();
        order.put("id", id);
        order.put("number", Long.toString(id));
        String gmt = LocalDateTime.ofInstant(modified, ZoneOffset.UTC).toString();
        order.put("date_modified_gmt", gmt);
        order.put("date_modified", gmt);
        orders.add(order);
    }

    /** Adds an order whose customer note is {@code noteBytes} long (a response over a size limit). */
    void addLargeOrder(long id, Instant modified, int noteBytes) {
        addOrder(id, modified);
        orders.get(orders.size() - 1).put("customer_note", "x".repeat(noteBytes));
    }

    /** The next {@code count} requests are answered 429 with {@code Retry-After: seconds}. */
    void rateLimitNext(int count, long retryAfterSeconds) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(429, Map.of("Retry-After", Long.toString(retryAfterSeconds))));
        }
    }

    /** The next {@code count} requests are answered with {@code status} (a 503: the platform failing for a while). */
    void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(status, Map.of()));
        }
    }

    /** Every request is answered 401 from now on. */
    void rejectCredentials() {
        alwaysFail = new Fault(401, Map.of());
    }

    /** Registering a subscription to {@code topic} is refused (400), as a store that does not offer the topic. */
    void refuseWebhookTopic(String topic) {
        refusedTopics.add(topic);
    }

    void deleteWebhook(String id) {
        synchronized (webhooks) {
            webhooks.remove(id);
        }
    }

    /** What WooCommerce does after five failed deliveries. */
    void disableWebhook(String id) {
        synchronized (webhooks) {
            webhooks.get(id).put("status", "disabled");
        }
    }

    List<ObjectNode> webhooks() {
        synchronized (webhooks) {
            return webhooks.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String pathPrefix) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
                .toList();
    }

    void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        Fault fault = alwaysFail != null ? alwaysFail : faults.poll();
        if (fault != null) {
            fault.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            record(method, path, query, fault.status());
            respond(exchange, fault.status(), "{\"code\":\"fault\",\"message\":\"injected\"}");
            return;
        }
        String api = "/wp-json/wc/v3/";
        if (!path.startsWith(api)) {
            record(method, path, query, 404);
            respond(exchange, 404, "{}");
            return;
        }
        String resource = path.substring(api.length());
        if (method.equals("GET") && resource.equals("orders")) {
            // Recorded before answering: a client that refuses the answer (too large) closes the connection while
            // it is being written, and a test reads the requests as soon as the client gave up.
            record(method, path, query, 200);
            listOrders(exchange, query);
        } else if (method.equals("GET") && resource.startsWith("orders/")) {
            String id = resource.substring("orders/".length());
            Optional<ObjectNode> order = orders.stream()
                    .filter(o -> o.path("id").asText().equals(id))
                    .findFirst();
            record(method, path, query, order.isPresent() ? 200 : 404);
            respond(
                    exchange,
                    order.isPresent() ? 200 : 404,
                    order.map(Json::encode).orElse("{\"code\":\"woocommerce_rest_shop_order_invalid_id\"}"));
        } else if (method.equals("GET") && resource.matches("(products|customers)")) {
            exchange.getResponseHeaders().add("X-WP-Total", "0");
            exchange.getResponseHeaders().add("X-WP-TotalPages", "0");
            record(method, path, query, 200);
            respond(exchange, 200, "[]");
        } else if (resource.startsWith("webhooks")) {
            webhooksApi(exchange, method, resource, requestBody);
            record(method, path, query, 200);
        } else {
            record(method, path, query, 404);
            respond(exchange, 404, "{}");
        }
    }

    private void listOrders(HttpExchange exchange, Map<String, String> query) throws IOException {
        Instant after = LocalDateTime.parse(query.get("modified_after")).toInstant(ZoneOffset.UTC);
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "10"));
        Instant before = query.containsKey("modified_before")
                ? LocalDateTime.parse(query.get("modified_before")).toInstant(ZoneOffset.UTC)
                : Instant.MAX;
        List<ObjectNode> matching = orders.stream()
                .filter(o -> modified(o).isAfter(after) && modified(o).isBefore(before))
                .sorted(Comparator.comparing(FakeWooStore::modified)
                        .thenComparing(o -> o.path("id").asLong()))
                .toList();
        int totalPages = (matching.size() + perPage - 1) / perPage;
        ArrayNode body = Json.MAPPER.createArrayNode();
        matching.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(body::add);
        exchange.getResponseHeaders().add("X-WP-Total", Integer.toString(matching.size()));
        exchange.getResponseHeaders().add("X-WP-TotalPages", Integer.toString(totalPages));
        respond(exchange, 200, Json.encode(body));
    }

    private static Instant modified(JsonNode order) {
        return LocalDateTime.parse(order.path("date_modified_gmt").asText())
                .toInstant(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS);
    }

    private void webhooksApi(HttpExchange exchange, String method, String resource, byte[] body) throws IOException {
        synchronized (webhooks) {
            if (method.equals("GET")) {
                ArrayNode list = Json.MAPPER.createArrayNode();
                webhooks.values().forEach(list::add);
                respond(exchange, 200, Json.encode(list));
            } else if (method.equals("POST")) {
                ObjectNode created = (ObjectNode) Json.MAPPER.readTree(body);
                if (refusedTopics.contains(created.path("topic").asText())) {
                    respond(
                            exchange,
                            400,
                            "{\"code\":\"rest_invalid_param\",\"message\":\"Invalid parameter(s): topic\"}");
                    return;
                }
                String id = Integer.toString(webhookIds.incrementAndGet());
                created.put("id", Integer.parseInt(id));
                created.remove("secret");
                webhooks.put(id, created);
                respond(exchange, 201, Json.encode(created));
            } else if (method.equals("DELETE")) {
                String id = resource.substring("webhooks/".length());
                ObjectNode removed = webhooks.remove(id);
                respond(exchange, removed == null ? 404 : 200, removed == null ? "{}" : Json.encode(removed));
            } else {
                respond(exchange, 405, "{}");
            }
        }
    }

    private void record(String method, String path, Map<String, String> query, int status) {
        requests.add(new Request(method, path, query, Instant.now(), status));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw == null) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.put(name, value);
        }
        return result;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Requests in arrival order, for assertions about pacing. */
    List<Instant> arrivalTimes() {
        List<Instant> times = new ArrayList<>();
        requests.forEach(r -> times.add(r.at()));
        return times;
    }
}
