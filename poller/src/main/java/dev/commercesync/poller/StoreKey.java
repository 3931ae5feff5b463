package dev.commercesync.poller;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.stores.StoreRegistry.StoreView;

/** One store of one platform; {@code platform/store} is also the Kafka key of its raw records. */
public record StoreKey(String platform, String store) {

    public static StoreKey of(StoreView view) {
        return new StoreKey(view.platform(), view.storeId());
    }

    /** What an operational-state outcome is about; {@code type} null for a store-wide operation. */
    public OperationalStates.Subject subject(EntityType type, Operation operation) {
        return new OperationalStates.Subject(platform, store, type == null ? null : type.name(), operation);
    }

    @Override
    public String toString() {
        return PipelineRecords.storeKey(platform, store);
    }
}
