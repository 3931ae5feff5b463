package dev.commercesync.reconciler.core;

import dev.commercesync.kafka.PipelineRecords;
import java.util.Objects;

/** One store of one platform, as the store registry names it. */
public record StoreRef(String platform, String store) {
    public StoreRef {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(store, "store");
    }

    /** {@code platform/store}: the Kafka key of fetch requests and findings. */
    public String key() {
        return PipelineRecords.storeKey(platform, store);
    }
}
