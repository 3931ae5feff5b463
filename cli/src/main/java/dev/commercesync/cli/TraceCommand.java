package dev.commercesync.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.kafka.EntityTrace;
import dev.commercesync.kafka.EntityTrace.Step;
import dev.commercesync.kafka.EntityTrace.Trace;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.schemas.canonical.EntityType;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synctl trace}: every record about one entity, in time order with latencies (pipeline-kafka's EntityTrace). */
@Command(
        name = "trace",
        mixinStandardHelpOptions = true,
        description = {
            "Where is my order? Every record the pipeline wrote about one entity of one store since --since, in time"
                    + " order, with the latency of each step from the first: webhook deliveries and polled reads"
                    + " (commerce.raw.v1), canonical events, quarantine records, fetch requests, applied changes,"
                    + " sync dead letters, reconciliation findings, commands and their results. Never a payload.",
            "Exit codes: 0 done (also when nothing was found: the output says so); 2 bad arguments."
        })
final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    QuarantineCommand.Connection connection;

    @Parameters(index = "0", paramLabel = "PLATFORM", description = "Platform adapter name, as in the store registry.")
    String platform;

    @Parameters(index = "1", paramLabel = "STORE", description = "Store id as the platform names it.")
    String store;

    @Parameters(
            index = "2",
            paramLabel = "ENTITY-ID",
            description = "The platform's id of the entity (with --find: an order number or a customer email).")
    String entityId;

    @Option(
            names = "--since",
            defaultValue = "24h",
            converter = TimeArgument.class,
            description =
                    "Start of the window: an age (90m, 24h, 7d) or an ISO-8601 instant (default: ${DEFAULT-VALUE}).")
    Instant since;

    @Option(
            names = "--type",
            description = "Only this entity type (${COMPLETION-CANDIDATES}); default every entity with the id.")
    EntityType type;

    @Option(
            names = "--find",
            description = "ENTITY-ID is an order number (#1001) or a customer email: trace every order of the store"
                    + " whose canonical events in the window carry it.")
    boolean find;

    @Option(names = "--json", description = "One JSON document: the search and its steps.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Trace> traces = new ArrayList<>();
        try (PipelineKafka kafka = new PipelineKafka(connection.bootstrap, connection.registry)) {
            EntityTrace engine = new EntityTrace(kafka, connection.topicSuffix);
            if (find) {
                for (String id : engine.findOrders(platform, store, entityId, since)) {
                    traces.add(engine.trace(platform, store, id, EntityType.ORDER, since));
                }
            } else {
                traces.add(engine.trace(platform, store, entityId, type, since));
            }
        }
        if (json) {
            if (find) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                traces.forEach(t -> array.add(json(t)));
                out.println(array.toPrettyString());
            } else {
                out.println(json(traces.get(0)).toPrettyString());
            }
        } else if (traces.isEmpty()) {
            out.printf("No order of %s/%s with number or email %s since %s%n", platform, store, entityId, since);
        } else {
            traces.forEach(t -> print(out, t));
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, Trace t) {
        out.printf(
                "%s/%s %s %s since %s: %d step(s)%n",
                t.platform(),
                t.store(),
                t.entityType() == null ? "(any type)" : t.entityType(),
                t.entityId(),
                t.since(),
                t.steps().size());
        if (t.steps().isEmpty()) {
            out.println("Nothing about this entity in the window: check the id and the store, or widen --since.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TIME", "+LATENCY", "STEP", "TYPE", "COMPONENT", "POSITION", "ID", "DETAILS"});
        for (Step s : t.steps()) {
            rows.add(new String[] {
                s.at().toString(),
                s.latency(),
                s.kind().name(),
                s.entityType() == null ? "-" : s.entityType(),
                s.component() == null ? "-" : s.component(),
                s.position(),
                s.id() == null ? "-" : s.id(),
                s.detailsText()
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean last = i == row.length - 1;
                line.append(last ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The trace as {@code GET /api/trace} answers it (snake_case, ISO-8601 instants). */
    static ObjectNode json(Trace t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("platform", t.platform());
        n.put("store", t.store());
        n.put("entity_id", t.entityId());
        n.put("entity_type", t.entityType());
        n.put("since", t.since().toString());
        n.put("until", t.until().toString());
        ArrayNode steps = n.putArray("steps");
        for (Step s : t.steps()) {
            ObjectNode step = steps.addObject();
            step.put("at", s.at().toString());
            step.put("kind", s.kind().name());
            step.put("component", s.component());
            step.put("topic", s.topic());
            step.put("partition", s.partition());
            step.put("offset", s.offset());
            step.put("entity_type", s.entityType());
            step.put("id", s.id());
            ObjectNode details = step.putObject("details");
            s.details().forEach(details::put);
            step.put("latency_millis", s.latencyMillis());
        }
        return n;
    }
}
