package dev.commercesync.inventory;

import dev.commercesync.inventory.pool.MerchantState.OversellKind;
import dev.commercesync.inventory.pool.PoolListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code commercesync_inventory_*} metrics: commands sent, results by status, oversells by kind, the largest channel
 * lag, propagation time, stream thread replacements.
 */
public final class InventoryMetrics implements PoolListener {
    private final MeterRegistry registry;
    private final Map<String, Long> behindSince = new ConcurrentHashMap<>();
    private final DistributionSummary propagation;

    public InventoryMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("commercesync.inventory.channel.lag.seconds", this, InventoryMetrics::maxLagSeconds)
                .description("Longest time a channel has shown another level than its pool wants (0: all in step)")
                .register(registry);
        propagation = DistributionSummary.builder("commercesync.inventory.propagation.seconds")
                .description("From a sale (platform time) to every other channel's confirmed level reflecting it")
                .baseUnit("seconds")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    public void commandSent(String channel) {
        Counter.builder("commercesync.inventory.commands.sent")
                .description("SetInventoryLevel commands sent")
                .register(registry)
                .increment();
    }

    @Override
    public void result(String status, String reason) {
        Counter.builder("commercesync.inventory.command.results")
                .description("Results of the pool's commands by status and reason")
                .tag("status", status)
                .tag("reason", reason == null ? "none" : reason)
                .register(registry)
                .increment();
    }

    @Override
    public void oversell(OversellKind kind) {
        Counter.builder("commercesync.inventory.oversells")
                .description("Sales beyond the pool's available, by kind")
                .tag("kind", kind.name())
                .register(registry)
                .increment();
    }

    @Override
    public void propagated(long millis) {
        propagation.record(millis / 1000.0);
    }

    @Override
    public void behind(String key, Long since) {
        if (since == null) {
            behindSince.remove(key);
        } else {
            behindSince.put(key, since);
        }
    }

    void streamThreadReplaced(String cause) {
        Counter.builder("commercesync.inventory.stream.thread.replacements")
                .description("Failed stream threads replaced; their records are processed again, exactly once")
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    private double maxLagSeconds() {
        long now = System.currentTimeMillis();
        return behindSince.values().stream()
                        .mapToLong(since -> now - since)
                        .max()
                        .orElse(0)
                / 1000.0;
    }
}
