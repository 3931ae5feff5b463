package dev.commercesync.simulator.queue;

/**
 * Where a simulated store sends the notifications its platform delivers to a message queue rather than as HTTPS
 * webhooks (Amazon SP-API: an Amazon SQS queue), one message body each.
 */
@FunctionalInterface
public interface NotificationQueue {

    /** Sends one notification; a failure is the queue's to report, the store's change stands. */
    void send(String body);
}
