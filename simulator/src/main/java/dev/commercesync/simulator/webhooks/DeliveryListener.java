package dev.commercesync.simulator.webhooks;

import java.time.Instant;

/**
 * Told about every webhook delivery attempt when its answer (or failure) is in: for measurements such as the end-to-end
 * benchmark, which matches the time a store sent each event with the time its change reached the target. Called on the
 * delivery thread, so it must be quick and thread-safe.
 */
@FunctionalInterface
public interface DeliveryListener {

    void attempted(Attempt attempt);

    /**
     * One delivery attempt.
     *
     * @param attempt 1 for the first, then retries
     * @param status the HTTP status of the answer, 0 when there was none (connection failure, timeout)
     * @param sentAt wall-clock time the request started (the system clock, also when the store runs on another clock)
     * @param queuedNanos from the change that caused the event to this attempt's start (delays, retries and a busy
     *     dispatcher included)
     * @param responseNanos from the request's start to its answer
     */
    record Attempt(
            WebhookMessage message,
            String deliveryId,
            int attempt,
            int status,
            Instant sentAt,
            long queuedNanos,
            long responseNanos) {

        /** Whether the receiver accepted it (2xx). */
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }
}
