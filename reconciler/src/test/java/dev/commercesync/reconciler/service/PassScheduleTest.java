package dev.commercesync.reconciler.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PassScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void aStoreNeverSeenIsDueAndAWorkingPassWaitsItsInterval() {
        PassSchedule schedule = new PassSchedule();
        assertTrue(schedule.due("shopify/a", T0));

        assertEquals(T0.plus(HOUR), schedule.succeeded("shopify/a", T0, HOUR));
        assertFalse(schedule.due("shopify/a", T0.plus(Duration.ofMinutes(59))));
        assertTrue(schedule.due("shopify/a", T0.plus(HOUR)));
        assertTrue(schedule.due("shopify/b", T0), "stores are scheduled apart");
    }

    @Test
    void aFailedPassIsRetriedSoonerBackingOffUpToTheInterval() {
        PassSchedule schedule = new PassSchedule();
        assertEquals(T0.plus(MINUTE), schedule.failed("shopify/a", T0, HOUR, MINUTE));
        assertFalse(schedule.due("shopify/a", T0.plusSeconds(59)));
        assertTrue(schedule.due("shopify/a", T0.plus(MINUTE)));

        assertEquals(T0.plus(Duration.ofMinutes(2)), schedule.failed("shopify/a", T0, HOUR, MINUTE));
        assertEquals(T0.plus(Duration.ofMinutes(4)), schedule.failed("shopify/a", T0, HOUR, MINUTE));
        for (int i = 0; i < 40; i++) {
            schedule.failed("shopify/a", T0, HOUR, MINUTE);
        }
        assertEquals(T0.plus(HOUR), schedule.failed("shopify/a", T0, HOUR, MINUTE), "never longer than the interval");

        schedule.succeeded("shopify/a", T0, HOUR);
        assertEquals(
                T0.plus(MINUTE),
                schedule.failed("shopify/a", T0, HOUR, MINUTE),
                "a pass that worked resets the backoff");
    }
}
