package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code synctl stores ...} against stand-ins for webhook-ingest's {@code /admin/stores} and the poller's
 * {@code /status/stores} (their own tests, StoreAdminResource's and PollingTest, cover the services).
 */
class StoresCommandTest {
    private static final String STORE =
            """
            {"platform": "woocommerce", "store_id": "shop.example.com/wp", "display_name": "Shop",
             "api_base_url": "https://shop.example.com/wp", "enabled": true, "has_api_credentials": true,
             "previous_secret_valid_until": null}
            """;

    private static final String STATUS =
            """
            [{"platform": "shopify", "store": "ok.myshopify.com", "enabled": true, "state": "OK",
              "waiting_for_person": false, "last_error": null, "resources": [], "operations": []},
             {"platform": "bigcommerce", "store": "stores/abc", "enabled": true, "state": "NEEDS_ATTENTION",
              "waiting_for_person": true,
              "last_error": {"error_class": "auth", "message": "401 from the store", "retrying": false},
              "resources": [],
              "operations": [{"operation": "POLL", "entity_type": "ORDER", "state": "WAITING_FOR_PERSON",
                              "since": "2026-12-07T05:00:00Z", "error_class": "auth",
                              "last_error": "401 from the store", "consecutive_failures": 3}]},
             {"platform": "woocommerce", "store": "shop.example.com/wp", "enabled": true, "state": "RETRYING",
              "waiting_for_person": false,
              "last_error": {"error_class": "quota", "message": "429", "retrying": true},
              "resources": [], "operations": []}]
            """;

    private StandInService ingest;
    private StandInService poller;
    private Path dir;
    private Path secrets;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        secrets = dir.resolve("local-secrets.properties");
        Files.writeString(secrets, "commercesync.admin.token=admin-tok\ncommercesync.internal.token=internal-tok\n");
        ingest = new StandInService("/admin/stores", 200, STORE);
        poller = new StandInService("/status/stores", 200, STATUS);
    }

    @AfterEach
    void stop() {
        ingest.close();
        poller.close();
    }

    private int run(StringWriter out, StringWriter err, StandInService service, String... args) {
        CommandLine cli = Synctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = service.url();
        all[args.length + 2] = "--secrets-file";
        all[args.length + 3] = secrets.toString();
        return cli.execute(all);
    }

    private JsonNode sent() throws Exception {
        return Json.MAPPER.readTree(ingest.body.get());
    }

    @Test
    void addReadsTheSecretsFromFilesSendsThemWithTheAdminTokenAndNeverPrintsThem() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "whsec-0123456789abcdef\n");
        Path creds = dir.resolve("creds");
        Files.writeString(creds, "ck_key:cs_secret");
        ingest.status = 201;
        StringWriter out = new StringWriter();

        int code = run(
                out,
                new StringWriter(),
                ingest,
                "stores",
                "add",
                "--platform",
                "woocommerce",
                "--store",
                "shop.example.com/wp",
                "--webhook-secret-file",
                secret.toString(),
                "--api-credentials-file",
                creds.toString(),
                "--api-base-url",
                "https://shop.example.com/wp",
                "--name",
                "Shop");

        assertEquals(0, code);
        assertEquals("POST", ingest.method.get());
        assertEquals("/admin/stores", ingest.rawPath.get());
        assertEquals("Bearer admin-tok", ingest.authorization.get());
        assertEquals("whsec-0123456789abcdef", sent().path("webhook_secret").asText(), "the line break is not sent");
        assertEquals("ck_key:cs_secret", sent().path("api_credentials").asText());
        assertEquals("https://shop.example.com/wp", sent().path("api_base_url").asText());
        String printed = out.toString();
        assertTrue(printed.matches("(?s).*woocommerce\\s+shop.example.com/wp\\s+yes\\s+set\\s+Shop.*"), printed);
        assertFalse(printed.contains("whsec") || printed.contains("cs_secret"), printed);
    }

    @Test
    void rotateSendsTheNewSecretAndTheGraceAsAnIsoDurationUnderThePlatform() throws Exception {
        Path secret = dir.resolve("new");
        Files.writeString(secret, "whsec-new-0123456789");
        ingest.answer = "{\"message\": \"webhook secret rotated\"}";
        StringWriter out = new StringWriter();

        assertEquals(
                0,
                run(
                        out,
                        new StringWriter(),
                        ingest,
                        "stores",
                        "rotate",
                        "--platform",
                        "woocommerce",
                        "--store",
                        "shop.example.com/wp",
                        "--webhook-secret-file",
                        secret.toString(),
                        "--grace",
                        "2h"));

        assertEquals("/admin/stores/woocommerce/secret-rotations", ingest.rawPath.get());
        assertEquals("PT2H", sent().path("grace_period").asText());
        assertEquals("shop.example.com/wp", sent().path("store_id").asText());
        assertEquals("whsec-new-0123456789", sent().path("webhook_secret").asText());
    }

    /** Not on a terminal (no prompt): the credentials come from stdin, never from an argument, and are not printed. */
    @Test
    void credentialsAreReadFromStdinSentUnderThePlatformAndNeverPrinted() throws Exception {
        StringWriter out = new StringWriter();
        InputStream stdin = System.in;
        int code;
        try {
            System.setIn(new ByteArrayInputStream("shpat_new-token\n".getBytes(StandardCharsets.UTF_8)));
            code = run(out, new StringWriter(), ingest, "stores", "credentials", "woocommerce", "shop.example.com/wp");
        } finally {
            System.setIn(stdin);
        }

        assertEquals(0, code);
        assertEquals("POST", ingest.method.get());
        assertEquals("/admin/stores/woocommerce/api-credentials", ingest.rawPath.get());
        assertEquals("Bearer admin-tok", ingest.authorization.get());
        assertEquals("shop.example.com/wp", sent().path("store_id").asText());
        assertEquals("shpat_new-token", sent().path("api_credentials").asText(), "the line break is not sent");
        String printed = out.toString();
        assertTrue(printed.matches("(?s).*woocommerce\\s+shop.example.com/wp\\s+yes\\s+set.*"), printed);
        assertFalse(printed.contains("shpat_"), printed);

        // Nothing on stdin: refused before anything is sent.
        ingest.method.set(null);
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(new byte[0]));
            code = run(new StringWriter(), err, ingest, "stores", "credentials", "woocommerce", "shop.example.com/wp");
        } finally {
            System.setIn(stdin);
        }
        assertEquals(2, code);
        assertTrue(err.toString().contains("no API credentials"), err.toString());
        assertEquals(null, ingest.method.get(), "nothing sent");
    }

    @Test
    void aGraceThatIsNotADurationIsRefusedBeforeAnythingIsSent() throws Exception {
        Path secret = dir.resolve("new");
        Files.writeString(secret, "whsec-new-0123456789");
        StringWriter err = new StringWriter();

        int code = run(
                new StringWriter(),
                err,
                ingest,
                "stores",
                "rotate",
                "--platform",
                "woocommerce",
                "--store",
                "s",
                "--webhook-secret-file",
                secret.toString(),
                "--grace",
                "tomorrow");

        assertEquals(2, code, err.toString());
        assertEquals(null, ingest.method.get(), "nothing is sent");
        assertTrue(err.toString().contains("--grace"), err.toString());
    }

    @Test
    void disableAndEnableNameTheStoreInTheBody() throws Exception {
        ingest.answer = "{\"message\": \"store disabled\"}";
        String[] store = {"--platform", "woocommerce", "--store", "shop.example.com/wp"};
        assertEquals(0, run(new StringWriter(), new StringWriter(), ingest, concat("stores disable", store)));
        assertEquals("/admin/stores/woocommerce/disable", ingest.rawPath.get());
        assertEquals("shop.example.com/wp", sent().path("store_id").asText());

        assertEquals(0, run(new StringWriter(), new StringWriter(), ingest, concat("stores enable", store)));
        assertEquals("/admin/stores/woocommerce/enable", ingest.rawPath.get());
    }

    @Test
    void listPrintsATableOrTheJson() throws Exception {
        ingest.answer = "[" + STORE + "]";
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), ingest, "stores", "list"));
        assertEquals("GET", ingest.method.get());
        assertTrue(out.toString().contains("shop.example.com/wp"), out.toString());

        StringWriter json = new StringWriter();
        assertEquals(0, run(json, new StringWriter(), ingest, "stores", "list", "--json"));
        assertEquals(
                "woocommerce",
                Json.MAPPER.readTree(json.toString()).get(0).path("platform").asText());
    }

    @Test
    void statusListsStoresThatNeedAttentionFirstWithTheInternalTokenAndExitsOneWhenAnyIsNotOk() throws Exception {
        StringWriter out = new StringWriter();

        assertEquals(1, run(out, new StringWriter(), poller, "stores", "status"));

        assertEquals("Bearer internal-tok", poller.authorization.get());
        String[] lines = out.toString().split("\n");
        assertTrue(lines[1].startsWith("NEEDS_ATTENTION") && lines[1].contains("stores/abc"), out.toString());
        assertTrue(lines[1].contains("auth: 401 from the store"), out.toString());
        assertTrue(lines[2].startsWith("RETRYING"), out.toString());
        assertTrue(lines[3].startsWith("OK"), out.toString());
    }

    @Test
    void statusOfOneStoreShowsEveryOperationAndJsonKeepsTheOrder() throws Exception {
        StringWriter out = new StringWriter();
        assertEquals(1, run(out, new StringWriter(), poller, "stores", "status", "--store", "stores/abc"));
        assertTrue(
                out.toString().matches("(?s).*POLL\\s+ORDER\\s+WAITING_FOR_PERSON\\s+2026-12-07T05:00:00Z\\s+auth.*"),
                out.toString());

        StringWriter json = new StringWriter();
        assertEquals(1, run(json, new StringWriter(), poller, "stores", "status", "--json"));
        JsonNode array = Json.MAPPER.readTree(json.toString());
        assertEquals(3, array.size());
        assertEquals("stores/abc", array.get(0).path("store").asText());

        StringWriter ok = new StringWriter();
        assertEquals(0, run(ok, new StringWriter(), poller, "stores", "status", "--platform", "shopify"));
    }

    private static String[] concat(String words, String... more) {
        String[] split = words.split(" ");
        String[] all = java.util.Arrays.copyOf(split, split.length + more.length);
        System.arraycopy(more, 0, all, split.length, more.length);
        return all;
    }
}
