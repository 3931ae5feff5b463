package dev.commercesync.platforms.spi;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.UpdateOrderStatus;

/**
 * The kinds of {@link Command} a platform can apply, one per action of the command schema. A platform declares the
 * kinds its writer applies in {@link PlatformCapabilities#commandKinds()}.
 */
public enum CommandKind {
    SET_INVENTORY_LEVEL(SetInventoryLevel.class, EntityType.INVENTORY_LEVEL, EntityType.INVENTORY_LEVEL),
    CREATE_SHIPMENT(CreateShipment.class, EntityType.ORDER, EntityType.SHIPMENT),
    CANCEL_ORDER(CancelOrder.class, EntityType.ORDER, EntityType.ORDER),
    UPDATE_ORDER_STATUS(UpdateOrderStatus.class, EntityType.ORDER, EntityType.ORDER),
    SET_PRICE(SetPrice.class, EntityType.PRODUCT, EntityType.PRODUCT);

    private final Class<?> actionType;
    private final EntityType entityType;
    private final EntityType echoType;

    CommandKind(Class<?> actionType, EntityType entityType, EntityType echoType) {
        this.actionType = actionType;
        this.entityType = entityType;
        this.echoType = echoType;
    }

    /** The generated class of this kind's action ({@code Command.action}). */
    public Class<?> actionType() {
        return actionType;
    }

    /** The entity a command of this kind changes: its {@code metadata.entity_type} must be this. */
    public EntityType entityType() {
        return entityType;
    }

    /**
     * The canonical entity whose events show a command of this kind applied: the events its echo can be
     * (docs/commands.md, "Recognisable echoes") — a shipment's for CREATE_SHIPMENT, else the entity it changes.
     */
    public EntityType echoType() {
        return echoType;
    }

    /** The kind of a command, from its action. */
    public static CommandKind of(Command command) {
        Object action = command.getAction();
        for (CommandKind kind : values()) {
            if (kind.actionType.isInstance(action)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown command action "
                + (action == null ? "null" : action.getClass().getName()));
    }
}
