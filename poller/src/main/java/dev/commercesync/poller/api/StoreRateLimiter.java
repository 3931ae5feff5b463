package dev.commercesync.poller.api;

import dev.commercesync.platforms.spi.QuotaStatus;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One store's API budget: a Bucket4j token bucket sized and refilled as the platform documents, kept in step with
 * what the platform reports. A response's remaining quota (minus a reserve for the merchant's other apps) caps the
 * bucket, so the poller slows down when the platform says few are left; a rate-limited answer empties it and pauses
 * every call to the store until the platform's Retry-After has passed (a refusal of an operation with its own limit
 * only pauses: {@link #pause}). Thread-safe.
 *
 * <p>Writes go ahead of routine work. A {@link Priority#COMMAND} call waits in the bucket for the next tokens (Bucket4j's
 * blocking consumption reserves them, first come first served among commands). A {@link Priority#ROUTINE} call
 * (polling, hydration, the reconciler's view) never reserves: it waits while any command call waits, then takes tokens
 * only if they are there now, else sleeps until Bucket4j says they will be and looks again. So a command arriving
 * behind routine calls gets the next tokens, and routine work resumes once no command waits.
 *
 * <p>A routine call spends the adapter's {@code requestCost} (a listing's); a command call spends what its writer
 * declares for it ({@code PlatformWriteClient#applyCost}, {@code #readBackCost}: its requests' units together).
 */
public final class StoreRateLimiter {
    /** Who is asking: a command write goes ahead of routine calls. */
    public enum Priority {
        /** Polling, fetches by id, the reconciler's view. */
        ROUTINE,
        /** A command's write or read-back (the command executor). */
        COMMAND
    }

    /** Bucket4j counts whole tokens: the platform's units are kept in thousandths. */
    private static final long SCALE = 1000;

    private final Bucket bucket;
    private final long capacity;
    private final long requestCost;
    private final double reserveShare;
    private final Clock clock;
    private volatile Instant pausedUntil = Instant.EPOCH;
    /** Command calls waiting for the budget; routine calls wait while there are any. Guarded by {@code this}. */
    private int commandsWaiting;

    /**
     * @param budget bucket size in the platform's units
     * @param refillPerSecond units restored per second
     * @param requestCost units one request spends
     * @param reserveShare share of the reported limit left untouched
     */
    public StoreRateLimiter(
            double budget, double refillPerSecond, double requestCost, double reserveShare, Clock clock) {
        this.capacity = Math.max(1, Math.round(budget * SCALE));
        long refillPerSecondScaled = Math.max(1, Math.round(refillPerSecond * SCALE));
        this.bucket = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(capacity)
                        .refillGreedy(refillPerSecondScaled, Duration.ofSeconds(1))
                        .build())
                .build();
        this.requestCost = tokens(requestCost);
        this.reserveShare = reserveShare;
        this.clock = clock;
    }

    /**
     * Waits until the store may be called, as a routine call: {@link #acquire(Duration, Priority)}.
     *
     * @return false when that would take longer than {@code maxWait}
     */
    public boolean acquire(Duration maxWait) throws InterruptedException {
        return acquire(maxWait, Priority.ROUTINE);
    }

    /**
     * Waits until the store may be called, spending one request's cost: {@link #acquire(Duration, Priority, double)}.
     *
     * @return false when that would take longer than {@code maxWait}
     */
    public boolean acquire(Duration maxWait, Priority priority) throws InterruptedException {
        return acquireTokens(maxWait, priority, requestCost);
    }

    /**
     * Waits until the store may be called: a routine call first lets every waiting command call go, then (both)
     * past any Retry-After pause, then for {@code units} of the budget (at most the whole bucket).
     *
     * @param units what the call spends, in the platform's unit
     * @return false when that would take longer than {@code maxWait}
     */
    public boolean acquire(Duration maxWait, Priority priority, double units) throws InterruptedException {
        return acquireTokens(maxWait, priority, tokens(units));
    }

    /** What a routine call spends (the adapter's {@code requestCost}), in the platform's unit. */
    public double requestCost() {
        return (double) requestCost / SCALE;
    }

    /** The bucket's tokens for {@code units}: at least one thousandth, at most the whole bucket. */
    private long tokens(double units) {
        return Math.min(capacity, Math.max(1, Math.round(units * SCALE)));
    }

    private boolean acquireTokens(Duration maxWait, Priority priority, long tokens) throws InterruptedException {
        Instant deadline = clock.instant().plus(maxWait);
        if (priority == Priority.COMMAND) {
            synchronized (this) {
                commandsWaiting++;
            }
            try {
                return waitForPause(deadline) && take(deadline, tokens);
            } finally {
                synchronized (this) {
                    if (--commandsWaiting == 0) {
                        notifyAll();
                    }
                }
            }
        }
        while (true) {
            synchronized (this) {
                while (commandsWaiting > 0) {
                    if (!waitOnMonitor(deadline, Long.MAX_VALUE)) {
                        return false;
                    }
                }
            }
            if (!waitForPause(deadline)) {
                return false;
            }
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
            if (probe.isConsumed()) {
                return true;
            }
            // Not reserved: a command arriving meanwhile takes the tokens first (it wakes this wait when it is done).
            synchronized (this) {
                if (!waitOnMonitor(deadline, probe.getNanosToWaitForRefill())) {
                    return false;
                }
            }
        }
    }

    /**
     * Waits on this monitor up to {@code nanos} (woken early when the last waiting command call is done).
     *
     * @return false, without waiting, when {@code deadline} has passed or comes before {@code nanos} are over
     */
    private boolean waitOnMonitor(Instant deadline, long nanos) throws InterruptedException {
        long left = Duration.between(clock.instant(), deadline).toNanos();
        if (left <= 0 || (nanos != Long.MAX_VALUE && nanos > left)) {
            return false;
        }
        wait(Math.max(1, Math.min(left, nanos) / 1_000_000));
        return true;
    }

    /** Command calls waiting for this store's budget now (routine calls let them go first). */
    public synchronized int commandsWaiting() {
        return commandsWaiting;
    }

    /** Waits past a Retry-After pause; false when it lasts beyond {@code deadline}. */
    private boolean waitForPause(Instant deadline) throws InterruptedException {
        Instant resume = pausedUntil;
        while (clock.instant().isBefore(resume)) {
            if (resume.isAfter(deadline)) {
                return false;
            }
            Thread.sleep(Math.max(1, Duration.between(clock.instant(), resume).toMillis()));
            resume = pausedUntil;
        }
        return true;
    }

    /** Takes the call's tokens, waiting in the bucket (reserving them) until {@code deadline} at most. */
    private boolean take(Instant deadline, long tokens) throws InterruptedException {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() || left.isZero()
                ? bucket.tryConsume(tokens)
                : bucket.asBlocking().tryConsume(tokens, left);
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

    /** The platform refused for rate limiting: the budget is spent, and nothing is called until {@code retryAfter}. */
    public void rateLimited(Duration retryAfter) {
        pause(retryAfter);
        long available = bucket.getAvailableTokens();
        if (available > 0) {
            bucket.consumeIgnoringRateLimits(available);
        }
    }

    /**
     * The platform refused one operation whose own limit is not this budget (e.g. Amazon's per-operation buckets): no
     * call until {@code retryAfter}, but the budget's tokens stay.
     */
    public void pause(Duration retryAfter) {
        Instant until = clock.instant().plus(retryAfter);
        synchronized (this) {
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
        }
    }

    /** When calls may resume after a Retry-After (in the past when not paused). */
    public Instant pausedUntil() {
        return pausedUntil;
    }
}
