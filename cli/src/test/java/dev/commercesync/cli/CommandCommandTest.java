package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code synctl command send|status} against a stand-in for the poller's {@code /commands}. */
class CommandCommandTest {
    private static final String STATUS =
            """
            {"command_id": "c-1", "platform": "shopify", "store": "acme.myshopify.com",
             "command_key": "shopify/acme.myshopify.com/inventory_level/808950810@655441491",
             "kind": "SET_INVENTORY_LEVEL", "state": "APPLIED", "final_state": true, "attempts": 2,
             "deadline": "2026-12-06T18:00:00Z", "platform_request_ids": ["req-9"],
             "resulting_state": {"available": 40}, "result_published": true}
            """;

    private StandInService poller;

    @BeforeEach
    void start() throws Exception {
        poller = new StandInService(
                "/commands", 202, "{\"command_id\": \"c-1\", \"status_url\": \"/commands/c-1\", \"state\": \"SENT\"}");
        poller.headers = Map.of("Location", "/commands/c-1");
    }

    @AfterEach
    void stop() {
        poller.close();
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Synctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String url() {
        return poller.url();
    }

    @Test
    void sendPostsThePlainShapeWithTheInternalTokenAndPrintsTheStatusUrl(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("local-secrets.properties");
        Files.writeString(secrets, "commercesync.internal.token=tok-7\n");
        StringWriter out = new StringWriter();
        int exit = run(
                out,
                new StringWriter(),
                "command",
                "send",
                "--platform",
                "shopify",
                "--store",
                "acme.myshopify.com",
                "--action",
                "{\"type\": \"SetInventoryLevel\", \"item_id\": \"808950810\", \"location_id\": \"655441491\","
                        + " \"quantity\": 40}",
                "--id",
                "c-1",
                "--deadline-in",
                "10m",
                "--secrets-file",
                secrets.toString(),
                "--url",
                url());

        assertEquals(0, exit);
        assertEquals("Bearer tok-7", poller.authorization.get());
        JsonNode sent = Json.MAPPER.readTree(poller.body.get());
        assertEquals("c-1", sent.path("command_id").asText());
        assertEquals("shopify", sent.path("platform").asText());
        assertEquals("SetInventoryLevel", sent.path("action").path("type").asText());
        assertEquals("synctl", sent.path("issuer").asText());
        Instant deadline = Instant.parse(sent.path("deadline").asText());
        assertTrue(deadline.isAfter(Instant.now().plus(Duration.ofMinutes(9))), deadline.toString());
        assertTrue(out.toString().contains("accepted c-1 (SENT): /commands/c-1"), out.toString());
    }

    @Test
    void sendReadsAFileAndReportsA400WithItsMessage(@TempDir Path dir) throws Exception {
        Path command = dir.resolve("command.json");
        Files.writeString(
                command,
                "{\"command_id\": \"c-2\", \"platform\": \"woocommerce\", \"store\": \"shop.example.com\","
                        + " \"action\": {\"type\": \"CancelOrder\", \"order_id\": \"7\"}}");
        poller.status = 400;
        poller.answer = "{\"error\": \"invalid_command\", \"message\": \"action.reason is not one of [...]\"}";
        StringWriter err = new StringWriter();

        int exit = run(new StringWriter(), err, "command", "send", "--file", command.toString(), "--url", url());

        assertEquals(2, exit);
        assertEquals(
                "c-2",
                Json.MAPPER.readTree(poller.body.get()).path("command_id").asText());
        assertTrue(Json.MAPPER.readTree(poller.body.get()).hasNonNull("deadline"), "a default deadline is added");
        assertTrue(err.toString().contains("action.reason is not one of"), err.toString());
    }

    @Test
    void statusPrintsTheJournalStateAndJsonOnRequest() throws Exception {
        poller.status = 200;
        poller.answer = STATUS;
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "command", "status", "c-1", "--url", url()));
        assertEquals("/commands/c-1", poller.rawPath.get());
        assertTrue(out.toString().contains("APPLIED"), out.toString());
        assertTrue(out.toString().contains("attempts 2"), out.toString());

        StringWriter json = new StringWriter();
        assertEquals(0, run(json, new StringWriter(), "command", "status", "c-1", "--json", "--url", url()));
        assertEquals(
                "APPLIED", Json.MAPPER.readTree(json.toString()).path("state").asText());
    }

    @Test
    void statusOfAnUnknownCommandExitsOneAndARefusedTokenTwo() {
        poller.status = 404;
        poller.answer = "{\"error\": \"not_found\", \"message\": \"command x is not in the journal (yet)\"}";
        StringWriter err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "command", "status", "x", "--url", url()));
        assertTrue(err.toString().contains("not in the journal"), err.toString());

        poller.status = 401;
        poller.answer = "{\"error\": \"unauthorized\"}";
        assertEquals(2, run(new StringWriter(), new StringWriter(), "command", "status", "x", "--url", url()));
    }
}
