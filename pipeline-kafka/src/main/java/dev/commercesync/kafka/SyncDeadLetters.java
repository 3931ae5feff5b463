package dev.commercesync.kafka;

import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
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
 * The sync-writer's dead letters ({@code commerce.sync-dlq.v1}): canonical events a target refused and will not retry,
 * read and retried. The one implementation behind {@code synctl dlq} (and, next, the console).
 *
 * <p>A retry re-reads the original canonical record at the dead letter's source reference and produces it again to
 * the same topic with the same key (the entity key, so the entity's order holds) and the
 * {@link PipelineRecords#RETRY_OF_HEADER} header. A dead-lettered event was never recorded as processed, so the
 * sync-writer applies it like a new one — version-guarded: if a newer version of the entity was applied meanwhile, the
 * retried one is skipped as stale. If it fails again it is dead-lettered again under a new id.
 */
public final class SyncDeadLetters {
    private final PipelineKafka kafka;
    private final String topic;

    /**
     * What a retry wrote.
     *
     * @param origin where the event was re-read from (topic/partition@offset)
     */
    public record Resubmitted(
            String deadLetterId, String eventId, String origin, String topic, int partition, long offset) {}

    /** A dead letter that cannot be retried; the message says why and what to do instead. */
    public static final class NotRetryable extends RuntimeException {
        NotRetryable(String message) {
            super(message);
        }
    }

    /** @param topic the dead-letter topic: {@code CommerceTopic.SYNC_DLQ}'s name (tests add a suffix) */
    public SyncDeadLetters(PipelineKafka kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    /** Every dead letter, oldest first. */
    public Map<String, SyncDeadLetter> all() {
        Map<String, SyncDeadLetter> letters = new LinkedHashMap<>();
        kafka.readRange(topic, null, record -> {
            if (kafka.decode(record) instanceof SyncDeadLetter d) {
                letters.put(d.getDeadLetterId(), d);
            }
        });
        return letters;
    }

    public Optional<SyncDeadLetter> find(String id) {
        return Optional.ofNullable(all().get(id));
    }

    /**
     * The dead letters among {@code letters} that were retried, each with the position of its latest re-submission.
     * Reads the headers of each source topic from the oldest of their failures on (the values are not decoded).
     */
    public Map<String, RawRecordRef> resubmissions(Collection<SyncDeadLetter> letters) {
        Map<String, Instant> since = new HashMap<>();
        for (SyncDeadLetter d : letters) {
            since.merge(d.getSourceRef().getTopic(), d.getFailedAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<String, RawRecordRef> resubmitted = new HashMap<>();
        since.forEach((source, from) -> resubmitted.putAll(kafka.retries(source, from)));
        return resubmitted;
    }

    /**
     * Produces the dead letter's original canonical record again (after the target or the data was fixed).
     *
     * @throws NoSuchElementException when no dead letter has this id
     * @throws NotRetryable when the original record was undecodable or is no longer retained
     */
    public Resubmitted retry(String id) throws InterruptedException, ExecutionException {
        return retry(find(id).orElseThrow(() -> new NoSuchElementException("No dead letter with id " + id)));
    }

    /**
     * Produces a dead letter read before (from {@link #all()}) again: a bulk retry reads the topic once, not once per
     * record.
     *
     * @throws NotRetryable when the original record was undecodable or is no longer retained
     */
    public Resubmitted retry(SyncDeadLetter d) throws InterruptedException, ExecutionException {
        String id = d.getDeadLetterId();
        RawRecordRef ref = d.getSourceRef();
        String origin = Quarantine.ref(ref);
        if (d.getEventId() == null) {
            throw new NotRetryable("Cannot retry " + id + ": the record at " + origin + " was not a readable canonical"
                    + " event (" + d.getErrorClass() + "); fix its producer and replay the raw topic (synctl replay).");
        }
        ConsumerRecord<String, byte[]> original = kafka.readOne(ref.getTopic(), ref.getPartition(), ref.getOffset());
        if (original == null) {
            throw new NotRetryable("Cannot retry " + id + ": " + origin + " is no longer retained; replay the raw"
                    + " topic for the entity instead (synctl replay --store ...).");
        }
        SpecificRecord event = kafka.decode(original);
        RecordHeaders headers = new RecordHeaders();
        headers.add(PipelineRecords.RETRY_OF_HEADER, id.getBytes(StandardCharsets.UTF_8));
        RecordMetadata written = kafka.producer()
                .send(new ProducerRecord<>(ref.getTopic(), null, original.key(), event, headers))
                .get();
        return new Resubmitted(id, d.getEventId(), origin, written.topic(), written.partition(), written.offset());
    }
}
