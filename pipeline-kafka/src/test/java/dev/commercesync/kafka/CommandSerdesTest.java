package dev.commercesync.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.DevStack;
import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.CancelReason;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commands, their results and events carrying a command id go through {@link AvroSerdes} against the real registry:
 * registered under their topics' subjects, read back as the generated classes, every field intact.
 */
class CommandSerdesTest {
    private static final Instant ISSUED = Instant.parse("2026-12-06T16:00:00Z");
    private static final Instant DEADLINE = Instant.parse("2026-12-06T16:15:00Z");

    private static DevStack stack;
    private static Serializer<SpecificRecord> serializer;
    private static Deserializer<SpecificRecord> deserializer;

    @BeforeAll
    static void startTheStack() throws Exception {
        Path dir = RepoRoot.find()
                .resolve("pipeline-kafka/target/devstack/test-"
                        + ProcessHandle.current().pid());
        stack = DevStack.start(DevStack.Options.ephemeral(dir), line -> System.out.println("[devstack] " + line));
        String registryApiUrl = AvroSerdes.registryApiUrl(stack.endpoints().registryUrl());
        serializer = AvroSerdes.valueSerializer(registryApiUrl);
        deserializer = AvroSerdes.valueDeserializer(registryApiUrl);
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyActionOfACommandReadsBackUnchanged() {
        Command inventory = command(
                "cmd-inventory-1",
                EntityType.INVENTORY_LEVEL,
                "808950810@655441491",
                new SetInventoryLevel("808950810", "655441491", 42L, 40L));
        Command shipment = command(
                "cmd-shipment-1",
                EntityType.ORDER,
                "820982911946154508",
                new CreateShipment(
                        "820982911946154508",
                        List.of(new ShipmentLine("466157049", 2L)),
                        "UPS",
                        "1Z999AA10123456784",
                        "https://www.ups.com/track?tracknum=1Z999AA10123456784",
                        true));
        Command price = command(
                "cmd-price-1",
                EntityType.PRODUCT,
                "632910392",
                new SetPrice(
                        "632910392",
                        "808950810",
                        new Money(new BigDecimal("19.990000"), "USD"),
                        new Money(new BigDecimal("24.990000"), "USD")));

        Command cancel = command(
                "cmd-cancel-1",
                EntityType.ORDER,
                "820982911946154508",
                new CancelOrder("820982911946154508", CancelReason.INVENTORY, true, false));
        Command status = command(
                "cmd-status-1",
                EntityType.ORDER,
                "820982911946154508",
                new UpdateOrderStatus("820982911946154508", OrderStatus.ON_HOLD));

        for (Command command : List.of(inventory, shipment, price, cancel, status)) {
            assertEquals(command, roundTrip(CommerceTopic.COMMANDS, command));
        }
    }

    @Test
    void aResultReadsBackUnchanged() {
        Command command = command(
                "cmd-inventory-2",
                EntityType.INVENTORY_LEVEL,
                "808950810@655441491",
                new SetInventoryLevel("808950810", "655441491", 5L, 7L));
        CommandResult result = CommandResult.newBuilder()
                .setCommandId("cmd-inventory-2")
                .setMetadata(command.getMetadata())
                .setStatus(CommandStatus.REJECTED)
                .setReason(CommandResultReason.CONFLICT)
                .setPlatformError("The quantity changed: expected 7, found 6")
                .setResultingState("{\"available\":6}")
                .setAttempts(1)
                .setPlatformRequestIds(List.of("b2d3c7a0-6b8e-4f1a-9c1e-0f1d2e3c4b5a"))
                .setCompletedAt(ISSUED.plusSeconds(2))
                .build();

        assertEquals(result, roundTrip(CommerceTopic.COMMAND_RESULTS, result));
    }

    @Test
    void anEventKeepsTheCommandIdOfTheWriteThatCausedIt() {
        InventoryLevelEvent event = InventoryLevelEvent.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId("4b1f0a52-93a0-3c4e-a7e2-6d0e1f2a3b4c")
                        .setDedupKey("shopify/acme.myshopify.com/event/1")
                        .setEntityKey("shopify/acme.myshopify.com/inventory_level/808950810@655441491")
                        .setPlatform("shopify")
                        .setStore("acme.myshopify.com")
                        .setEntityType(EntityType.INVENTORY_LEVEL)
                        .setEntityId("808950810@655441491")
                        .setOperation(Operation.UPSERT)
                        .setSource(EventSource.WEBHOOK)
                        .setMappingVersion("shopify/inventory_levels@1")
                        .setReceivedAt(ISSUED.plusSeconds(3))
                        .setCommandId("cmd-inventory-1")
                        .build())
                .setInventoryLevel(InventoryLevel.newBuilder()
                        .setId("808950810@655441491")
                        .setInventoryItemId("808950810")
                        .setLocationId("655441491")
                        .setAvailable(42L)
                        .build())
                .build();

        InventoryLevelEvent read = (InventoryLevelEvent) roundTrip(CommerceTopic.INVENTORY, event);

        assertEquals("cmd-inventory-1", read.getMetadata().getCommandId());
        assertEquals(event, read);
    }

