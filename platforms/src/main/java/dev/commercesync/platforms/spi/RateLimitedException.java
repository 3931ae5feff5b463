package dev.commercesync.platforms.spi;

import java.time.Duration;
import java.util.Optional;

/** The platform refused a request for rate limiting (HTTP 429, or a throttled GraphQL answer). */
public class RateLimitedException extends PlatformApiException {
    private final Duration retryAfter;
    private final Optional<QuotaStatus> quota;

    public RateLimitedException(int httpStatus, String message, Duration retryAfter, Optional<QuotaStatus> quota) {
        super(Kind.RATE_LIMITED, httpStatus, message);
        this.retryAfter = retryAfter;
        this.quota = quota;
    }

    /** How long to wait: the platform's Retry-After, or computed from its quota, or the profile's default. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Optional<QuotaStatus> quota() {
        return quota;
    }
}
