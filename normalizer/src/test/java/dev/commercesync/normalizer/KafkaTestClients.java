package dev.commercesync.normalizer;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.testsupport.KafkaTestClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The normalizer tests' view of {@link KafkaTestClient}: raw envelopes in, the outputs read by key. */
final class KafkaTestClients implements AutoCloseable {
    private final KafkaTestClient kafka;

    KafkaTestClients(Endpoints stack) {
        this.kafka = new KafkaTestClient(stack);
    }

    /** Produces a raw envelope keyed platform/store, as the ingest does. */
    RecordMetadata sendRaw(String topic, RawEnvelope envelope) {
        return kafka.send(topic, PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore()), envelope);
    }

    /**
     * Re-submits a raw envelope as a retry from the quarantine does ({@code Quarantine.retry}): with the retry headers
     * naming quarantine record {@code retryOf} and the retry count.
     */
    RecordMetadata resendRaw(String topic, RawEnvelope envelope, String retryOf, int retryCount) {
        Headers headers = PipelineRecords.withRetry(new RecordHeaders(), retryOf, retryCount);
        return KafkaTestClient.acked(kafka.avroProducer()
                .send(new ProducerRecord<>(
                        topic,
                        null,
                        PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore()),
                        envelope,
                        headers)));
    }

    /** Produces an Avro record (a command, a command result) with the registry serde. */
    RecordMetadata send(String topic, String key, SpecificRecord value) {
        return kafka.send(topic, key, value);
    }

    RecordMetadata sendBytes(String topic, String key, byte[] value) {
        return kafka.sendBytes(topic, key, value);
    }

    /** Committed records of {@code topic} whose key matches, from the beginning, decoded to generated classes. */
    List<ConsumerRecord<String, SpecificRecord>> readCommitted(String topic, Predicate<String> key, Duration settle) {
        return read(topic, key, KafkaTestClient.COMMITTED, settle);
    }

    /**
     * Waits until at least {@code atLeast} matching committed records are on {@code topic}, then reads again after
     * {@code settle} to catch any extra (duplicate) ones.
     */
    List<ConsumerRecord<String, SpecificRecord>> awaitCommitted(
            String topic, Predicate<String> key, int atLeast, Duration timeout, Duration settle) {
        KafkaTestClient.await(
                "expected at least " + atLeast + " records with matching keys on " + topic,
                timeout,
                () -> read(topic, key, KafkaTestClient.COMMITTED, Duration.ZERO),
                records -> records.size() >= atLeast);
        return read(topic, key, KafkaTestClient.COMMITTED, settle);
    }

    /** Matching records of {@code topic} from the beginning up to its end after {@code settle}, decoded. */
    List<ConsumerRecord<String, SpecificRecord>> read(
            String topic, Predicate<String> key, String isolation, Duration settle) {
        return KafkaTestClient.after(settle, () -> kafka.readDecoded(topic, isolation).stream()
                .filter(r -> r.key() != null && key.test(r.key()))
                .toList());
    }

    /** Matching records of {@code topic} from the beginning up to its end after {@code settle}, as bytes. */
    List<ConsumerRecord<String, byte[]>> readBytes(
            String topic, Predicate<String> key, String isolation, Duration settle) {
        return KafkaTestClient.after(settle, () -> kafka.readBytes(topic, isolation).stream()
                .filter(r -> r.key() != null && key.test(r.key()))
                .toList());
    }

    @Override
    public void close() {
        kafka.close();
    }
}
