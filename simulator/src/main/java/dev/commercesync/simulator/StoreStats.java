package dev.commercesync.simulator;

import dev.commercesync.simulator.model.ChangeKind;
import java.util.Map;

/**
 * What a simulated store did, for a verdict to compare with what arrived.
 *
 * @param changes generated changes by kind
 * @param webhookEvents webhook events by topic, before faults (one per event and subscription)
 * @param webhooksDelivered deliveries the receiver answered 2xx, by topic (duplicates count twice)
 * @param faults injected faults by kind
 * @param deliveryAttempts HTTP attempts, retries included
 * @param deliveryFailures attempts answered non-2xx or failed in transport
 * @param undeliverable events that exhausted their retries
 * @param unsubscribed events of a topic nobody was subscribed to (not sent)
 * @param apiRequests API requests received
 * @param apiRateLimited API requests refused because the budget was spent (injected ones are under faults)
 * @param pendingDeliveries deliveries scheduled but not finished now
 * @param writesReceived write requests received (authorized)
 * @param writesApplied write requests that changed the state (a replayed or unchanged write did not)
 * @param writesRefusedByFault write requests refused by an injected fault before the store looked at them (not
 *     applied): {@link Fault#WRITE_RATE_LIMITED}, {@link Fault#API_RATE_LIMITED} or a 429 storm, {@link
 *     Fault#API_SERVER_ERROR}
 * @param writesAppliedTwice write keys (idempotency key, else request) that changed the state more than once
 */
public record StoreStats(
        String platform,
        String storeId,
        Map<ChangeKind, Long> changes,
        Map<String, Long> webhookEvents,
        Map<String, Long> webhooksDelivered,
        Map<Fault, Long> faults,
        long deliveryAttempts,
        long deliveryFailures,
        long undeliverable,
        long unsubscribed,
        long apiRequests,
        long apiRateLimited,
        long pendingDeliveries,
        long writesReceived,
        long writesApplied,
        long writesRefusedByFault,
        long writesAppliedTwice) {

    public long totalChanges() {
        return changes.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalWebhookEvents() {
        return webhookEvents.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalDelivered() {
        return webhooksDelivered.values().stream().mapToLong(Long::longValue).sum();
    }

    public long fault(Fault fault) {
        return faults.getOrDefault(fault, 0L);
    }
}
