package dev.commercesync.cli;

import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.Quarantine;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "quarantine",
        mixinStandardHelpOptions = true,
        description = "Inspect and retry the raw records the normalizer could not map (commerce.quarantine.v1).",
        subcommands = {
            QuarantineCommand.ListCommand.class,
            QuarantineCommand.ShowCommand.class,
            QuarantineCommand.RetryCommand.class
        })
final class QuarantineCommand {

    /** Where the pipeline is; the defaults are {@code ./synctl up}'s addresses. Shared by replay and quarantine. */
    static final class Connection {
        @Option(
                names = "--bootstrap",
                defaultValue = "127.0.0.1:9092",
                description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
        String bootstrap;

        @Option(
                names = "--registry",
                defaultValue = "http://127.0.0.1:8081",
                description = "Schema registry base URL (default: ${DEFAULT-VALUE}).")
        String registry;

        @Option(names = "--topic-suffix", hidden = true, defaultValue = "", description = "Suffix of every topic name.")
        String topicSuffix;

        TopicNames topics() {
            return TopicNames.withSuffix(topicSuffix);
        }

        Quarantine quarantine(PipelineKafka kafka) {
            return new Quarantine(kafka, topics());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List quarantined records, oldest first.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--platform", description = "Only this platform.")
        String platform;

        @Option(names = "--store", description = "Only this store.")
        String store;

        @Option(names = "--error-class", description = "Only this error class (${COMPLETION-CANDIDATES}).")
        QuarantineErrorClass errorClass;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
                List<QuarantineRecord> shown = new ArrayList<>();
                for (QuarantineRecord q : connection.quarantine(kafka).all().values()) {
                    if ((platform == null || platform.equals(q.getPlatform()))
                            && (store == null || store.equals(q.getStore()))
                            && (errorClass == null || errorClass == q.getErrorClass())) {
                        shown.add(q);
                    }
                }
                out.printf(
                        "%-36s  %-24s  %-18s  %-40s  %-20s  %-24s  %s%n",
                        "ID",
                        "QUARANTINED AT",
                        "ERROR CLASS",
                        "PLATFORM/STORE",
                        "EVENT TYPE",
                        "RAW REF",
                        "FIELD: REASON");
                for (QuarantineRecord q : shown) {
                    out.printf(
                            "%-36s  %-24s  %-18s  %-40s  %-20s  %-24s  %s%s%n",
                            q.getQuarantineId(),
                            q.getQuarantinedAt(),
                            q.getErrorClass(),
                            q.getPlatform() == null ? "-" : q.getPlatform() + "/" + q.getStore(),
                            q.getEventType() == null ? "-" : q.getEventType(),
                            ref(q.getRawRef()),
                            q.getFieldPath() == null ? "" : q.getFieldPath() + ": ",
                            q.getReason());
                }
                out.printf("%d quarantined record(s)%n", shown.size());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one quarantined record and its raw envelope's metadata (never the payload body).")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "ID", description = "The quarantine id (from 'synctl quarantine list').")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
                QuarantineRecord q = connection.quarantine(kafka).find(id).orElse(null);
                if (q == null) {
                    spec.commandLine().getErr().println("No quarantined record with id " + id);
                    return 1;
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("id", q.getQuarantineId());
                fields.put("quarantined at", q.getQuarantinedAt() + " by " + q.getQuarantinedBy());
                fields.put("error class", q.getErrorClass());
                fields.put("reason", q.getReason());
                fields.put("field path", q.getFieldPath());
                fields.put("exception", q.getExceptionClass());
                fields.put("mapping version", q.getMappingVersion());
                fields.put("platform/store", q.getPlatform() + "/" + q.getStore());
                fields.put("event type", q.getEventType());
                fields.put("entity", q.getEntityType() == null ? null : q.getEntityType() + " " + q.getEntityId());
                fields.put("raw ref", ref(q.getRawRef()));
                fields.put("retry count", q.getRetryCount());
                RawEnvelope e = q.getEnvelope();
                if (e != null) {
                    fields.put("envelope id", e.getEnvelopeId());
                    fields.put("source", e.getSource());
                    fields.put("received at", e.getReceivedAt());
                    fields.put("delivery id", e.getDeliveryId());
                    fields.put("platform event id", e.getPlatformEventId());
                    fields.put("content type", e.getContentType());
                    fields.put("body", e.getBody().remaining() + " bytes (not shown)");
                    // The ingest keeps only the headers the adapter needs, never signatures or credentials.
                    e.getHeaders().forEach((name, value) -> fields.put("header " + name, value));
                } else if (q.getRawValue() != null) {
                    fields.put("raw value", q.getRawValue().remaining() + " undecodable bytes (not shown)");
                }
                fields.forEach((name, value) -> {
                    if (value != null) {
                        out.printf("%-20s %s%n", name + ":", value);
                    }
                });
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "retry",
            mixinStandardHelpOptions = true,
            description = {
                "Re-submit a quarantined record's raw envelope to the raw topic (after a mapping fix is deployed):"
                        + " the normalizer maps it like a new delivery; if it fails again it is quarantined again with"
                        + " a higher retry count.",
                "The envelope is re-read from its raw reference, or taken from the quarantine record when the raw"
                        + " topic no longer retains it."
            })
    static final class RetryCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(paramLabel = "ID", description = "The quarantine id (from 'synctl quarantine list').")
        String id;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
                Quarantine.Resubmitted r;
                try {
                    r = connection.quarantine(kafka).retry(id);
                } catch (NoSuchElementException | Quarantine.NotRetryable e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return 1;
                }
                out.printf(
                        "Re-submitted %s (envelope %s, %s) as %s/%d@%d, retry %d%n",
                        id, r.envelopeId(), r.origin(), r.topic(), r.partition(), r.offset(), r.retryCount());
            }
            out.flush();
            return 0;
        }
    }

    static String ref(RawRecordRef ref) {
        return Quarantine.ref(ref);
    }
}
