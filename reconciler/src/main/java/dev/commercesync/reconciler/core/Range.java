package dev.commercesync.reconciler.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A half-open range {@code [from, to)} of updated-at, in whole seconds (platforms filter by seconds). */
public record Range(Instant from, Instant to) {
    public Range {
        if (!from.truncatedTo(ChronoUnit.SECONDS).equals(from)
                || !to.truncatedTo(ChronoUnit.SECONDS).equals(to)) {
            throw new IllegalArgumentException("bucket bounds are whole seconds: " + from + ", " + to);
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("empty range " + from + ".." + to);
        }
    }

    public long seconds() {
        return to.getEpochSecond() - from.getEpochSecond();
    }

    public boolean contains(Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
