package dev.commercesync.console.series;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Throughput and lag per store over the last hours, in memory: per store a ring of time buckets (received raw records,
 * applied changes, the lags of those changes). Fed by one thread ({@link SeriesConsumer}), read by the pages and the
 * API; every method holds the one lock briefly.
 *
 * <p><b>Memory bound</b>: at most {@code maxStores} rings of {@code window / bucket + 2} slots; a bucket is about 48
 * bytes, plus a {@link LagHistogram} (about 0.6 KiB) once a change was applied in it. With the defaults (6 h of 5 min:
 * 74 slots, 1,000 stores) that is at most ~45 MB when every bucket of every store has applied changes, ~3.5 MB when
 * only received counts exist. A new store beyond {@code maxStores} replaces the store whose latest record is the
 * oldest.
 */
public final class StoreSeries {
    private final Duration window;
    private final long bucketMillis;
    /** Buckets shown for the full window: the current one and the ones before it. */
    private final int buckets;

    private final int maxStores;
    private final Clock clock;
    private final Map<String, Ring> stores = new HashMap<>();

    /**
     * @param window how far back the series reach (a whole number of buckets)
     * @param bucket the width of a bucket
     * @param maxStores how many stores are kept
     * @throws IllegalArgumentException when the settings do not fit together
     */
    public StoreSeries(Duration window, Duration bucket, int maxStores, Clock clock) {
        if (bucket.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the bucket must be at least 1 s, not " + bucket);
        }
        if (window.compareTo(bucket) < 0 || window.toMillis() % bucket.toMillis() != 0) {
            throw new IllegalArgumentException(
                    "the window (" + window + ") must be a whole number of buckets (" + bucket + ")");
        }
        if (window.toMillis() / bucket.toMillis() > SeriesWindow.MAX_BUCKETS) {
            throw new IllegalArgumentException("the window (" + window + ") holds more than " + SeriesWindow.MAX_BUCKETS
                    + " buckets of " + bucket);
        }
        if (maxStores < 1) {
            throw new IllegalArgumentException("max stores must be at least 1, not " + maxStores);
        }
        this.window = window;
        this.bucketMillis = bucket.toMillis();
        this.buckets = (int) (window.toMillis() / bucketMillis);
        this.maxStores = maxStores;
        this.clock = clock;
    }

    public Duration window() {
        return window;
    }

    public Duration bucket() {
        return Duration.ofMillis(bucketMillis);
    }

    /** When the oldest bucket of the full window starts: where the consumer starts reading. */
    public Instant windowStart() {
        return Instant.ofEpochMilli((currentIndex() - buckets + 1) * bucketMillis);
    }

    /** A raw record of the store, at its record timestamp. */
    public synchronized void received(String storeKey, Instant at) {
        Bucket b = bucketFor(storeKey, at);
        if (b != null) {
            b.received++;
        }
    }

    /** A change applied to the store's target at {@code appliedAt}; {@code lag} null when it has none. */
    public synchronized void applied(String storeKey, Instant appliedAt, Duration lag) {
        Bucket b = bucketFor(storeKey, appliedAt);
        if (b != null) {
            b.applied++;
            if (lag != null) {
                if (b.lag == null) {
                    b.lag = new LagHistogram();
                }
                b.lag.add(lag.toMillis());
            }
        }
    }

    /**
     * The store's buckets over the last {@code shown} (a whole number of buckets, at most the window), oldest first,
     * the last one the current, still filling bucket. Zeros for a store with no record.
     */
    public synchronized List<SeriesBucket> series(String storeKey, Duration shown) {
        Ring ring = stores.get(storeKey);
        int n = (int) (shown.toMillis() / bucketMillis);
        long last = currentIndex();
        List<SeriesBucket> result = new ArrayList<>(n);
        for (long i = last - n + 1; i <= last; i++) {
            Bucket b = ring == null ? null : ring.at(i);
            Instant start = Instant.ofEpochMilli(i * bucketMillis);
            if (b == null) {
                result.add(new SeriesBucket(start, 0, 0, null, null));
            } else {
                boolean lagged = b.lag != null && b.lag.count() > 0;
                result.add(new SeriesBucket(
                        start, b.received, b.applied, lagged ? b.lag.p50() : null, lagged ? b.lag.max() : null));
            }
        }
        return result;
    }

    /** The stores that have a ring. */
    public synchronized List<String> stores() {
        return stores.keySet().stream().sorted().toList();
    }

    private Bucket bucketFor(String storeKey, Instant at) {
        long index = Math.floorDiv(at.toEpochMilli(), bucketMillis);
        long now = currentIndex();
        // Older than the window, or more than a bucket ahead of our clock (a skewed producer): not shown, not kept.
        if (index <= now - buckets || index > now + 1) {
            return null;
        }
        Ring ring = stores.get(storeKey);
        if (ring == null) {
            if (stores.size() >= maxStores) {
                evictOldest();
            }
            ring = new Ring(buckets + 2);
            stores.put(storeKey, ring);
        }
        ring.latest = Math.max(ring.latest, index);
        return ring.slot(index);
    }

    private void evictOldest() {
        Optional<String> oldest = stores.entrySet().stream()
                .min(Comparator.comparingLong(e -> e.getValue().latest))
                .map(Map.Entry::getKey);
        oldest.ifPresent(stores::remove);
    }

    private long currentIndex() {
        return Math.floorDiv(clock.millis(), bucketMillis);
    }

    /** One bucket of one store. */
    private static final class Bucket {
        final long index;
        long received;
        long applied;
        LagHistogram lag;

        Bucket(long index) {
            this.index = index;
        }
    }

    /**
     * A store's buckets by index modulo the ring's size; a slot holding an older index is reused. Two slots more than
     * the window: the next bucket (slight clock skew) never overwrites one still shown.
     */
    private static final class Ring {
        final Bucket[] slots;
        long latest = Long.MIN_VALUE;

        Ring(int size) {
            slots = new Bucket[size];
        }

        Bucket at(long index) {
            Bucket b = slots[(int) Math.floorMod(index, (long) slots.length)];
            return b != null && b.index == index ? b : null;
        }

        Bucket slot(long index) {
            int i = (int) Math.floorMod(index, (long) slots.length);
            if (slots[i] == null || slots[i].index != index) {
                slots[i] = new Bucket(index);
            }
            return slots[i];
        }
    }
}
