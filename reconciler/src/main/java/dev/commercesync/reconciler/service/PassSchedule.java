package dev.commercesync.reconciler.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each store's next scheduled pass is due. After a pass that worked: its interval later. After one that failed
 * (the platform, the target or Kafka away): a retry {@code retryAfter} later, doubling with each failure in a row up to
 * the interval, so a pass lost to an outage is not an interval lost. A store never seen is due at once.
 */
final class PassSchedule {
    private final Map<String, Instant> nextDue = new ConcurrentHashMap<>();
    private final Map<String, Integer> failuresInARow = new ConcurrentHashMap<>();

    boolean due(String store, Instant now) {
        Instant next = nextDue.get(store);
        return next == null || !next.isAfter(now);
    }

    /** The pass that started at {@code startedAt} worked: the next is an interval later. */
    Instant succeeded(String store, Instant startedAt, Duration interval) {
        failuresInARow.remove(store);
        Instant next = startedAt.plus(interval);
        nextDue.put(store, next);
        return next;
    }

    /** The pass failed at {@code at}: the next is a retry, backing off from {@code retryAfter} up to the interval. */
    Instant failed(String store, Instant at, Duration interval, Duration retryAfter) {
        int failures = failuresInARow.merge(store, 1, Integer::sum);
        Duration wait = retryAfter.multipliedBy(1L << Math.min(failures - 1, 30));
        if (wait.isNegative() || wait.compareTo(interval) > 0) {
            wait = interval;
        }
        Instant next = at.plus(wait);
        nextDue.put(store, next);
        return next;
    }
}
