package dev.commercesync.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A deletion commerce-sync confirmed itself: the reconciler found an entity in the target that the platform no longer
 * lists, and the poller's fetch by id answered "not found". Platforms without delete webhooks (or whose delete webhook
 * was lost) thus still end in a canonical DELETE. The notice is platform-independent: {@link Normalization}
 * classifies it before any adapter sees it.
 */
public final class DeletionNotices {
    /** The raw record's event type. */
    public static final String EVENT_TYPE = "commercesync/confirmed-deletion";

    private DeletionNotices() {}

    /** The raw envelope announcing that {@code entityId} no longer exists on the platform. */
    public static RawEnvelope envelope(
            String platform,
            String store,
            EntityType type,
            String entityId,
            EventSource source,
            Instant confirmedAt,
            String correlationId) {
        String body = "{\"id\":\"" + entityId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return RawEnvelope.newBuilder()
                .setEnvelopeId(UUID.randomUUID().toString())
                .setPlatform(platform)
                .setStore(store)
                .setEventType(EVENT_TYPE)
                .setEntityType(type)
                .setSource(source)
                .setHeaders(Map.of())
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(confirmedAt)
                .setCorrelationId(correlationId)
                .build();
    }

    static boolean isNotice(RawEnvelope envelope) {
        return EVENT_TYPE.equals(envelope.getEventType());
    }

    static Classification.Classified classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        EntityType type = envelope.getEntityType();
        if (type == null) {
            throw new MappingException(
                    MappingException.Kind.MALFORMED_PAYLOAD,
                    "entity_type",
                    "a deletion notice names its entity type",
                    null);
        }
        JsonNode id = payload.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new MappingException(
                    MappingException.Kind.MALFORMED_PAYLOAD, "id", "a deletion notice carries the entity id", null);
        }
        String entityId = id.asText();
        return new Classification.Classified(
                type,
                Operation.DELETE,
                entityId,
                null,
                null,
                EventKeys.computed(envelope.getPlatform(), envelope.getStore(), type, entityId, null, Operation.DELETE),
                Classification.PayloadKind.FULL);
    }
}
