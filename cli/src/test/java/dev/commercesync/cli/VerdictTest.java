package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.StoreSnapshot;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The verdict has a row per canonical type; a type the platform cannot list is shown as such and is not drift. */
class VerdictTest {
    private static final StoreSnapshot STORE = new StoreSnapshot("p", "s", Instant.EPOCH, Map.of());

    /** Every row one entity missing from the target: drift wherever it is judged. */
    private static Verdict withOneMissingPerType(Set<EntityType> reconcilable) throws Exception {
        return Verdict.compare(
                List.of(STORE),
                Map.of("p", reconcilable),
                (store, type, judged) -> new Verdict.Row("p", "s", type, 1, 0, 1, 0, 0, 0, judged, List.of()));
    }

    @Test
    void aTypeThePlatformCannotListIsARowMarkedNotReconcilable() throws Exception {
        Verdict verdict = withOneMissingPerType(EnumSet.of(EntityType.ORDER));
        assertEquals(
                List.of(EntityType.values()),
                verdict.rows().stream().map(Verdict.Row::type).toList());
        Verdict.Row shipments = verdict.rows().stream()
                .filter(r -> r.type() == EntityType.SHIPMENT)
                .findFirst()
                .orElseThrow();
        assertFalse(shipments.judged());
        String line = verdict.table()
                .lines()
                .filter(l -> l.contains("shipment"))
                .findFirst()
                .orElseThrow();
        assertTrue(line.contains("not reconcilable"), line);
        String order = verdict.table()
                .lines()
                .filter(l -> l.contains(" order "))
                .findFirst()
                .orElseThrow();
        assertFalse(order.contains("not reconcilable"), order);
    }

    @Test
    void notReconcilableRowsAreNotDrift() throws Exception {
        Verdict verdict = withOneMissingPerType(EnumSet.noneOf(EntityType.class));
        assertTrue(verdict.clean(), "nothing judged, nothing dirty");
        assertEquals(0, verdict.total(Verdict.Row::missing));
        assertFalse(withOneMissingPerType(EnumSet.of(EntityType.REFUND)).clean(), "a judged row's drift counts");
    }

    @Test
    void eachJudgedRowThatIsNotCleanNamesItsStorePageAndTracesOfItsEntities() {
        Verdict verdict = new Verdict(List.of(
                new Verdict.Row(
                        "shopify", "a.myshopify.com", EntityType.ORDER, 3, 1, 2, 0, 0, 0, true, List.of("101", "10 2")),
                new Verdict.Row("shopify", "a.myshopify.com", EntityType.PRODUCT, 1, 1, 0, 0, 0, 0, true, List.of()),
                new Verdict.Row(
                        "shopify", "a.myshopify.com", EntityType.SHIPMENT, 1, 0, 1, 0, 0, 0, false, List.of("9"))));
        String text = verdict.explanations("http://127.0.0.1:8087");
        assertEquals(
                List.of(
                        "shopify/a.myshopify.com order: 2 missing",
                        "  store: http://127.0.0.1:8087/console/stores/shopify/a.myshopify.com",
                        "  trace: http://127.0.0.1:8087/console/trace?platform=shopify&store=a.myshopify.com&q=101&entity_type=ORDER"
                                + "   (synctl trace shopify a.myshopify.com 101 --type ORDER)",
                        "  trace: http://127.0.0.1:8087/console/trace?platform=shopify&store=a.myshopify.com&q=10+2&entity_type=ORDER"
                                + "   (synctl trace shopify a.myshopify.com 10 2 --type ORDER)"),
                text.lines().toList(),
                "the clean row and the row not judged explain nothing");
        assertEquals("", new Verdict(List.of(verdict.rows().get(1))).explanations("http://c"));
    }
}
