package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commercesync.cli.MultichannelVerdict.Oversell;
import dev.commercesync.cli.MultichannelVerdict.Pool;
import dev.commercesync.cli.MultichannelVerdict.Propagation;
import dev.commercesync.cli.MultichannelVerdict.Tally;
import dev.commercesync.stores.ChannelRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The multichannel verdict from what a run read: clean, or not with the reasons. */
class MultichannelVerdictTest {
    private static final Propagation PROPAGATION = new Propagation(120, 180, 950, 1400);
    /** WooCommerce holds 2 units back. */
    private static final Map<String, ChannelRule> RULES =
            Map.of("woocommerce", new ChannelRule(2, null, 100, null, null));

    private static final Map<String, Tally> TALLY = Map.of("A", new Tally(12, 3, 2, 5), "B", new Tally(4, 0, 0, 0));

    private static Map<String, Map<String, Integer>> levels(int shopifyA, int wooA, int shopifyB, int wooB) {
        Map<String, Map<String, Integer>> levels = new LinkedHashMap<>();
        levels.put("shopify", Map.of("A", shopifyA, "B", shopifyB));
        levels.put("woocommerce", Map.of("A", wooA, "B", wooB));
        return levels;
    }

    private static final List<Pool> POOLS = List.of(new Pool("A", 9, 2, 7), new Pool("B", 1, 0, 1));

    @Test
    void everyChannelShowingItsRuleOfThePoolAndOnlyRacesIsClean() {
        Oversell race = new Oversell("A", 1, true, List.of("shopify/s1/1001", "woocommerce/w1/77"), "t");

        MultichannelVerdict verdict =
                MultichannelVerdict.judge(POOLS, List.of(race), PROPAGATION, levels(7, 5, 1, 0), RULES, TALLY);

        assertTrue(verdict.clean(), verdict.summary());
        assertEquals(0, verdict.total(MultichannelVerdict.Row::oversoldBeyondRaces));
        assertEquals(1, verdict.total(MultichannelVerdict.Row::raceUnits));
        assertEquals(2, verdict.skusEqual());
        assertEquals(16, verdict.total(r -> r.tally().soldUnits()));
        String summary = verdict.summary();
        assertTrue(
                summary.contains("same-moment race: A, 1 unit(s), orders shopify/s1/1001, woocommerce/w1/77"), summary);
        assertTrue(summary.startsWith("  same-moment race") && summary.contains("CLEAN: 16 units sold"), summary);
        assertTrue(summary.contains("p99 950 ms"), summary);
    }

    @Test
    void aChannelNotShowingItsRuleOfThePoolIsNotClean() {
        // WooCommerce shows 7 of A although it holds 2 back: it should list 5.
        MultichannelVerdict verdict =
                MultichannelVerdict.judge(POOLS, List.of(), PROPAGATION, levels(7, 7, 1, 0), RULES, TALLY);

        assertFalse(verdict.clean());
        assertEquals(List.of("A: woocommerce shows 7, its rule lists 5 of the pool's 7 available"), verdict.problems());
        assertEquals(1, verdict.skusEqual());
        assertTrue(verdict.table().contains("7≠5"), verdict.table());
    }

    @Test
    void unitsOversoldBeyondRacesAreNotClean() {
        Oversell late = new Oversell("B", 2, false, List.of("shopify/s1/1002", "woocommerce/w1/78"), "t");
        Oversell race = new Oversell("B", 1, true, List.of("shopify/s1/1003"), "t");

        MultichannelVerdict verdict =
                MultichannelVerdict.judge(POOLS, List.of(late, race), PROPAGATION, levels(7, 5, 1, 0), RULES, TALLY);

        assertFalse(verdict.clean());
        assertEquals(2, verdict.total(MultichannelVerdict.Row::oversoldBeyondRaces));
        assertEquals(1, verdict.total(MultichannelVerdict.Row::raceUnits));
        assertEquals(
                List.of("B: 2 unit(s) oversold beyond same-moment races (orders shopify/s1/1002, woocommerce/w1/78)"),
                verdict.problems());
    }

    @Test
    void aSkuThePoolDoesNotKnowIsNotClean() {
        MultichannelVerdict verdict = MultichannelVerdict.judge(
                List.of(POOLS.get(0)), List.of(), PROPAGATION, levels(7, 5, 1, 0), RULES, TALLY);

        assertFalse(verdict.clean());
        assertEquals(List.of("B: the pool does not know it"), verdict.problems());
    }

    @Test
    void theInventoryServiceAnswersAreRead() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Pool pool =
                Pool.of(json.readTree("{\"sku\":\"A\",\"physical\":9,\"reserved\":2,\"available\":7,\"channels\":[]}"));
        Oversell oversell = Oversell.of(
                json.readTree("{\"merchant\":\"demo\",\"sku\":\"A\",\"units\":1,\"kind\":\"SAME_MOMENT_RACE\","
                        + "\"order\":\"shopify/s1/1001\",\"channel\":\"shopify/s1\",\"placed_at\":1,"
                        + "\"involved\":[\"woocommerce/w1/77\",\"shopify/s1/1001\"],\"available_after\":-1,"
                        + "\"at\":\"2026-12-07T02:00:00Z\"}"));
        Oversell beyond = Oversell.of(
                json.readTree("{\"sku\":\"B\",\"units\":2,\"kind\":\"BEYOND_RACE\",\"order\":\"bigcommerce/b1/9\"}"));
        Propagation propagation =
                Propagation.of(json.readTree("{\"count\":3,\"p50_ms\":100,\"p99_ms\":400.5,\"max_ms\":410}"));

        assertEquals(new Pool("A", 9, 2, 7), pool);
        assertEquals(
                new Oversell("A", 1, true, List.of("woocommerce/w1/77", "shopify/s1/1001"), "2026-12-07T02:00:00Z"),
                oversell);
        assertEquals(new Oversell("B", 2, false, List.of("bigcommerce/b1/9"), ""), beyond);
        assertEquals(new Propagation(3, 100, 400.5, 410), propagation);
        assertEquals("no sale propagated", new Propagation(0, 0, 0, 0).describe());
    }
}
