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
        long pendingDeliveries) {

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
