package dev.commercesync.poller.commands;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationRecord;
import dev.commercesync.opstate.OperationState;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.poller.PollerTestResource;
import dev.commercesync.poller.StoreKey;
import dev.commercesync.poller.commands.CommandJournal.State;
import dev.commercesync.poller.status.StoreStatusBoard;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.CancelReason;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The command executor against the real Kafka, registry and PostgreSQL, writing through {@link TestWritePlatform} to a
 * {@link FakeWriteStore}: exactly once on the store whatever the store answers, one final result per command_id.
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class CommandExecutionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    StoreRegistry stores;

    @Inject
    CommandJournal journal;

    @Inject
    StoreStatusBoard status;

    @Inject
    OperationalStates states;

    @Inject
    MeterRegistry meters;

    /** The store's COMMAND row of inventory levels (the entity type of the tests' commands). */
    private OperationRecord commandState() {
        return states.forStore(TestWritePlatform.NAME, store).stream()
                .filter(row -> row.operation() == Operation.COMMAND && "INVENTORY_LEVEL".equals(row.entityType()))
                .findFirst()
                .orElseThrow();
    }

    private FakeWriteStore api;
    private String store;

    /**
     * Registers the schemas of commands and results once, with the serializer the services use (it retries what the
     * registry refuses under load): the test's producer and the poller's channels then find them.
     */
    @BeforeAll
    static void registerSchemas() {
        Command command = setLevel("schemas.example.test", "c-schemas", "x", 1, Instant.now());
        CommandResult result = CommandResult.newBuilder()
                .setCommandId("c-schemas")
                .setMetadata(command.getMetadata())
                .setStatus(CommandStatus.EXPIRED)
                .setAttempts(0)
                .setCompletedAt(Instant.now())
                .build();
        try (Serializer<SpecificRecord> serializer =
                AvroSerdes.valueSerializer(SharedStack.endpoints().registryApiUrl())) {
            serializer.serialize(CommerceTopic.COMMANDS.topicName(), command);
            serializer.serialize(CommerceTopic.COMMAND_RESULTS.topicName(), result);
        }
    }

    @BeforeEach
    void store() {
        api = new FakeWriteStore();
        store = api.register(stores, "cmd-");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static Command setLevel(String store, String id, String item, long quantity, Instant deadline) {
        return Command.newBuilder()
                .setMetadata(metadata(store, id, EntityType.INVENTORY_LEVEL, item, deadline))
                .setAction(new SetInventoryLevel(item, null, quantity, null))
                .build();
    }

    static CommandMetadata metadata(String store, String id, EntityType type, String entityId, Instant deadline) {
        return CommandMetadata.newBuilder()
                .setCommandId(id)
                .setPlatform(TestWritePlatform.NAME)
                .setStore(store)
                .setEntityType(type)
                .setEntityId(entityId)
                .setCommandKey(EventKeys.entityKey(TestWritePlatform.NAME, store, type, entityId))
                .setIssuedAt(Instant.now())
                .setDeadline(deadline)
                .setIssuer("CommandExecutionTest")
                .build();
    }

    private Command setLevel(String id, String item, long quantity) {
        return setLevel(store, id, item, quantity, Instant.now().plus(Duration.ofMinutes(5)));
    }

    private static void send(Command command) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(CommerceTopic.COMMANDS.topicName(), command.getMetadata().getCommandKey(), command);
        }
    }

    /** The results on commerce.command-results.v1 for the command id. */
    static List<CommandResult> results(String commandKey, String commandId) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return kafka
                    .read(
                            CommerceTopic.COMMAND_RESULTS.topicName(),
                            CommandResult.class,
                            KafkaTestClient.COMMITTED,
                            commandKey::equals)
                    .stream()
                    .map(ConsumerRecord::value)
                    .filter(r -> r.getCommandId().equals(commandId))
                    .toList();
        }
    }

    /** Waits for the command's result and returns it, after checking that it is the only one. */
    static CommandResult theResult(CommandJournal journal, Command command) {
        String key = command.getMetadata().getCommandKey();
        String id = command.getMetadata().getCommandId();
        KafkaTestClient.await("the result of " + id, WAIT, () -> results(key, id), r -> !r.isEmpty());
        // Once the journal says published, no pass publishes it again: what is on the topic now is all there is.
        await().atMost(WAIT).until(() -> journal.find(id)
                .map(CommandJournal.Entry::resultPublished)
                .orElse(false));
        List<CommandResult> results = results(key, id);
        assertEquals(1, results.size(), "exactly one result for " + id + ": " + results);
        return results.get(0);
    }

    private CommandResult theResult(Command command) {
        return theResult(journal, command);
    }

    /** The store applies the write, then answers 500 or not before the client's timeout: ambiguous. */
    @ParameterizedTest
    @EnumSource(names = {"APPLY_THEN_500", "APPLY_THEN_TIME_OUT"})
    void aWriteAppliedButAnsweredAmbiguouslyIsReadBackAndAppliedExactlyOnce(FakeWriteStore.Fault fault) {
        api.add("item-1", 3);
        api.fault(fault);
        Command command = setLevel("c-" + fault + "-" + UUID.randomUUID(), "item-1", 7);

        send(command);
        CommandResult result = theResult(command);

        assertEquals(CommandStatus.APPLIED, result.getStatus());
        assertEquals(1, api.applications(command.getMetadata().getCommandId()), "applied exactly once");
        assertEquals(1, api.writes(command.getMetadata().getCommandId()).size(), "read back, never sent again");
        assertEquals(7L, api.value("item-1"));
        assertEquals(1, result.getAttempts());
        assertTrue(result.getResultingState().contains("\"value\":7"), result.getResultingState());
        assertEquals(
                TestWritePlatform.APPLY_UNITS + 1,
                meters.get("commercesync.poller.commands.budget.charged")
                        .tag("store", store)
                        .counter()
                        .count(),
                "the store's limiter was charged what the writer declares: the write's units, then one read-back's");
    }

    @Test
    void aDuplicateCommandIdIsAppliedOnceAndAnsweredOnce() {
        api.add("item-3", 0);
        String id = "c-dup-" + UUID.randomUUID();
        Command command = setLevel(id, "item-3", 4);

        send(command);
        send(command);
        assertEquals(CommandStatus.APPLIED, theResult(command).getStatus());
        // Redelivered after its result: the journal knows it, nothing new happens.
        api.add("item-3", 1);
        send(command);
        List<CommandResult> later = KafkaTestClient.after(
                Duration.ofSeconds(2), () -> results(command.getMetadata().getCommandKey(), id));

        assertEquals(1, later.size(), "one final result: " + later);
        assertEquals(1, api.applications(id));
        assertEquals(1L, api.value("item-3"), "the replay did not write again");
    }

    @Test
    void aCommandLeftInFlightByACrashIsReadBackNotSentAgain() throws Exception {
        // What a poller killed between sending and journaling the answer leaves: the store has the value, the row
        // says IN_FLIGHT.
        api.add("item-4", 12);
        Command command = setLevel("c-crash-" + UUID.randomUUID(), "item-4", 12);
        var endpoints = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(), "");
                PreparedStatement s = c.prepareStatement("INSERT INTO poller.command_journal (command_id, platform,"
                        + " store_id, command_key, kind, state, attempts, deadline, command)"
                        + " VALUES (?, ?, ?, ?, 'SET_INVENTORY_LEVEL', 'IN_FLIGHT', 1, ?, ?::jsonb)")) {
            CommandMetadata m = command.getMetadata();
            s.setString(1, m.getCommandId());
            s.setString(2, m.getPlatform());
            s.setString(3, m.getStore());
            s.setString(4, m.getCommandKey());
            s.setTimestamp(5, Timestamp.from(m.getDeadline()));
            s.setString(6, CommandJson.toAvroJson(command));
            s.executeUpdate();
        }
        send(command); // the redelivery after the restart

        CommandResult result = theResult(command);
        assertEquals(CommandStatus.APPLIED, result.getStatus());
        assertEquals(0, api.writes(command.getMetadata().getCommandId()).size(), "read back, not sent");
    }

    @Test
    void aCommandPastItsDeadlineExpiresWithoutARequest() {
        api.add("item-5", 1);
        Command command = setLevel(
                store,
                "c-expired-" + UUID.randomUUID(),
                "item-5",
                2,
                Instant.now().minusSeconds(1));

        send(command);
        CommandResult result = theResult(command);

        assertEquals(CommandStatus.EXPIRED, result.getStatus());
        assertNull(result.getReason());
        assertEquals(0, result.getAttempts());
        assertTrue(api.requests().isEmpty(), "no request: " + api.requests());
    }

    @Test
    void aKindThePlatformDoesNotDeclareAndAnUnknownStoreAreRejected() {
        Command cancel = Command.newBuilder()
                .setMetadata(metadata(
                        store,
                        "c-cancel-" + UUID.randomUUID(),
                        EntityType.ORDER,
                        "1001",
                        Instant.now().plusSeconds(60)))
                .setAction(new CancelOrder("1001", CancelReason.CUSTOMER, true, false))
                .build();
        Command unknownStore = setLevel(
                "nowhere.example.test",
                "c-nostore-" + UUID.randomUUID(),
                "x",
                1,
                Instant.now().plusSeconds(60));

        send(cancel);
        send(unknownStore);

        CommandResult unsupported = theResult(cancel);
        assertEquals(CommandStatus.REJECTED, unsupported.getStatus());
        assertEquals(CommandResultReason.UNSUPPORTED, unsupported.getReason());
        assertTrue(unsupported.getPlatformError().contains("CANCEL_ORDER"), unsupported.getPlatformError());
        CommandResult noStore = theResult(unknownStore);
        assertEquals(CommandStatus.REJECTED, noStore.getStatus());
        assertEquals(CommandResultReason.VALIDATION, noStore.getReason());
        assertTrue(noStore.getPlatformError().contains("not registered"), noStore.getPlatformError());
        assertTrue(api.requests().isEmpty());
    }

    /**
     * A price of 10.00 (scale 6: unscaled 0x00989680) is a string holding U+0000 in the Avro JSON encoding the journal
     * keeps; PostgreSQL's jsonb refused it and the command was never journaled nor answered (the demo found it).
     */
    @Test
    void aPriceWhoseJsonHoldsANulCharacterIsJournaledAndAnswered() {
        Command price = Command.newBuilder()
                .setMetadata(metadata(
                        store,
                        "c-price-" + UUID.randomUUID(),
                        EntityType.PRODUCT,
                        "93",
                        Instant.now().plusSeconds(60)))
                .setAction(new SetPrice("93", null, new Money(new BigDecimal("10.000000"), "EUR"), null))
                .build();

        send(price);

        // The test platform applies no price: journaled, it is answered REJECTED/UNSUPPORTED without a request.
        CommandResult result = theResult(price);
        assertEquals(CommandStatus.REJECTED, result.getStatus());
        assertEquals(CommandResultReason.UNSUPPORTED, result.getReason());
        assertTrue(journal.find(price.getMetadata().getCommandId()).isPresent());
    }

    @Test
    void aRateLimitedWriteWaitsForRetryAfterAndIsApplied() {
        api.add("item-6", 0);
        api.fault(FakeWriteStore.Fault.RATE_LIMITED);
        Command command = setLevel("c-429-" + UUID.randomUUID(), "item-6", 5);

        send(command);
        CommandResult result = theResult(command);

        assertEquals(CommandStatus.APPLIED, result.getStatus());
        assertEquals(2, result.getAttempts());
        List<FakeWriteStore.Request> writes = api.writes(command.getMetadata().getCommandId());
        assertEquals(
                List.of(429, 200),
                writes.stream().map(FakeWriteStore.Request::status).toList());
        Duration waited = Duration.between(writes.get(0).at(), writes.get(1).at());
        assertTrue(waited.compareTo(Duration.ofMillis(900)) >= 0, "Retry-After: 1 honoured, waited " + waited);
        assertEquals(1, api.applications(command.getMetadata().getCommandId()));
        OperationRecord state = commandState();
        assertEquals(OperationState.OK, state.state(), "applied after the 429");
        assertEquals(0, state.consecutiveFailures());
        assertTrue(state.lastError().contains("429"), "the 429 stays on record: " + state.lastError());
    }

    @Test
    void refusedCredentialsKeepTheCommandPendingUntilItsDeadlineThenFailedAuth() {
        api.add("item-7", 0);
        api.refuseCredentials(true);
        // Long enough for the command to reach the store before its deadline on a loaded machine.
        Command command = setLevel(
                store, "c-auth-" + UUID.randomUUID(), "item-7", 5, Instant.now().plusSeconds(10));
        String id = command.getMetadata().getCommandId();

        send(command);
        await().atMost(WAIT).until(() -> journal.find(id)
                .map(row -> "AUTH".equals(row.lastErrorClass()) || row.state().isFinal())
                .orElse(false));
        CommandJournal.Entry pending = journal.find(id).orElseThrow();
        assertFalse(pending.state().isFinal(), "pending, not failed, before the deadline: " + pending.state());
        assertEquals(State.RECEIVED, pending.state());
        assertEquals(
                StoreStatusBoard.Health.NEEDS_ATTENTION,
                status.find(new StoreKey(TestWritePlatform.NAME, store))
                        .orElseThrow()
                        .health(),
                "the store waits for a person");
        assertEquals(OperationState.WAITING_FOR_PERSON, commandState().state());
        assertEquals(ErrorClass.AUTH, commandState().errorClass());

        CommandResult result = theResult(command);
        assertEquals(CommandStatus.FAILED, result.getStatus());
        assertEquals(CommandResultReason.AUTH, result.getReason());
        assertEquals(1, api.requests().size(), "the store is not called again while it waits: " + api.requests());
        assertEquals(0, api.applications(id));
    }

    @Test
    void serverErrorsUntilNoAttemptIsLeftFailWithRetriesExhausted() {
        api.add("item-8", 0);
        for (int i = 0; i < 10; i++) {
            api.fault(FakeWriteStore.Fault.SERVER_ERROR);
        }
        Command command = setLevel("c-5xx-" + UUID.randomUUID(), "item-8", 3);

        send(command);
        CommandResult result = theResult(command);

        assertEquals(CommandStatus.FAILED, result.getStatus());
        assertEquals(CommandResultReason.RETRIES_EXHAUSTED, result.getReason());
        assertEquals("SERVER", result.getErrorClass());
        assertEquals(5, result.getAttempts(), "commands.max-attempts");
        assertEquals(5, api.writes(command.getMetadata().getCommandId()).size());
        assertEquals(
                5, api.requests().stream().filter(r -> r.method().equals("GET")).count(), "read back after each");
        assertEquals(0L, api.value("item-8"));
        OperationRecord state = commandState();
        assertEquals(OperationState.RETRYING, state.state());
        assertEquals(ErrorClass.TRANSIENT, state.errorClass());
        assertEquals(5, state.consecutiveFailures(), "one failure per write; the read-backs answered");
    }

    @Test
    void aWriteTheStoreRefusesWith404IsRejectedNotFoundWithoutRetry() {
        api.add("item-9", 0);
        api.fault(FakeWriteStore.Fault.NOT_FOUND);
        Command command = setLevel("c-404-" + UUID.randomUUID(), "item-9", 3);

        send(command);
        CommandResult result = theResult(command);

        assertEquals(CommandStatus.REJECTED, result.getStatus());
        assertEquals(CommandResultReason.NOT_FOUND, result.getReason());
        assertEquals(1, api.writes(command.getMetadata().getCommandId()).size());
    }
}
