package dev.commercesync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commercesync.cli.LocalServices;
import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.Waiting;
import dev.commercesync.e2e.OtlpReceiver.ReceivedSpan;
import dev.commercesync.simulator.FaultProfile;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One signed webhook, followed through the pipeline by its trace and its log lines: webhook-ingest, the normalizer and
 * the sync-writer run as built applications (prod profile) on the real Kafka, registry and PostgreSQL, export their
 * spans over OTLP/HTTP to a receiver in this test, and write JSON logs. The spans must form one trace whose parent
 * chain runs request → raw record produced → normalize → apply, and the log lines of that record must carry its
 * platform, store, event id and trace id.
 */
class TracePropagationEndToEndTest {
    private static final Path ROOT =
            Path.of(System.getProperty("commercesync.root", "..")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODULES = List.of("normalizer", "sync-writer", "webhook-ingest");

    @Test
    void oneWebhookIsOneTraceFromTheRequestThroughTheNormalizerToTheWritersTransaction() throws Exception {
        Path dataDir = ROOT.resolve("e2e/target/trace");
        if (Files.exists(dataDir)) {
            DevStack.deleteRecursively(dataDir);
        }
        try (OtlpReceiver otlp = new OtlpReceiver();
                DevStack stack = DevStack.start(
                        new DevStack.Options(dataDir, 0, 0, 0, 0, true, Duration.ofSeconds(120)), this::print);
                LocalServices services = LocalServices.start(
                        stack.endpoints(),
                        dataDir,
                        Duration.ofSeconds(180),
                        this::print,
                        ports(),
                        serviceConfig(otlp),
                        MODULES,
                        module -> List.of());
                Simulator sim = Simulator.start(0)) {
            String ingest = services.url("webhook-ingest");
            SimulatedStore store = sim.addStore(StoreSpec.builder("shopify", "trace-shop")
                    .seed(3)
                    .faults(FaultProfile.parse("none"))
                    .build());
            store.registerWithIngest(URI.create(ingest), LocalServices.adminToken(dataDir));
            store.subscribeAll(URI.create(ingest + "/webhooks/shopify"));
            store.step();

            // Generous: on a loaded machine the ingest's first publish can outlast its request (503, the simulator
            // redelivers)
            // and the three services register their schemas before the first record passes through.
            Chain chain = awaitChain(otlp, Duration.ofMinutes(3));
            print("trace " + chain);
            String traceId = chain.request().traceId();
            for (ReceivedSpan span : List.of(chain.produce(), chain.normalize(), chain.apply())) {
                assertEquals(traceId, span.traceId(), "one trace id: " + span);
            }
            assertEquals("shopify", chain.normalize().attributes().get("commercesync.platform"));
            assertEquals(store.storeId(), chain.apply().attributes().get("commercesync.store"));
            String eventId = chain.apply().attributes().get("commercesync.event_id");
            assertTrue(eventId != null && !eventId.isBlank(), "the apply span names its event: " + chain.apply());
            assertEquals("applied", chain.apply().attributes().get("commercesync.outcome"));
            for (ReceivedSpan span : otlp.spans()) {
                assertFalse(
                        span.attributes().values().stream().anyMatch(v -> v.contains("\"line_items\"")),
                        "no payload in span attributes: " + span);
            }

            // The JSON log lines of this record carry its platform, store, event id and trace.
            Map<String, String> expected = Map.of("platform", "shopify", "store", store.storeId(), "traceId", traceId);
            assertLogged(dataDir, "webhook-ingest", "stored shopify webhook", expected);
            Map<String, String> withEvent = new LinkedHashMap<>(expected);
            withEvent.put("event_id", eventId);
            assertLogged(dataDir, "normalizer", "normalized ", withEvent);
            assertLogged(dataDir, "sync-writer", "APPLIED ", withEvent);
        }
    }

    /** request (SERVER) ← produce (ingest) ← normalize (normalizer) ← apply (sync-writer), by parent span ids. */
    record Chain(ReceivedSpan request, ReceivedSpan produce, ReceivedSpan normalize, ReceivedSpan apply) {}

    private Chain awaitChain(OtlpReceiver otlp, Duration timeout) throws InterruptedException {
        AtomicReference<Chain> found = new AtomicReference<>();
        if (Waiting.until(timeout, () -> {
            completeChain(otlp.spans()).ifPresent(found::set);
            return found.get() != null;
        })) {
            return found.get();
        }
        throw new AssertionError("no complete trace within " + timeout + "; spans received:\n"
                + String.join("\n", otlp.spans().stream().map(String::valueOf).toList()));
    }

    /** The first apply span whose parents reach back to the ingest's request, as a chain. */
    private static Optional<Chain> completeChain(List<ReceivedSpan> spans) {
        for (ReceivedSpan apply : spans) {
            if (!apply.service().equals("sync-writer") || !apply.name().startsWith("apply ")) {
                continue;
            }
            Optional<Chain> chain = parent(
                            spans, apply, "normalizer", s -> s.name().startsWith("normalize "))
                    .flatMap(normalize -> parent(
                                    spans, normalize, "webhook-ingest", s -> s.kind() == SpanKind.SPAN_KIND_PRODUCER)
                            .flatMap(produce -> requestOf(spans, produce)
                                    .map(request -> new Chain(request, produce, normalize, apply))));
            if (chain.isPresent()) {
                return chain;
            }
        }
        return Optional.empty();
    }

    private static Optional<ReceivedSpan> parent(
            List<ReceivedSpan> spans, ReceivedSpan child, String service, Predicate<ReceivedSpan> what) {
        return spans.stream()
                .filter(s ->
                        s.spanId().equals(child.parentSpanId()) && s.traceId().equals(child.traceId()))
                .filter(s -> s.service().equals(service))
                .filter(what)
                .findFirst();
    }

    /** The webhook request's SERVER span, found by walking up from the producer span within the ingest. */
    private static Optional<ReceivedSpan> requestOf(List<ReceivedSpan> spans, ReceivedSpan produce) {
        ReceivedSpan current = produce;
        for (int depth = 0; depth < 10; depth++) {
            Optional<ReceivedSpan> up = parent(spans, current, "webhook-ingest", s -> true);
            if (up.isEmpty()) {
                return Optional.empty();
            }
            current = up.get();
            if (current.kind() == SpanKind.SPAN_KIND_SERVER && current.name().contains("/webhooks/")) {
                return answeredOk(current) ? Optional.of(current) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the ingest answered the request 200 (stored). On a loaded machine a request can be answered 503 because
     * Kafka acknowledged after the ingest's timeout, and its record is still written and applied: the ingest logs no
     * "stored" line for it, and the platform's retry is the request to follow. A span without a status code counts.
     */
    private static boolean answeredOk(ReceivedSpan request) {
        String status = request.attributes()
                .getOrDefault("http.response.status_code", request.attributes().get("http.status_code"));
        return status == null || status.equals("200");
    }

    private static void assertLogged(Path dataDir, String module, String message, Map<String, String> mdc)
            throws IOException {
        Path log = dataDir.resolve("logs").resolve(module + ".log");
        List<String> candidates = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode entry = JSON.readTree(line);
            if (!entry.path("message").asText().contains(message)) {
                continue;
            }
            JsonNode context = entry.path("mdc");
            if (mdc.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(context.path(e.getKey()).asText()))) {
                assertTrue(context.path("spanId").asText().matches("[0-9a-f]{16}"), line);
                return;
            }
            candidates.add(line);
        }
        throw new AssertionError(module + " logged no JSON line '" + message + "' with " + mdc + " in its mdc; lines of"
                + " that message: " + candidates + " (" + log + ")");
    }

    /** Every service's port (the started ones listen there, the others' URLs are derived from them). */
    private static Map<String, Integer> ports() throws IOException {
        return LocalServices.freePorts();
    }

    private static Map<String, String> serviceConfig(OtlpReceiver otlp) {
        Map<String, String> config = new LinkedHashMap<>();
        // Tracing is off by default (docs/observability.md): what a deployment sets to turn it on.
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.exporter.otlp.endpoint", otlp.endpoint());
        config.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        config.put("quarkus.otel.bsp.schedule.delay", "PT0.2S");
        // The prod profile's JSON console log (synctl's local runs turn it off for people reading the logs).
        config.put("quarkus.log.console.json.enabled", "true");
        // The one line per record each service writes at DEBUG: the lines this test reads.
        for (String category : List.of(
                "dev.commercesync.ingest.WebhookResource",
                "dev.commercesync.normalizer.NormalizeProcessor",
                "dev.commercesync.syncwriter.apply.TransactionalBatch")) {
            config.put("quarkus.log.category.\"" + category + "\".level", "DEBUG");
        }
        return config;
    }

    private void print(String line) {
        System.out.println("[e2e trace] " + line);
    }
}
