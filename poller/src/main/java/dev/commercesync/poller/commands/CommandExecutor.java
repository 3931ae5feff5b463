package dev.commercesync.poller.commands;

import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.poller.DaemonThreads;
import dev.commercesync.poller.PollerConfig;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.api.PlatformCalls;
import dev.commercesync.poller.api.PlatformCalls.StoreNeedsAttentionException;
import dev.commercesync.poller.api.StoreClients;
import dev.commercesync.poller.commands.CommandJournal.Entry;
import dev.commercesync.poller.commands.CommandJournal.Head;
import dev.commercesync.poller.commands.CommandJournal.Outcome;
import dev.commercesync.poller.commands.CommandJournal.State;
import dev.commercesync.poller.fetch.FetchRequestDecoder;
import dev.commercesync.poller.fetch.InfrastructureBackoff;
import dev.commercesync.poller.status.PlatformErrors;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.stores.SecretCipher;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Executes the commands of {@code commerce.commands.v1} exactly once on the platform, with one final result each
 * (docs/commands.md, "Execution"). A record is acknowledged once its command is in the {@link CommandJournal}; from
 * there the journal drives execution: the oldest open command of each command key (one entity's commands in topic
 * order), on {@code commands.workers} threads, each attempt through the store's one rate limiter ahead of routine
 * polling, charged what the writer declares for it ({@link PlatformCalls#writeOnce}), retried with backoff (SmallRye Fault Tolerance {@link Guard}), read back
 * before any retry after an ambiguous failure. A crash leaves the row IN_FLIGHT or AMBIGUOUS: it is read back first.
 */
@ApplicationScoped
public class CommandExecutor {
    private static final Logger LOG = Logger.getLogger(CommandExecutor.class);
    private static final int HEADS_PER_PASS = 1000;

    /** The attempt may be retried after a backoff (a 429, 5xx, timeout, or a read-back that could not be made). */
    static final class RetryLater extends Exception {
        RetryLater(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final CommandJournal journal;
    private final CommandResults results;
    private final StoreRegistry stores;
    private final PlatformRegistry platforms;
    private final PlatformCalls calls;
    private final StoreStatusBoard status;
    private final OperationalStates states;
    private final FetchRequestDecoder decoder;
    private final PollerConfig.Commands config;
    private final MeterRegistry meters;
    private final Guard retry;
    private final Clock clock = Clock.systemUTC();
    /** Command keys with a command being executed now: one entity's commands run one at a time, in order. */
    private final Set<String> busyKeys = ConcurrentHashMap.newKeySet();
    /** A pass is queued and has not started: further requests join it (bursts of commands queue one pass). */
    private final AtomicBoolean dispatchQueued = new AtomicBoolean();

    private final AtomicBoolean publishQueued = new AtomicBoolean();

    private ScheduledExecutorService timer;
    private ExecutorService workers;
    private ExecutorService outbox;

    public CommandExecutor(
            CommandJournal journal,
            CommandResults results,
            StoreRegistry stores,
            PlatformRegistry platforms,
            PlatformCalls calls,
            StoreStatusBoard status,
            OperationalStates states,
            FetchRequestDecoder decoder,
            PollerConfig config,
            MeterRegistry meters) {
        this.journal = journal;
        this.results = results;
        this.stores = stores;
        this.platforms = platforms;
        this.calls = calls;
        this.status = status;
        this.states = states;
        this.decoder = decoder;
        this.config = config.commands();
        this.meters = meters;
        PollerConfig.Commands c = config.commands();
        this.retry = Guard.create()
                .withDescription("command attempt")
                .withRetry()
                .maxRetries(2 * c.maxAttempts())
                .delay(c.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .maxDuration(c.maxRetryDuration().toMillis(), ChronoUnit.MILLIS)
                .jitter(Math.max(1, c.initialBackoff().toMillis() / 4), ChronoUnit.MILLIS)
                .whenException(e -> e instanceof RetryLater)
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(c.maxBackoff().toMillis(), ChronoUnit.MILLIS)
                .done()
                .done()
                .build();
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("command-timer"));
        workers = Executors.newFixedThreadPool(config.workers(), DaemonThreads.named("command-worker"));
        outbox = Executors.newSingleThreadExecutor(DaemonThreads.named("command-outbox"));
        long every = config.checkEvery().toMillis();
        // Also the recovery after a restart: open rows are executed (IN_FLIGHT/AMBIGUOUS read back first), final rows
        // whose result is not on Kafka are published.
        timer.scheduleWithFixedDelay(
                () -> {
                    dispatch();
                    publishResults();
                },
                0,
                every,
                TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            workers.shutdownNow();
            outbox.shutdownNow();
        }
    }

    /**
     * Journals the command and acknowledges the record. Waits while the registry (decoding) or PostgreSQL (the
     * journal) cannot be reached: the record is never acknowledged before its command is journaled. A record that is
     * not a registered {@link Command} has no command id to answer: it is counted, logged with its position and
     * skipped.
     */
    @Incoming("commands-in")
    @Blocking
    public CompletionStage<Void> onCommand(Message<byte[]> message) {
        Command command;
        try {
            command = decoder.decodeWhenReachable(
                    CommerceTopic.COMMANDS, Command.class, message.getPayload(), () -> meters.counter(
                                    "commercesync.poller.registry.unavailable")
                            .increment());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CompletableFuture<>(); // shutting down: not acknowledged, Kafka redelivers it
        } catch (RuntimeException e) {
            meters.counter("commercesync.poller.commands.undecodable").increment();
            LOG.warnf(
                    "a record at %s is not a registered Command (%s): skipped, it has no command_id to answer",
                    message.getMetadata(IncomingKafkaRecordMetadata.class)
                            .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                            .orElse("?"),
                    e.getClass().getSimpleName());
            return message.ack();
        }
        InfrastructureBackoff backoff = new InfrastructureBackoff();
        while (true) {
            try {
                if (!journal.receive(command)) {
                    meters.counter("commercesync.poller.commands.duplicates").increment();
                    LOG.debugf(
                            "command %s was received before",
                            command.getMetadata().getCommandId());
                }
                break;
            } catch (IllegalStateException e) {
                LOG.warnf("the command journal cannot be written (%s); retrying in %s", e.getMessage(), backoff.next());
                try {
                    backoff.sleep();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return new CompletableFuture<>();
                }
            }
        }
        wake();
        return message.ack();
    }

    /** Looks for due commands now (a command arrived, one finished). */
    public void wake() {
        if (dispatchQueued.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    dispatchQueued.set(false);
                    dispatch();
                });
            } catch (RejectedExecutionException | NullPointerException e) {
                // not started, or shutting down: the next start's first pass finds the journal's open rows
                dispatchQueued.set(false);
            }
        }
    }

    /** Starts the oldest open command of every command key that is due and not already executing. */
    private void dispatch() {
        try {
            Instant now = clock.instant();
            for (Head head : journal.openHeads(HEADS_PER_PASS)) {
                if (!head.nextAttemptAt().isAfter(now) && busyKeys.add(head.commandKey())) {
                    workers.execute(() -> {
                        boolean ran = false;
                        try {
                            execute(head.commandId());
                            ran = true;
                        } catch (RuntimeException e) {
                            // PostgreSQL away, mostly: the row is as the last successful update left it, and the next
                            // pass takes it up again (IN_FLIGHT and AMBIGUOUS rows are read back first).
                            LOG.warnf("command %s waits (%s)", head.commandId(), e.getMessage());
                        } finally {
                            busyKeys.remove(head.commandKey());
                        }
                        if (ran) {
                            wake(); // the entity's next command, if any
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("the command journal cannot be read now (%s)", e.getMessage());
        }
    }

    /** Queues a pass of the outbox unless one is queued already (a pass publishes every unpublished result). */
    private void publishResults() {
        if (publishQueued.compareAndSet(false, true)) {
            try {
                outbox.execute(() -> {
                    publishQueued.set(false);
                    results.publishPending();
                });
            } catch (RejectedExecutionException e) {
                publishQueued.set(false); // shutting down
            }
        }
    }

    /** One round of a command: the checks, then attempts until a final state, a wait for a person, or a backoff. */
    void execute(String commandId) {
        Entry row = journal.find(commandId).orElse(null);
        if (row == null || row.state().isFinal()) {
            return;
        }
        Command command;
        try {
            command = CommandJson.fromAvroJson(row.command());
        } catch (CommandJson.InvalidCommandException e) {
            throw new IllegalStateException(e);
        }
        StoreKey key = new StoreKey(row.platform(), row.store());
        Optional<StoreView> store;
        try {
            store = stores.find(row.platform(), row.store());
        } catch (SecretCipher.UnreadableSecretException e) {
            status.secretsUnreadable(key);
            waitForPerson(row, row.state(), "VALIDATION", "the store's secrets do not decrypt with this key");
            return;
        }
        Instant deadline = command.getMetadata().getDeadline();
        if (row.state() == State.RECEIVED && !clock.instant().isBefore(deadline)) {
            if (store.isPresent() && status.waitingForPerson(key, StoreClients.fingerprint(store.get()))) {
                finish(row, State.FAILED, CommandResultReason.AUTH, "AUTH", authText(row), null, Optional.empty());
            } else {
                finish(row, State.EXPIRED, null, null, null, null, Optional.empty());
            }
            return;
        }
        Optional<PlatformAdapter> adapter = platforms.find(row.platform());
        if (adapter.isEmpty()) {
            reject(
                    row,
                    CommandResultReason.UNSUPPORTED,
                    "no platform adapter is named " + row.platform() + "; installed: " + platforms.names());
            return;
        }
        java.util.List<String> problems = CommandChecks.problems(command);
        if (!problems.isEmpty()) {
            reject(row, CommandResultReason.VALIDATION, String.join("; ", problems));
            return;
        }
        if (store.isEmpty() || !store.get().enabled()) {
            reject(row, CommandResultReason.VALIDATION, "store " + key + " is not registered or is disabled");
            return;
        }
        CommandKind kind = CommandKind.of(command);
        if (!adapter.get().capabilities().supports(kind)) {
            reject(
                    row,
                    CommandResultReason.UNSUPPORTED,
                    row.platform() + " does not apply " + kind + " commands (its adapter declares "
                            + adapter.get().capabilities().commandKinds() + ")");
            return;
        }
        try {
            retry.call(() -> attempt(commandId, command, store.get()), Boolean.class);
        } catch (RetryLater e) {
            // This round's retries are spent: the command waits for the next round (its attempts are counted in the
            // journal, so max-attempts holds across rounds and restarts).
            journal.pending(
                    commandId,
                    null,
                    errorClass(e.getCause()),
                    e.getMessage(),
                    clock.instant().plus(config.maxBackoff()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected failure of command " + commandId, e);
        }
    }

    /**
     * One attempt: read back first when a request may have been applied; then, unless the deadline passed or the
     * attempts are spent, send it once.
     *
     * @return true (for the Guard)
     * @throws RetryLater when it may be tried again after a backoff
     */
    private Boolean attempt(String commandId, Command command, StoreView store) throws RetryLater {
        Entry row = journal.find(commandId).orElseThrow();
        if (row.state().isFinal()) {
            return true;
        }
        if (row.state().mayBeApplied()) {
            ReadBack readBack;
            try {
                readBack = calls.writeOnce(
                                store, client -> client.readBackCost(command), client -> client.readBack(command))
                        .value();
            } catch (StoreNeedsAttentionException e) {
                waitForPerson(row, State.AMBIGUOUS, "AUTH", e.getMessage());
                return true;
            } catch (IllegalArgumentException e) {
                attempted(store, command, e);
                waitForPerson(row, State.AMBIGUOUS, "VALIDATION", e.getMessage());
                return true;
            } catch (PlatformApiException e) {
                attempted(store, command, e);
                if (e.kind() == PlatformApiException.Kind.AUTH) {
                    waitForPerson(row, State.AMBIGUOUS, "AUTH", e.getMessage());
                    return true;
                }
                if (e.retryable()) {
                    journal.pending(
                            commandId,
                            State.AMBIGUOUS,
                            e.kind().name(),
                            "read-back: " + e.getMessage(),
                            clock.instant());
                    throw new RetryLater(e);
                }
                finish(
                        row,
                        State.FAILED,
                        CommandResultReason.OTHER,
                        e.kind().name(),
                        "the command may have been applied and cannot be read back: " + e.getMessage(),
                        null,
                        Optional.empty());
                return true;
            }
            switch (readBack.effect()) {
                case APPLIED -> {
                    attempted(store, command, null);
                    finish(
                            row,
                            State.APPLIED,
                            null,
                            null,
                            null,
                            readBack.currentState().orElse(null),
                            Optional.empty());
                    return true;
                }
                case NOT_FOUND -> {
                    refused(store, command, ErrorClass.VALIDATION, "the target does not exist (read back)");
                    reject(
                            row,
                            CommandResultReason.NOT_FOUND,
                            "the target does not exist (read back after " + row.lastErrorClass() + ")");
                    return true;
                }
                case NOT_APPLIED ->
                    journal.pending(commandId, State.RECEIVED, row.lastErrorClass(), row.lastError(), clock.instant());
            }
        }
        if (!clock.instant().isBefore(command.getMetadata().getDeadline())) {
            finish(row, State.EXPIRED, null, null, null, null, Optional.empty());
            return true;
        }
        if (row.attempts() >= config.maxAttempts()) {
            finish(
                    row,
                    State.FAILED,
                    CommandResultReason.RETRIES_EXHAUSTED,
                    row.lastErrorClass(),
                    row.lastError(),
                    null,
                    Optional.empty());
            return true;
        }
        WriteOutcome outcome;
        try {
            outcome = calls.writeOnce(store, client -> client.applyCost(command), client -> {
                        journal.inFlight(commandId);
                        return client.apply(command);
                    })
                    .value();
        } catch (StoreNeedsAttentionException e) {
            waitForPerson(row, State.RECEIVED, "AUTH", e.getMessage());
            return true;
        } catch (RateLimitedException e) {
            attempted(store, command, e);
            // 429: nothing was applied. The limiter pauses the store for the Retry-After before the next attempt.
            journal.pending(commandId, State.RECEIVED, e.kind().name(), e.getMessage(), clock.instant());
            throw new RetryLater(e);
        } catch (PlatformApiException e) {
            attempted(store, command, e);
            switch (e.kind()) {
                case AUTH -> waitForPerson(row, State.RECEIVED, "AUTH", e.getMessage());
                case SERVER, TRANSPORT -> {
                    // It may have been applied: read back before any retry.
                    meters.counter("commercesync.poller.commands.ambiguous", "platform", row.platform())
                            .increment();
                    journal.pending(commandId, State.AMBIGUOUS, e.kind().name(), e.getMessage(), clock.instant());
                    throw new RetryLater(e);
                }
                default ->
                    reject(
                            row,
                            switch (e.httpStatus()) {
                                case 404 -> CommandResultReason.NOT_FOUND;
                                case 409 -> CommandResultReason.CONFLICT;
                                default -> CommandResultReason.VALIDATION;
                            },
                            e.getMessage());
            }
            return true;
        } catch (IllegalArgumentException e) {
            // The store's API configuration is unusable (no base URL or credentials): a person must fix it.
            attempted(store, command, e);
            waitForPerson(row, State.RECEIVED, "VALIDATION", e.getMessage());
            return true;
        }
        if (outcome instanceof WriteOutcome.Applied applied) {
            attempted(store, command, null);
            finish(row, State.APPLIED, null, null, null, applied.resultingState(), applied.platformRequestId());
        } else if (outcome instanceof WriteOutcome.Rejected rejected) {
            refused(
                    store,
                    command,
                    rejected.reason() == CommandResultReason.CONFLICT ? ErrorClass.CONFLICT : ErrorClass.VALIDATION,
                    "the platform refused the command (" + rejected.reason() + ")"
                            + (rejected.platformError() == null ? "" : ": " + rejected.platformError()));
            finish(
                    row,
                    State.REJECTED,
                    rejected.reason(),
                    null,
                    rejected.platformError(),
                    rejected.currentState().orElse(null),
                    Optional.empty());
        } else {
            finish(row, State.EXPIRED, null, null, null, null, Optional.empty());
        }
        return true;
    }

    /**
     * The store waits for a person (credentials refused, configuration unusable): the command stays open and looks
     * again every {@code commands.auth-recheck}, until the credentials change or its deadline, then FAILED. A command
     * that may have been applied stays open until it can be read back.
     */
    private void waitForPerson(Entry row, State state, String errorClass, String message) {
        Instant now = clock.instant();
        if (!now.isBefore(row.deadline()) && !state.mayBeApplied()) {
            finish(
                    row,
                    State.FAILED,
                    "AUTH".equals(errorClass) ? CommandResultReason.AUTH : CommandResultReason.OTHER,
                    errorClass,
                    message,
                    null,
                    Optional.empty());
            return;
        }
        journal.pending(row.commandId(), state, errorClass, message, now.plus(config.authRecheck()));
    }

    /**
     * The outcome of one request to the store (a write or a read-back) as the store's COMMAND operational state, per
     * entity type the command changes: succeeded when {@code failure} is null, else its error class, retrying when the
     * failure is one the executor retries (429, 5xx, transport).
     */
    private void attempted(StoreView store, Command command, Exception failure) {
        OperationalStates.Subject subject = commandSubject(store, command);
        if (failure == null) {
            states.succeeded(subject);
        } else {
            states.failed(
                    subject,
                    PlatformErrors.classOf(failure),
                    failure.getMessage(),
                    failure instanceof PlatformApiException api && api.retryable());
        }
    }

    /** The store answered, refusing the command: a person (its sender) must look; no retry. */
    private void refused(StoreView store, Command command, ErrorClass errorClass, String message) {
        states.failed(commandSubject(store, command), errorClass, message, false);
    }

    private static OperationalStates.Subject commandSubject(StoreView store, Command command) {
        return StoreKey.of(store).subject(CommandKind.of(command).entityType(), Operation.COMMAND);
    }

    private static String authText(Entry row) {
        return row.lastError() != null
                ? row.lastError()
                : "the store's API credentials were refused and did not change before the deadline";
    }

    private void reject(Entry row, CommandResultReason reason, String text) {
        finish(row, State.REJECTED, reason, null, text, null, Optional.empty());
    }

    private void finish(
            Entry row,
            State state,
            CommandResultReason reason,
            String errorClass,
            String error,
            String resultingState,
            Optional<String> requestId) {
        boolean finished = journal.finish(
                row.commandId(),
                new Outcome(
                        state, reason == null ? null : reason.name(), errorClass, error, resultingState, requestId));
        if (finished) {
            LOG.debugf("command %s %s%s", row.commandId(), state, reason == null ? "" : " (" + reason + ")");
            meters.counter(
                            "commercesync.poller.commands.completed",
                            "platform",
                            row.platform(),
                            "status",
                            state.name().toLowerCase(java.util.Locale.ROOT))
                    .increment();
            publishResults();
        }
    }

    private static String errorClass(Throwable failure) {
        return failure instanceof PlatformApiException api ? api.kind().name() : null;
    }
}
