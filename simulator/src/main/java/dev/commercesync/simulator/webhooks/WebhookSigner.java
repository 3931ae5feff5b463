package dev.commercesync.simulator.webhooks;

import java.time.Instant;
import java.util.Map;

/** A platform's delivery headers for one attempt: its signature, topic, store and id headers. */
@FunctionalInterface
public interface WebhookSigner {

    /**
     * @param deliveryId unique per delivery (a duplicate is another delivery of the same event)
     * @param sentAt when this attempt is sent (Standard Webhooks signs it)
     */
    Map<String, String> headers(Subscription subscription, WebhookMessage message, String deliveryId, Instant sentAt);
}
