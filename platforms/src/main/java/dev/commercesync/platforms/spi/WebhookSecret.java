package dev.commercesync.platforms.spi;

import java.nio.charset.StandardCharsets;

/**
 * A secret a platform signs webhooks with (Shopify app client secret, WooCommerce webhook secret, ...). Its
 * {@link #toString()} never shows the value, so it cannot leak into logs.
 */
public final class WebhookSecret {
    private final byte[] value;

    private WebhookSecret(byte[] value) {
        if (value.length == 0) {
            throw new IllegalArgumentException("a webhook secret must not be empty");
        }
        this.value = value.clone();
    }

    /** The secret as the platform shows it (its UTF-8 bytes are the HMAC key). */
    public static WebhookSecret of(String value) {
        return new WebhookSecret(value.getBytes(StandardCharsets.UTF_8));
    }

    public static WebhookSecret ofBytes(byte[] value) {
        return new WebhookSecret(value);
    }

    public byte[] bytes() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "WebhookSecret[***]";
    }
}
