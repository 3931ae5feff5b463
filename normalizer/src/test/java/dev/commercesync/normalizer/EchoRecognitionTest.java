package dev.commercesync.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Echo recognition in the running normalizer (real broker and registry): commands and their results are produced to
 * commerce.commands.v1 and commerce.command-results.v1 as the executor would, then the store's webhooks. Every test
 * uses its own store. Each waits until the normalizer holds the command and, where the test says so, its result (its
 * global stores), so a webhook is never processed before what it could echo.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class EchoRecognitionTest {
    private static final String RAW = CommerceTopic.RAW.topicName();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaTestClients kafka = new KafkaTestClients(SharedStack.endpoints());

    @Inject
    KafkaStreams streams;

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void theStoresWebhookWithTheCommandedQuantityIsTheEchoOnce() {
        String store = store("inv");
        String item = EchoFixtures.numericId();
        Command command = EchoFixtures.setInventory(store, item, "71", 12);
        Instant completed = applied(command);

        List<RecordMetadata> raw = List.of(
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "71", 12, completed.plusSeconds(1))),
                // The same value again a moment later (the merchant saving it, a poll): one event per command is the
                // echo.
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "71", 12, completed.plusSeconds(30))));

        List<String> commandIds = commandIds(CommerceTopic.INVENTORY, store, raw);
        assertEquals(command.getMetadata().getCommandId(), commandIds.get(0), "the echo names the command");
        assertNull(commandIds.get(1), "a later event with the same value is not a second echo");
    }

    @Test
    void aDifferentQuantityOrAChangeAfterTheWindowIsTheMerchants() {
        String store = store("merchant");
        String item = EchoFixtures.numericId();
        Command command = EchoFixtures.setInventory(store, item, "72", 40);
        Instant completed = applied(command);

        List<RecordMetadata> raw = List.of(
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "72", 39, completed.plusSeconds(2))),
                // The commanded value, but 11 minutes after the completion: outside the 10-minute window.
                kafka.sendRaw(
                        RAW,
                        EchoFixtures.inventoryWebhook(store, item, "72", 40, completed.plus(Duration.ofMinutes(11)))),
                // Within the window and with the value: the command was there to match all along.
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "72", 40, completed.plusSeconds(3))));

        List<String> commandIds = commandIds(CommerceTopic.INVENTORY, store, raw);
        assertNull(commandIds.get(0), "another quantity is not the command's effect");
        assertNull(commandIds.get(1), "a change after the window is not the echo");
        assertEquals(command.getMetadata().getCommandId(), commandIds.get(2));
    }

    @Test
    void aShipmentEchoIsRecognisedByItsTrackingNumber() {
        String store = store("ship");
        String order = EchoFixtures.numericId();
        Command command = EchoFixtures.createShipment(store, order, "1Z-ECHO-" + order);
        Instant completed = applied(command);

        List<RecordMetadata> raw = List.of(
                kafka.sendRaw(RAW, EchoFixtures.fulfillmentWebhook(store, order, "1Z-MERCHANT", completed)),
                kafka.sendRaw(RAW, EchoFixtures.fulfillmentWebhook(store, order, "1Z-ECHO-" + order, completed)));

        List<String> commandIds = commandIds(CommerceTopic.SHIPMENTS, store, raw);
        assertNull(commandIds.get(0), "a shipment with another tracking number is the merchant's");
        assertEquals(command.getMetadata().getCommandId(), commandIds.get(1));
    }

    @Test
    void anEchoMappedBeforeTheCommandsResultIsRecognised() {
        // The executor's first attempt was applied but answered with a timeout: it reads back after a backoff and
        // publishes APPLIED only then, while the store's webhook about the write is mapped before.
        String store = store("race");
        String item = EchoFixtures.numericId();
        Command command = EchoFixtures.setInventory(store, item, "74", 15);
        String key = command.getMetadata().getCommandKey();
        kafka.send(CommerceTopic.COMMANDS.topicName(), key, command);
        awaitHeld(EchoRecognition.COMMANDS_STORE, command);
        Instant written = command.getMetadata().getIssuedAt().plusSeconds(1);

        RecordMetadata echo = kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "74", 15, written));
        assertEquals(
                command.getMetadata().getCommandId(),
                commandIds(CommerceTopic.INVENTORY, store, List.of(echo)).get(0),
                "the echo mapped while the command has no result names it");

        kafka.send(
                CommerceTopic.COMMAND_RESULTS.topicName(),
                key,
                EchoFixtures.result(command, CommandStatus.APPLIED, written.plusSeconds(20)));
        awaitHeld(EchoRecognition.RESULTS_STORE, command);
        RecordMetadata again =
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "74", 15, written.plusSeconds(25)));
        assertNull(
                commandIds(CommerceTopic.INVENTORY, store, List.of(echo, again)).get(1),
                "the command, applied since, was claimed by the echo before its result");
    }

    @Test
    void aCommandWithoutResultMatchesFromItsIssueToItsDeadlinePlusTheWindow() {
        String store = store("pending");
        String item = EchoFixtures.numericId();
        Command command = EchoFixtures.setInventory(store, item, "75", 16);
        kafka.send(CommerceTopic.COMMANDS.topicName(), command.getMetadata().getCommandKey(), command);
        awaitHeld(EchoRecognition.COMMANDS_STORE, command);
        Instant issued = command.getMetadata().getIssuedAt();
        Instant deadline = command.getMetadata().getDeadline();

        List<RecordMetadata> raw = List.of(
                // The commanded value 11 minutes before the command was issued: the merchant's.
                kafka.sendRaw(
                        RAW,
                        EchoFixtures.inventoryWebhook(store, item, "75", 16, issued.minus(Duration.ofMinutes(11)))),
                // 11 minutes after its deadline: the command can no longer have caused it.
                kafka.sendRaw(
                        RAW,
                        EchoFixtures.inventoryWebhook(store, item, "75", 16, deadline.plus(Duration.ofMinutes(11)))),
                // 9 minutes after its deadline: within the window (a store's clock, a late delivery).
                kafka.sendRaw(
                        RAW,
                        EchoFixtures.inventoryWebhook(store, item, "75", 16, deadline.plus(Duration.ofMinutes(9)))));

        List<String> commandIds = commandIds(CommerceTopic.INVENTORY, store, raw);
        assertNull(commandIds.get(0), "a change before the command was issued (less the window) is not its echo");
        assertNull(commandIds.get(1), "a change after its deadline plus the window is not its echo");
        assertEquals(command.getMetadata().getCommandId(), commandIds.get(2));
    }

    @Test
    void rejectedAndFailedCommandsAreNeverMatched() {
        String store = store("refused");
        String item = EchoFixtures.numericId();
        Command rejected = EchoFixtures.setInventory(store, item, "73", 20);
        Command failed = EchoFixtures.setInventory(store, item, "73", 21);
        Command applied = EchoFixtures.setInventory(store, item, "73", 22);
        Instant completed = EchoFixtures.now();
        publish(rejected, CommandStatus.REJECTED, completed);
        publish(failed, CommandStatus.FAILED, completed);
        publish(applied, CommandStatus.APPLIED, completed); // same key, same partition: after the other two
        awaitHeld(EchoRecognition.RESULTS_STORE, applied);
        // Held, and without their results they would be candidates: it is the results that rule them out.
        awaitHeld(EchoRecognition.COMMANDS_STORE, rejected);
        awaitHeld(EchoRecognition.COMMANDS_STORE, failed);

        List<RecordMetadata> raw = List.of(
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "73", 20, completed.plusSeconds(1))),
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "73", 21, completed.plusSeconds(2))),
                kafka.sendRaw(RAW, EchoFixtures.inventoryWebhook(store, item, "73", 22, completed.plusSeconds(3))));

        List<String> commandIds = commandIds(CommerceTopic.INVENTORY, store, raw);
        assertNull(commandIds.get(0), "the rejected command's quantity");
        assertNull(commandIds.get(1), "the failed command's quantity");
        assertEquals(applied.getMetadata().getCommandId(), commandIds.get(2));
    }

    private static String store(String name) {
        return "echo-" + name + "-" + EchoFixtures.newId().substring(0, 8) + ".myshopify.com";
    }

    /** Publishes the command and its APPLIED result, completed now, and waits until the normalizer holds it. */
    private Instant applied(Command command) {
        Instant completed = EchoFixtures.now();
        publish(command, CommandStatus.APPLIED, completed);
        awaitHeld(EchoRecognition.COMMANDS_STORE, command);
        awaitHeld(EchoRecognition.RESULTS_STORE, command);
        return completed;
    }

    private void publish(Command command, CommandStatus status, Instant completed) {
        String key = command.getMetadata().getCommandKey();
        kafka.send(CommerceTopic.COMMANDS.topicName(), key, command);
        CommandResult result = EchoFixtures.result(command, status, completed);
        kafka.send(CommerceTopic.COMMAND_RESULTS.topicName(), key, result);
    }

    /**
     * Waits until the normalizer's global {@code store} holds the command (or its result). The store is closed while
     * the Streams client rebalances or restores (another test's client leaving the group), so that is waited out too.
     */
    private void awaitHeld(String store, Command command) {
        Awaitility.await(store + " of the normalizer holding "
                        + command.getMetadata().getCommandId())
                .atMost(TIMEOUT)
                .ignoreException(InvalidStateStoreException.class)
                .until(() -> echoStore(store).get(storeKey(command)) != null);
    }

    private ReadOnlyKeyValueStore<String, Object> echoStore(String store) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore()));
    }

    private static String storeKey(Command command) {
        return command.getMetadata().getCommandKey() + "\u0000"
                + command.getMetadata().getCommandId();
    }

    /** The command_id of the canonical event of each raw record, in the order of {@code raw}. */
    private List<String> commandIds(CommerceTopic topic, String store, List<RecordMetadata> raw) {
        var events = kafka.awaitCommitted(
                topic.topicName(), key -> key.startsWith("shopify/" + store + "/"), raw.size(), TIMEOUT, Duration.ZERO);
        assertEquals(raw.size(), events.size(), "one event per webhook");
        List<String> ids = new ArrayList<>();
        for (RecordMetadata written : raw) {
            EventMetadata metadata = events.stream()
                    .map(r -> CanonicalEvents.metadata(r.value()))
                    .filter(m -> m.getRawRef().getOffset() == written.offset()
                            && m.getRawRef().getPartition() == written.partition())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no event of raw offset " + written.offset()));
            ids.add(metadata.getCommandId());
        }
        return ids;
    }
}
