package dev.commercesync.poller.commands;

import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.commands.CommandJournal.Entry;
import dev.commercesync.poller.kafka.RawPublisher;
import dev.commercesync.poller.kafka.RawPublisher.NotStoredException;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CommandStatus;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * The outbox of command results: a final journal row says {@code result_published = false} until Kafka acknowledged
 * its {@link CommandResult} on {@code commerce.command-results.v1} (channel {@code command-results-out}: acks=all,
 * idempotent producer), keyed by the command key. {@link #publishPending()} publishes every such row, oldest first; the
 * executor calls it after each final state and every {@code commands.check-every}, so a crash or a Kafka outage
 * between the journal update and the publish only delays the result. One caller at a time (the executor's single
 * outbox thread), so a result is not sent twice by two passes.
 */
@ApplicationScoped
public class CommandResults {
    private static final Logger LOG = Logger.getLogger(CommandResults.class);
    private static final int BATCH = 200;

    private final Emitter<CommandResult> emitter;
    private final CommandJournal journal;
    private final PollerConfig config;
    private final MeterRegistry meters;

    public CommandResults(
            @Channel("command-results-out") Emitter<CommandResult> emitter,
            CommandJournal journal,
            PollerConfig config,
            MeterRegistry meters) {
        this.emitter = emitter;
        this.journal = journal;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Publishes the results of final rows not yet on Kafka. Stops at the first failure (Kafka or PostgreSQL away); the
     * next pass tries again.
     *
     * @return how many were published
     */
    public int publishPending() {
        int published = 0;
        try {
            List<Entry> rows;
            do {
                rows = journal.unpublished(BATCH);
                for (Entry row : rows) {
                    CommandResult result = result(row);
                    RawPublisher.sendAll(
                            emitter,
                            row.commandKey(),
                            List.of(result),
                            config.polling().publishTimeout());
                    journal.published(row.commandId());
                    meters.counter(
                                    "commercesync.poller.command.results",
                                    "platform",
                                    row.platform(),
                                    "status",
                                    row.state().name().toLowerCase(Locale.ROOT))
                            .increment();
                    published++;
                }
            } while (rows.size() == BATCH);
        } catch (NotStoredException | IllegalStateException e) {
            LOG.warnf("command results wait for Kafka or PostgreSQL (%s); retrying", e.getMessage());
        } catch (CommandJson.InvalidCommandException e) {
            // The journal only holds commands it encoded itself.
            throw new IllegalStateException(e);
        }
        return published;
    }

    /** The result a final journal row stands for. */
    static CommandResult result(Entry row) throws CommandJson.InvalidCommandException {
        Command command = CommandJson.fromAvroJson(row.command());
        return CommandResult.newBuilder()
                .setCommandId(row.commandId())
                .setMetadata(command.getMetadata())
                .setStatus(CommandStatus.valueOf(row.state().name()))
                .setReason(row.reason() == null ? null : CommandResultReason.valueOf(row.reason()))
                .setErrorClass(row.state() == CommandJournal.State.FAILED ? row.lastErrorClass() : null)
                .setPlatformError(
                        row.state() == CommandJournal.State.REJECTED || row.state() == CommandJournal.State.FAILED
                                ? row.lastError()
                                : null)
                .setResultingState(row.resultingState())
                .setAttempts(row.attempts())
                .setPlatformRequestIds(row.platformRequestIds())
                .setCompletedAt(row.completedAt())
                .build();
    }
}
