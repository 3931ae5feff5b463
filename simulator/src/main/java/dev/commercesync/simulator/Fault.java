package dev.commercesync.simulator;

/** The faults a simulated store injects, each at its own rate (see {@link FaultProfile}). */
public enum Fault {
    /** A webhook is delivered twice (same event id). */
    DUPLICATE,
    /** A webhook is held back and delivered after the next one. */
    REORDER,
    /** A webhook is never delivered (the poller or reconciler must heal it). */
    DROP,
    /** A webhook is delivered late (up to the profile's maximum delay). */
    DELAY,
    /** An API request is answered as rate limited (429, or THROTTLED for Shopify GraphQL) regardless of budget. */
    API_RATE_LIMITED,
    /** An API request is answered 500 or 503. */
    API_SERVER_ERROR,
    /** The subscription a webhook would go to is deleted silently, without a delivery or notice. */
    SUBSCRIPTION_DELETED,
    /** A write is refused as rate limited (the platform's 429 or THROTTLED, with its Retry-After) and not applied. */
    WRITE_RATE_LIMITED,
    /** A write is applied (its webhooks go out), then answered 500 or 503. */
    WRITE_ERROR_AFTER_APPLY,
    /**
     * A write is applied (its webhooks go out), then its answer is held for the profile's {@code write-hold}: longer
     * than a client's timeout, which cuts it.
     */
    WRITE_TIMEOUT_AFTER_APPLY
}
