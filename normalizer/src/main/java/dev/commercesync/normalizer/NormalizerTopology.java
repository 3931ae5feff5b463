package dev.commercesync.normalizer;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The normalizer's Kafka Streams topology: raw topic → {@link NormalizeProcessor} (with the changelogged dedup and
 * echo-claim stores, and the global stores of recent commands and results: {@link EchoRecognition}) → one sink that routes each record to its topic (the canonical topic of the event's entity type, the fetch-request
 * topic or the quarantine topic). Plain Kafka Streams, so the crash tests can run it in a child JVM.
 */
public final class NormalizerTopology {
    /** The dedup key store (key: dedup key, value: first-seen wall-clock millis); its changelog is compacted. */
    public static final String DEDUP_STORE = "normalizer-dedup-keys";

    private NormalizerTopology() {}

    public static Topology build(
            TopicNames topics,
            RawNormalizer normalizer,
            String registryApiUrl,
            NormalizerMetrics metrics,
            Duration dedupRetention,
            Duration purgeInterval,
            OpenTelemetry openTelemetry,
            EchoRecognition.Settings echo,
            EchoRecognition.Markers markers) {
        Topology topology = new Topology();
        topology.addSource(
                "raw", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.raw());
        topology.addProcessor(
                "normalize",
                () -> new NormalizeProcessor(
                        normalizer,
                        AvroSerdes.valueDeserializer(registryApiUrl),
                        metrics,
                        dedupRetention,
                        purgeInterval,
                        openTelemetry,
                        echo,
                        markers),
                "raw");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEDUP_STORE), Serdes.String(), Serdes.Long())
                        .withCachingDisabled(),
                "normalize");
        EchoRecognition.addTo(topology, echo, registryApiUrl, "normalize");
        topology.addSink(
                "routed",
                router(topics),
                Serdes.String().serializer(),
                AvroSerdes.valueSerializer(registryApiUrl),
                "normalize");
        return topology;
    }

    static TopicNameExtractor<String, SpecificRecord> router(TopicNames topics) {
        return (key, value, context) -> {
            if (value instanceof QuarantineRecord) {
                return topics.quarantine();
            }
            if (value instanceof FetchRequest) {
                return topics.fetchRequests();
            }
            return topics.canonical(CanonicalEvents.metadata(value).getEntityType());
        };
    }
}
