package dev.commercesync.platforms.shared;

import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Where a platform topic leads: the canonical entity type and operation. Adapters keep a table of these. */
public record EventRoute(EntityType entityType, Operation operation) {
    public EventRoute {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(operation, "operation");
    }

    public static EventRoute upsert(EntityType type) {
        return new EventRoute(type, Operation.UPSERT);
    }

    public static EventRoute delete(EntityType type) {
        return new EventRoute(type, Operation.DELETE);
    }

    /**
     * The route of a raw record: a webhook topic from the adapter's table; a polled or fetched record as an upsert of
     * the entity type the poller set (or, for records without one, of the API resource its event type names).
     *
     * @param resourceType the entity type of an API resource name ({@code orders}), null when it names none
     */
    public static Optional<EventRoute> of(
            RawEnvelope envelope, Map<String, EventRoute> webhookRoutes, Function<String, EntityType> resourceType) {
        EventRoute route = webhookRoutes.get(envelope.getEventType());
        if (route != null) {
            return Optional.of(route);
        }
        if (envelope.getEntityType() != null) {
            return Optional.of(upsert(envelope.getEntityType()));
        }
        return Optional.ofNullable(resourceType.apply(envelope.getEventType())).map(EventRoute::upsert);
    }

    /**
     * The classification of a full payload on this route: the entity's state is in the payload, its dedup key is the
     * platform event id when the envelope has one, otherwise computed from the entity and its updated-at.
     */
    public Classification.Classified fullPayload(
            RawEnvelope envelope, String entityId, String parentId, Instant sourceUpdatedAt) {
        return new Classification.Classified(
                entityType,
                operation,
                entityId,
                parentId,
                sourceUpdatedAt,
                EventKeys.dedupKey(envelope, entityType, entityId, sourceUpdatedAt, operation),
                Classification.PayloadKind.FULL);
    }
}
