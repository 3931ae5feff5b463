package dev.commercesync.simulator;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store's exact state at one moment: every entity's id, version and updated-at, by type. What the target must
 * converge to.
 */
public record StoreSnapshot(
        String platform, String storeId, Instant takenAt, Map<EntityType, List<EntityVersion>> entities) {

    /**
     * @param id the entity's id as the platform gives it ({@code PlatformDialect#platformId})
     * @param parentId the owning entity (a refund's or shipment's order), else null
     * @param updatedAt as the platform shows it ({@code PlatformDialect#platformUpdatedAt})
     * @param available an inventory level's available quantity, else null: what a platform without updated-at on its
     *     levels (BigCommerce) is compared by
     */
    public record EntityVersion(String id, String parentId, long version, Instant updatedAt, Integer available) {
        public EntityVersion(String id, String parentId, long version, Instant updatedAt) {
            this(id, parentId, version, updatedAt, null);
        }
    }

    public StoreSnapshot {
        entities = Map.copyOf(entities);
    }

    public List<EntityVersion> of(EntityType type) {
        return entities.getOrDefault(type, List.of());
    }

    public Optional<EntityVersion> find(EntityType type, String id) {
        return of(type).stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public int count(EntityType type) {
        return of(type).size();
    }
}
