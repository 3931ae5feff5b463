package dev.commercesync.kafka;

import dev.commercesync.schemas.envelope.RawRecordRef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka for the tools that read the pipeline's topics on demand (synctl's replay and quarantine, the console's
 * {@link Quarantine}): committed reads of a topic range or of one record, decoding through the registry, and an
 * idempotent Avro producer. Not thread-safe: one per task.
 */
public final class PipelineKafka implements AutoCloseable {
    private final String bootstrap;
    private final String clientId;
    private final Map<String, Object> kafkaConfig;
    private final String registryApiUrl;
    private final Deserializer<SpecificRecord> deserializer;
    private KafkaProducer<String, SpecificRecord> producer;
    private KafkaConsumer<String, byte[]> lookup;

    /** As synctl connects (client id {@code synctl}). */
    public PipelineKafka(String bootstrap, String registryUrl) {
        this(bootstrap, registryUrl, "synctl");
    }

    /** @param registryUrl the registry's base URL; @param clientId the producer's client id */
    public PipelineKafka(String bootstrap, String registryUrl, String clientId) {
        this(bootstrap, registryUrl, clientId, Map.of());
    }

    /**
     * As a service connects (the console): {@code defaultKafkaConfig} is its {@code kafka.*} settings (Quarkus'
     * {@code default-kafka-broker} map), whose {@link AvroKafka#connectionSettings connection settings} (SCRAM, TLS)
     * every client built here takes.
     */
    public PipelineKafka(
            String bootstrap, String registryUrl, String clientId, Map<String, Object> defaultKafkaConfig) {
        this.bootstrap = bootstrap;
        this.clientId = clientId;
        this.kafkaConfig = Map.copyOf(defaultKafkaConfig);
        this.registryApiUrl = AvroSerdes.registryApiUrl(registryUrl);
        this.deserializer = AvroSerdes.valueDeserializer(registryApiUrl);
    }

    public KafkaProducer<String, SpecificRecord> producer() {
        if (producer == null) {
            producer = AvroKafka.producer(bootstrap, kafkaConfig, registryApiUrl, clientId);
        }
        return producer;
    }

    public KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = AvroKafka.committedReaderConfig(bootstrap);
        config.putAll(AvroKafka.connectionSettings(kafkaConfig));
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return new KafkaConsumer<>(config);
    }

    /**
     * Reads the committed records of {@code topic} written at or after {@code from} (null: from the beginning) up to
     * the end the topic had when the read started. Returns how many records were read.
     */
    public long readRange(String topic, Instant from, Consumer<ConsumerRecord<String, byte[]>> each) {
        return readRange(List.of(topic), from, each);
    }

    /**
     * {@link #readRange(String, Instant, Consumer)} over several topics with one consumer (the entity trace reads a
     * dozen); a topic that does not exist is skipped. Records come in order within a partition only.
     */
    public long readRange(Collection<String> topics, Instant from, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            if (partitions.isEmpty()) {
                return 0;
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = new HashMap<>();
            if (from == null) {
                consumer.beginningOffsets(partitions).forEach(start::put);
            } else {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, from.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                partitions.forEach(p -> {
                    OffsetAndTimestamp at = found.get(p);
                    start.put(p, at == null ? end.get(p) : at.offset());
                });
            }
            List<TopicPartition> open = new ArrayList<>();
            for (TopicPartition p : partitions) {
                consumer.seek(p, start.get(p));
                if (start.get(p) < end.get(p)) {
                    open.add(p);
                }
            }
            long read = 0;
            while (!open.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition p = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(p)) {
                        each.accept(record);
                        read++;
                    }
                }
                open.removeIf(p -> consumer.position(p) >= end.get(p));
            }
            return read;
        }
    }

    /**
     * The records re-submitted to {@code topic} since {@code since} (null: its beginning), by what they retry: the
     * {@link PipelineRecords#RETRY_OF_HEADER} value (a quarantine or dead-letter id), each with the position of its
     * latest re-submission. Reads the headers only; the values are not decoded.
     */
    public Map<String, RawRecordRef> retries(String topic, Instant since) {
        Map<String, RawRecordRef> retried = new HashMap<>();
        readRange(topic, since, record -> {
            Header retryOf = record.headers().lastHeader(PipelineRecords.RETRY_OF_HEADER);
            if (retryOf != null) {
                retried.put(
                        new String(retryOf.value(), StandardCharsets.UTF_8),
                        RawRecordRef.newBuilder()
                                .setTopic(record.topic())
                                .setPartition(record.partition())
                                .setOffset(record.offset())
                                .build());
            }
        });
        return retried;
    }

    /**
     * One committed record at a position, or null when it is gone (retention) or the position is past the end. One
     * consumer serves every call, so a dry run reading back thousands of records does not open a connection each.
     */
    public ConsumerRecord<String, byte[]> readOne(String topic, int partition, long offset) {
        if (lookup == null) {
            lookup = consumer();
        }
        KafkaConsumer<String, byte[]> consumer = lookup;
        TopicPartition p = new TopicPartition(topic, partition);
        consumer.assign(List.of(p));
        long begin = consumer.beginningOffsets(List.of(p)).get(p);
        long end = consumer.endOffsets(List.of(p)).get(p);
        if (offset < begin || offset >= end) {
            return null;
        }
        consumer.seek(p, offset);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() == offset) {
                    return record;
                }
                if (record.offset() > offset) {
                    return null;
                }
            }
            if (consumer.position(p) > offset) {
                return null;
            }
        }
        return null;
    }

    public SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
        return deserializer.deserialize(record.topic(), record.headers(), record.value());
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        if (lookup != null) {
            lookup.close();
        }
        deserializer.close();
    }
}
