package dev.commercesync.poller.commands;

import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command must satisfy beyond its schema (docs/commands.md): an id of at most 255 characters, metadata naming
 * the entity its action changes ({@code entity_type}, {@code entity_id}, {@code command_key}), sensible values. The REST
 * endpoint answers 400 with these problems; the executor REJECTs such a command (VALIDATION) from the topic.
 */
public final class CommandChecks {
    /** Longest {@code command_id}. */
    public static final int MAX_COMMAND_ID_LENGTH = 255;

    private CommandChecks() {}

    /** The entity id a command's action changes: the order, the product, {@code <item>@<location>} or the item. */
    public static String entityId(Object action) {
        if (action instanceof SetInventoryLevel set) {
            return set.getLocationId() == null ? set.getItemId() : set.getItemId() + "@" + set.getLocationId();
        }
        if (action instanceof CreateShipment shipment) {
            return shipment.getOrderId();
        }
        if (action instanceof CancelOrder cancel) {
            return cancel.getOrderId();
        }
        if (action instanceof UpdateOrderStatus update) {
            return update.getOrderId();
        }
        if (action instanceof SetPrice price) {
            return price.getProductId();
        }
        throw new IllegalArgumentException(
                "unknown action " + (action == null ? "null" : action.getClass().getName()));
    }

    /** Everything wrong with the command, empty when it may be executed. */
    public static List<String> problems(Command command) {
        List<String> problems = new ArrayList<>();
        CommandMetadata m = command.getMetadata();
        String id = m.getCommandId();
        if (id == null || id.isBlank() || id.length() > MAX_COMMAND_ID_LENGTH) {
            problems.add("command_id must have 1 to " + MAX_COMMAND_ID_LENGTH + " characters");
        }
        if (blank(m.getPlatform()) || blank(m.getStore())) {
            problems.add("platform and store are required");
        }
        if (m.getIssuedAt() != null
                && m.getDeadline() != null
                && m.getDeadline().isBefore(m.getIssuedAt())) {
            problems.add("deadline " + m.getDeadline() + " is before issued_at " + m.getIssuedAt());
        }
        CommandKind kind;
        try {
            kind = CommandKind.of(command);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return problems;
        }
        if (m.getEntityType() != kind.entityType()) {
            problems.add(kind + " changes a " + kind.entityType() + ", not a " + m.getEntityType());
        }
        String entityId = entityId(command.getAction());
        if (blank(entityId) || entityId.length() > EventKeys.MAX_ENTITY_ID_LENGTH) {
            problems.add("the entity id must have 1 to " + EventKeys.MAX_ENTITY_ID_LENGTH + " characters");
        } else if (!entityId.equals(m.getEntityId())) {
            problems.add("entity_id " + m.getEntityId() + " is not the action's entity " + entityId);
        }
        if (!blank(m.getPlatform()) && !blank(m.getStore())) {
            String key = EventKeys.entityKey(m.getPlatform(), m.getStore(), kind.entityType(), entityId);
            if (!key.equals(m.getCommandKey())) {
                problems.add("command_key " + m.getCommandKey() + " is not platform/store/type/id " + key);
            }
        }
        actionProblems(command.getAction(), problems);
        return problems;
    }

    private static void actionProblems(Object action, List<String> problems) {
        if (action instanceof CreateShipment shipment) {
            if (shipment.getLines().isEmpty()) {
                problems.add("CreateShipment needs at least one line");
            }
            for (ShipmentLine line : shipment.getLines()) {
                if (line.getQuantity() < 1 || blank(line.getLineItemId())) {
                    problems.add("every shipment line needs a line_item_id and a quantity of at least 1");
                    break;
                }
            }
            if (blank(shipment.getCarrier()) || blank(shipment.getTrackingNumber())) {
                problems.add("CreateShipment needs a carrier and a tracking_number");
            }
        } else if (action instanceof UpdateOrderStatus update && update.getStatus() == OrderStatus.UNKNOWN) {
            problems.add("UpdateOrderStatus cannot set UNKNOWN");
        } else if (action instanceof SetPrice price
                && (price.getPrice() == null || blank(price.getPrice().getCurrency()))) {
            problems.add("SetPrice needs a price with its currency");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
