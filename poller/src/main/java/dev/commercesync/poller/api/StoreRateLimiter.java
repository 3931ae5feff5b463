package dev.commercesync.poller.api;

import dev.commercesync.platforms.spi.QuotaStatus;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One store's API budget: a Bucket4j token bucket sized and refilled as the platform documents, kept in step with
 * what the platform reports. A response's remaining quota (minus a reserve for the merchant's other apps) caps the
 * bucket, so the poller slows down when the platform says few are left; a rate-limited answer empties it and pauses
 * every call to the store until the platform's Retry-After has passed. Thread-safe.
 */
public final class StoreRateLimiter {
    /** Bucket4j counts whole tokens: the platform's units are kept in thousandths. */
    private static final long SCALE = 1000;

    private final Bucket bucket;
    private final long requestCost;
    private final double reserveShare;
    private final Clock clock;
    private volatile Instant pausedUntil = Instant.EPOCH;

    /**
     * @param budget bucket size in the platform's units
     * @param refillPerSecond units restored per second
     * @param requestCost units one request spends
     * @param reserveShare share of the reported limit left untouched
     */
    public StoreRateLimiter(
            double budget, double refillPerSecond, double requestCost, double reserveShare, Clock clock) {
        long capacity = Math.max(1, Math.round(budget * SCALE));
        long refillPerSecondScaled = Math.max(1, Math.round(refillPerSecond * SCALE));
        this.bucket = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(capacity)
                        .refillGreedy(refillPerSecondScaled, Duration.ofSeconds(1))
                        .build())
                .build();
        this.requestCost = Math.min(capacity, Math.max(1, Math.round(requestCost * SCALE)));
        this.reserveShare = reserveShare;
        this.clock = clock;
    }

    /**
     * Waits until the store may be called: past any Retry-After pause, then for the request's tokens.
     *
     * @return false when that would take longer than {@code maxWait}
     */
    public boolean acquire(Duration maxWait) throws InterruptedException {
        Instant deadline = clock.instant().plus(maxWait);
        Instant resume = pausedUntil;
        while (clock.instant().isBefore(resume)) {
            if (resume.isAfter(deadline)) {
                return false;
            }
            Thread.sleep(Math.max(1, Duration.between(clock.instant(), resume).toMillis()));
            resume = pausedUntil;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() || left.isZero()
                ? bucket.tryConsume(requestCost)
                : bucket.asBlocking().tryConsume(requestCost, left);
    }

    /** The platform reported its remaining budget: never hold more tokens than it has left, minus the reserve. */
    public void reported(QuotaStatus quota) {
        double usable = quota.remaining() - reserveShare * quota.limit();
        long target = Math.round(Math.max(0, usable) * SCALE);
        long available = bucket.getAvailableTokens();
        if (available > target) {
            bucket.consumeIgnoringRateLimits(available - target);
        }
    }

    /** The platform refused for rate limiting: spend nothing until {@code retryAfter} has passed. */
    public void rateLimited(Duration retryAfter) {
        Instant until = clock.instant().plus(retryAfter);
        synchronized (this) {
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
        }
        long available = bucket.getAvailableTokens();
        if (available > 0) {
            bucket.consumeIgnoringRateLimits(available);
        }
    }

    /** When calls may resume after a Retry-After (in the past when not paused). */
    public Instant pausedUntil() {
        return pausedUntil;
    }
}
