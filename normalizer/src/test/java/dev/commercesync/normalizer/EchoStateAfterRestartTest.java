package dev.commercesync.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The echo state survives a restart: the normalizer's topology runs in this JVM (own topics, own application id), is
 * closed, and a new instance with an <b>empty</b> state directory goes on. The applied results come back from their
 * topic (the global stores read it again through their processor before any raw record), the claims from their
 * changelog: a result applied before the restart is matched after it, a command claimed before it is not claimed twice.
 */
class EchoStateAfterRestartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Endpoints stack = SharedStack.endpoints();

    @Test
    void appliedResultsAndClaimsAreRestoredIntoAnEmptyStateDirectory() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String suffix = ".echo-" + run;
        String appId = "normalizer-echo-" + run;
        TopicNames topics = TopicNames.withSuffix(suffix);
        EchoRecognition.Settings echo = NormalizerChildProcess.echoSettings(stack.kafkaBootstrap(), suffix);
        String store = "restart-" + run + ".myshopify.com";
        String inventory = topics.canonical(EntityType.INVENTORY_LEVEL);
        RawNormalizer normalizer = RawNormalizer.of(new Normalization(Fixtures.PLATFORMS));

        try (KafkaTestClients kafka = new KafkaTestClients(stack)) {
            Instant completed = EchoFixtures.now();
            Command first = EchoFixtures.setInventory(store, "5001", "81", 3);
            Command second = EchoFixtures.setInventory(store, "5002", "81", 4);
            for (Command command : new Command[] {first, second}) {
                String key = command.getMetadata().getCommandKey();
                kafka.send(echo.commandsTopic(), key, command);
                kafka.send(echo.resultsTopic(), key, EchoFixtures.result(command, CommandStatus.APPLIED, completed));
            }

            KafkaStreams before = started(normalizer, suffix, appId);
            try {
                RecordMetadata echoOfFirst = kafka.sendRaw(
                        topics.raw(), EchoFixtures.inventoryWebhook(store, "5001", "81", 3, completed.plusSeconds(1)));
                assertEquals(first.getMetadata().getCommandId(), commandIdOf(kafka, inventory, echoOfFirst));
            } finally {
                // Leaving the group hands the partitions to the next instance at once, not after the session timeout.
                before.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
            }

            KafkaStreams after = started(normalizer, suffix, appId);
            try {
                RecordMetadata echoOfSecond = kafka.sendRaw(
                        topics.raw(), EchoFixtures.inventoryWebhook(store, "5002", "81", 4, completed.plusSeconds(2)));
                RecordMetadata firstAgain = kafka.sendRaw(
                        topics.raw(), EchoFixtures.inventoryWebhook(store, "5001", "81", 3, completed.plusSeconds(5)));
                assertEquals(
                        second.getMetadata().getCommandId(),
                        commandIdOf(kafka, inventory, echoOfSecond),
                        "the result applied before the restart is known after it");
                assertNull(
                        commandIdOf(kafka, inventory, firstAgain),
                        "the command claimed before the restart is not claimed again");
            } finally {
                after.close(Duration.ofSeconds(30));
            }
        }
    }

    private KafkaStreams started(RawNormalizer normalizer, String suffix, String appId) throws Exception {
        KafkaStreams streams = NormalizerChildProcess.streams(
                stack.kafkaBootstrap(),
                stack.registryApiUrl(),
                suffix,
                appId,
                Files.createTempDirectory("echo-state").toString(),
                normalizer);
        streams.start();
        Awaitility.await("the normalizer running")
                .atMost(TIMEOUT)
                .until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    private static String commandIdOf(KafkaTestClients kafka, String topic, RecordMetadata raw) {
        return Awaitility.await("the event of raw offset " + raw.offset())
                .atMost(TIMEOUT)
                .until(
                        () -> kafka.read(topic, key -> true, "read_committed", Duration.ZERO).stream()
                                .map(r -> CanonicalEvents.metadata(r.value()))
                                .filter(m -> m.getRawRef().getOffset() == raw.offset()
                                        && m.getRawRef().getPartition() == raw.partition())
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow()
                .getCommandId();
    }
}
