package dev.commercesync.inventory;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CommandStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Canonical events and command results as the normalizer and the poller write them, for the pool's tests. */
final class AvroEvents {
    private AvroEvents() {}

    static String platform(String channel) {
        return channel.substring(0, channel.indexOf('/'));
    }

    static String store(String channel) {
        return channel.substring(channel.indexOf('/') + 1);
    }

    static EventMetadata metadata(String channel, EntityType type, String id, Instant at, String commandId) {
        String eventId = UUID.randomUUID().toString();
        return EventMetadata.newBuilder()
                .setEventId(eventId)
                .setDedupKey("test/" + eventId)
                .setEntityKey(channel + "/" + type.name().toLowerCase(Locale.ROOT) + "/" + id)
                .setPlatform(platform(channel))
                .setStore(store(channel))
                .setEntityType(type)
                .setEntityId(id)
                .setOperation(Operation.UPSERT)
                .setSource(EventSource.WEBHOOK)
                .setSourceUpdatedAt(at)
                .setSourceVersion(null)
                .setMappingVersion("test@1")
                .setReceivedAt(at)
                .setCommandId(commandId)
                .build();
    }

    /** An order of {@code quantity} units of one SKU, placed at {@code placedAt}. */
    static OrderEvent order(
            String channel, String id, OrderStatus status, Instant placedAt, Instant at, String sku, long quantity) {
        Order order = Order.newBuilder()
                .setId(id)
                .setNumber("#" + id)
                .setStatus(status)
                .setPaymentStatus(PaymentStatus.PAID)
                .setFulfillmentStatus(FulfillmentStatus.UNFULFILLED)
                .setCurrency("EUR")
                .setTotals(OrderTotals.newBuilder().setTotal(money("10")).build())
                .setLineItems(List.of(OrderLineItem.newBuilder()
                        .setId(id + "-1")
                        .setSku(sku)
                        .setName(sku)
                        .setQuantity(quantity)
                        .setUnitPrice(money("10"))
                        .build()))
                .setCreatedAt(placedAt)
                .setUpdatedAt(at)
                .build();
        return new OrderEvent(metadata(channel, EntityType.ORDER, id, at, null), order);
    }

    /** A level of {@code item} (at {@code location}, null: none); {@code commandId} non-null: the echo of our write. */
    static InventoryLevelEvent level(
            String channel, String item, String location, String sku, long available, Instant at, String commandId) {
        String id = location == null ? item : item + "@" + location;
        return new InventoryLevelEvent(
                metadata(channel, EntityType.INVENTORY_LEVEL, id, at, commandId),
                InventoryLevel.newBuilder()
                        .setId(id)
                        .setInventoryItemId(item)
                        .setProductId(null)
                        .setVariantId(null)
                        .setSku(sku)
                        .setLocationId(location)
                        .setAvailable(available)
                        .setReserved(null)
                        .setOnHand(null)
                        .setTracked(null)
                        .setUpdatedAt(at)
                        .setPlatformFields(Map.of())
                        .build());
    }

    /** The executor's final result of {@code command}. */
    static CommandResult result(
            Command command, CommandStatus status, CommandResultReason reason, Instant completedAt) {
        return CommandResult.newBuilder()
                .setCommandId(command.getMetadata().getCommandId())
                .setMetadata(command.getMetadata())
                .setStatus(status)
                .setReason(reason)
                .setErrorClass(null)
                .setPlatformError(null)
                .setResultingState(null)
                .setAttempts(1)
                .setPlatformRequestIds(List.of())
                .setCompletedAt(completedAt)
                .build();
    }

    static Money money(String amount) {
        return new Money(new BigDecimal(amount).setScale(6), "EUR");
    }
}
