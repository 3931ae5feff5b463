package dev.commercesync.normalizer;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The normalizer's counters (Prometheus names {@code normalizer_*_total}). They count processing attempts: a
 * transaction aborted by a crash is counted again when its records are reprocessed, while the topics hold each
 * output exactly once.
 */
public final class NormalizerMetrics {
    private final Counter consumed;
    private final Counter duplicates;
    private final Counter fetchRequests;
    private final Counter echoes;
    private final Map<EntityType, Counter> produced = new EnumMap<>(EntityType.class);
    private final Map<QuarantineErrorClass, Counter> quarantined = new EnumMap<>(QuarantineErrorClass.class);
    private final MeterRegistry registry;

    public NormalizerMetrics(MeterRegistry registry) {
        this.registry = registry;
        consumed = Counter.builder("normalizer.records.consumed")
                .description("Raw records read from the raw topic")
                .register(registry);
        duplicates = Counter.builder("normalizer.duplicates.dropped")
                .description("Raw records whose dedup key was already processed (platform retries, re-sent payloads)")
                .register(registry);
        fetchRequests = Counter.builder("normalizer.fetch.requests")
                .description("Fetch requests written for thin or partial payloads")
                .register(registry);
        echoes = Counter.builder("normalizer.echoes.recognised")
                .description("Canonical events recognised as the echo of a command (metadata.command_id set)")
                .register(registry);
        for (EntityType type : EntityType.values()) {
            produced.put(
                    type,
                    Counter.builder("normalizer.events.produced")
                            .description("Canonical events written, per entity type")
                            .tag("entity_type", type.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        for (QuarantineErrorClass errorClass : QuarantineErrorClass.values()) {
            quarantined.put(
                    errorClass,
                    Counter.builder("normalizer.quarantined")
                            .description("Raw records sent to the quarantine topic, per error class")
                            .tag("error_class", errorClass.name())
                            .register(registry));
        }
    }

    void consumed() {
        consumed.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void echo() {
        echoes.increment();
    }

    void fetchRequest() {
        fetchRequests.increment();
    }

    void produced(EntityType type) {
        produced.get(type).increment();
    }

    void quarantined(QuarantineErrorClass errorClass) {
        quarantined.get(errorClass).increment();
    }

    /** @param cause {@code registry} (the schema registry unavailable) or {@code other} */
    void streamThreadReplaced(String cause) {
        Counter.builder("normalizer.stream.thread.replacements")
                .description("Failed stream threads replaced; their records are processed again, exactly once")
                .tag("cause", cause)
                .register(registry)
                .increment();
    }
}
