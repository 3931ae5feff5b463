package dev.commercesync.platforms.shared;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import java.util.Objects;

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
}
