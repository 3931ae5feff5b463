package dev.commercesync.poller;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.stores.StoreRegistry.StoreView;

/** One store of one platform; {@code platform/store} is also the Kafka key of its raw records. */
public record StoreKey(String platform, String store) {

    public static StoreKey of(StoreView view) {
        return new StoreKey(view.platform(), view.storeId());
    }

    @Override
    public String toString() {
        return PipelineRecords.storeKey(platform, store);
    }
}
