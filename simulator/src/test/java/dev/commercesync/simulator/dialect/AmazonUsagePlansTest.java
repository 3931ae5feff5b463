package dev.commercesync.simulator.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.simulator.http.ApiBudget;
import io.github.bucket4j.TimeMeter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The simulated seller's per-operation buckets are Amazon's published usage plans, on a time the test moves (a
 * 5-requests-a-second bucket refills within the time a loaded machine takes for a few requests, so the refusals are
 * checked here rather than over HTTP).
 */
class AmazonUsagePlansTest {
    private final AtomicLong nanos = new AtomicLong();
    private final TimeMeter time = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };

    /** How many calls the operation's bucket grants at once. */
    private int burst(ApiBudget budget) {
        int granted = 0;
        while (budget.consume(AmazonDialect.UNIT).granted()) {
            granted++;
        }
        return granted;
    }

    @Test
    void searchListingsItemsIsFiveASecondBurstFive() {
        Map<String, ApiBudget> budgets = new AmazonDialect().budgets(time, true);
        ApiBudget search = budgets.get("searchListingsItems");
        assertEquals(5, burst(search), "burst 5");
        assertFalse(search.consume(AmazonDialect.UNIT).granted());
        nanos.addAndGet(210_000_000L); // a little over one refill at 5 a second
        assertTrue(search.consume(AmazonDialect.UNIT).granted());
        assertFalse(search.consume(AmazonDialect.UNIT).granted());
        assertTrue(budgets.get("searchOrders").consume(AmazonDialect.UNIT).granted(), "searchOrders has its own");
    }

    @Test
    void getMarketplaceParticipationsIsBurstFifteenAtOneAMinute() {
        ApiBudget participations = new AmazonDialect().budgets(time, true).get("getMarketplaceParticipations");
        assertEquals(15, burst(participations), "burst 15");
        nanos.addAndGet(63_000_000_000L); // 0.016 a second: one per 62.5 s
        assertTrue(participations.consume(AmazonDialect.UNIT).granted());
        assertFalse(participations.consume(AmazonDialect.UNIT).granted());
    }
}
