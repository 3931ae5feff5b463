package dev.commercesync.normalizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CommandStatus;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Commands, their results and the Shopify webhooks that echo them, for the echo recognition tests. */
final class EchoFixtures {
    static final String SHOPIFY = "shopify";

    private EchoFixtures() {}

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Now, to the millisecond (the precision of the schemas' timestamps). */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static Command setInventory(String store, String itemId, String locationId, long quantity) {
        String entityId = itemId + "@" + locationId;
        return new Command(
                metadata(store, EntityType.INVENTORY_LEVEL, entityId),
                new SetInventoryLevel(itemId, locationId, quantity, null));
    }

    static Command createShipment(String store, String orderId, String trackingNumber) {
        return new Command(
                metadata(store, EntityType.ORDER, orderId),
                new CreateShipment(orderId, List.of(new ShipmentLine("1", 1L)), "UPS", trackingNumber, null, false));
    }

    private static CommandMetadata metadata(String store, EntityType type, String entityId) {
        Instant issued = now();
        return CommandMetadata.newBuilder()
                .setCommandId(newId())
                .setPlatform(SHOPIFY)
                .setStore(store)
                .setEntityType(type)
                .setEntityId(entityId)
                .setCommandKey(EventKeys.entityKey(SHOPIFY, store, type, entityId))
                .setIssuedAt(issued)
                .setDeadline(issued.plusSeconds(3600))
                .setIssuer("echo-test")
                .setTraceContext(null)
                .build();
    }

    /** The command's one final result, completed at {@code completedAt}. */
    static CommandResult result(Command command, CommandStatus status, Instant completedAt) {
        boolean applied = status == CommandStatus.APPLIED;
        return CommandResult.newBuilder()
                .setCommandId(command.getMetadata().getCommandId())
                .setMetadata(command.getMetadata())
                .setStatus(status)
                .setReason(
                        applied
                                ? null
                                : status == CommandStatus.FAILED
                                        ? CommandResultReason.RETRIES_EXHAUSTED
                                        : CommandResultReason.CONFLICT)
                .setErrorClass(status == CommandStatus.FAILED ? "SERVER" : null)
                .setPlatformError(applied ? null : "refused in the test")
                .setResultingState(applied ? "{}" : null)
                .setAttempts(1)
                .setPlatformRequestIds(List.of())
                .setCompletedAt(completedAt)
                .build();
    }

    /** Shopify's inventory_levels/update webhook: the level's available quantity as of {@code updatedAt}. */
    static RawEnvelope inventoryWebhook(
            String store, String itemId, String locationId, long available, Instant updatedAt) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("inventory_item_id", Long.parseLong(itemId));
        body.put("location_id", Long.parseLong(locationId));
        body.put("available", available);
        body.put("updated_at", updatedAt.toString());
        body.put("admin_graphql_api_id", "gid://shopify/InventoryLevel/" + locationId + "?inventory_item_id=" + itemId);
        return Fixtures.shopify(
                store, "inventory_levels/update", newId(), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Shopify's fulfillments/create webhook (the published example) for {@code orderId} with one tracking number. */
    static RawEnvelope fulfillmentWebhook(String store, String orderId, String trackingNumber, Instant updatedAt) {
        ObjectNode body;
        try {
            body = (ObjectNode) Json.MAPPER.readTree(Fixtures.payload("shopify", "fulfillments_create.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.put("id", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L));
        body.put("order_id", Long.parseLong(orderId));
        body.put("tracking_number", trackingNumber);
        body.putArray("tracking_numbers").add(trackingNumber);
        body.put("updated_at", updatedAt.toString());
        return Fixtures.shopify(
                store, "fulfillments/create", newId(), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A numeric id of the kind Shopify uses, unique enough per test. */
    static String numericId() {
        return Long.toString(1_000_000L + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L));
    }
}
