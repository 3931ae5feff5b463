package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.replay.Replay;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Instant until = to != null ? to : Instant.now();
        if (!from.isBefore(until)) {
            spec.commandLine().getErr().println("--from must be before --to");
            return 2;
        }
        TopicNames topics = connection.topics();
        out.printf(
                "Replaying %s from %s to %s%s%s%s%s%n",
                topics.raw(),
                from,
                until,
                platform == null ? "" : ", platform " + platform,
                store == null ? "" : ", store " + store,
                entity == null ? "" : ", entity " + entity,
                dryRun ? " (dry run: nothing is published)" : "");
        Replay.Summary summary;
        try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
            Replay replay =
                    new Replay(kafka, topics, new Normalization(PlatformRegistry.loadInstalled()), "synctl replay");
            summary = replay.run(
                    new Replay.Window(from, until, platform, store, entity), dryRun, new Printer(kafka, out));
        }
        out.printf(
                "%s: read %d, %s %d (changed %d, new %d), unchanged %d, quarantined %d, thin skipped %d,"
                        + " undecodable %d%n",
                dryRun ? "Dry run" : "Replay done",
                summary.read(),
                dryRun ? "would produce" : "produced",
                summary.produced(),
                summary.changed(),
                summary.added(),
                summary.unchanged(),
                summary.quarantined(),
                summary.thin(),
                summary.undecodable());
        out.flush();
        return summary.quarantined() > 0 ? 1 : 0;
    }

    /** Prints progress every 2 s, each failure, and in a dry run each new and changed event with its diff. */
    private final class Printer implements Replay.Listener {
        private final PipelineKafka kafka;
        private final PrintWriter out;
        private long lastProgress = System.nanoTime();

        Printer(PipelineKafka kafka, PrintWriter out) {
            this.kafka = kafka;
            this.out = out;
        }

        @Override
        public void added(EventMetadata metadata) {
            if (dryRun) {
                out.printf("+ %s %s: not on the canonical topic yet%n", metadata.getEntityKey(), metadata.getEventId());
            }
        }

        @Override
        public void changed(SpecificRecord event, String topic, int partition, long offset) {
            if (dryRun) {
                printChange(kafka, topic, partition, offset, event, out);
            }
        }

        @Override
        public void failed(RawRecordRef ref, RawEnvelope envelope, NormalizationOutcome.Failed failed) {
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
        }

        @Override
        public void progress(long scanned, long read) {
            if (System.nanoTime() - lastProgress > 2_000_000_000L) {
                out.printf("  ... %d raw records scanned, %d replayed%n", scanned, read);
                out.flush();
                lastProgress = System.nanoTime();
            }
        }
    }

    /** A dry run's lines for a changed event: the mapping versions and each field path that differs. */
    private static void printChange(
            PipelineKafka kafka, String topic, int partition, long offset, SpecificRecord event, PrintWriter out) {
        EventMetadata metadata = CanonicalEvents.metadata(event);
        ConsumerRecord<String, byte[]> record = kafka.readOne(topic, partition, offset);
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
}
