package dev.commercesync.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Webhook counters. Per store only once the delivery's signature verified (accepted, Kafka produce latency): the store
 * of an unverified delivery is whatever the sender wrote, so received and rejected are per platform and reason only,
 * and no made-up store name ever becomes a metric series.
 */
@ApplicationScoped
public class IngestMetrics {
    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param platform an installed platform's name (never the caller's path segment for an unknown one) */
    public void received(String platform) {
        Counter.builder("commercesync.webhooks.received")
                .tags("platform", platform)
                .register(registry)
                .increment();
    }

    /** @param store a verified delivery's store: registered, so the label set is bounded by the registry */
    public void accepted(String platform, String store, Duration produceLatency) {
        Counter.builder("commercesync.webhooks.accepted")
                .tags("platform", platform, "store", store)
                .register(registry)
                .increment();
        Timer.builder("commercesync.webhooks.produce.latency")
                .description("Time from produce to Kafka acknowledgement (acks=all)")
                .tags("platform", platform, "store", store)
                .publishPercentileHistogram()
                .register(registry)
                .record(produceLatency);
    }

    /** @param reason a fixed, low-cardinality word: signature_mismatch, unknown_store, kafka_unavailable, ... */
    public void rejected(String platform, String reason) {
        Counter.builder("commercesync.webhooks.rejected")
                .tags("platform", platform, "reason", reason)
                .register(registry)
                .increment();
    }
}
