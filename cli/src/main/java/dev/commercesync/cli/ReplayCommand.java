package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.kafka.CloudEventHeaders;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Re-run normalization, with the mapping code of this build, over the raw records retained on"
                    + " commerce.raw.v1 and publish the resulting canonical events (source REPLAY, the current"
                    + " mapping_version). Downstream idempotency (event_id) absorbs events that did not change.",
            "--dry-run publishes nothing and prints, per event, the fields the current mapping would change compared"
                    + " with the event on the canonical topic.",
            "Thin payloads are skipped (their fetched state is on the raw topic as polled records and is replayed"
                    + " with them). Exit codes: 0 done; 1 some records could not be normalized; 2 bad arguments."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--from",
            required = true,
            converter = TimeArgument.class,
            description = "Replay raw records written at or after this time: ISO-8601 instant or an age (6h, 7d).")
    Instant from;

    @Option(names = "--to", converter = TimeArgument.class, description = "...and before this time (default: now).")
    Instant to;

    @Option(names = "--platform", description = "Only this platform.")
    String platform;

    @Option(names = "--store", description = "Only this store.")
    String store;

    @Option(names = "--entity", description = "Only events of this entity type (${COMPLETION-CANDIDATES}).")
    EntityType entity;

    @Option(names = "--dry-run", description = "Print what would change; publish nothing.")
    boolean dryRun;

    @Mixin
    QuarantineCommand.Connection connection;

    /**
     * Per canonical topic read so far, per event id: a fingerprint of the latest event's mapped data and where that
     * event is, so that a dry run can read it back for its diff; not the event itself, so a replay over a million
     * existing events fits a default heap (bench/results/replay.md).
     */
    private final Map<EntityType, Map<String, Seen>> current = new EnumMap<>(EntityType.class);

    private record Seen(long fingerprint, int partition, long offset) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Instant until = to != null ? to : Instant.now();
        if (!from.isBefore(until)) {
            spec.commandLine().getErr().println("--from must be before --to");
            return 2;
        }
        TopicNames topics = connection.topics();
        Normalization normalization = new Normalization(PlatformRegistry.loadInstalled());
        Summary summary = new Summary();
        out.printf(
                "Replaying %s from %s to %s%s%s%s%s%n",
                topics.raw(),
                from,
                until,
                platform == null ? "" : ", platform " + platform,
                store == null ? "" : ", store " + store,
                entity == null ? "" : ", entity " + entity,
                dryRun ? " (dry run: nothing is published)" : "");
        try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
            long[] lastProgress = {System.nanoTime()};
            kafka.readRange(topics.raw(), from, record -> {
                summary.scanned++;
                if (record.timestamp() >= until.toEpochMilli()) {
                    return;
                }
                replay(kafka, topics, normalization, record, summary, out);
                if (System.nanoTime() - lastProgress[0] > 2_000_000_000L) {
                    out.printf("  ... %d raw records scanned, %d replayed%n", summary.scanned, summary.read);
                    out.flush();
                    lastProgress[0] = System.nanoTime();
                }
            });
            if (!dryRun) {
                kafka.producer().flush();
            }
        }
        out.printf(
                "%s: read %d, %s %d (changed %d, new %d), unchanged %d, quarantined %d, thin skipped %d,"
                        + " undecodable %d%n",
                dryRun ? "Dry run" : "Replay done",
                summary.read,
                dryRun ? "would produce" : "produced",
                summary.produced,
                summary.changed,
                summary.added,
                summary.unchanged,
                summary.quarantined,
                summary.thin,
                summary.undecodable);
        out.flush();
        return summary.quarantined > 0 ? 1 : 0;
    }

    private void replay(
            PipelineKafka kafka,
            TopicNames topics,
            Normalization normalization,
            ConsumerRecord<String, byte[]> record,
            Summary summary,
            PrintWriter out) {
        RawEnvelope envelope;
        try {
            envelope = (RawEnvelope) kafka.decode(record);
        } catch (RuntimeException e) {
            summary.undecodable++;
            return;
        }
        if ((platform != null && !platform.equals(envelope.getPlatform()))
                || (store != null && !store.equals(envelope.getStore()))) {
            return;
        }
        RawRecordRef ref = new RawRecordRef(record.topic(), record.partition(), record.offset());
        NormalizationOutcome outcome = normalization.normalize(envelope, ref);
        if (outcome instanceof NormalizationOutcome.Events events) {
            for (SpecificRecord event : events.canonicalEvents()) {
                EventMetadata metadata = CanonicalEvents.metadata(event);
                if (entity != null && metadata.getEntityType() != entity) {
                    continue;
                }
                summary.read++;
                metadata.setSource(EventSource.REPLAY);
                Seen seen =
                        currentEvents(kafka, topics, metadata.getEntityType()).get(metadata.getEventId());
                if (seen == null) {
                    summary.added++;
                    if (dryRun) {
                        out.printf(
                                "+ %s %s: not on the canonical topic yet%n",
                                metadata.getEntityKey(), metadata.getEventId());
                    }
                } else if (seen.fingerprint() == ContentFingerprint.ofEventData(event)) {
                    summary.unchanged++;
                } else {
                    summary.changed++;
                    if (dryRun) {
                        printChange(kafka, topics.canonical(metadata.getEntityType()), seen, event, out);
                    }
                }
                summary.produced++;
                if (!dryRun) {
                    kafka.producer()
                            .send(new ProducerRecord<>(
                                    topics.canonical(metadata.getEntityType()),
                                    null,
                                    metadata.getEntityKey(),
                                    event,
                                    CloudEventHeaders.of(metadata)));
                }
            }
        } else if (outcome instanceof NormalizationOutcome.FetchNeeded) {
            summary.thin++;
        } else if (outcome instanceof NormalizationOutcome.Failed failed) {
            if (entity != null && failed.entityType() != null && failed.entityType() != entity) {
                return;
            }
            summary.read++;
            summary.quarantined++;
            out.printf(
                    "! %s/%d@%d %s/%s %s: %s %s%s%n",
                    ref.getTopic(),
                    ref.getPartition(),
                    ref.getOffset(),
                    envelope.getPlatform(),
                    envelope.getStore(),
                    envelope.getEventType(),
                    failed.errorClass(),
                    failed.reason(),
                    failed.fieldPath() == null ? "" : " (field " + failed.fieldPath() + ")");
            if (!dryRun) {
                kafka.producer()
                        .send(new ProducerRecord<>(
                                topics.quarantine(),
                                PipelineRecords.storeKey(envelope.getPlatform(), envelope.getStore()),
                                PipelineRecords.quarantined(
                                        failed.quarantineRecord(), envelope, ref, 0, Instant.now(), "synctl replay")));
            }
        }
    }

    /** A dry run's lines for a changed event: the mapping versions and each field path that differs. */
    private void printChange(PipelineKafka kafka, String topic, Seen seen, SpecificRecord event, PrintWriter out) {
        EventMetadata metadata = CanonicalEvents.metadata(event);
        ConsumerRecord<String, byte[]> record = kafka.readOne(topic, seen.partition(), seen.offset());
        if (record == null) {
            out.printf(
                    "~ %s %s: changed (the event it replaces left the topic during the run)%n",
                    metadata.getEntityKey(), metadata.getEventId());
            return;
        }
        SpecificRecord before = kafka.decode(record);
        out.printf(
                "~ %s %s (%s -> %s)%n",
                metadata.getEntityKey(),
                metadata.getEventId(),
                CanonicalEvents.metadata(before).getMappingVersion(),
                metadata.getMappingVersion());
        diff(before, event).forEach((path, values) -> out.printf("    %s: %s -> %s%n", path, values[0], values[1]));
    }

    /**
     * The events currently on the canonical topic of {@code type} written since {@code --from} (an event is written
     * after its raw record), latest per event id, filtered like the replay. Read once per topic.
     */
    private Map<String, Seen> currentEvents(PipelineKafka kafka, TopicNames topics, EntityType type) {
        return current.computeIfAbsent(type, t -> {
            Map<String, Seen> byEventId = new HashMap<>();
            kafka.readRange(topics.canonical(t), from, record -> {
                if (record.key() == null
                        || (platform != null && !record.key().startsWith(platform + "/"))
                        || (store != null && !record.key().contains("/" + store + "/"))) {
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

    /** Field paths whose values differ ({@code [old, new]}), provenance left out. */
    static Map<String, String[]> diff(SpecificRecord before, SpecificRecord after) {
        Map<String, String> a = new TreeMap<>();
        Map<String, String> b = new TreeMap<>();
        flatten("", CanonicalJson.render((org.apache.avro.generic.IndexedRecord) before), a);
        flatten("", CanonicalJson.render((org.apache.avro.generic.IndexedRecord) after), b);
        Map<String, String[]> diff = new TreeMap<>();
        List<String> paths = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(paths::add);
        for (String path : paths) {
            if (isProvenance(path)) {
                continue;
            }
            String old = a.getOrDefault(path, "(absent)");
            String now = b.getOrDefault(path, "(absent)");
            if (!Objects.equals(old, now)) {
                diff.put(path, new String[] {old, now});
            }
        }
        return diff;
    }

    private static boolean isProvenance(String path) {
        for (String field : ContentFingerprint.PROVENANCE) {
            if (path.equals(field) || path.startsWith(field + ".") || path.startsWith(field + "[")) {
                return true;
            }
        }
        return false;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), into);
            }
            if (node.isEmpty()) {
                into.put(prefix, "[]");
            }
        } else {
            into.put(prefix, node.toString());
        }
    }

    private static final class Summary {
        long scanned;
        long read;
        long produced;
        long changed;
        long added;
        long unchanged;
        long quarantined;
        long thin;
        long undecodable;
    }
}
