package dev.commercesync.inventory;

import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds a merchant's pool. The pool stage is keyed by merchant (the by-merchant repartition topic's key),
 * so Kafka Streams' metadata for that key names the instance whose local stores answer for it. An instance that
 * advertises no {@code application.server} runs alone and holds everything.
 */
final class PoolLocator {
    /** Where a merchant's pool is. */
    sealed interface Where {
        record Here() implements Where {}

        record There(HostInfo host) implements Where {}

        /** Being rebalanced or restored: ask again shortly. */
        record Unknown() implements Where {}
    }

    private final KafkaStreams streams;
    private final Optional<HostInfo> self;

    PoolLocator(KafkaStreams streams, Optional<String> applicationServer) {
        this.streams = streams;
        this.self = applicationServer.filter(s -> !s.isBlank()).map(HostInfo::buildFromEndpoint);
    }

    Where locate(String merchant, String store) {
        if (self.isEmpty()) {
            return new Where.Here();
        }
        KeyQueryMetadata metadata =
                streams.queryMetadataForKey(store, merchant, Serdes.String().serializer());
        return decide(metadata, self.get());
    }

    /** The decision alone, for a test without a cluster. */
    static Where decide(KeyQueryMetadata metadata, HostInfo self) {
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Where.Unknown();
        }
        HostInfo active = metadata.activeHost();
        return active.equals(self) ? new Where.Here() : new Where.There(active);
    }
}
