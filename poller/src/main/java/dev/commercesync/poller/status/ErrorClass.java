package dev.commercesync.poller.status;

import dev.commercesync.platforms.spi.PlatformApiException;
import java.util.Locale;

/** The error classes of the whole project (transient, quota, auth, validation, conflict), as the status shows them. */
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

    public static ErrorClass of(Throwable failure) {
        if (failure instanceof PlatformApiException api) {
            return switch (api.kind()) {
                case RATE_LIMITED -> QUOTA;
                case AUTH -> AUTH;
                case CLIENT -> api.httpStatus() == 409 ? CONFLICT : VALIDATION;
                case SERVER, TRANSPORT -> TRANSIENT;
            };
        }
        if (failure instanceof IllegalArgumentException) {
            return VALIDATION;
        }
        return TRANSIENT;
    }
}
