package dev.commercesync.syncwriter;

import static org.junit.jupiter.api.Assertions.fail;

import dev.commercesync.devstack.DevStackTestResource.SharedStack;
import dev.commercesync.kafka.AvroKafka;
import dev.commercesync.kafka.GeneratedClassesDatumProvider;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.envelope.AppliedChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real broker, as the normalizer writes to it and as the applied and dead-letter topics' consumers read it. */
final class TestKafka {
    private TestKafka() {}

    static String bootstrap() {
        return SharedStack.endpoints().kafkaBootstrap();
    }

    /** Creates the topics sync-writer reads and writes, so that no test waits for auto-creation. */
    static void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = java.util.Arrays.stream(CommerceTopic.values())
                    .filter(t -> t.isCanonical() || t == CommerceTopic.APPLIED || t == CommerceTopic.SYNC_DLQ)
                    .map(CommerceTopic::topicName)
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, 3, (short) 1))
                    .toList();
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    static KafkaProducer<String, SpecificRecord> avroProducer() {
        return AvroKafka.producer(bootstrap(), SharedStack.endpoints().registryApiUrl(), "sync-writer-test");
    }

    static RecordMetadata sendRaw(String topic, String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Sends canonical events to their entity type's topic, keyed by entity key, and waits for the acks. */
    static void send(KafkaProducer<String, SpecificRecord> producer, SpecificRecord... events) throws Exception {
        List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
        for (SpecificRecord event : events) {
            EventMetadata m = (EventMetadata) event.get(0);
            String topic = CommerceTopic.forEntityType(m.getEntityType()).topicName();
            sends.add(producer.send(new ProducerRecord<>(topic, m.getEntityKey(), event)));
        }
        for (var send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof io.apicurio.registry.rest.client.v2.models.Error error) {
                    throw new AssertionError(
                            "registry: " + error.getErrorCode() + " " + error.getMessage() + " " + error.getDetail(),
                            e);
                }
                throw e;
            }
        }
    }

    /** Waits (up to 60 s) until every event has its row in syncwriter.processed_events. */
    static void awaitProcessed(DataSource dataSource, SpecificRecord... events) throws Exception {
        String[] ids = ids(events);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "SELECT count(*) FROM syncwriter.processed_events WHERE event_id = ANY (?)")) {
                s.setArray(1, c.createArrayOf("text", ids));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getLong(1) == ids.length) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        fail("events were not processed within 60 s");
    }

    /** The store's applied records, once every expected event id has one, plus whatever follows within 1.5 s. */
    static List<AppliedChange> appliedRecords(String store, Set<String> expected) {
        return read(
                CommerceTopic.APPLIED.topicName(),
                AppliedChange.getClassSchema(),
                (AppliedChange a) -> a.getStore().equals(store),
                found -> found.stream()
                        .map(AppliedChange::getEventId)
                        .collect(Collectors.toSet())
                        .containsAll(expected),
                Duration.ofMillis(1500));
    }

    static String id(SpecificRecord event) {
        return ((EventMetadata) event.get(0)).getEventId();
    }

    static String[] ids(SpecificRecord... events) {
        return java.util.Arrays.stream(events).map(TestKafka::id).distinct().toArray(String[]::new);
    }

    /**
     * Reads a topic from the beginning and keeps the records that match {@code keep}, until {@code done} holds for
     * them, then goes on reading for {@code settle} to catch anything extra (duplicates). Fails after 60 s.
     */
    static <T extends SpecificRecord> List<T> read(
            String topic, Schema schema, Predicate<T> keep, Predicate<List<T>> done, Duration settle) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        List<T> kept = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    T value = decode(r.value(), schema);
                    if (keep.test(value)) {
                        kept.add(value);
                    }
                }
                if (settleUntil == Long.MAX_VALUE && done.test(kept)) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
            if (settleUntil == Long.MAX_VALUE) {
                fail("expected records did not arrive on " + topic + " within 60 s; got " + kept);
            }
        }
        return kept;
    }

    /**
     * Decodes a Confluent-framed value written with {@code schema}, skipping the 5-byte header: the registry
     * deserializer's class lookup does not see the generated classes through Quarkus' test class loader.
     */
    @SuppressWarnings("unchecked")
    static <T> T decode(byte[] framed, Schema schema) {
        if (framed.length < 5 || framed[0] != 0) {
            throw new AssertionError("record is not in the Confluent wire format");
        }
        try {
            return (T) new SpecificDatumReader<>(schema, schema, GeneratedClassesDatumProvider.model())
                    .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
