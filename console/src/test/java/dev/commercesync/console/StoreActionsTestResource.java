package dev.commercesync.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.devstack.ServiceNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The console's stack plus what its store actions call: the real webhook-ingest (its built application, {@link
 * ServiceNode}) on the same PostgreSQL, with the test profile's secrets key and tokens; and a stand-in for the
 * reconciler's {@code POST /reconciliation/run} (a JDK HTTP server) that checks the internal token and answers a report
 * naming what it was asked. The stand-in only tests the console's side of the reconciler's contract; the reconciler's
 * own side is tested in module reconciler.
 */
public class StoreActionsTestResource extends ConsoleTestResource {
    /** A store the stand-in reconciler does not know (answers 404 as the reconciler does for such a store). */
    static final String UNKNOWN_TO_RECONCILER = "not-in-the-registry.example";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceNode webhookIngest;
    private HttpServer reconciler;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        Endpoints stack = SharedStack.endpoints();
        try {
            Path root = RepoRoot.find();
            webhookIngest = ServiceNode.start(
                    root,
                    "webhook-ingest",
                    freePort(),
                    stack,
                    Map.of(
                            "commercesync.secrets.key", ConsoleFixtures.SECRETS_KEY,
                            "commercesync.admin.token", "test-admin-token",
                            "commercesync.internal.token", "test-internal-token",
                            "quarkus.log.console.json.enabled", "false"),
                    root.resolve("console/target/store-actions-logs"),
                    Duration.ofMinutes(3));
            reconciler = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            reconciler.createContext("/reconciliation/run", StoreActionsTestResource::run);
            reconciler.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        config.put("commercesync.console.webhook-ingest-url", webhookIngest.baseUrl());
        config.put(
                "commercesync.console.reconciler-url",
                "http://127.0.0.1:" + reconciler.getAddress().getPort());
        return config;
    }

    @Override
    public void stop() {
        if (reconciler != null) {
            reconciler.stop(0);
        }
        if (webhookIngest != null) {
            webhookIngest.close();
        }
        super.stop();
    }

    /** The reconciler's answers: 401 without the internal token, 404 for an unknown store, else a one-type report. */
    private static void run(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"Bearer test-internal-token"
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, JSON.createObjectNode().put("error", "unauthorized"));
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (!"POST".equals(exchange.getRequestMethod())
                    || !exchange.getRequestHeaders().getFirst("Content-Type").startsWith("application/json")) {
                answer(exchange, 400, JSON.createObjectNode().put("error", "not a JSON POST"));
                return;
            }
            if (UNKNOWN_TO_RECONCILER.equals(request.path("store").asText())) {
                answer(exchange, 404, JSON.createObjectNode().put("error", "unknown store"));
                return;
            }
            ObjectNode report = JSON.createObjectNode()
                    .put("run_id", "stand-in-run")
                    .put("platform", request.path("platform").asText())
                    .put("store", request.path("store").asText())
                    .put("full", request.path("full").asBoolean())
                    .put("api_calls", 3);
            ObjectNode type = report.putArray("types")
                    .addObject()
                    .put("entity_type", request.path("entity_type").asText("ORDER"))
                    .put("api_calls", 3);
            type.putArray("findings")
                    .addObject()
                    .put("kind", "MISSING_IN_TARGET")
                    .put("entity_id", "1001");
            answer(exchange, 200, report);
        }
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
