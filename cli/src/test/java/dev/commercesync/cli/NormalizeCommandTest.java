package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizeCommandTest {
    /** The platforms module's published fixtures (the tests run in the cli module's directory). */
    private static final Path FIXTURES = Path.of("..", "platforms", "src", "test", "resources", "fixtures");

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Synctl.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void printsTheCanonicalEventOfAWebhookPayload() throws Exception {
        Run run = run(
                "normalize",
                "--platform",
                "shopify",
                "--topic",
                "orders/create",
                "--headers",
                FIXTURES.resolve("shopify/orders_create.headers").toString(),
                FIXTURES.resolve("shopify/orders_create.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode events = Json.MAPPER.readTree(run.out());
        assertEquals(1, events.size());
        assertEquals(
                "shopify/acme.myshopify.com/order/820982911946154508",
                events.get(0).path("metadata").path("entity_key").asText());
        assertEquals(
                "404.95",
                events.get(0)
                        .path("order")
                        .path("totals")
                        .path("total")
                        .path("amount")
                        .asText());
    }

    @Test
    void anUnmappablePayloadPrintsItsFieldPathAndExitsNonZero(@TempDir Path dir) throws Exception {
        Path payload = dir.resolve("order.json");
        String published = Files.readString(FIXTURES.resolve("woocommerce/order.created.json"));
        Files.writeString(payload, published.replace("\"currency\": \"USD\",", ""));
        Run run = run(
                "normalize",
                "--platform",
                "woocommerce",
                "--topic",
                "order.created",
                "--store",
                "example.com",
                payload.toString());
        assertEquals(1, run.exitCode());
        JsonNode error = Json.MAPPER.readTree(run.out()).path("error");
        assertEquals("MAPPING_ERROR", error.path("error_class").asText());
        assertEquals("currency", error.path("field_path").asText());
        assertTrue(run.err().contains("currency"), run.err());
    }

    @Test
    void anUnknownPlatformListsTheKnownOnes() {
        Run run = run("normalize", "--platform", "nope", "--topic", "x", "--store", "s", "missing.json");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("shopify"), run.err());
    }

    /**
     * An SRE checks an Adobe Commerce mapping on the published {@code GET /V1/orders/{id}} answer: with {@code --source
     * POLL} the payload is filed as the poller files it (entity type from the resource name), not classified as a
     * webhook (which failed with UNKNOWN_EVENT_TYPE).
     */
    @Test
    void mapsAnApiResponseAsThePollerFilesIt() throws Exception {
        Run run = run(
                "normalize",
                "--platform",
                "magento2",
                "--topic",
                "orders",
                "--source",
                "POLL",
                "--store",
                "fb58963f-d2e7-4ab4-83da-b6ff15b8ebc0",
                FIXTURES.resolve("magento2/order.rest_get_V1_orders_id.json").toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        JsonNode events = Json.MAPPER.readTree(run.out());
        assertEquals(1, events.size());
        assertEquals(
                "magento2/fb58963f-d2e7-4ab4-83da-b6ff15b8ebc0/order/3",
                events.get(0).path("metadata").path("entity_key").asText());
        assertEquals(
                "165",
                events.get(0)
                        .path("order")
                        .path("totals")
                        .path("total")
                        .path("amount")
                        .asText()
                        .replaceAll("\\.0+$", ""));
    }

    @Test
    void anApiResponseNeedsAResourceName() {
        Run run = run(
                "normalize",
                "--platform",
                "magento2",
                "--topic",
                "V1/orders",
                "--source",
                "POLL",
                "--store",
                "s",
                FIXTURES.resolve("magento2/order.rest_get_V1_orders_id.json").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("orders") && run.err().contains("inventory_levels"), run.err());
    }
}
