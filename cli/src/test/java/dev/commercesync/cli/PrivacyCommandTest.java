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

/** {@code synctl privacy ...} against a stand-in for the sync-writer's {@code /privacy/requests} (PrivacyRedactionTest covers the service). */
class PrivacyCommandTest {
    private static final String REQUESTS =
            """
            [{"request_id": "shopify/acme.myshopify.com/customer_redact/e1", "platform": "shopify",
              "store": "acme.myshopify.com", "kind": "CUSTOMER_REDACT", "status": "DONE", "overdue": false,
              "order_ids": ["299938"], "received_at": "2026-12-07T10:00:00Z", "due_at": "2027-01-06T10:00:00Z",
              "done_at": "2026-12-07T10:00:01Z", "rows_affected": 3},
             {"request_id": "shopify/acme.myshopify.com/customer_data_request/9999", "platform": "shopify",
              "store": "acme.myshopify.com", "kind": "CUSTOMER_DATA_REQUEST", "status": "RECEIVED", "overdue": true,
              "order_ids": [], "received_at": "2026-10-01T10:00:00Z", "due_at": "2026-10-31T10:00:00Z",
              "done_at": null, "rows_affected": null}]
            """;

    private StandInService writer;
    private Path secrets;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        secrets = dir.resolve("local-secrets.properties");
        Files.writeString(secrets, "commercesync.internal.token=internal-tok\n");
        writer = new StandInService("/privacy/requests", 200, REQUESTS);
    }

    @AfterEach
    void stop() {
        writer.close();
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Synctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = writer.url();
        all[args.length + 2] = "--secrets-file";
        all[args.length + 3] = secrets.toString();
        return cli.execute(all);
    }

    @Test
    void listShowsStatusAndDeadlineAndExitsOneWhenARequestIsOverdue() {
        StringWriter out = new StringWriter();

        int code = run(out, new StringWriter(), "privacy", "list", "--store", "acme.myshopify.com");

        assertEquals(1, code, "the data request is past its deadline");
        assertEquals("Bearer internal-tok", writer.authorization.get());
        assertEquals("/privacy/requests", writer.rawPath.get());
        assertEquals("store=acme.myshopify.com", writer.query.get());
        String printed = out.toString();
        assertTrue(
                printed.matches("(?s).*CUSTOMER_REDACT\\s+shopify/acme.myshopify.com\\s+DONE\\s+2026-12-07T10:00:00Z"
                        + "\\s+2027-01-06T10:00:00Z\\s+2026-12-07T10:00:01Z.*"),
                printed);
        assertTrue(printed.matches("(?s).*CUSTOMER_DATA_REQUEST\\s+shopify/acme.myshopify.com\\s+OVERDUE.*"), printed);
    }

    @Test
    void exportPrintsTheAnswerAndSaysWhenThereIsNoSuchDataRequest() {
        writer.answer = "{\"request\": {}, \"entities\": {\"shopify/acme.myshopify.com/customer/1\": \"{}\"}}";
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "privacy", "export", "--request-id", "shopify/a/b/9999"));
        assertEquals("/privacy/requests/export", writer.rawPath.get());
        assertEquals("request_id=shopify/a/b/9999", writer.query.get());
        assertTrue(out.toString().contains("shopify/acme.myshopify.com/customer/1"), out.toString());

        writer.status = 404;
        writer.answer = "{\"error\": \"not_found\"}";
        StringWriter err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "privacy", "export", "--request-id", "x"));
        assertTrue(err.toString().contains("no customer data request x"), err.toString());
    }

    @Test
    void anAnswer401IsReportedAsTheToken() {
        writer.status = 401;
        writer.answer = "{\"error\": \"unauthenticated\"}";
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "privacy", "list"));
        assertTrue(err.toString().contains("COMMERCESYNC_INTERNAL_TOKEN"), err.toString());
    }
}
