package dev.commercesync.syncwriter;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.syncwriter.errors.ErrorClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;

/**
 * What the writer did: events applied per entity type, no-ops (stale or duplicate), dead letters per error class, batch
 * latency, and applied records the outbox relay produced. Tags are low-cardinality (no store: that is in the target).
 */
@ApplicationScoped
public class SyncWriterMetrics {
    private final MeterRegistry registry;
    private final Timer batchLatency;
    private final Counter relayed;

    public SyncWriterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchLatency = Timer.builder("commercesync.syncwriter.batch.latency")
                .description("Time to decode, apply and commit one consumed batch, dead letters included")
                .publishPercentileHistogram()
                .register(registry);
        this.relayed = Counter.builder("commercesync.syncwriter.outbox.relayed")
                .description("Applied records the outbox relay produced to commerce.applied.v1")
                .register(registry);
    }

    public void applied(EntityType type) {
        Counter.builder("commercesync.syncwriter.applied")
                .tag("entity_type", tag(type))
                .register(registry)
                .increment();
    }

    /** @param reason stale or duplicate */
    public void noop(EntityType type, String reason) {
        Counter.builder("commercesync.syncwriter.noop")
                .tags("entity_type", tag(type), "reason", reason)
                .register(registry)
                .increment();
    }

    public void deadLettered(ErrorClass errorClass) {
        Counter.builder("commercesync.syncwriter.dead_lettered")
                .tag("error_class", errorClass.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** A privacy request carried out (or recorded, for a data request); kind as in PrivacyRequestKind. */
    public void privacyRequest(String kind) {
        Counter.builder("commercesync.syncwriter.privacy.requests")
                .tag("kind", kind.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** An attempt at a privacy request failed; it waits and is tried again (docs/privacy.md). */
    public void privacyRequestWaited(ErrorClass errorClass) {
        Counter.builder("commercesync.syncwriter.privacy.waits")
                .tag("error_class", errorClass.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    public void batch(Duration latency) {
        batchLatency.record(latency);
    }

    public void relayed(int records) {
        relayed.increment(records);
    }

    private static String tag(EntityType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
