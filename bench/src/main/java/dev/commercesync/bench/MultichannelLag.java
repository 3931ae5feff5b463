package dev.commercesync.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the channels' levels trail the pool, from samples of both. For each channel×SKU whose store shows something
 * other than what the channel's rule lists of the pool's available, its lag is the time since the later of: the last
 * sample at which the pool listed the level the store shows (how old the pool value it shows is: a channel behind the
 * pool, its write not applied yet), and the first sample of the current difference (a store ahead of the pool: its own
 * sale or cancellation not in the pool yet). 0 when equal. A channel is within N seconds of the pool when its lag never
 * exceeded N. Resolution: the sample interval (a lag can be over by one). Not thread-safe; pure.
 */
final class MultichannelLag {
    /** One channel×SKU: when the current difference began (null: equal), and when the pool last listed each level. */
    private static final class Pair {
        Long differsSince;
        final Map<Long, Long> listedAt = new HashMap<>();
    }

    /** channel → SKU → its pair. */
    private final Map<String, Map<String, Pair>> pairs = new HashMap<>();

    private final Map<String, Long> maxPerChannel = new TreeMap<>();
    private long maxMs;
    private String worst = "";
    private long samples;

    /**
     * @param atMs the sample's time (ms)
     * @param listed channel → SKU → what the channel's rule lists of the pool's available now
     * @param shown channel → SKU → the store's level now
     */
    void sample(long atMs, Map<String, Map<String, Long>> listed, Map<String, Map<String, Integer>> shown) {
        samples++;
        shown.forEach((channel, levels) -> {
            Map<String, Long> wanted = listed.getOrDefault(channel, Map.of());
            Map<String, Pair> bySku = pairs.computeIfAbsent(channel, c -> new HashMap<>());
            maxPerChannel.putIfAbsent(channel, 0L);
            levels.forEach((sku, level) -> {
                Long pool = wanted.get(sku);
                if (pool == null) {
                    return;
                }
                Pair pair = bySku.computeIfAbsent(sku, s -> new Pair());
                pair.listedAt.put(pool, atMs);
                if (pool == level.longValue()) {
                    pair.differsSince = null;
                    return;
                }
                if (pair.differsSince == null) {
                    pair.differsSince = atMs;
                }
                long from = Math.max(pair.differsSince, pair.listedAt.getOrDefault(level.longValue(), Long.MIN_VALUE));
                long lag = atMs - from;
                maxPerChannel.merge(channel, lag, Math::max);
                if (lag > maxMs) {
                    maxMs = lag;
                    worst = channel + " " + sku;
                }
            });
        });
    }

    /** The longest lag seen, of any channel×SKU (ms). */
    long maxMs() {
        return maxMs;
    }

    /** Its channel and SKU ("" when none differed). */
    String worst() {
        return worst;
    }

    /** channel → the longest lag seen of its SKUs (ms). */
    Map<String, Long> maxPerChannel() {
        return Map.copyOf(maxPerChannel);
    }

    long samples() {
        return samples;
    }
}
