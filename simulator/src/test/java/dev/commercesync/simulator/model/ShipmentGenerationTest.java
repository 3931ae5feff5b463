package dev.commercesync.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shipped orders get a shipment of their lines; tracking moves it on; dialects read shipments by order and by time. */
class ShipmentGenerationTest {
    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void fulfilledOrdersHaveShipmentsThatAreTrackedAndReadableByOrderAndTime() {
        StoreState state = new StoreState();
        ChangeGenerator generator =
                new ChangeGenerator(11, kind -> 1000L * (kind.ordinal() + 1), Clock.fixed(T, ZoneOffset.UTC));
        for (int i = 0; i < 600; i++) {
            generator.next(state);
        }
        List<SimEntity> shipments = state.all(EntityType.SHIPMENT);
        int refunds = state.count(EntityType.REFUND);
        assertTrue(
                shipments.size() > refunds / 3 && shipments.size() < refunds * 3,
                shipments.size() + " shipments, about as many as " + refunds + " refunds");
        assertTrue(shipments.stream().anyMatch(s -> s.version() > 1), "some shipments are tracked");
        for (SimEntity entity : shipments) {
            Shipment shipment = (Shipment) entity;
            Order order =
                    state.get(EntityType.ORDER, shipment.orderId(), Order.class).orElseThrow();
            assertEquals(OrderStatus.FULFILLED, order.status(), shipment.id());
            assertEquals(shipment.orderId(), shipment.parentId());
            assertTrue(state.shipmentsOf(order.id()).contains(shipment));
            assertFalse(shipment.lines().isEmpty());
            for (Shipment.Line line : shipment.lines()) {
                assertTrue(order.lines().stream()
                        .anyMatch(l -> l.id().equals(line.orderLineId()) && l.quantity() >= line.quantity()));
            }
            assertEquals(shipment.version() - 1, shipment.progress().ordinal(), "one scan per step");
            // the order changed with the shipment's last change: a listing of orders updated since finds it
            assertFalse(order.updatedAt().isBefore(shipment.updatedAt()), shipment.id());
        }
        Instant since =
                shipments.stream().map(SimEntity::updatedAt).sorted().toList().get(shipments.size() / 2);
        List<SimEntity> changed = state.changedSince(EntityType.SHIPMENT, since);
        assertEquals(
                shipments.stream().filter(s -> !s.updatedAt().isBefore(since)).count(), changed.size());
    }
}
