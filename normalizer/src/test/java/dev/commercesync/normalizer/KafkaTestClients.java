package dev.commercesync.normalizer;

import static org.junit.jupiter.api.Assertions.fail;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real Kafka clients for the tests: an Avro producer like the ingest's, committed-only readers of the outputs. */
final class KafkaTestClients implements AutoCloseable {
    private final Endpoints stack;
    private final KafkaProducer<String, SpecificRecord> avroProducer;
    private final KafkaProducer<String, byte[]> bytesProducer;
    private final Deserializer<SpecificRecord> deserializer;

    KafkaTestClients(Endpoints stack) {
        this.stack = stack;
        this.deserializer = AvroSerdes.valueDeserializer(stack.registryApiUrl());
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        bytesProducer = new KafkaProducer<>(config);
        avroProducer =
                new KafkaProducer<>(config, new StringSerializer(), AvroSerdes.valueSerializer(stack.registryApiUrl()));
    }

    /** Produces a raw envelope keyed platform/store, as the ingest does. */
    RecordMetadata sendRaw(String topic, RawEnvelope envelope) {
        try {
            return avroProducer
                    .send(new ProducerRecord<>(
                            topic, PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore()), envelope))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    RecordMetadata sendBytes(String topic, String key, byte[] value) {
        try {
            return bytesProducer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Committed records of {@code topic} whose key matches, from the beginning, decoded to generated classes. */
    List<ConsumerRecord<String, SpecificRecord>> readCommitted(String topic, Predicate<String> key, Duration settle) {
        return read(topic, key, "read_committed", settle);
    }

    /**
     * Waits until at least {@code atLeast} matching committed records are on {@code topic}, then keeps reading for
     * {@code settle} to catch any extra (duplicate) ones.
     */
    List<ConsumerRecord<String, SpecificRecord>> awaitCommitted(
            String topic, Predicate<String> key, int atLeast, Duration timeout, Duration settle) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, SpecificRecord>> records = List.of();
        while (System.nanoTime() < deadline) {
            records = read(topic, key, "read_committed", Duration.ZERO);
            if (records.size() >= atLeast) {
                return settle.isZero() ? records : read(topic, key, "read_committed", settle);
            }
            sleep(300);
        }
        return fail("expected at least " + atLeast + " records with matching keys on " + topic + " within " + timeout
                + ", found " + records.size());
    }

    List<ConsumerRecord<String, SpecificRecord>> read(
            String topic, Predicate<String> key, String isolation, Duration settle) {
        List<ConsumerRecord<String, byte[]>> raw = readBytes(topic, key, isolation, settle);
        List<ConsumerRecord<String, SpecificRecord>> decoded = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : raw) {
            SpecificRecord value = (SpecificRecord) deserializer.deserialize(r.topic(), r.headers(), r.value());
            decoded.add(new ConsumerRecord<>(
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.timestamp(),
                    r.timestampType(),
                    r.serializedKeySize(),
                    r.serializedValueSize(),
                    r.key(),
                    value,
                    r.headers(),
                    r.leaderEpoch()));
        }
        return decoded;
    }

    /** Matching records of {@code topic} from the beginning up to its current end (plus {@code settle}), as bytes. */
    List<ConsumerRecord<String, byte[]>> readBytes(
            String topic, Predicate<String> key, String isolation, Duration settle) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long settleUntil = System.nanoTime() + settle.toNanos();
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && key.test(r.key())) {
                        records.add(r);
                    }
                }
                boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                if (atEnd && System.nanoTime() >= settleUntil) {
                    return records;
                }
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        avroProducer.close();
        bytesProducer.close();
        deserializer.close();
    }
}