    @Test
    void theCommandTopicsHaveTheirValueSubjects() throws Exception {
        roundTrip(
                CommerceTopic.COMMANDS,
                command(
                        "cmd-inventory-3",
                        EntityType.INVENTORY_LEVEL,
                        "808950810",
                        new SetInventoryLevel("808950810", null, 1L, null)));
        roundTrip(
                CommerceTopic.COMMAND_RESULTS,
                CommandResult.newBuilder()
                        .setCommandId("cmd-inventory-3")
                        .setMetadata(metadata("cmd-inventory-3", EntityType.INVENTORY_LEVEL, "808950810"))
                        .setStatus(CommandStatus.EXPIRED)
                        .setAttempts(0)
                        .setCompletedAt(DEADLINE)
                        .build());

        HttpResponse<String> subjects = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.endpoints().registryCcompatUrl() + "/subjects"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(200, subjects.statusCode(), subjects.body());
        for (CommerceTopic topic : List.of(CommerceTopic.COMMANDS, CommerceTopic.COMMAND_RESULTS)) {
            assertTrue(subjects.body().contains("\"" + topic.valueSubject() + "\""), subjects.body());
        }
    }

    /**
     * A send whose schema must be registered while the registry is away waits for it (Apicurio's own cache gives up
     * at once on anything but a 429), and succeeds once it is back.
     */
    @Test
    void aRegistrationWhileTheRegistryIsAwayWaitsForIt() {
        Command command = command(
                "cmd-registry-away",
                EntityType.INVENTORY_LEVEL,
                "808950810@655441491",
                new SetInventoryLevel("808950810", "655441491", 3L, null));
        // A topic of its own: its subject is not registered yet, so the serializer must reach the registry.
        String topic = "commerce.test.registry-away-" + ProcessHandle.current().pid();
        CompletableFuture<byte[]> sent;
        stack.registry().stop();
        try {
            sent = CompletableFuture.supplyAsync(() -> serializer.serialize(topic, command));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> !sent.isDone());
        } finally {
            stack.registry().start();
        }
        byte[] bytes = sent.orTimeout(RegistryPatientSerializer.PATIENCE.toSeconds(), TimeUnit.SECONDS)
                .join();
        assertEquals(command, deserializer.deserialize(topic, bytes));
    }

    private static SpecificRecord roundTrip(CommerceTopic topic, SpecificRecord value) {
        byte[] bytes = serializer.serialize(topic.topicName(), value);
        assertEquals(0, bytes[0], "Confluent wire format: magic byte");
        SpecificRecord read = deserializer.deserialize(topic.topicName(), bytes);
        assertEquals(topic.valueType(), read.getClass());
        return read;
    }

    private static Command command(String commandId, EntityType type, String entityId, Object action) {
        return Command.newBuilder()
                .setMetadata(metadata(commandId, type, entityId))
                .setAction(action)
                .build();
    }

    private static CommandMetadata metadata(String commandId, EntityType type, String entityId) {
        String key =
                String.join("/", "shopify", "acme.myshopify.com", type.name().toLowerCase(Locale.ROOT), entityId);
        return CommandMetadata.newBuilder()
                .setCommandId(commandId)
                .setPlatform("shopify")
                .setStore("acme.myshopify.com")
                .setEntityType(type)
                .setEntityId(entityId)
                .setCommandKey(key)
                .setIssuedAt(ISSUED)
                .setDeadline(DEADLINE)
                .setIssuer("warehouse-app")
                .setTraceContext(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .build();
    }
}
