package dev.commercesync.replay;

import dev.commercesync.kafka.CloudEventHeaders;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Re-runs normalization, with the mapping code of this build (the normalizer's {@link Normalization} facade), over the
 * raw records of a time window retained on the raw topic, and publishes the resulting canonical events with source
 * {@code REPLAY}; records that still fail go to the quarantine. Event ids are deterministic, so downstream idempotency
 * absorbs the events that did not change. The one implementation behind {@code synctl replay} and the console's replay.
 *
 * <p>Not a re-submission to the raw topic: the normalizer would drop most re-submitted records as duplicates (their
 * dedup keys are remembered for {@code normalizer.dedup.retention}, 7 days), which is the very window a replay after a
 * mapping fix is for.
 */
public final class Replay {
    private final PipelineKafka kafka;
    private final TopicNames topics;
    private final Normalization normalization;
    private final String quarantinedBy;

    /**
     * The raw records to replay: written in {@code [from, to)}, optionally only one platform's, one store's, and only
     * the events of one entity type.
     */
    public record Window(Instant from, Instant to, String platform, String store, EntityType entity) {
        public Window {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to");
            }
        }

        boolean includes(RawEnvelope envelope) {
            return (platform == null || platform.equals(envelope.getPlatform()))
                    && (store == null || store.equals(envelope.getStore()));
        }

        boolean includes(EntityType type) {
            return entity == null || type == null || entity == type;
        }
    }

    /**
     * What a replay did, or in a dry run would do.
     *
     * @param scanned raw records read from the topic (every platform and store, from {@code from} to the topic's end)
     * @param records raw records of the window's platform and store written before {@code to}: what is replayed
     * @param read canonical events and failures of those records (of the window's entity type)
     * @param produced canonical events published (a dry run: would publish)
     * @param changed events whose data differs from the latest event with the same id on the canonical topic
     * @param added events not on the canonical topic (written since {@code from})
     * @param unchanged events equal to it
     * @param quarantined records the current mapping still cannot map
     * @param thin thin payloads skipped (their fetched state is on the raw topic as polled records)
     * @param undecodable raw records that are not readable envelopes
     */
    public record Summary(
            long scanned,
            long records,
            long read,
            long produced,
            long changed,
            long added,
            long unchanged,
            long quarantined,
            long thin,
            long undecodable) {}

    /** Told about each event and failure as the replay goes (synctl prints them). */
    public interface Listener {
        /** An event not on the canonical topic yet. */
        default void added(EventMetadata metadata) {}

        /** An event whose data changed; the event it replaces is at {@code partition@offset} of its canonical topic. */
        default void changed(SpecificRecord event, String topic, int partition, long offset) {}

        /** A record the current mapping cannot map. */
        default void failed(RawRecordRef ref, RawEnvelope envelope, NormalizationOutcome.Failed failed) {}

        /** After each raw record scanned. */
        default void progress(long scanned, long read) {}
    }

    /** @param quarantinedBy who writes the quarantine records of the failures ("synctl replay", "console") */
    public Replay(PipelineKafka kafka, TopicNames topics, Normalization normalization, String quarantinedBy) {
        this.kafka = kafka;
        this.topics = topics;
        this.normalization = normalization;
        this.quarantinedBy = quarantinedBy;
    }

    /** Replays the window; a dry run publishes nothing. */
    public Summary run(Window window, boolean dryRun, Listener listener) {
        Run run = new Run(window, dryRun, listener);
        kafka.readRange(topics.raw(), window.from(), run::record);
        if (!dryRun) {
            kafka.producer().flush();
        }
        return run.summary();
    }

    /** A fingerprint of the latest event's mapped data and where that event is, not the event itself. */
    private record Seen(long fingerprint, int partition, long offset) {}

    private final class Run {
        private final Window window;
        private final boolean dryRun;
        private final Listener listener;
        /** Per canonical topic read so far, per event id: so a replay over a million events fits a default heap. */
        private final Map<EntityType, Map<String, Seen>> current = new EnumMap<>(EntityType.class);

        private long scanned;
        private long records;
        private long read;
        private long produced;
        private long changed;
        private long added;
        private long unchanged;
        private long quarantined;
        private long thin;
        private long undecodable;

        Run(Window window, boolean dryRun, Listener listener) {
            this.window = window;
            this.dryRun = dryRun;
            this.listener = listener;
        }

        Summary summary() {
            return new Summary(
                    scanned, records, read, produced, changed, added, unchanged, quarantined, thin, undecodable);
        }

        void record(ConsumerRecord<String, byte[]> record) {
            scanned++;
            if (record.timestamp() < window.to().toEpochMilli()) {
                replay(record);
            }
            listener.progress(scanned, read);
        }

        private void replay(ConsumerRecord<String, byte[]> record) {
            RawEnvelope envelope;
            try {
                envelope = (RawEnvelope) kafka.decode(record);
            } catch (RuntimeException e) {
                undecodable++;
                return;
            }
            if (!window.includes(envelope)) {
                return;
            }
            records++;
            RawRecordRef ref = new RawRecordRef(record.topic(), record.partition(), record.offset());
            NormalizationOutcome outcome = normalization.normalize(envelope, ref);
            if (outcome instanceof NormalizationOutcome.Events events) {
                for (SpecificRecord event : events.canonicalEvents()) {
                    event(event);
                }
            } else if (outcome instanceof NormalizationOutcome.FetchNeeded) {
                thin++;
            } else if (outcome instanceof NormalizationOutcome.Failed failed) {
                if (!window.includes(failed.entityType())) {
                    return;
                }
                read++;
                quarantined++;
                listener.failed(ref, envelope, failed);
                if (!dryRun) {
                    kafka.producer()
                            .send(new ProducerRecord<>(
                                    topics.quarantine(),
                                    PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore()),
                                    PipelineRecords.quarantined(
                                            failed.quarantineRecord(),
                                            envelope,
                                            ref,
                                            0,
                                            Instant.now(),
                                            quarantinedBy)));
                }
            }
        }

        private void event(SpecificRecord event) {
            EventMetadata metadata = CanonicalEvents.metadata(event);
            if (!window.includes(metadata.getEntityType())) {
                return;
            }
            read++;
            metadata.setSource(EventSource.REPLAY);
            String topic = topics.canonical(metadata.getEntityType());
            Seen seen = currentEvents(metadata.getEntityType()).get(metadata.getEventId());
            if (seen == null) {
                added++;
                listener.added(metadata);
            } else if (seen.fingerprint() == ContentFingerprint.ofEventData(event)) {
                unchanged++;
            } else {
                changed++;
                listener.changed(event, topic, seen.partition(), seen.offset());
            }
            produced++;
            if (!dryRun) {
                kafka.producer()
                        .send(new ProducerRecord<>(
                                topic, null, metadata.getEntityKey(), event, CloudEventHeaders.of(metadata)));
            }
        }

        /**
         * The events currently on the canonical topic of {@code type} written since {@code from} (an event is written
         * after its raw record), latest per event id, of the window's platform and store. Read once per topic.
         */
        private Map<String, Seen> currentEvents(EntityType type) {
            return current.computeIfAbsent(type, t -> {
                Map<String, Seen> byEventId = new HashMap<>();
                kafka.readRange(topics.canonical(t), window.from(), record -> {
                    if (record.key() == null
                            || (window.platform() != null && !record.key().startsWith(window.platform() + "/"))
                            || (window.store() != null && !record.key().contains("/" + window.store() + "/"))) {
                        return;
                    }
                    try {
                        SpecificRecord event = kafka.decode(record);
                        byEventId.put(
                                CanonicalEvents.metadata(event).getEventId(),
                                new Seen(ContentFingerprint.ofEventData(event), record.partition(), record.offset()));
                    } catch (RuntimeException e) {
                        // Not a readable canonical event: nothing to compare with.
                    }
                });
                return byEventId;
            });
        }
    }
}
