package dev.commercesync.inventory.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.commercesync.inventory.pool.PoolInput.LevelInput;
import dev.commercesync.schemas.canonical.InventoryLevel;
import org.junit.jupiter.api.Test;

class PoolInputsTest {
    private static InventoryLevel level(Long available, Long onHand) {
        return InventoryLevel.newBuilder()
                .setId("MC-001@default")
                .setSku("MC-001")
                .setLocationId("default")
                .setAvailable(available)
                .setOnHand(onHand)
                .build();
    }

    @Test
    void aLevelShowsItsAvailableElseItsOnHand() {
        assertEquals(7L, PoolInputs.sellable(level(7L, 9L)), "available where the platform reports it");
        assertEquals(
                9L,
                PoolInputs.sellable(level(null, 9L)),
                "on hand where it reports only that (Adobe Commerce source items' quantity, which its write sets)");
        assertNull(PoolInputs.sellable(level(null, null)), "not tracked");
    }

    @Test
    void aLevelsItemIsItsIdBeforeItsNamedLocation() {
        InventoryLevel skuWithAt = InventoryLevel.newBuilder()
                .setId("GIFT@BOX-1@ATVPDKIKX0DER")
                .setSku("GIFT@BOX-1")
                .setLocationId("ATVPDKIKX0DER")
                .setAvailable(3L)
                .build();
        assertEquals(
                new LevelInput("GIFT@BOX-1", "ATVPDKIKX0DER", "GIFT@BOX-1", 3L),
                PoolInputs.levelInput(skuWithAt),
                "an item id holding '@' stays whole before its named location");
        InventoryLevel unnamed =
                InventoryLevel.newBuilder().setId("4001@5001").setAvailable(1L).build();
        assertEquals(new LevelInput("4001", "5001", null, 1L), PoolInputs.levelInput(unnamed), "location from the id");
        InventoryLevel single =
                InventoryLevel.newBuilder().setId("SKU-1").setSku("SKU-1").build();
        assertEquals(new LevelInput("SKU-1", null, "SKU-1", null), PoolInputs.levelInput(single), "no location");
    }
}
