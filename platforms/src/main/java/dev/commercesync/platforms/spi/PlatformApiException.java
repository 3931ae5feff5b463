package dev.commercesync.platforms.spi;

/** A failed platform API call. Messages name the request and status, never credentials or response bodies. */
public class PlatformApiException extends Exception {

    /** How the caller should react. */
    public enum Kind {
        /** Rate limited: wait ({@link RateLimitedException}). */
        RATE_LIMITED,
        /** Credentials rejected or insufficient (401/403): stop and alert, retrying will not help. */
        AUTH,
        /** The request was wrong (4xx other than 401/403/404/429): a bug or configuration error. */
        CLIENT,
        /** The platform failed (5xx) or the response was unreadable: retry with backoff. */
        SERVER,
        /** Network failure or timeout: retry with backoff. */
        TRANSPORT
    }

    private final Kind kind;
    private final int httpStatus;

    public PlatformApiException(Kind kind, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public PlatformApiException(Kind kind, int httpStatus, String message) {
        this(kind, httpStatus, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when there was no response. */
    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return kind == Kind.RATE_LIMITED || kind == Kind.SERVER || kind == Kind.TRANSPORT;
    }
}
