package dev.commercesync.syncwriter;

import dev.commercesync.kafka.AvroKafka;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The sync-writer tests' view of {@link KafkaTestClient}: canonical events in as the normalizer writes them, the
 * applied and dead-letter topics read as their consumers read them, and the service's processed-events table.
 */
final class TestKafka {
    private TestKafka() {}

    /** Creates the topics sync-writer reads and writes, so that no test waits for auto-creation. */
    static void createTopics() throws Exception {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.ensureTopics(Arrays.stream(CommerceTopic.values())
                    .filter(t -> t.isCanonical()
                            || t == CommerceTopic.APPLIED
                            || t == CommerceTopic.SYNC_DLQ
                            || t == CommerceTopic.PRIVACY)
                    .map(CommerceTopic::topicName)
                    .toList());
        }
    }

    /** A producer of canonical events, as the normalizer's; the caller closes it. */
    static KafkaProducer<String, SpecificRecord> avroProducer() {
        return AvroKafka.producer(
                SharedStack.endpoints().kafkaBootstrap(),
                SharedStack.endpoints().registryApiUrl(),
                "sync-writer-test");
    }

    static RecordMetadata sendRaw(String topic, String key, byte[] value) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return kafka.sendBytes(topic, key, value);
        }
    }

    /** Sends canonical events to their entity type's topic, keyed by entity key, and waits for the acks. */
    static void send(KafkaProducer<String, SpecificRecord> producer, SpecificRecord... events) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (SpecificRecord event : events) {
            EventMetadata m = (EventMetadata) event.get(0);
            String topic = CommerceTopic.forEntityType(m.getEntityType()).topicName();
            sends.add(producer.send(new ProducerRecord<>(topic, m.getEntityKey(), event)));
        }
        sends.forEach(KafkaTestClient::acked);
    }

    /** Waits (up to 60 s) until every event has its row in syncwriter.processed_events. */
    static void awaitProcessed(DataSource dataSource, SpecificRecord... events) {
        String[] ids = ids(events);
        KafkaTestClient.await(
                "events processed", Duration.ofSeconds(60), () -> processed(dataSource, ids), n -> n == ids.length);
    }

    private static long processed(DataSource dataSource, String[] ids) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT count(*) FROM syncwriter.processed_events WHERE event_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The store's applied records, once every expected event id has one, plus whatever follows within 1.5 s. */
    static List<AppliedChange> appliedRecords(String store, Set<String> expected) {
        return read(
                CommerceTopic.APPLIED.topicName(),
                AppliedChange.class,
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
        return Arrays.stream(events).map(TestKafka::id).distinct().toArray(String[]::new);
    }

    /**
     * Reads a topic from the beginning and keeps the records that match {@code keep}, until {@code done} holds for
     * them, then reads again after {@code settle} to catch anything extra (duplicates). Fails after 60 s.
     */
    static <T extends SpecificRecord> List<T> read(
            String topic, Class<T> type, Predicate<T> keep, Predicate<List<T>> done, Duration settle) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            java.util.concurrent.Callable<List<T>> kept =
                    () -> kafka.read(topic, type, KafkaTestClient.UNCOMMITTED).stream()
                            .map(ConsumerRecord::value)
                            .filter(keep)
                            .toList();
            KafkaTestClient.await("expected records on " + topic, Duration.ofSeconds(60), kept, done);
            return KafkaTestClient.after(settle, kept);
        }
    }
}
