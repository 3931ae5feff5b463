package dev.commercesync.platforms.spi;

/**
 * The platform said a call used something deprecated (Shopify: {@code X-Shopify-API-Deprecated-Reason}).
 *
 * @param reason the platform's text, as sent (cut to 500 characters)
 * @param path the request's path, without its query (no ids beyond the path, no credentials)
 * @param seenAt when the answer arrived
 */
public record ApiDeprecation(String reason, String path, java.time.Instant seenAt) {
    public ApiDeprecation {
        reason = reason.length() > 500 ? reason.substring(0, 500) : reason;
    }
}
