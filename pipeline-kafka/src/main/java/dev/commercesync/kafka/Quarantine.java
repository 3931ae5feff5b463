package dev.commercesync.kafka;

import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The quarantine ({@code commerce.quarantine.v1}): the raw records the normalizer could not map, and the thin webhooks
 * the poller could not hydrate ({@code FETCH_FAILED}), read and retried. The one implementation behind {@code synctl
 * quarantine} and the console.
 *
 * <p>A retry re-submits the record's raw envelope to the raw topic with the {@link PipelineRecords#RETRY_OF_HEADER}
 * and {@link PipelineRecords#RETRY_COUNT_HEADER} headers; the normalizer maps it like a new delivery (a thin one asks
 * the poller for a fresh fetch) and, if it fails again, it is quarantined again (a new id, a higher retry count).
 * {@link #resubmissions()} finds those headers again.
 */
public final class Quarantine {
    private final PipelineKafka kafka;
    private final TopicNames topics;

    /**
     * What a retry wrote.
     *
     * @param origin where the envelope came from: "re-read from topic/partition@offset" or "taken from the quarantine
     *     record"
     */
    public record Resubmitted(
            String quarantineId,
            String envelopeId,
            String origin,
            String topic,
            int partition,
            long offset,
            int retryCount) {}

    /** A record that cannot be retried (its raw value is not a readable envelope). The message names no secret. */
    public static final class NotRetryable extends RuntimeException {
        NotRetryable(String message) {
            super(message);
        }
    }

    public Quarantine(PipelineKafka kafka, TopicNames topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    /** Every quarantine record, oldest first; a later record with the same id replaces the earlier one. */
    public Map<String, QuarantineRecord> all() {
        Map<String, QuarantineRecord> records = new LinkedHashMap<>();
        kafka.readRange(topics.quarantine(), null, record -> {
            SpecificRecord value = kafka.decode(record);
            if (value instanceof QuarantineRecord q) {
                records.put(q.getQuarantineId(), q);
            }
        });
        return records;
    }

    public Optional<QuarantineRecord> find(String id) {
        return Optional.ofNullable(all().get(id));
    }

    /**
     * The quarantine ids re-submitted since {@code since} (null: the raw topic's beginning), each with the position of
     * its latest re-submission on the raw topic. Reads the raw topic's headers from {@code since} on (the values are
     * not decoded): pass the oldest quarantine time of interest to keep the read short.
     */
    public Map<String, RawRecordRef> resubmissions(Instant since) {
        return kafka.retries(topics.raw(), since);
    }

    /**
     * Re-submits a quarantined record's raw envelope to the raw topic (after a mapping fix is deployed). The envelope is
     * re-read from its raw reference, or taken from the quarantine record when the raw topic no longer retains it.
     *
     * @throws NoSuchElementException when no quarantine record has this id
     * @throws NotRetryable when the raw record is not a readable envelope
     */
    public Resubmitted retry(String id) throws InterruptedException, ExecutionException {
        return retry(find(id).orElseThrow(() -> new NoSuchElementException("No quarantined record with id " + id)));
    }

    /**
     * Re-submits a quarantine record read before (from {@link #all()}): a bulk retry reads the topic once, not once
     * per record.
     *
     * @throws NotRetryable when the raw record is not a readable envelope
     */
    public Resubmitted retry(QuarantineRecord q) throws InterruptedException, ExecutionException {
        String id = q.getQuarantineId();
        Optional<RawEnvelope> envelope = fromRawTopic(q.getRawRef());
        String origin = "re-read from " + ref(q.getRawRef());
        if (envelope.isEmpty() && q.getEnvelope() != null) {
            envelope = Optional.of(q.getEnvelope());
            origin = "taken from the quarantine record";
        }
        if (envelope.isEmpty()) {
            throw new NotRetryable("Cannot retry " + id + ": the raw record is not a readable RawEnvelope ("
                    + q.getErrorClass() + "); fix the producer and re-send it from the platform.");
        }
        RawEnvelope raw = envelope.get();
        int retryCount = q.getRetryCount() + 1;
        RecordHeaders headers = new RecordHeaders();
        PipelineRecords.withRetry(headers, id, retryCount);
        RecordMetadata written = kafka.producer()
                .send(new ProducerRecord<>(
                        topics.raw(), null, PipelineRecords.storeKey(raw.getPlatform(), raw.getStore()), raw, headers))
                .get();
        return new Resubmitted(
                id, raw.getEnvelopeId(), origin, written.topic(), written.partition(), written.offset(), retryCount);
    }

    private Optional<RawEnvelope> fromRawTopic(RawRecordRef ref) {
        ConsumerRecord<String, byte[]> record = kafka.readOne(ref.getTopic(), ref.getPartition(), ref.getOffset());
        if (record == null) {
            return Optional.empty();
        }
        try {
            return kafka.decode(record) instanceof RawEnvelope envelope ? Optional.of(envelope) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code topic/partition@offset}. */
    public static String ref(RawRecordRef ref) {
        return ref.getTopic() + "/" + ref.getPartition() + "@" + ref.getOffset();
    }
}
