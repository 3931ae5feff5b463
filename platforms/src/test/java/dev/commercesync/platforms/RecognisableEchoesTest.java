package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.schemas.canonical.EntityType;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Which commands' echoes can be recognised follows from what the adapter maps (docs/commands.md, "Recognisable
 * echoes"): WooCommerce has no shipment entity and no inventory level of its own; Amazon maps no shipment (packages
 * stay inside the order) but reads its listing quantities as inventory levels; the others map every echo.
 */
class RecognisableEchoesTest {

    @Test
    void aKindIsRecognisableWhereTheAdapterMapsItsEcho() {
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        for (String name : registry.names()) {
            var adapter = registry.get(name);
            EnumSet<CommandKind> expected = EnumSet.noneOf(CommandKind.class);
            adapter.capabilities().commandKinds().stream()
                    .filter(kind -> !name.equals("woocommerce")
                            || (kind != CommandKind.SET_INVENTORY_LEVEL && kind != CommandKind.CREATE_SHIPMENT))
                    .filter(kind -> !name.equals("amazon") || kind != CommandKind.CREATE_SHIPMENT)
                    .forEach(expected::add);
            assertEquals(expected, adapter.recognisableEchoes(), name);
        }
    }

    @Test
    void aShipmentIsEchoedByShipmentEventsTheOthersByTheirEntity() {
        for (CommandKind kind : CommandKind.values()) {
            assertEquals(
                    kind == CommandKind.CREATE_SHIPMENT ? EntityType.SHIPMENT : kind.entityType(),
                    kind.echoType(),
                    kind.name());
        }
    }
}
