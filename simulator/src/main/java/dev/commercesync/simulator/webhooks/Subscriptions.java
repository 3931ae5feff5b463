package dev.commercesync.simulator.webhooks;

import dev.commercesync.platforms.spi.WebhookSecret;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store's webhook subscriptions, created and deleted through its API (or by a fault). Thread-safe. */
public final class Subscriptions {
    private final Map<String, Subscription> byId = new LinkedHashMap<>();
    private final Map<String, Integer> consecutiveFailures = new HashMap<>();
    private long nextId;

    /** @param firstId the first subscription id (platform id style) */
    public Subscriptions(long firstId) {
        this.nextId = firstId;
    }

    public synchronized Subscription create(String topic, URI address, WebhookSecret secret, Instant at) {
        Subscription subscription = new Subscription(Long.toString(nextId++), topic, address, secret, true, at);
        byId.put(subscription.id(), subscription);
        return subscription;
    }

    public synchronized List<Subscription> all() {
        return new ArrayList<>(byId.values());
    }

    public synchronized Optional<Subscription> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized Optional<Subscription> delete(String id) {
        consecutiveFailures.remove(id);
        return Optional.ofNullable(byId.remove(id));
    }

    /** Active subscriptions to a topic. */
    public synchronized List<Subscription> activeFor(String topic) {
        return byId.values().stream()
                .filter(s -> s.active() && s.topic().equals(topic))
                .toList();
    }

    /** Counts a failed delivery; deactivates the subscription after {@code disableAfter} in a row (0: never). */
    synchronized void failed(Subscription subscription, int disableAfter) {
        int failures = consecutiveFailures.merge(subscription.id(), 1, Integer::sum);
        if (disableAfter > 0 && failures >= disableAfter && byId.containsKey(subscription.id())) {
            byId.put(subscription.id(), byId.get(subscription.id()).deactivated());
        }
    }

    synchronized void succeeded(Subscription subscription) {
        consecutiveFailures.remove(subscription.id());
    }
}
