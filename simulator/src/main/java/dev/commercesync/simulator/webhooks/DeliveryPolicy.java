package dev.commercesync.simulator.webhooks;

import java.time.Duration;

/**
 * How a platform retries failed deliveries, compressed in time: the platforms retry over hours, the simulator over
 * seconds (the shape — attempts, backoff, disabling — is the platform's).
 *
 * @param maxAttempts attempts per delivery, the first included
 * @param firstBackoff wait before the first retry; doubled for each next one
 * @param disableAfterConsecutiveFailures deactivate the subscription after this many failed deliveries in a row (0:
 *     never)
 */
public record DeliveryPolicy(int maxAttempts, Duration firstBackoff, int disableAfterConsecutiveFailures) {

    public Duration backoff(int failedAttempts) {
        return firstBackoff.multipliedBy(1L << Math.min(10, failedAttempts - 1));
    }
}
