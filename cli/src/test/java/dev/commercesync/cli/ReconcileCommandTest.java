package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private StandInService reconciler;

    @BeforeEach
    void start() throws Exception {
        reconciler = new StandInService("/reconciliation/run", 200, REPORT);
    }

    @AfterEach
    void stop() {
        reconciler.close();
    }

    private int run(StringWriter out, String... args) {
        CommandLine cli = Synctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    private String url() {
        return reconciler.url();
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
        assertEquals("Bearer tok-123", reconciler.authorization.get());
    }

    @Test
    void aRefusedTokenExitsTwo(@TempDir Path dir) {
        reconciler.status = 401;
        reconciler.answer = "{\"error\":\"unauthorized\",\"message\":\"a valid bearer token is required\"}";
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
        assertEquals(null, reconciler.authorization.get());
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
        assertTrue(reconciler.body.get().contains("\"entity_type\":\"order\""), reconciler.body.get());
        assertTrue(reconciler.body.get().contains("\"full\":true"), reconciler.body.get());
        assertTrue(out.toString().contains("MISSING"), out.toString());
        assertTrue(out.toString().contains("total platform API calls: 21"), out.toString());
    }

    @Test
    void aRejectedRequestExitsTwo() {
        reconciler.status = 400;
        reconciler.answer = "{\"error\": \"unknown entity_type\"}";
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
