package dev.commercesync.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one way to turn a raw record into canonical events, used by the normalizer service and {@code synctl
 * normalize}: pick the adapter, parse, classify, map, stamp the metadata. It never throws for a bad record: every
 * failure is a {@link NormalizationOutcome.Failed} with its quarantine error class. Thread-safe.
 */
public final class Normalization {
    /** What an API version name looks like; anything else is not repeated in a quarantine reason. */
    private static final Pattern VERSION_NAME = Pattern.compile("[A-Za-z0-9._+/-]{1,40}");

    private final PlatformRegistry registry;

    public Normalization(PlatformRegistry registry) {
        this.registry = registry;
    }

    public NormalizationOutcome normalize(RawEnvelope envelope) {
        return normalize(envelope, null);
    }

    /** @param rawRef where the raw record is on Kafka, stamped into each event's metadata; null when unknown */
    public NormalizationOutcome normalize(RawEnvelope envelope, RawRecordRef rawRef) {
        Optional<PlatformAdapter> adapter = registry.find(envelope.getPlatform());
        if (adapter.isEmpty()) {
            return failed(
                    QuarantineErrorClass.UNKNOWN_PLATFORM,
                    new UnknownPlatformException(envelope.getPlatform(), registry.names()).getMessage());
        }
        Classification.Classified classified = null;
        String mappingVersion = null;
        try {
            JsonNode payload = Json.parseObject(bodyBytes(envelope));
            Classification classification = DeletionNotices.isNotice(envelope)
                    ? DeletionNotices.classify(envelope, payload)
                    : adapter.get().classify(envelope, payload);
            if (classification instanceof Classification.UnknownEventType unknown) {
                return failed(
                        QuarantineErrorClass.UNKNOWN_EVENT_TYPE,
                        "platform " + envelope.getPlatform() + " has no mapping for event type '" + unknown.eventType()
                                + "'");
            }
            classified = (Classification.Classified) classification;
            if (tooLong(classified.entityId()) || tooLong(classified.parentId())) {
                // Not kept as the record's entity id either: it would carry the oversized value into the quarantine.
                return new NormalizationOutcome.Failed(
                        QuarantineErrorClass.MAPPING_ERROR,
                        "entity or parent id is longer than " + EventKeys.MAX_ENTITY_ID_LENGTH + " characters",
                        null,
                        null,
                        classified.entityType(),
                        null,
                        null);
            }
            if (classified.payloadKind() != Classification.PayloadKind.FULL
                    && classified.operation() == Operation.UPSERT) {
                return new NormalizationOutcome.FetchNeeded(
                        envelope.getPlatform(),
                        envelope.getStore(),
                        classified.entityType(),
                        List.of(classified.entityId()),
                        classified.parentId(),
                        classified.payloadKind() == Classification.PayloadKind.THIN
                                ? FetchReason.THIN_WEBHOOK
                                : FetchReason.PARTIAL_PAYLOAD,
                        classified.dedupKey());
            }
            Optional<EntityMapper> mapper = adapter.get().mapper(classified.entityType());
            if (mapper.isEmpty()) {
                return new NormalizationOutcome.Failed(
                        QuarantineErrorClass.UNKNOWN_EVENT_TYPE,
                        "platform " + envelope.getPlatform() + " has no mapper for " + classified.entityType(),
                        null,
                        null,
                        classified.entityType(),
                        classified.entityId(),
                        null);
            }
            mappingVersion = mapper.get().mappingVersion();
            if (classified.operation() != Operation.DELETE && !reads(mapper.get(), envelope.getApiVersion())) {
                return new NormalizationOutcome.Failed(
                        QuarantineErrorClass.UNSUPPORTED_API_VERSION,
                        "the payload is in " + envelope.getPlatform() + " API version "
                                + shown(envelope.getApiVersion())
                                + ", which mapping " + mappingVersion + " does not read (it reads "
                                + String.join(", ", mapper.get().apiVersionsRead()) + ")",
                        null,
                        mappingVersion,
                        classified.entityType(),
                        classified.entityId(),
                        null);
            }
            SpecificRecord entity = classified.operation() == Operation.DELETE
                    ? null
                    : mapper.get().map(payload, classified);
            EventMetadata metadata = metadata(envelope, classified, mappingVersion, rawRef);
            return new NormalizationOutcome.Events(
                    List.of(CanonicalEvents.wrap(metadata, classified.entityType(), entity)));
        } catch (MappingException e) {
            return new NormalizationOutcome.Failed(
                    e.kind() == MappingException.Kind.MALFORMED_PAYLOAD
                            ? QuarantineErrorClass.MALFORMED_PAYLOAD
                            : QuarantineErrorClass.MAPPING_ERROR,
                    e.reason(),
                    e.fieldPath(),
                    e.mappingVersion() != null ? e.mappingVersion() : mappingVersion,
                    classified == null ? null : classified.entityType(),
                    classified == null ? null : classified.entityId(),
                    e.getClass().getName());
        } catch (AvroRuntimeException | NullPointerException e) {
            // The generated builders and constructors reject a record that breaks the schema (a required field
            // left null): a mapper bug that must not publish a half-filled event.
            return new NormalizationOutcome.Failed(
                    QuarantineErrorClass.SCHEMA_VIOLATION,
                    "mapped record violates the canonical schema: " + e.getMessage(),
                    null,
                    mappingVersion,
                    classified == null ? null : classified.entityType(),
                    classified == null ? null : classified.entityId(),
                    e.getClass().getName());
        } catch (RuntimeException e) {
            return new NormalizationOutcome.Failed(
                    QuarantineErrorClass.INTERNAL,
                    "normalization failed: " + e.getClass().getSimpleName(),
                    null,
                    mappingVersion,
                    classified == null ? null : classified.entityType(),
                    classified == null ? null : classified.entityId(),
                    e.getClass().getName());
        }
    }

