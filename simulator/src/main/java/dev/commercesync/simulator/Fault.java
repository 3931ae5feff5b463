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
    SUBSCRIPTION_DELETED
}
