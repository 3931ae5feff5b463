package dev.commercesync.platforms.spi;

import java.net.URI;

/**
 * A webhook subscription as the platform reports it.
 *
 * @param active false when the platform has disabled it (WooCommerce status "disabled" after failures)
 */
public record WebhookSubscription(String id, String topic, URI address, boolean active) {}
