package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.UnknownPlatformException;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "normalize",
        mixinStandardHelpOptions = true,
        description = {
            "Map one platform payload to canonical events, exactly as the normalizer does, and print them as JSON.",
            "Exit codes: 0 events (or a fetch request for a thin payload) printed; 1 the payload cannot be mapped"
                    + " (the error, its class and field path are printed); 2 bad arguments or unreadable files.",
            "Signatures are not checked: the payload is taken as delivered."
        })
final class NormalizeCommand implements Callable<Integer> {

    @Option(
            names = "--platform",
            required = true,
            description = "Platform adapter name, as registered in the platforms module (an unknown one lists them).")
    String platform;

    @Option(
            names = "--topic",
            required = true,
            description = "The platform's topic (orders/create, order.updated) or, for an API response (--source POLL"
                    + " or RECONCILE), its entity type's resource name (orders, products, customers, refunds,"
                    + " shipments, inventory_levels), which files it as the poller does.")
    String topic;

    @Option(
            names = "--headers",
            description = "File of delivery headers, one 'Name: value' per line (# comments allowed); they supply the"
                    + " store and the platform event id as the platform sends them.")
    Path headersFile;

    @Option(names = "--store", description = "Store identifier; overrides the one read from --headers.")
    String store;

    @Option(
            names = "--source",
            defaultValue = "WEBHOOK",
            description = "How the payload arrived: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    EventSource source;

    @Parameters(index = "0", paramLabel = "PAYLOAD.json", description = "The payload (webhook body or API entity).")
    Path payloadFile;

    @Override
    public Integer call() {
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        PlatformAdapter adapter;
        try {
            adapter = registry.get(platform);
        } catch (UnknownPlatformException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        byte[] body;
        Map<String, String> headers = Map.of();
        try {
            body = Files.readAllBytes(payloadFile);
            if (headersFile != null) {
                headers = RawEnvelopes.parseHeaderLines(Files.readAllLines(headersFile));
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("Cannot read input: " + e.getMessage());
            return 2;
        }
        WebhookDelivery delivery = adapter.describeDelivery(new WebhookRequest(headers, body));
        String storeId = store != null ? store : delivery.store().orElse(null);
        if (storeId == null) {
            System.err.println("No store: pass --store, or --headers with the platform's store header.");
            return 2;
        }
        if (source != EventSource.WEBHOOK) {
            // An API response is filed as the poller and the reconciler file it: the entity type is the resource's.
            java.util.Optional<EntityType> type = Arrays.stream(EntityType.values())
                    .filter(t -> RawEnvelopes.resourceName(t).equals(topic))
                    .findFirst();
            if (type.isEmpty()) {
                System.err.println("With --source " + source + ", --topic is an entity type's resource name: "
                        + Arrays.stream(EntityType.values())
                                .map(RawEnvelopes::resourceName)
                                .toList());
                return 2;
            }
            JsonNode entity;
            try {
                entity = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                System.err.println("Cannot read input: the API response is not JSON: " + e.getMessage());
                return 2;
            }
            return print(new Normalization(registry)
                    .normalize(RawEnvelopes.fromApi(
                            adapter.name(), storeId, type.get(), entity, source, Instant.now(), null)));
        }
        RawEnvelope envelope = RawEnvelope.newBuilder()
                .setEnvelopeId(UUID.randomUUID().toString())
                .setPlatform(adapter.name())
                .setStore(storeId)
                .setEventType(topic)
                .setEntityType(null)
                .setSource(source)
                .setDeliveryId(delivery.deliveryId().orElse(null))
                .setPlatformEventId(delivery.platformEventId().orElse(null))
                .setHeaders(delivery.headersToKeep())
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap(body))
                .setReceivedAt(Instant.now())
                .setCorrelationId(null)
                .setTraceContext(null)
                .setApiVersion(delivery.apiVersion().orElse(null))
                .build();
        NormalizationOutcome outcome = new Normalization(registry).normalize(envelope);
        return print(outcome);
    }

    private static int print(NormalizationOutcome outcome) {
        if (outcome instanceof NormalizationOutcome.Events events) {
            ArrayNode rendered = Json.MAPPER.createArrayNode();
            for (SpecificRecord event : events.canonicalEvents()) {
                rendered.add(CanonicalJson.render(event));
            }
            System.out.println(pretty(rendered));
            return 0;
        }
        if (outcome instanceof NormalizationOutcome.FetchNeeded fetch) {
            ObjectNode json = Json.MAPPER.createObjectNode();
            ObjectNode request = json.putObject("fetch_needed");
            request.put("platform", fetch.platform());
            request.put("store", fetch.store());
            request.put("entity_type", fetch.entityType().name());
            fetch.entityIds().forEach(request.putArray("entity_ids")::add);
            request.put("parent_id", fetch.parentId());
            request.put("reason", fetch.reason().name());
            request.put("dedup_key", fetch.dedupKey());
            System.out.println(pretty(json));
            return 0;
        }
        NormalizationOutcome.Failed failed = (NormalizationOutcome.Failed) outcome;
        ObjectNode json = Json.MAPPER.createObjectNode();
        ObjectNode error = json.putObject("error");
        error.put("error_class", failed.errorClass().name());
        error.put("reason", failed.reason());
        error.put("field_path", failed.fieldPath());
        error.put("mapping_version", failed.mappingVersion());
        error.put(
                "entity_type",
                failed.entityType() == null ? null : failed.entityType().name());
        error.put("entity_id", failed.entityId());
        System.out.println(pretty(json));
        System.err.println("Cannot normalize: " + failed.errorClass()
                + (failed.fieldPath() == null ? "" : " at " + failed.fieldPath()) + ": " + failed.reason());
        return 1;
    }

    private static String pretty(Object json) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
