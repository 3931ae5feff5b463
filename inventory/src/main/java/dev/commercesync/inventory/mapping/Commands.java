package dev.commercesync.inventory.mapping;

import dev.commercesync.inventory.pool.PoolEngine;
import dev.commercesync.inventory.pool.PoolEngine.Write;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.SetInventoryLevel;
import java.time.Instant;

/** The pool's writes as canonical commands (docs/commands.md): absolute, compare-and-set, issuer "inventory". */
public final class Commands {
    private Commands() {}

    public static Command of(Write write) {
        String entityId = write.entityId();
        return Command.newBuilder()
                .setMetadata(CommandMetadata.newBuilder()
                        .setCommandId(write.commandId())
                        .setPlatform(write.platform())
                        .setStore(write.store())
                        .setEntityType(EntityType.INVENTORY_LEVEL)
                        .setEntityId(entityId)
                        .setCommandKey(key(write))
                        .setIssuedAt(Instant.ofEpochMilli(write.issuedAt()))
                        .setDeadline(Instant.ofEpochMilli(write.deadline()))
                        .setIssuer(PoolEngine.ISSUER)
                        .setTraceContext(null)
                        .build())
                .setAction(SetInventoryLevel.newBuilder()
                        .setItemId(write.itemId())
                        .setLocationId(write.locationId())
                        .setQuantity(write.quantity())
                        .setExpectedQuantity(write.expected())
                        .build())
                .build();
    }

    /** {@code platform/store/inventory_level/<item@location>}: the record key, as docs/commands.md asks. */
    public static String key(Write write) {
        return write.platform() + "/" + write.store() + "/inventory_level/" + write.entityId();
    }
}
