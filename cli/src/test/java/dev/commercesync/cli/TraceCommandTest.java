package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.EntityTrace.Kind;
import dev.commercesync.kafka.TraceStory;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code synctl trace} against the real broker and registry, on topics of its own (hidden {@code --topic-suffix}): one
 * order's records on every topic among another order's (pipeline-kafka's TraceStory).
 */
class TraceCommandTest {
    private static final Endpoints STACK = SharedStack.endpoints();
    private static final String SUFFIX =
            ".cli-trace-" + UUID.randomUUID().toString().substring(0, 8);
    private static KafkaTestClient kafka;
    private static TraceStory story;

    @BeforeAll
    static void publishTheStory() throws Exception {
        kafka = new KafkaTestClient(STACK);
        story = new TraceStory(
                        kafka.avroProducer(),
                        "cli-trace.myshopify.com",
                        Instant.now().minusSeconds(600),
                        SUFFIX)
                .publish();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void printsTheOrdersStepsAsAnAlignedTimeline() {
        SynctlRun run = synctl("trace", story.platform, story.store, story.orderId, "--type", "order", "--since", "1h");

        assertEquals(0, run.exit(), run.out());
        List<String> lines = run.out().lines().toList();
        assertTrue(
                lines.get(0).contains("ORDER " + story.orderId) && lines.get(0).contains("12 step(s)"), run.out());
        String header = lines.get(1);
        assertTrue(header.startsWith("TIME"), run.out());
        List<String> steps = lines.subList(2, lines.size());
        assertEquals(TraceStory.KINDS.size(), steps.size(), run.out());
        int latencyColumn = header.indexOf("+LATENCY");
        int stepColumn = header.indexOf("STEP");
        for (int i = 0; i < steps.size(); i++) {
            String line = steps.get(i);
            assertEquals('+', line.charAt(latencyColumn), "aligned: " + line);
            assertTrue(line.startsWith(TraceStory.KINDS.get(i).name() + " ", stepColumn), run.out());
            assertFalse(line.contains(story.otherOrderId), "only the order's records: " + line);
        }
        assertTrue(steps.get(2).contains("+1.200s") && steps.get(2).contains("version="), run.out());
        assertFalse(run.out().contains("secret-body"), "never a payload");
    }

    @Test
    void jsonHasEveryStepWithItsKindAndLatency() throws Exception {
        SynctlRun run = synctl("trace", story.platform, story.store, story.orderId, "--type", "ORDER", "--json");

        assertEquals(0, run.exit(), run.out());
        JsonNode trace = Json.MAPPER.readTree(run.out());
        assertEquals(story.orderId, trace.get("entity_id").asText());
        List<Kind> kinds = new ArrayList<>();
        trace.get("steps").forEach(s -> kinds.add(Kind.valueOf(s.get("kind").asText())));
        assertEquals(TraceStory.KINDS, kinds);
        JsonNode applied = trace.get("steps").get(2);
        assertEquals(1200, applied.get("latency_millis").asLong());
        assertEquals("postgres", applied.get("details").get("target").asText());
        assertEquals(story.commandId, trace.get("steps").get(3).get("id").asText());
    }

    @Test
    void findTracesTheOrderWithThatNumberOrEmail() throws Exception {
        SynctlRun run = synctl("trace", story.platform, story.store, story.email, "--find", "--json");

        assertEquals(0, run.exit(), run.out());
        JsonNode traces = Json.MAPPER.readTree(run.out());
        assertEquals(1, traces.size(), run.out());
        assertEquals(story.orderId, traces.get(0).get("entity_id").asText());
        assertEquals(TraceStory.KINDS.size(), traces.get(0).get("steps").size());
    }

    @Test
    void anUnknownEntitySaysSoAndABadSinceIsRefused() {
        SynctlRun none = synctl("trace", story.platform, story.store, "no-such-order");
        assertEquals(0, none.exit(), none.out());
        assertTrue(none.out().contains("0 step(s)") && none.out().contains("widen --since"), none.out());

        SynctlRun bad = synctl("trace", story.platform, story.store, story.orderId, "--since", "yesterday");
        assertEquals(2, bad.exit(), bad.out());
        assertTrue(bad.out().contains("ISO-8601"), bad.out());
    }

    private static SynctlRun synctl(String... args) {
        return SynctlRun.on(STACK, SUFFIX, args);
    }
}
