package dev.commercesync.platforms.shared;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.RawEnvelope;
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
}
