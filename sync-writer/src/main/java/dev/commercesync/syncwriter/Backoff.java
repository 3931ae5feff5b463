package dev.commercesync.syncwriter;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: {@code initial × 2^(attempt-1)}, capped at {@code max}, minus up to 20 %. */
public record Backoff(Duration initial, Duration max) {

    /** @param attempt 1 for the wait after the first failure */
    public Duration delay(int attempt) {
        long initialMs = Math.max(1, initial.toMillis());
        long capped = Math.min(max.toMillis(), initialMs << Math.min(attempt - 1, 30));
        return Duration.ofMillis(capped - ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }
}
