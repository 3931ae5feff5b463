package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.util.List;

/** What a write ({@link StoreWrites}) did to a store's state. */
public sealed interface WriteResult {

    /** The state changed; {@code notifications} are what the platform turns into webhooks (as for a generated change). */
    record Applied(SimEntity entity, List<Notification> notifications) implements WriteResult {
        public Applied {
            notifications = List.copyOf(notifications);
        }
    }

    /** The write asked for what the state already is (an absolute value set again): nothing changed, no webhook. */
    record Unchanged(SimEntity entity) implements WriteResult {}

    /** The entity the write names does not exist. */
    record NotFound(EntityType type, String id) implements WriteResult {}

    /** A compare-and-set whose expected current quantity is not the current one: refused, nothing changed. */
    record Stale(SimEntity entity, int expected, int actual) implements WriteResult {}

    /** The write is not possible in the entity's state (more units than are left to ship, a cancelled order…). */
    record Invalid(String message) implements WriteResult {}

    default boolean applied() {
        return this instanceof Applied;
    }
}
