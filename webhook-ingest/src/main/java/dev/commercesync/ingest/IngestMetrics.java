package dev.commercesync.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Per platform and store: webhooks received, accepted, rejected by reason, and Kafka produce latency. */
@ApplicationScoped
public class IngestMetrics {
    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void received(String platform, String store) {
        counter("commercesync.webhooks.received", platform, store).increment();
    }

    public void accepted(String platform, String store, Duration produceLatency) {
        counter("commercesync.webhooks.accepted", platform, store).increment();
        Timer.builder("commercesync.webhooks.produce.latency")
                .description("Time from produce to Kafka acknowledgement (acks=all)")
                .tags("platform", platform, "store", store)
                .publishPercentileHistogram()
                .register(registry)
                .record(produceLatency);
    }

    /** @param reason a fixed, low-cardinality word: signature_mismatch, unknown_store, kafka_unavailable, ... */
    public void rejected(String platform, String store, String reason) {
        Counter.builder("commercesync.webhooks.rejected")
                .tags("platform", platform, "store", store, "reason", reason)
                .register(registry)
                .increment();
    }

    private Counter counter(String name, String platform, String store) {
        return Counter.builder(name).tags("platform", platform, "store", store).register(registry);
    }
}
