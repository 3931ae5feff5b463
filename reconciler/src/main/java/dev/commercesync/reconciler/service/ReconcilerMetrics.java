package dev.commercesync.reconciler.service;

import dev.commercesync.reconciler.core.StoreRef;
import dev.commercesync.schemas.canonical.EntityType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per store and entity type: {@code reconciler_drift} (findings of the last pass), {@code reconciler_repairs_total}
 * (fetch requests by reason), {@code reconciler_repairs_verified_total}, {@code reconciler_last_clean_pass_seconds}
 * (epoch seconds of the last pass without findings) and {@code reconciler_api_calls_total} (platform requests spent).
 */
@ApplicationScoped
public class ReconcilerMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    public ReconcilerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private static Tags tags(StoreRef store, EntityType type) {
        return Tags.of("platform", store.platform(), "store", store.store(), "entity_type", type.name());
    }

    private AtomicLong gauge(String name, StoreRef store, EntityType type) {
        return gauges.computeIfAbsent(name + "|" + store.key() + "|" + type, k -> {
            AtomicLong value = new AtomicLong();
            registry.gauge(name, tags(store, type), value);
            return value;
        });
    }

    void passCompleted(StoreRef store, EntityType type, int findings, int apiCalls, int verified, Instant at) {
        gauge("reconciler.drift", store, type).set(findings);
        registry.counter("reconciler.api.calls", tags(store, type)).increment(apiCalls);
        registry.counter("reconciler.repairs.verified", tags(store, type)).increment(verified);
        if (findings == 0) {
            gauge("reconciler.last.clean.pass.seconds", store, type).set(at.getEpochSecond());
        }
    }

    void repairRequested(StoreRef store, EntityType type, String reason, int entities) {
        registry.counter("reconciler.repairs", tags(store, type).and("reason", reason))
                .increment(entities);
    }
}
