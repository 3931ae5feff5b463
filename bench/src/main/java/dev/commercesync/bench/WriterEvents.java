package dev.commercesync.bench;

import dev.commercesync.bench.ReplayPool.Template;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.CloudEventHeaders;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The writer benchmark's input: canonical events as the normalizer publishes them (its {@link Normalization} facade
 * over the replay benchmark's simulator payloads, each cycle of the pool delivered as other stores; to the entity
 * type's canonical topic, keyed by entity key, with the CloudEvents headers), so the mix of entity types, of new
 * entities and updates of existing ones, and the platforms' versions are the simulated stores'.
 */
final class WriterEvents {
    /** What was produced: events by entity type, new entities and updates (events of an entity already produced). */
    record Fill(long events, long newEntities, long updates, Map<String, Long> byType, double seconds) {
        double perSecond() {
            return events / seconds;
        }
    }

    private WriterEvents() {}

    /** Produces {@code events} canonical events (acks=all) from {@code pool}, cycling it as other stores. */
    static Fill fill(Endpoints endpoints, TopicNames topics, List<Template> pool, long events) {
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        Normalization normalization = new Normalization(registry);
        Set<String> entities = new HashSet<>();
        Map<String, Long> byType = new TreeMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long produced = 0;
        long t0 = System.nanoTime();
        long lastPrint = t0;
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(
                ReplayTopics.producerConfig(endpoints),
                new StringSerializer(),
                AvroSerdes.valueSerializer(endpoints.registryApiUrl()))) {
            for (long i = 0; produced < events; i++) {
                if (i >= (long) pool.size() * 10_000) {
                    throw new IllegalStateException("the pool yields no canonical events");
                }
                RawEnvelope envelope = ReplayPool.variant(pool.get((int) (i % pool.size())), i / pool.size(), registry);
                // thin webhooks (their entities are in the pool as polled records) and failures publish nothing
                if (!(normalization.normalize(envelope) instanceof NormalizationOutcome.Events outcome)) {
                    continue;
                }
                for (SpecificRecord event : outcome.canonicalEvents()) {
                    if (produced == events) {
                        break;
                    }
                    EventMetadata metadata = CanonicalEvents.metadata(event);
                    entities.add(metadata.getEntityKey());
                    byType.merge(metadata.getEntityType().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
                    producer.send(
                            new ProducerRecord<>(
                                    topics.canonical(metadata.getEntityType()),
                                    null,
                                    metadata.getEntityKey(),
                                    event,
                                    CloudEventHeaders.of(metadata)),
                            (m, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    produced++;
                }
                if (failure.get() != null) {
                    throw new IllegalStateException("filling the canonical topics failed", failure.get());
                }
                if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                    lastPrint = System.nanoTime();
                    ReplayBench.say(
                            "  filled %,d/%,d canonical events (%,.0f/s)",
                            produced, events, produced / ReplayBench.seconds(t0));
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling the canonical topics failed", failure.get());
        }
        Fill fill = new Fill(produced, entities.size(), produced - entities.size(), byType, ReplayBench.seconds(t0));
        ReplayBench.say(
                "Filled %,d canonical events in %.1f s (%,.0f/s): %,d entities, %,d updates of them; %s",
                fill.events(), fill.seconds(), fill.perSecond(), fill.newEntities(), fill.updates(), byType);
        return fill;
    }
}
