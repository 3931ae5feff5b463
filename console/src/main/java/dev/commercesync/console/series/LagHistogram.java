package dev.commercesync.console.series;

/**
 * The lags of one bucket's applied changes, in milliseconds: counts in logarithmic bins four to a doubling, and the
 * exact maximum. The median is reported as its bin's geometric middle, clamped to the bucket's exact minimum and
 * maximum, so it is within 2^(1/8) − 1 ≈ 9 % of the true lower median (exact when the bucket's lags are equal).
 *
 * <p>Why not HdrHistogram (on the classpath through Micrometer): at its coarsest precision (one significant digit) one
 * histogram over the same range holds 512 counters; this one holds 128 ints (about 0.5 KiB), and the console keeps one
 * per bucket of every store ({@link StoreSeries} states the bound).
 */
final class LagHistogram {
    /** Bin 0 holds [0, 1) ms; bin k ≥ 1 holds [2^((k−1)/4), 2^(k/4)) ms; the last one everything above ~2^31.75 ms. */
    static final int BINS = 128;

    private static final double BINS_PER_DOUBLING = 4;

    private final int[] counts = new int[BINS];
    private long total;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Adds one lag; a negative lag (the source's clock ahead of ours) counts as 0. */
    void add(long lagMillis) {
        long lag = Math.max(0, lagMillis);
        counts[bin(lag)]++;
        total++;
        min = Math.min(min, lag);
        max = Math.max(max, lag);
    }

    long count() {
        return total;
    }

    /** The exact largest lag; only meaningful when {@link #count()} > 0. */
    long max() {
        return max;
    }

    /** The lower median (the ⌈n/2⌉-th smallest lag), to within one bin; only meaningful when count() > 0. */
    long p50() {
        long rank = (total + 1) / 2;
        long seen = 0;
        for (int k = 0; k < BINS; k++) {
            seen += counts[k];
            if (seen >= rank) {
                long middle = k == 0 ? 0 : Math.round(Math.pow(2, (k - 0.5) / BINS_PER_DOUBLING));
                return Math.min(Math.max(middle, min), max);
            }
        }
        throw new IllegalStateException("empty histogram");
    }

    static int bin(long lagMillis) {
        if (lagMillis < 1) {
            return 0;
        }
        // 4·log2(lag) + 1, floored; the small epsilon keeps exact powers of two in the bin they start.
        int k = (int) Math.floor(BINS_PER_DOUBLING * Math.log(lagMillis) / Math.log(2) + 1e-9) + 1;
        return Math.min(k, BINS - 1);
    }

    /** The smallest lag of bin {@code k} ≥ 1 (for the tests). */
    static double lowerBound(int k) {
        return Math.pow(2, (k - 1) / BINS_PER_DOUBLING);
    }
}
