package dev.commercesync.platforms.spi;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import java.time.Instant;
import java.util.Objects;

/** What a raw record is about, decided by the adapter before mapping. */
public sealed interface Classification {

    /** Whether the payload carries the entity's state or must be fetched by id first. */
    enum PayloadKind {
        /** The payload is the entity's full current state: map it. */
        FULL,
        /** The payload carries ids only (BigCommerce): fetch the entity by id. */
        THIN,
        /** The payload carries some fields only: fetch the entity by id. */
        PARTIAL
    }

    /**
     * @param entityId the platform's id of the entity, exact (as text)
     * @param parentId owning entity id when the API needs it to fetch this one (order id of a refund), else null
     * @param sourceUpdatedAt the platform's updated-at of the entity (UTC), null when the payload has none
     * @param dedupKey the platform event id where one exists, otherwise {@code DedupKeys.computed(...)}
     */
    record Classified(
            EntityType entityType,
            Operation operation,
            String entityId,
            String parentId,
            Instant sourceUpdatedAt,
            String dedupKey,
            PayloadKind payloadKind)
            implements Classification {
        public Classified {
            Objects.requireNonNull(entityType, "entityType");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(entityId, "entityId");
            Objects.requireNonNull(dedupKey, "dedupKey");
            Objects.requireNonNull(payloadKind, "payloadKind");
        }
    }

    /** The adapter does not know this event type: the normalizer quarantines it (never marks it processed). */
    record UnknownEventType(String eventType) implements Classification {}
}
