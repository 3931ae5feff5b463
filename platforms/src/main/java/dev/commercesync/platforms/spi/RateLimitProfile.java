package dev.commercesync.platforms.spi;

import java.time.Duration;

/**
 * The platform's documented API budget per store, for the poller's limiter. How the remaining quota and Retry-After
 * are read from a response is the API client's job: they arrive as {@link QuotaStatus} and {@link
 * RateLimitedException#retryAfter()}.
 *
 * @param unit what the budget counts ({@code cost points}, {@code requests})
 * @param budget bucket size
 * @param refillPerSecond units restored per second
 * @param defaultRetryAfter wait after a rate-limited answer that names none
 * @param quotaHeaders names of the response headers (or body fields) the client reads the quota from, for docs
 */
public record RateLimitProfile(
        String unit, double budget, double refillPerSecond, Duration defaultRetryAfter, String quotaHeaders) {}
