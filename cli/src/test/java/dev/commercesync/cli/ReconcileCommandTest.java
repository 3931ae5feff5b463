package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReconcileCommandTest {
    private static final String REPORT =
            """
            {"run_id": "r-1", "platform": "woocommerce", "store": "shop.example.com", "full": false,
             "window_from": "2000-01-01T00:00:00Z", "window_to": "2026-01-01T00:00:00Z", "api_calls": 21,
             "types": [{"entity_type": "ORDER", "api_calls": 21, "count_calls": 19, "list_calls": 2,
               "buckets_compared": 19, "buckets_listed": 1, "fetch_requests": 1, "verified_repairs": 0,
               "findings": [{"kind": "MISSING", "entity_id": "7", "repair": "FETCH_REQUESTED",
                 "platform_updated_at": "2025-03-01T07:00:00Z", "consecutive_passes": 1}]}]}
            """;

    private HttpServer server;
    private final AtomicReference<String> requestBody = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String answer = REPORT;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/reconciliation/run", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            requestBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(StringWriter out, String... args) {
        CommandLine cli = Synctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void sendsTheInternalTokenFromTheSecretsFile(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("local-secrets.properties");
        Files.writeString(secrets, "commercesync.internal.token=tok-123\n");
        int exit = run(
                new StringWriter(),
                "reconcile",
                "--platform",
                "woocommerce",
                "--store",
                "shop.example.com",
                "--secrets-file",
                secrets.toString(),
                "--url",
                url());
        assertEquals(1, exit);
        assertEquals("Bearer tok-123", authorization.get());
    }

    @Test
    void aRefusedTokenExitsTwo(@TempDir Path dir) {
        status = 401;
        answer = "{\"error\":\"unauthorized\",\"message\":\"a valid bearer token is required\"}";
        int exit = run(
                new StringWriter(),
                "reconcile",
                "--platform",
                "woocommerce",
                "--store",
                "shop.example.com",
                "--secrets-file",
                dir.resolve("absent.properties").toString(),
                "--url",
                url());
        assertEquals(2, exit);
        assertEquals(null, authorization.get());
    }

    @Test
    void printsFindingsAndCostAndExitsOneOnDrift() {
        StringWriter out = new StringWriter();
        int exit = run(
                out,
                "reconcile",
                "--platform",
                "woocommerce",
                "--store",
                "shop.example.com",
                "--entity",
                "order",
                "--full",
                "--url",
                url());
        assertEquals(1, exit);
        assertTrue(requestBody.get().contains("\"entity_type\":\"order\""), requestBody.get());
        assertTrue(requestBody.get().contains("\"full\":true"), requestBody.get());
        assertTrue(out.toString().contains("MISSING"), out.toString());
        assertTrue(out.toString().contains("total platform API calls: 21"), out.toString());
    }

    @Test
    void aRejectedRequestExitsTwo() {
        status = 400;
        answer = "{\"error\": \"unknown entity_type\"}";
        assertEquals(
                2,
                run(
                        new StringWriter(),
                        "reconcile",
                        "--platform",
                        "p",
                        "--store",
                        "s",
                        "--entity",
                        "x",
                        "--url",
                        url()));
    }
}
