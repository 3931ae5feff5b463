package dev.commercesync.platforms.spi;

/**
 * How a platform's notifications are read when the platform delivers them to a message queue the application reads
 * instead of to an HTTPS endpoint (Amazon SP-API: an Amazon SQS queue, never HTTPS). The queue itself is the
 * application's (one per deployment, not per store), so nothing here is a secret; the message body is the platform's
 * notification document verbatim.
 */
@FunctionalInterface
public interface QueuedNotifications {

    /**
     * What one queued notification says about itself, as {@link PlatformAdapter#describeDelivery} reads a webhook: the
     * store (never empty), the notification type as the event type, and the notification's own id (stable across
     * redeliveries) as delivery and platform event id.
     *
     * @param body the queue message's body, verbatim
     * @throws MappingException the body is not a notification of the platform's documented shape, or names no store
     */
    WebhookDelivery describe(byte[] body) throws MappingException;
}
