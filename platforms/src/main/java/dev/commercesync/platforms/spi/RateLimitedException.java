package dev.commercesync.platforms.spi;

import java.time.Duration;
import java.util.Optional;

/** The platform refused a request for rate limiting (HTTP 429, or a throttled GraphQL answer). */
public class RateLimitedException extends PlatformApiException {
    private final Duration retryAfter;
    private final Optional<QuotaStatus> quota;
    private final boolean storeBudgetSpent;

    /** A refusal that spent the store's budget ({@link #storeBudgetSpent()}). */
    public RateLimitedException(int httpStatus, String message, Duration retryAfter, Optional<QuotaStatus> quota) {
        this(httpStatus, message, retryAfter, quota, true);
    }

    /**
     * @param storeBudgetSpent whether the refusal says the store's budget ({@link RateLimitProfile}) is spent, or
     *     only the called operation's own limit
     */
    public RateLimitedException(
            int httpStatus,
            String message,
            Duration retryAfter,
            Optional<QuotaStatus> quota,
            boolean storeBudgetSpent) {
        super(Kind.RATE_LIMITED, httpStatus, message);
        this.retryAfter = retryAfter;
        this.quota = quota;
        this.storeBudgetSpent = storeBudgetSpent;
    }

    /** How long to wait: the platform's Retry-After, or computed from its quota, or the profile's default. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Optional<QuotaStatus> quota() {
        return quota;
    }

    /**
     * Whether the budget the adapter's {@link RateLimitProfile} describes is spent (the usual case: one budget per
     * store). False when the platform limits each operation apart and refused one whose limit is not that budget
     * (Amazon SP-API: a {@code patchListingsItem} 429 says nothing of the {@code searchOrders} bucket): the caller waits
     * {@link #retryAfter()} but keeps what it holds of the store's budget.
     */
    public boolean storeBudgetSpent() {
        return storeBudgetSpent;
    }
}
