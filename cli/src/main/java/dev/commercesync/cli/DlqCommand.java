package dev.commercesync.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.Quarantine;
import dev.commercesync.kafka.SyncDeadLetters;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synctl dlq ...}: the sync-writer's dead letters (commerce.sync-dlq.v1), listed, shown and retried. */
@Command(
        name = "dlq",
        mixinStandardHelpOptions = true,
        description = {
            "Inspect and retry the canonical events the sync-writer's target refused and will not retry"
                    + " (commerce.sync-dlq.v1; docs/sync-writer.md). Infrastructure trouble never lands here: only"
                    + " VALIDATION, CONFLICT, UNDECODABLE, INTERNAL and OTHER.",
            "Exit codes: 0 done; 1 no such dead letter, or it cannot be retried (the message says what to do)."
        },
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ShowCommand.class, DlqCommand.RetryCommand.class})
final class DlqCommand {

    static SyncDeadLetters deadLetters(PipelineKafka kafka, QuarantineCommand.Connection connection) {
        return new SyncDeadLetters(kafka, CommerceTopic.SYNC_DLQ.topicName() + connection.topicSuffix);
    }

    /** A dead letter as --json shows it: every field but the raw bytes (their length only). */
    static ObjectNode json(SyncDeadLetter d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", d.getDeadLetterId());
        n.put("failed_at", d.getFailedAt().toString());
        n.put("failed_by", d.getFailedBy());
        n.put("error_class", d.getErrorClass().name());
        n.put("reason", d.getReason());
        n.put("exception_class", d.getExceptionClass());
        n.put("sql_state", d.getSqlState());
        n.put("target", d.getTarget());
        n.put("source_ref", Quarantine.ref(d.getSourceRef()));
        n.put("source_key", d.getSourceKey());
        n.put("event_id", d.getEventId());
        n.put("platform", d.getPlatform());
        n.put("store", d.getStore());
        n.put(
                "entity_type",
                d.getEntityType() == null ? null : d.getEntityType().name());
        n.put("entity_id", d.getEntityId());
        n.put("operation", d.getOperation() == null ? null : d.getOperation().name());
        if (d.getRawValue() != null) {
            n.put("raw_value_bytes", d.getRawValue().remaining());
        }
        return n;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        QuarantineCommand.Connection connection;

        @Option(names = "--platform", description = "Only this platform.")
        String platform;

        @Option(names = "--store", description = "Only this store.")
        String store;

        @Option(names = "--error-class", description = "Only this error class (${COMPLETION-CANDIDATES}).")
        SyncErrorClass errorClass;

        @Option(names = "--json", description = "One JSON array, every field but the raw bytes.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
                List<SyncDeadLetter> shown = new ArrayList<>();
                for (SyncDeadLetter d : deadLetters(kafka, connection).all().values()) {
                    if ((platform == null || platform.equals(d.getPlatform()))
                            && (store == null || store.equals(d.getStore()))
                            && (errorClass == null || errorClass == d.getErrorClass())) {
                        shown.add(d);
                    }
                }
                if (json) {
                    ArrayNode array = Json.MAPPER.createArrayNode();
                    shown.forEach(d -> array.add(json(d)));
                    out.println(array.toPrettyString());
                } else {
                    out.printf(
                            "%-36s  %-24s  %-11s  %-40s  %-24s  %-28s  %s%n",
                            "ID", "FAILED AT", "ERROR CLASS", "PLATFORM/STORE", "ENTITY", "SOURCE REF", "REASON");
                    for (SyncDeadLetter d : shown) {
                        out.printf(
                                "%-36s  %-24s  %-11s  %-40s  %-24s  %-28s  %s%n",
                                d.getDeadLetterId(),
                                d.getFailedAt(),
                                d.getErrorClass(),
                                d.getPlatform() == null ? "-" : d.getPlatform() + "/" + d.getStore(),
                                d.getEntityType() == null ? "-" : d.getEntityType() + " " + d.getEntityId(),
                                Quarantine.ref(d.getSourceRef()),
                                d.getReason());
                    }
                    out.printf("%d dead letter(s)%n", shown.size());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one dead letter: why, where the original event is, which entity (never the payload).")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        QuarantineCommand.Connection connection;

        @Parameters(paramLabel = "ID", description = "The dead-letter id (from 'synctl dlq list').")
        String id;

        @Option(names = "--json", description = "As JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
                SyncDeadLetter d = deadLetters(kafka, connection).find(id).orElse(null);
                if (d == null) {
                    spec.commandLine().getErr().println("No dead letter with id " + id);
                    return 1;
                }
                ObjectNode fields = json(d);
                if (json) {
                    out.println(fields.toPrettyString());
                } else {
                    fields.properties().forEach(e -> {
                        if (!e.getValue().isNull()) {
                            out.printf(
                                    "%-16s %s%n",
                                    e.getKey().replace('_', ' ') + ":",
                                    e.getValue().asText());
                        }
                    });
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description = {
                "Produce the original canonical events of these dead letters again, to their topic with their key"
                        + " (after the target or the data was fixed). The sync-writer applies each like a new event,"
                        + " version-guarded: one older than what the target holds is skipped as stale; one that fails"
                        + " again is dead-lettered again under a new id."
            })
    static final class RetryCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        QuarantineCommand.Connection connection;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Dead-letter ids (from 'synctl dlq list').")
        List<String> ids;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            int failed = 0;
            try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
                SyncDeadLetters letters = deadLetters(kafka, connection);
                for (String id : ids) {
                    try {
                        SyncDeadLetters.Resubmitted r = letters.retry(id);
                        out.printf(
                                "Re-submitted %s (event %s, re-read from %s) as %s/%d@%d%n",
                                id, r.eventId(), r.origin(), r.topic(), r.partition(), r.offset());
                    } catch (NoSuchElementException | SyncDeadLetters.NotRetryable e) {
                        spec.commandLine().getErr().println(e.getMessage());
                        failed++;
                    }
                }
            }
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }
}
