package dev.commercesync.inventory.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
