package dev.commercesync.inventory.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropagationViewTest {

    private static MerchantState merchant(long count, long max, Long... samples) {
        MerchantState m = new MerchantState();
        m.propagationCount = count;
        m.propagationMaxMillis = max;
        m.propagationMillis = new ArrayList<>(List.of(samples));
        return m;
    }

    @Test
    void withoutSinceSummarisesEverySampleKept() {
        PoolView.Propagation p = PoolView.Propagation.of(merchant(5, 900, 100L, 200L, 300L, 400L, 900L));
        assertEquals(5, p.count());
        assertEquals(300L, p.p50Ms());
        assertEquals(900L, p.p99Ms());
        assertEquals(900, p.maxMs());
    }

    @Test
    void sinceSummarisesOnlyThePropagationsRecordedAfterIt() {
        // 3 recorded before the step (one of them 900 ms), 2 during it.
        PoolView.Propagation p = PoolView.Propagation.of(merchant(5, 900, 100L, 900L, 300L, 40L, 60L), 3);
        assertEquals(2, p.count());
        assertEquals(40L, p.p50Ms());
        assertEquals(60L, p.p99Ms());
        assertEquals(60, p.maxMs());
    }

    @Test
    void sinceTheLatestCountIsEmpty() {
        PoolView.Propagation p = PoolView.Propagation.of(merchant(5, 900, 100L, 900L), 5);
        assertEquals(0, p.count());
        assertNull(p.p50Ms());
        assertEquals(0, p.maxMs());
    }

    @Test
    void moreSinceThanKeptSummarisesTheSamplesKept() {
        // 10 since, only the last 3 samples kept (the bound).
        PoolView.Propagation p = PoolView.Propagation.of(merchant(12, 900, 10L, 20L, 30L), 2);
        assertEquals(10, p.count());
        assertEquals(20L, p.p50Ms());
        assertEquals(30, p.maxMs());
    }

    @Test
    void unknownMerchantHasNone() {
        PoolView.Propagation p = PoolView.Propagation.of(null, 3);
        assertEquals(0, p.count());
        assertNull(p.p99Ms());
    }
}
