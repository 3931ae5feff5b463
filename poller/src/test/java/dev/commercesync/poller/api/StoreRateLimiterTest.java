package dev.commercesync.poller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.poller.api.StoreRateLimiter.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class StoreRateLimiterTest {

    @Test
    void spendsTheBudgetThenWaitsForTheRefill() throws InterruptedException {
        StoreRateLimiter limiter = new StoreRateLimiter(3, 1, 1, 0, Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire(Duration.ZERO), "request " + i + " is within the budget");
        }
        assertFalse(limiter.acquire(Duration.ofMillis(100)), "the bucket is empty: the next token is ~1 s away");
        assertTrue(limiter.acquire(Duration.ofSeconds(2)));
    }

    @Test
    void aCommandCallSpendsTheUnitsItsWriterDeclares() throws InterruptedException {
        // Shopify's shape: a listing call costs 50 points, a write its read (2) and mutation (10). Nearly no refill.
        StoreRateLimiter limiter = new StoreRateLimiter(30, 0.001, 50, 0, Clock.systemUTC());
        assertTrue(limiter.acquire(Duration.ZERO, Priority.COMMAND, 12), "12 of 30");
        assertTrue(limiter.acquire(Duration.ZERO, Priority.COMMAND, 12), "24 of 30");
        assertFalse(limiter.acquire(Duration.ZERO, Priority.COMMAND, 12), "6 left: not a third write");
        assertTrue(limiter.acquire(Duration.ZERO, Priority.COMMAND, 2), "a read-back's 2 points fit");
        assertFalse(limiter.acquire(Duration.ZERO), "a listing costs 50, capped at the bucket's 30: not now");
    }

    @Test
    void aLowReportedQuotaSlowsDownBeforeThePlatformRefuses() throws InterruptedException {
        StoreRateLimiter limiter = new StoreRateLimiter(150, 5, 1, 0.1, Clock.systemUTC());
        assertTrue(limiter.acquire(Duration.ZERO));
        // The platform says 15 of 150 are left (other apps spend the shared budget): that is the 10% reserve.
        limiter.reported(new QuotaStatus(15, 150, 5));
        assertFalse(limiter.acquire(Duration.ofMillis(50)), "nothing left above the reserve");
        assertTrue(limiter.acquire(Duration.ofMillis(500)), "refills at the platform's rate");
    }

    @Test
    void retryAfterPausesEveryCall() throws InterruptedException {
        StoreRateLimiter limiter = new StoreRateLimiter(100, 100, 1, 0, Clock.systemUTC());
        limiter.rateLimited(Duration.ofMillis(700));
        long started = System.nanoTime();
        assertFalse(limiter.acquire(Duration.ofMillis(300)), "the pause outlasts the wait");
        assertTrue(limiter.acquire(Duration.ofSeconds(2)));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 650);
    }

    @Test
    void aPauseForAnotherOperationsLimitKeepsTheBudget() throws InterruptedException {
        // Amazon's shape: 20 searchOrders in the bucket, one more every ~179 s; a patchListingsItem 429 waits 200 ms.
        StoreRateLimiter limiter = new StoreRateLimiter(20, 0.0056, 1, 0, Clock.systemUTC());
        limiter.pause(Duration.ofMillis(200));
        assertFalse(limiter.acquire(Duration.ofMillis(50)), "paused");
        for (int i = 0; i < 20; i++) {
            assertTrue(limiter.acquire(Duration.ofSeconds(2)), "request " + i + " is still within the budget");
        }

        StoreRateLimiter refused = new StoreRateLimiter(20, 0.0056, 1, 0, Clock.systemUTC());
        refused.rateLimited(Duration.ofMillis(200));
        assertFalse(refused.acquire(Duration.ofSeconds(2)), "a refusal of the budget's own calls empties it");
    }

    @Test
    void aCommandGoesAheadOfRoutineCallsThatWaitedLonger() throws Exception {
        // The bucket is empty; one token every 500 ms. A routine call starts waiting first, then a command arrives.
        StoreRateLimiter limiter = new StoreRateLimiter(1, 2, 1, 0, Clock.systemUTC());
        assertTrue(limiter.acquire(Duration.ZERO));
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        Thread routine = new Thread(() -> {
            try {
                assertTrue(limiter.acquire(Duration.ofSeconds(5)));
                order.add("routine");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        routine.start();
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> routine.getState() == Thread.State.TIMED_WAITING);

        assertTrue(limiter.acquire(Duration.ofSeconds(5), Priority.COMMAND));
        order.add("command");
        routine.join(5000);

        assertEquals(List.of("command", "routine"), List.copyOf(order), "the command took the next token");
    }
}
