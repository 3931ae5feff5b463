package dev.commercesync.platforms.spi;

/**
 * How many entities of a type changed in an updated-at range, and what counting them cost.
 *
 * @param count entities with updated-at in {@code [from, toExclusive)}
 * @param apiCalls platform API requests spent on the answer: 1 where the platform counts natively, one per page where
 *     the count had to be listed
 */
public record ChangeCount(long count, int apiCalls) {

    public ChangeCount {
        if (count < 0 || apiCalls < 0) {
            throw new IllegalArgumentException("count and apiCalls are never negative");
        }
    }
}
