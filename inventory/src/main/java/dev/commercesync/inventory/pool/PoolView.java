package dev.commercesync.inventory.pool;

import dev.commercesync.inventory.pool.PoolState.ChannelState;
import dev.commercesync.stores.MerchantRegistry.MerchantView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool as {@code GET /pools/{merchant}} shows it (JSON snake_case); {@code physical} and {@code available} are null
 * until the physical source's first level.
 */
public record PoolView(
        String sku,
        Long physical,
        long reserved,
        Long available,
        Instant baselineAt,
        long revision,
        List<ChannelView> channels) {

    /**
     * @param behindSince since when it shows another level than {@code wanted}; null: in step
     * @param inflight the write sent and not answered yet
     */
    public record ChannelView(
            String channel,
            boolean physicalSource,
            long reserved,
            String itemId,
            String locationId,
            Long wanted,
            Long lastKnown,
            Instant behindSince,
            Instant confirmedAt,
            InflightView inflight,
            long failures,
            String lastFailure) {}

    public record InflightView(String commandId, long quantity, Long expectedQuantity, Instant since) {}

    public static PoolView of(PoolState pool, MerchantView merchant) {
        String source = merchant == null || merchant.physical() == null
                ? null
                : merchant.physical().store().toString();
        List<ChannelView> channels = new ArrayList<>();
        pool.channels.forEach((name, c) -> channels.add(channel(pool, name, c, source)));
        return new PoolView(
                pool.sku,
                pool.baselined ? pool.physical(source) : null,
                pool.reservedTotal(),
                pool.baselined ? pool.available(source) : null,
                instant(pool.baselineAt),
                pool.revision,
                channels);
    }

    private static ChannelView channel(PoolState pool, String name, ChannelState c, String source) {
        return new ChannelView(
                name,
                name.equals(source),
                pool.reservedOn(name),
                c.itemId,
                c.locationId,
                c.wanted,
                c.lastKnown,
                instant(c.behindSince),
                instant(c.confirmedAt),
                c.inflight == null
                        ? null
                        : new InflightView(
                                c.inflight.commandId(),
                                c.inflight.quantity(),
                                c.inflight.expected(),
                                Instant.ofEpochMilli(c.inflight.since())),
                c.failures,
                c.lastFailure);
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** The propagation summary of a merchant ({@code GET /pools/{merchant}/propagation}). */
    public record Propagation(long count, Long p50Ms, Long p99Ms, long maxMs) {
        public static Propagation of(MerchantState m) {
            return of(m, 0);
        }

        /**
         * Over the propagations recorded after the first {@code since} (a {@code count} read earlier): what happened
         * in between, e.g. one step of a benchmark. Only the last {@link MerchantState#MAX_SAMPLES} are kept: when
         * more happened since, the summary is over those.
         */
        public static Propagation of(MerchantState m, long since) {
            long count = m == null ? 0 : Math.max(0, m.propagationCount - since);
            if (since == 0 && m != null && m.propagationMillis.isEmpty()) {
                return new Propagation(count, null, null, m.propagationMaxMillis);
            }
            List<Long> samples = m == null
                    ? List.of()
                    : m.propagationMillis.subList(
                            (int) Math.max(0, m.propagationMillis.size() - count), m.propagationMillis.size());
            if (samples.isEmpty()) {
                return new Propagation(count, null, null, 0);
            }
            List<Long> sorted = new ArrayList<>(samples);
            sorted.sort(null);
            return new Propagation(
                    count,
                    percentile(sorted, 0.50),
                    percentile(sorted, 0.99),
                    since == 0 ? m.propagationMaxMillis : sorted.get(sorted.size() - 1));
        }

        private static long percentile(List<Long> sorted, double p) {
            int index = (int) Math.ceil(p * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
        }
    }
}
