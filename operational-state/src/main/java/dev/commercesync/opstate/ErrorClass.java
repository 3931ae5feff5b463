package dev.commercesync.opstate;

import java.util.Locale;

/**
 * The error classes of the whole project (transient, quota, auth, validation, conflict): what the status endpoints
 * show and what {@link OperationalStates} records. Which platform failure is which is decided where the platform's
 * errors are seen (the poller's {@code PlatformErrors}, from the SPI's {@code PlatformApiException.Kind}).
 */
public enum ErrorClass {
    /** 5xx, network failure, timeout, Kafka not acknowledging: retried with backoff, then by the next run. */
    TRANSIENT,
    /** Rate limited (429, throttled): the limiter waits as the platform asked, then retries. */
    QUOTA,
    /** Credentials rejected (401/403): the store waits for a person; never retried until its credentials change. */
    AUTH,
    /** The request or the store's configuration is wrong (other 4xx, unsupported resource, bad credentials format). */
    VALIDATION,
    /** The platform refused a change as conflicting (409). */
    CONFLICT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a person must act before this clears. */
    public boolean needsPerson() {
        return this == AUTH || this == VALIDATION;
    }

    /** The class of a {@link #label()} (any case); empty for anything else. */
    public static java.util.Optional<ErrorClass> ofLabel(String label) {
        for (ErrorClass c : values()) {
            if (c.name().equalsIgnoreCase(label)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
