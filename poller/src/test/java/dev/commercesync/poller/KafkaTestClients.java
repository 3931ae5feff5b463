package dev.commercesync.poller;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.FetchDeadLetter;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/** The poller tests' view of {@link KafkaTestClient}: its topics, the raw records and dead letters of one store. */
final class KafkaTestClients {
    private KafkaTestClients() {}

    /** The topics exist before the service's first produce (in a deployment the normalizer creates them). */
    static void ensureTopics() throws Exception {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.ensureTopics(List.of(
                    CommerceTopic.RAW.topicName(),
                    CommerceTopic.FETCH_REQUESTS.topicName(),
                    CommerceTopic.FETCH_DLQ.topicName(),
                    CommerceTopic.QUARANTINE.topicName()));
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

    /** The quarantine records of {@code platform/store}, read until {@code done} holds. */
    static List<ConsumerRecord<String, QuarantineRecord>> quarantinedUntil(
            String key, Predicate<List<ConsumerRecord<String, QuarantineRecord>>> done, Duration wait) {
        return recordsUntil(CommerceTopic.QUARANTINE, QuarantineRecord.class, key, done, wait);
    }

    private static <T extends SpecificRecord> List<ConsumerRecord<String, T>> recordsUntil(
            CommerceTopic topic,
            Class<T> type,
            String key,
            Predicate<List<ConsumerRecord<String, T>>> done,
            Duration wait) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return KafkaTestClient.readUntil(
                    wait,
                    () -> kafka.read(topic.topicName(), type, KafkaTestClient.UNCOMMITTED, k -> Objects.equals(key, k)),
                    done);
        }
    }

    /** Produces bytes that are not a fetch request to the fetch-request topic. */
    static void sendRawFetchRequest(String key, byte[] value) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.sendBytes(CommerceTopic.FETCH_REQUESTS.topicName(), key, value);
        }
    }

    /** Serializes a fetch request in the registry's wire format (registering its schema). */
    static byte[] serialize(FetchRequest request) {
        try (Serializer<SpecificRecord> serializer =
                AvroSerdes.valueSerializer(SharedStack.endpoints().registryApiUrl())) {
            return serializer.serialize(CommerceTopic.FETCH_REQUESTS.topicName(), request);
        }
    }

    /** Produces a fetch request in the registry's wire format, keyed platform/store, as the normalizer would. */
    static RecordMetadata sendFetchRequest(FetchRequest request) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return kafka.send(
                    CommerceTopic.FETCH_REQUESTS.topicName(),
                    PipelineRecords.storeKey(request.getPlatform(), request.getStore()),
                    request);
        }
    }

    /**
     * Produces a fetch request as the normalizer does for a thin webhook support retried from the quarantine: with the
     * retry headers (quarantine id, retry count).
     */
    static void sendRetriedFetchRequest(FetchRequest request, String retryOf, int retryCount) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            KafkaTestClient.acked(kafka.avroProducer()
                    .send(new ProducerRecord<>(
                            CommerceTopic.FETCH_REQUESTS.topicName(),
                            null,
                            PipelineRecords.storeKey(request.getPlatform(), request.getStore()),
                            request,
                            PipelineRecords.withRetry(new RecordHeaders(), retryOf, retryCount))));
        }
    }
}
