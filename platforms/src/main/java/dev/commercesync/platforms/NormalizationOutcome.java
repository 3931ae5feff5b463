package dev.commercesync.platforms;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/** What {@link Normalization#normalize} made of one raw record. */
public sealed interface NormalizationOutcome {

    /**
     * Canonical events to publish, each keyed by its {@code metadata.entity_key} ({@code OrderEvent},
     * {@code ProductEvent}, ...).
     */
    record Events(List<SpecificRecord> canonicalEvents) implements NormalizationOutcome {
        public Events {
            canonicalEvents = List.copyOf(canonicalEvents);
        }
    }

    /**
     * The payload is thin or partial: the entity must be fetched by id (the normalizer turns this into a {@code
     * FetchRequest}; the poller's answer comes back as a raw record of source POLL with the full state).
     *
     * @param parentId owning entity id when the API needs it, else null
     * @param dedupKey the dedup key of the thin event, for a deterministic request id
     */
    record FetchNeeded(
            String platform,
            String store,
            EntityType entityType,
            List<String> entityIds,
            String parentId,
            FetchReason reason,
            String dedupKey)
            implements NormalizationOutcome {
        public FetchNeeded {
            entityIds = List.copyOf(entityIds);
        }
    }

    /**
     * The record cannot be normalized: quarantine it with these facts ({@code QuarantineRecord} fields of the same
     * names). {@code reason} is safe to log: it never contains the payload.
     *
     * @param fieldPath offending payload field, when known
     * @param mappingVersion mapper that failed, when one was chosen
     * @param entityType classified entity type, when classification succeeded
     * @param entityId classified entity id, when classification succeeded
     * @param exceptionClass class of the underlying exception, when there was one
     */
    record Failed(
            QuarantineErrorClass errorClass,
            String reason,
            String fieldPath,
            String mappingVersion,
            EntityType entityType,
            String entityId,
            String exceptionClass)
            implements NormalizationOutcome {
        public Failed {
            Objects.requireNonNull(errorClass, "errorClass");
            Objects.requireNonNull(reason, "reason");
        }

        /** A quarantine record with this failure's fields set; where it was read and who quarantined it are not. */
        public QuarantineRecord.Builder quarantineRecord() {
            return QuarantineRecord.newBuilder()
                    .setErrorClass(errorClass)
                    .setReason(reason)
                    .setFieldPath(fieldPath)
                    .setExceptionClass(exceptionClass)
                    .setMappingVersion(mappingVersion)
                    .setEntityType(entityType)
                    .setEntityId(entityId);
        }
    }
}
