package dev.commercesync.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.kafka.EntityTrace.Kind;
import dev.commercesync.kafka.EntityTrace.Step;
import dev.commercesync.kafka.EntityTrace.Trace;
import dev.commercesync.schemas.canonical.EntityType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The entity trace against the real broker and registry, on topics of its own (a suffix): one order's records on every
 * topic the trace reads, among another order's, the same id in another store and a product with the same id.
 */
class EntityTraceTest {
    private static DevStack stack;
    private static PipelineKafka kafka;
    private static TraceStory story;
    private static EntityTrace trace;

    @BeforeAll
    static void publishTheStory() throws Exception {
        Path dir = RepoRoot.find()
                .resolve("pipeline-kafka/target/devstack/trace-"
                        + ProcessHandle.current().pid());
        stack = DevStack.start(DevStack.Options.ephemeral(dir), line -> System.out.println("[devstack] " + line));
        kafka = new PipelineKafka(
                stack.endpoints().kafkaBootstrap(), stack.endpoints().registryUrl(), "trace-test");
        String suffix = ".trace-" + UUID.randomUUID().toString().substring(0, 8);
        story = new TraceStory(
                        kafka.producer(), "trace.myshopify.com", Instant.now().minusSeconds(600), suffix)
                .publish();
        trace = new EntityTrace(kafka, suffix);
    }

    @AfterAll
    static void stopTheStack() {
        if (kafka != null) {
            kafka.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anOrdersTraceHasExactlyItsRecordsInTimeOrderWithLatencies() {
        Trace t =
                trace.trace(story.platform, story.store, story.orderId, EntityType.ORDER, story.start.minusSeconds(60));

        assertEquals(TraceStory.KINDS, kinds(t), describe(t));
        for (Step s : t.steps()) {
            assertTrue(s.entityType() == null || s.entityType().equals("ORDER"), s.toString());
            assertFalse(s.id().contains(story.otherOrderId) || s.id().startsWith("noise"), s.toString());
        }
        Step first = t.steps().get(0);
        assertEquals(story.start, first.at());
        assertEquals("+0s", first.latency());
        assertEquals("webhook-ingest", first.component());
        assertEquals("env-1-" + story.orderId, first.id());
        Step event = t.steps().get(1);
        assertEquals(story.firstEventId, event.id());
        assertEquals("shopify/orders@3", event.details().get("mapping_version"));
        assertEquals("WEBHOOK", event.details().get("source"));
        Step applied = t.steps().get(2);
        assertEquals(1_200, applied.latencyMillis());
        assertEquals("+1.200s", applied.latency());
        assertEquals(
                Long.toString(story.start.toEpochMilli()), applied.details().get("version"));
        assertEquals("postgres", applied.details().get("target"));
        assertEquals(story.commandId, t.steps().get(3).id());
        assertEquals("UpdateOrderStatus", t.steps().get(3).details().get("action"));
        assertEquals("APPLIED", t.steps().get(4).details().get("status"));
        assertEquals("STALE", t.steps().get(5).details().get("kind"));
        Step polled = t.steps().get(7);
        assertEquals("fr-" + story.orderId, polled.details().get("correlation_id"));
        assertEquals("2m05s", EntityTrace.formatMillis(polled.latencyMillis()));
        assertEquals("VALIDATION", t.steps().get(9).details().get("error_class"));
        assertEquals("MAPPING_ERROR", t.steps().get(11).details().get("error_class"));
        assertFalse(t.toString().contains("secret-body"), "no payload body in a trace");
    }

    @Test
    void withoutATypeEveryEntityWithTheIdIsTraced() {
        Trace t = trace.trace(story.platform, story.store, story.orderId, null, story.start.minusSeconds(60));

        List<Kind> expected = new ArrayList<>(TraceStory.KINDS);
        expected.add(Kind.CANONICAL_EVENT);
        assertEquals(expected, kinds(t), describe(t));
        assertEquals("PRODUCT", t.steps().get(t.steps().size() - 1).entityType());
    }

    @Test
    void theWindowStartsWhereSinceSays() {
        Trace t =
                trace.trace(story.platform, story.store, story.orderId, EntityType.ORDER, story.start.plusSeconds(100));

        // From the finding on; the polled read's raw record is found through its event.
        assertEquals(TraceStory.KINDS.subList(5, TraceStory.KINDS.size()), kinds(t), describe(t));
        assertEquals(0, t.steps().get(0).latencyMillis());
    }

    @Test
    void anUnknownEntityHasAnEmptyTrace() {
        Trace t = trace.trace(story.platform, story.store, "no-such-order", null, story.start.minusSeconds(60));

        assertTrue(t.steps().isEmpty(), describe(t));
    }

    @Test
    void ordersAreFoundByNumberOrCustomerEmail() {
        Instant since = story.start.minusSeconds(60);

        assertEquals(List.of(story.orderId), trace.findOrders(story.platform, story.store, story.orderNumber, since));
        assertEquals(
                List.of(story.orderId),
                trace.findOrders(story.platform, story.store, story.orderNumber.substring(1), since));
        assertEquals(
                List.of(story.orderId),
                trace.findOrders(story.platform, story.store, story.email.toUpperCase(java.util.Locale.ROOT), since));
        assertEquals(List.of(), trace.findOrders(story.platform, story.store, "nobody@example.com", since));
    }

    @Test
    void sinceIsAnInstantOrAnAge() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");

        assertEquals(Instant.parse("2026-12-06T10:00:00Z"), EntityTrace.parseSince("24h", now));
        assertEquals(Instant.parse("2026-12-07T09:30:00Z"), EntityTrace.parseSince("30m", now));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), EntityTrace.parseSince("2026-12-01T00:00:00Z", now));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> EntityTrace.parseSince("yesterday", now));
        assertTrue(bad.getMessage().contains("ISO-8601"), bad.getMessage());
    }

    private static List<Kind> kinds(Trace t) {
        return t.steps().stream().map(Step::kind).toList();
    }

    private static String describe(Trace t) {
        StringBuilder text = new StringBuilder();
        t.steps().forEach(s -> text.append('\n')
                .append(s.at())
                .append(' ')
                .append(s.kind())
                .append(' ')
                .append(s.id())
                .append(' ')
                .append(s.detailsText()));
        return text.toString();
    }
}
