package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.CommandDetail;
import dev.commercesync.console.BrowseViews.CommandItem;
import dev.commercesync.console.BrowseViews.CommandPage;
import dev.commercesync.console.BrowseViews.Resent;
import dev.commercesync.console.CommandJournalReader.Row;
import dev.commercesync.kafka.AvroJson;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * The command journal, browsed (through {@link CommandJournalReader}), and the resend of a command that ended without
 * being applied: the original's action and target as a new command (a new {@code command_id}: the journal applies a
 * command id at most once) on {@code commerce.commands.v1}, where the poller's executor takes it like any other
 * (docs/commands.md). The console writes no row: the executor journals the new command when it reads it.
 */
@ApplicationScoped
public class CommandService {
    private static final Logger LOG = Logger.getLogger(CommandService.class);
    /** The resent command's lifetime when the original's (deadline - issued_at) is not positive. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    /** A command that is not to be resent (applied, or still open); the message says why. */
    public static final class NotResendable extends RuntimeException {
        NotResendable(String message) {
            super(message);
        }
    }

    private final CommandJournalReader journal;
    private final ConsoleKafka kafka;
    private final Clock clock = Clock.systemUTC();

    public CommandService(CommandJournalReader journal, ConsoleKafka kafka) {
        this.journal = journal;
        this.kafka = kafka;
    }

    /** @throws IllegalStateException when the journal cannot be read */
    public CommandPage list(CommandJournalReader.Filter filter, int limit, int offset) {
        List<Row> rows = journal.list(filter, limit + 1, offset);
        List<CommandItem> items =
                rows.stream().limit(limit).map(CommandService::item).toList();
        return new CommandPage(items, limit, offset, rows.size() > limit ? offset + limit : null);
    }

    /** @throws IllegalStateException when the journal cannot be read */
    public Optional<CommandDetail> show(String id) {
        return journal.find(id).map(CommandService::detail);
    }

    /**
     * Sends a FAILED, EXPIRED or REJECTED command again as a new command: same target and action, a new id, issued
     * now, with the original's lifetime (deadline - issued_at), issuer {@code console (resend of <id>)}.
     *
     * @throws NoSuchElementException when the journal has no such command
     * @throws NotResendable when it was applied or is still open, or its journal copy is unreadable
     */
    public Resent resend(String id) throws InterruptedException, ExecutionException {
        Row row =
                journal.find(id).orElseThrow(() -> new NoSuchElementException("No command " + id + " in the journal"));
        if (!CommandJournalReader.NOT_APPLIED.contains(row.state())) {
            throw new NotResendable("Command " + id + " is " + row.state() + ": only a FAILED, EXPIRED or REJECTED"
                    + " command is resent");
        }
        Command original;
        try {
            original = AvroJson.decode(Command.class, row.command());
        } catch (IllegalArgumentException e) {
            throw new NotResendable(
                    "Command " + id + " cannot be resent: its journal copy is unreadable (" + e.getMessage() + ")");
        }
        CommandMetadata was = original.getMetadata();
        Instant now = clock.instant();
        Duration lifetime = Duration.between(was.getIssuedAt(), was.getDeadline());
        Instant deadline = now.plus(lifetime.isNegative() || lifetime.isZero() ? DEFAULT_LIFETIME : lifetime);
        // Built field by field: Avro's copy builders deep-copy through Avro's own class loader, whose enum classes
        // are not the ones of the service's class loader (Quarkus dev and test mode).
        CommandMetadata metadata = CommandMetadata.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setPlatform(was.getPlatform())
                .setStore(was.getStore())
                .setEntityType(was.getEntityType())
                .setEntityId(was.getEntityId())
                .setCommandKey(was.getCommandKey())
                .setIssuedAt(now)
                .setDeadline(deadline)
                .setIssuer("console (resend of " + id + ")")
                .setTraceContext(null)
                .build();
        Command resent = new Command(metadata, original.getAction());
        String key = resent.getMetadata().getCommandKey();
        try (PipelineKafka k = kafka.open()) {
            RecordMetadata at = k.producer()
                    .send(new ProducerRecord<>(kafka.topic(CommerceTopic.COMMANDS), key, resent))
                    .get();
            String position = at.topic() + "/" + at.partition() + "@" + at.offset();
            String newId = resent.getMetadata().getCommandId();
            LOG.infof("command %s (%s) resent as %s at %s", id, row.state(), newId, position);
            return new Resent(id, newId, key, deadline, position);
        }
    }

    private static CommandItem item(Row r) {
        return new CommandItem(
                r.commandId(),
                r.platform(),
                r.store(),
                r.commandKey(),
                r.kind(),
                r.state(),
                r.attempts(),
                r.deadline(),
                r.reason(),
                r.lastErrorClass(),
                r.receivedAt(),
                r.updatedAt(),
                r.completedAt(),
                CommandJournalReader.NOT_APPLIED.contains(r.state()));
    }

    private static CommandDetail detail(Row r) {
        Command command;
        try {
            command = AvroJson.decode(Command.class, r.command());
        } catch (IllegalArgumentException e) {
            return new CommandDetail(
                    item(r),
                    r.platformRequestIds(),
                    r.lastError(),
                    r.resultPublished(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    Map.of(),
                    true);
        }
        CommandMetadata m = command.getMetadata();
        SpecificRecord action = (SpecificRecord) command.getAction();
        Map<String, String> fields = new LinkedHashMap<>();
        for (Schema.Field field : action.getSchema().getFields()) {
            Object value = action.get(field.pos());
            fields.put(field.name(), value == null ? null : value.toString());
        }
        return new CommandDetail(
                item(r),
                r.platformRequestIds(),
                r.lastError(),
                r.resultPublished(),
                m.getEntityType().name(),
                m.getEntityId(),
                m.getIssuer(),
                m.getIssuedAt(),
                action.getSchema().getName(),
                fields,
                false);
    }
}
