package dev.commercesync.simulator;

import dev.commercesync.simulator.model.ChangeKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The counters behind {@link StoreStats}. Thread-safe. */
public final class StatsRecorder {
    private final Map<ChangeKind, LongAdder> changes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final Map<Fault, LongAdder> faults = new ConcurrentHashMap<>();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder undeliverable = new LongAdder();
    private final LongAdder unsubscribed = new LongAdder();
    private final LongAdder apiRequests = new LongAdder();
    private final LongAdder apiRateLimited = new LongAdder();
    private final LongAdder writesReceived = new LongAdder();
    private final LongAdder writesApplied = new LongAdder();
    private final LongAdder writesRefusedByFault = new LongAdder();
    private final Map<String, LongAdder> appliedPerKey = new ConcurrentHashMap<>();

    public void change(ChangeKind kind) {
        changes.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void event(String topic) {
        events.computeIfAbsent(topic, k -> new LongAdder()).increment();
    }

    public void delivered(String topic) {
        delivered.computeIfAbsent(topic, k -> new LongAdder()).increment();
    }

    public void fault(Fault fault) {
        faults.computeIfAbsent(fault, k -> new LongAdder()).increment();
    }

    public void attempt() {
        attempts.increment();
    }

    public void failure() {
        failures.increment();
    }

    public void undeliverable() {
        undeliverable.increment();
    }

    public void unsubscribed() {
        unsubscribed.increment();
    }

    public void apiRequest() {
        apiRequests.increment();
    }

    public void apiRateLimited() {
        apiRateLimited.increment();
    }

    public void writeReceived() {
        writesReceived.increment();
    }

    public void writeRefusedByFault() {
        writesRefusedByFault.increment();
    }

    /** A write request changed the state; {@code key} names it (its idempotency key, else its method, path and body). */
    public void writeApplied(String key) {
        writesApplied.increment();
        appliedPerKey.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** How many times the write of each key changed the state. */
    Map<String, Long> appliedPerKey() {
        return sums(appliedPerKey);
    }

    StoreStats snapshot(String platform, String storeId, LongSupplier pending) {
        Map<ChangeKind, Long> changeCounts = new EnumMap<>(ChangeKind.class);
        changes.forEach((k, v) -> changeCounts.put(k, v.sum()));
        Map<Fault, Long> faultCounts = new EnumMap<>(Fault.class);
        faults.forEach((k, v) -> faultCounts.put(k, v.sum()));
        return new StoreStats(
                platform,
                storeId,
                changeCounts,
                sums(events),
                sums(delivered),
                faultCounts,
                attempts.sum(),
                failures.sum(),
                undeliverable.sum(),
                unsubscribed.sum(),
                apiRequests.sum(),
                apiRateLimited.sum(),
                pending.getAsLong(),
                writesReceived.sum(),
                writesApplied.sum(),
                writesRefusedByFault.sum(),
                appliedPerKey.values().stream().filter(v -> v.sum() > 1).count());
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> result = new TreeMap<>();
        adders.forEach((k, v) -> result.put(k, v.sum()));
        return result;
    }
}
