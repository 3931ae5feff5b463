package dev.commercesync.simulator.webhooks;

import dev.commercesync.platforms.spi.WebhookSecret;
import java.net.URI;
import java.time.Instant;

/**
 * A webhook subscription of a simulated store.
 *
 * @param secret the subscription's own signing secret (WooCommerce), or null when the store signs with the app's
 */
public record Subscription(
        String id, String topic, URI address, WebhookSecret secret, boolean active, Instant createdAt) {

    Subscription deactivated() {
        return new Subscription(id, topic, address, secret, false, createdAt);
    }
}
