package dev.commercesync.poller.fetch;

import java.time.Duration;

/**
 * Waiting for infrastructure (schema registry, Kafka) to come back: 1 s, doubling up to 30 s, without limit —
 * infrastructure trouble is never the data's fault, so the record waits rather than being dead-lettered.
 */
public final class InfrastructureBackoff {
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(30);

    private Duration next = FIRST;

    /** The wait {@link #sleep()} takes next. */
    public Duration next() {
        return next;
    }

    public void sleep() throws InterruptedException {
        Thread.sleep(next.toMillis());
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }
}
