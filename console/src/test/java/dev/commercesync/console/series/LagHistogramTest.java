package dev.commercesync.console.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LagHistogramTest {
    @Test
    void binsAreFourToADoubling() {
        assertEquals(0, LagHistogram.bin(0));
        assertEquals(1, LagHistogram.bin(1));
        assertEquals(5, LagHistogram.bin(2));
        assertEquals(9, LagHistogram.bin(4));
        assertEquals(LagHistogram.BINS - 1, LagHistogram.bin(Long.MAX_VALUE));
        for (long v = 1; v < 10_000_000; v = v * 3 + 1) {
            int k = LagHistogram.bin(v);
            assertTrue(LagHistogram.lowerBound(k) <= v && v < LagHistogram.lowerBound(k + 1), "bin of " + v);
        }
    }

    @Test
    void equalLagsGiveTheirExactMedian() {
        LagHistogram h = new LagHistogram();
        h.add(1234);
        h.add(1234);
        assertEquals(1234, h.p50());
        assertEquals(1234, h.max());
        assertEquals(2, h.count());
    }

    @Test
    void theMedianIsWithinNinePercentAndTheMaximumExact() {
        Random random = new Random(18);
        for (int run = 0; run < 50; run++) {
            LagHistogram h = new LagHistogram();
            long[] lags = new long[1 + random.nextInt(500)];
            for (int i = 0; i < lags.length; i++) {
                lags[i] = (long) Math.exp(random.nextDouble() * 18); // 1 ms to ~2 days
                h.add(lags[i]);
            }
            Arrays.sort(lags);
            long median = lags[(lags.length + 1) / 2 - 1];
            assertTrue(Math.abs(h.p50() - median) <= Math.max(1, median * 0.091), h.p50() + " vs median " + median);
            assertEquals(lags[lags.length - 1], h.max());
        }
    }

    @Test
    void aNegativeLagCountsAsZero() {
        LagHistogram h = new LagHistogram();
        h.add(-5_000);
        assertEquals(0, h.p50());
        assertEquals(0, h.max());
    }
}
