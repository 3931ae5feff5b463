package dev.commercesync.simulator.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * A store's API budget, on Bucket4j: a continuously refilled bucket (Shopify's leaky buckets, a host's limiter in
 * front of WooCommerce) or a quota reset per fixed window (BigCommerce). Thread-safe.
 */
public final class ApiBudget {
    private final Bucket bucket;
    private final long capacity;
    private final double refillPerSecond;
    private final Duration window;

    private ApiBudget(Bucket bucket, long capacity, double refillPerSecond, Duration window) {
        this.bucket = bucket;
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.window = window;
    }

    /** {@code capacity} units, refilled continuously at {@code refillPerSecond}. */
    public static ApiBudget refilling(long capacity, long refillPerSecond, TimeMeter time) {
        Bucket bucket = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(capacity)
                        .refillGreedy(refillPerSecond, Duration.ofSeconds(1))
                        .build())
                .withCustomTimePrecision(time)
                .build();
        return new ApiBudget(bucket, capacity, refillPerSecond, null);
    }

    /** {@code quota} units per fixed window, all restored when the window ends. */
    public static ApiBudget windowed(long quota, Duration window, TimeMeter time) {
        Bucket bucket = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(quota)
                        .refillIntervally(quota, window)
                        .build())
                .withCustomTimePrecision(time)
                .build();
        return new ApiBudget(bucket, quota, 0, window);
    }

    /**
     * The outcome of asking for units.
     *
     * @param remaining units left after this request (when refused: left now)
     * @param retryAfter when refused, how long until enough units are back; zero otherwise
     * @param resetIn how long until the bucket is full again (fixed window: until the window ends)
     */
    public record Outcome(boolean granted, long remaining, long capacity, Duration retryAfter, Duration resetIn) {}

    public Outcome consume(long units) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(units);
        return new Outcome(
                probe.isConsumed(),
                probe.getRemainingTokens(),
                capacity,
                Duration.ofNanos(probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill()),
                Duration.ofNanos(probe.getNanosToWaitForReset()));
    }

    /** Gives back units a request reserved but did not use (Shopify refunds requested minus actual query cost). */
    public void refund(long units) {
        if (units > 0) {
            bucket.addTokens(units);
        }
    }

    public long available() {
        return bucket.getAvailableTokens();
    }

    public long capacity() {
        return capacity;
    }

    /** Units restored per second; 0 for a fixed window. */
    public double refillPerSecond() {
        return refillPerSecond;
    }

    /** The fixed window's length, or null for a refilling bucket. */
    public Duration window() {
        return window;
    }
}
