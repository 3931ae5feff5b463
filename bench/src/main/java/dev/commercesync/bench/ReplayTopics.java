package dev.commercesync.bench;

import dev.commercesync.bench.ReplayPool.Template;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The replay benchmark's Kafka side: the normalizer's topics, emptied between runs, and the raw topic filled with
 * {@code events} raw envelopes as the ingest writes them.
 */
final class ReplayTopics {
    private final long events;

    ReplayTopics(long events) {
        this.events = events;
    }

    /** The normalizer's topics as its TopicProvisioner creates them (3 partitions, raw and quarantine kept 30 days). */
    void createTopics(Admin admin, TopicNames topics) throws Exception {
        List<NewTopic> all = new ArrayList<>();
        all.add(new NewTopic(topics.raw(), 3, (short) 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS)));
        all.addAll(outputTopics(topics));
        admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
    }

    static final String THIRTY_DAYS = Long.toString(Duration.ofDays(30).toMillis());

    static List<NewTopic> outputTopics(TopicNames topics) {
        List<NewTopic> all = new ArrayList<>();
        for (String topic : topics.outputs()) {
            NewTopic t = new NewTopic(topic, 3, (short) 1);
            if (topic.equals(topics.quarantine())) {
                t.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS));
            }
            all.add(t);
        }
        return all;
    }

    /**
     * Empties the canonical, quarantine and fetch-request topics before a run by deleting and re-creating them. (An
     * earlier version emptied them with {@code deleteRecords}; on one run the broker then failed a request with "a
     * fault occurred in a recent unsafe memory access operation", not diagnosed.)
     */
    void clearOutputs(Admin admin, TopicNames topics) throws Exception {
        Set<String> outputs = Set.copyOf(topics.outputs());
        admin.deleteTopics(outputs).all().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (admin.listTopics().names().get(60, TimeUnit.SECONDS).stream().anyMatch(outputs::contains)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the output topics were not deleted within 60 s");
            }
            Thread.sleep(200);
        }
        admin.createTopics(outputTopics(topics)).all().get(60, TimeUnit.SECONDS);
    }

    static long bytesOnDisk(Admin admin, String topic) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).stream()
                .map(n -> n.id())
                .toList();
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers)
                .allDescriptions()
                .get(60, TimeUnit.SECONDS)
                .values()) {
            for (LogDirDescription dir : dirs.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica :
                        dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().equals(topic)) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    /** A bulk producer's settings as the ingest's (acks=all, idempotent, lz4), with large batches for filling. */
    static Map<String, Object> producerConfig(Endpoints endpoints) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return config;
    }

    /** Produces {@code events} raw envelopes as the ingest does (Apicurio Avro serde, acks=all, idempotent, lz4). */
    Map<String, Double> fill(Endpoints endpoints, TopicNames topics, List<Template> pool) throws Exception {
        ReplayBench.say("Filling %s with %,d raw events ...", topics.raw(), events);
        Map<String, Object> config = producerConfig(endpoints);
        AtomicLong serializedBytes = new AtomicLong();
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        Serializer<SpecificRecord> avro = AvroSerdes.valueSerializer(endpoints.registryApiUrl());
        Serializer<SpecificRecord> counting = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, SpecificRecord data) {
                return count(avro.serialize(topic, data));
            }

            @Override
            public byte[] serialize(String topic, Headers headers, SpecificRecord data) {
                return count(avro.serialize(topic, headers, data));
            }

            private byte[] count(byte[] bytes) {
                serializedBytes.addAndGet(bytes.length);
                return bytes;
            }
        };
        AtomicReference<Exception> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        long lastPrint = t0;
        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(config, new StringSerializer(), counting)) {
            for (long i = 0; i < events; i++) {
                Template template = pool.get((int) (i % pool.size()));
                RawEnvelope envelope = ReplayPool.variant(template, i / pool.size(), registry);
                producer.send(
                        new ProducerRecord<>(
                                topics.raw(),
                                PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore()),
                                envelope),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                if (failure.get() != null) {
                    throw new IllegalStateException("filling the raw topic failed", failure.get());
                }
                long now = System.nanoTime();
                if (now - lastPrint > 2_000_000_000L) {
                    ReplayBench.say(
                            "  filled %,d/%,d (%,.0f events/s, %,.0f MiB serialized)",
                            i + 1, events, (i + 1) / ReplayBench.seconds(t0), serializedBytes.get() / 1048576.0);
                    lastPrint = now;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling the raw topic failed", failure.get());
        }
        double s = ReplayBench.seconds(t0);
        ReplayBench.say(
                "Filled %,d raw events in %.1f s: %,.0f events/s, %,.1f MiB/s serialized (%,.0f bytes per event)",
                events, s, events / s, serializedBytes.get() / 1048576.0 / s, serializedBytes.get() / (double) events);
        Map<String, Double> result = new LinkedHashMap<>();
        result.put("seconds", s);
        result.put("events_per_s", events / s);
        result.put("serialized_bytes", (double) serializedBytes.get());
        result.put("serialized_mib_per_s", serializedBytes.get() / 1048576.0 / s);
        return result;
    }
}
