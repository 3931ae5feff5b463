package dev.commercesync.poller;

import dev.commercesync.devstack.DevStackTestResource.SharedStack;
import dev.commercesync.kafka.GeneratedClassesDatumProvider;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.FetchDeadLetter;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The tests' own Kafka clients: topic creation, reading the raw topic, producing fetch requests. */
final class KafkaTestClients {
    private KafkaTestClients() {}

    /** The topics exist before the service's first produce (in a deployment the normalizer creates them). */
    static void ensureTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.endpoints().kafkaBootstrap()))) {
            Set<String> existing = admin.listTopics().names().get();
            for (CommerceTopic topic :
                    List.of(CommerceTopic.RAW, CommerceTopic.FETCH_REQUESTS, CommerceTopic.FETCH_DLQ)) {
                if (!existing.contains(topic.topicName())) {
                    try {
                        admin.createTopics(List.of(new NewTopic(topic.topicName(), 3, (short) 1)))
                                .all()
                                .get();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
        }
    }

    /** Every raw record of {@code platform/store} now on the topic (reads to the end). */
    static List<ConsumerRecord<String, RawEnvelope>> rawRecords(String key) {
        return rawRecordsUntil(key, records -> true, Duration.ZERO);
    }

    /**
     * The raw records of {@code platform/store}, read until {@code done} holds for them (or {@code wait} passed; then
     * what was read).
     */
    static List<ConsumerRecord<String, RawEnvelope>> rawRecordsUntil(
            String key, Predicate<List<ConsumerRecord<String, RawEnvelope>>> done, Duration wait) {
        return recordsUntil(CommerceTopic.RAW, RawEnvelope.class, key, done, wait);
    }

    /** The dead letters of {@code platform/store} (null: those without a key), read until {@code done} holds. */
    static List<ConsumerRecord<String, FetchDeadLetter>> deadLettersUntil(
            String key, Predicate<List<ConsumerRecord<String, FetchDeadLetter>>> done, Duration wait) {
        return recordsUntil(CommerceTopic.FETCH_DLQ, FetchDeadLetter.class, key, done, wait);
    }

    private static <T extends SpecificRecord> List<ConsumerRecord<String, T>> recordsUntil(
            CommerceTopic topic,
            Class<T> type,
            String key,
            Predicate<List<ConsumerRecord<String, T>>> done,
            Duration wait) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.endpoints().kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        long deadline = System.nanoTime() + wait.toNanos();
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, T>> seen = new ArrayList<>();
            while (true) {
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (java.util.Objects.equals(key, r.key())) {
                            seen.add(new ConsumerRecord<>(
                                    r.topic(), r.partition(), r.offset(), r.key(), decode(type, r.value())));
                        }
                    }
                }
                if (done.test(seen) || System.nanoTime() > deadline) {
                    return seen;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return seen;
                }
            }
        }
    }

    /** Produces bytes that are not a fetch request to the fetch-request topic. */
    static void sendRawFetchRequest(String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedStack.endpoints().kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(CommerceTopic.FETCH_REQUESTS.topicName(), key, value))
                    .get();
        }
    }

    /** Serializes a fetch request in the registry's wire format (registering its schema). */
    static byte[] serialize(FetchRequest request) {
        try (AvroKafkaSerializer<FetchRequest> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(
                    Map.of(
                            "apicurio.registry.url",
                            SharedStack.endpoints().registryApiUrl(),
                            "apicurio.registry.auto-register",
                            true,
                            "apicurio.registry.avro-datum-provider",
                            GeneratedClassesDatumProvider.class),
                    false);
            return serializer.serialize(CommerceTopic.FETCH_REQUESTS.topicName(), request);
        }
    }

    /** Produces a fetch request in the registry's wire format, keyed platform/store, as the normalizer would. */
    static void sendFetchRequest(FetchRequest request) throws Exception {
        AvroKafkaSerializer<FetchRequest> serializer = new AvroKafkaSerializer<>();
        serializer.configure(
                Map.of(
                        "apicurio.registry.url",
                        SharedStack.endpoints().registryApiUrl(),
                        "apicurio.registry.auto-register",
                        true,
                        "apicurio.registry.avro-datum-provider",
                        GeneratedClassesDatumProvider.class),
                false);
        try (var producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedStack.endpoints().kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                serializer)) {
            producer.send(new ProducerRecord<>(
                            CommerceTopic.FETCH_REQUESTS.topicName(),
                            request.getPlatform() + "/" + request.getStore(),
                            request))
                    .get();
        }
    }

    /** Decodes a Confluent-framed record (magic byte 0, 4-byte schema id, Avro binary) of the topic's type. */
    private static <T extends SpecificRecord> T decode(Class<T> type, byte[] framed) {
        if (framed.length < 5 || framed[0] != 0) {
            throw new AssertionError("record is not in the Confluent wire format");
        }
        try {
            SpecificData data = new SpecificData(type.getClassLoader());
            Schema schema = data.getSchema(type);
            return new SpecificDatumReader<T>(schema, schema, data)
                    .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