    private static EventMetadata metadata(
            RawEnvelope envelope, Classification.Classified classified, String mappingVersion, RawRecordRef rawRef) {
        return EventMetadata.newBuilder()
                .setEventId(EventKeys.eventId(classified.dedupKey()))
                .setDedupKey(classified.dedupKey())
                .setEntityKey(EventKeys.entityKey(
                        envelope.getPlatform(), envelope.getStore(), classified.entityType(), classified.entityId()))
                .setPlatform(envelope.getPlatform())
                .setStore(envelope.getStore())
                .setEntityType(classified.entityType())
                .setEntityId(classified.entityId())
                .setOperation(classified.operation())
                .setSource(envelope.getSource())
                .setSourceUpdatedAt(classified.sourceUpdatedAt())
                .setSourceVersion(null)
                .setMappingVersion(mappingVersion)
                .setReceivedAt(envelope.getReceivedAt())
                .setRawRef(rawRef)
                .setTraceContext(envelope.getTraceContext())
                .build();
    }

    /** True when the mapper declares it reads {@code apiVersion}, or the version is unknown (null). */
    private static boolean reads(EntityMapper mapper, String apiVersion) {
        return apiVersion == null || mapper.apiVersionsRead().contains(apiVersion);
    }

    /** The version as the reason shows it: quoted when it looks like a version name, else not repeated. */
    private static String shown(String apiVersion) {
        return VERSION_NAME.matcher(apiVersion).matches() ? "'" + apiVersion + "'" : "(not a version name)";
    }

    private static boolean tooLong(String id) {
        return id != null && id.length() > EventKeys.MAX_ENTITY_ID_LENGTH;
    }

    private static byte[] bodyBytes(RawEnvelope envelope) {
        ByteBuffer body = envelope.getBody().duplicate();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return bytes;
    }

    private static NormalizationOutcome.Failed failed(QuarantineErrorClass errorClass, String reason) {
        return new NormalizationOutcome.Failed(errorClass, reason, null, null, null, null, null);
    }
}
