package dev.commercesync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MultichannelLagTest {

    private static Map<String, Map<String, Long>> pool(long a, long b) {
        return Map.of("x", Map.of("S1", a, "S2", b), "y", Map.of("S1", a, "S2", b));
    }

    @Test
    void equalChannelsHaveNoLag() {
        MultichannelLag lag = new MultichannelLag();
        lag.sample(0, pool(5, 7), Map.of("x", Map.of("S1", 5, "S2", 7), "y", Map.of("S1", 5, "S2", 7)));
        lag.sample(250, pool(5, 7), Map.of("x", Map.of("S1", 5, "S2", 7), "y", Map.of("S1", 5, "S2", 7)));
        assertEquals(0, lag.maxMs());
        assertEquals("", lag.worst());
        assertEquals(Map.of("x", 0L, "y", 0L), lag.maxPerChannel());
        assertEquals(2, lag.samples());
    }

    @Test
    void aDifferenceCountsFromTheFirstSampleThatSawItUntilItEnds() {
        MultichannelLag lag = new MultichannelLag();
        // A sale on x: the pool and y still show 5 (x ahead), then the pool moves, then y follows.
        lag.sample(0, pool(5, 7), Map.of("x", Map.of("S1", 4, "S2", 7), "y", Map.of("S1", 5, "S2", 7)));
        lag.sample(1000, pool(4, 7), Map.of("x", Map.of("S1", 4, "S2", 7), "y", Map.of("S1", 5, "S2", 7)));
        lag.sample(3000, pool(4, 7), Map.of("x", Map.of("S1", 4, "S2", 7), "y", Map.of("S1", 5, "S2", 7)));
        lag.sample(3500, pool(4, 7), Map.of("x", Map.of("S1", 4, "S2", 7), "y", Map.of("S1", 4, "S2", 7)));
        assertEquals(2000, lag.maxMs(), "y showed 5, which the pool last listed at 1 s, until 3 s");
        assertEquals("y S1", lag.worst());
        assertEquals(Map.of("x", 0L, "y", 2000L), lag.maxPerChannel());
    }

    @Test
    void aNewDifferenceStartsAfresh() {
        MultichannelLag lag = new MultichannelLag();
        lag.sample(0, pool(5, 7), Map.of("x", Map.of("S1", 4, "S2", 7)));
        lag.sample(500, pool(5, 7), Map.of("x", Map.of("S1", 4, "S2", 7)));
        lag.sample(600, pool(4, 7), Map.of("x", Map.of("S1", 4, "S2", 7)));
        lag.sample(10_000, pool(4, 7), Map.of("x", Map.of("S1", 3, "S2", 7)));
        lag.sample(10_300, pool(4, 7), Map.of("x", Map.of("S1", 3, "S2", 7)));
        assertEquals(500, lag.maxMs());
        assertEquals("x S1", lag.worst());
    }

    @Test
    void aChannelFollowingABusySkuLagsByTheAgeOfTheValueItShows() {
        MultichannelLag lag = new MultichannelLag();
        // The pool moves every second; y shows each value a second after the pool listed it: never equal, 1 s behind.
        lag.sample(0, pool(10, 7), Map.of("y", Map.of("S1", 10, "S2", 7)));
        lag.sample(1000, pool(9, 7), Map.of("y", Map.of("S1", 10, "S2", 7)));
        lag.sample(2000, pool(8, 7), Map.of("y", Map.of("S1", 9, "S2", 7)));
        lag.sample(3000, pool(7, 7), Map.of("y", Map.of("S1", 8, "S2", 7)));
        lag.sample(4000, pool(6, 7), Map.of("y", Map.of("S1", 7, "S2", 7)));
        assertEquals(1000, lag.maxMs(), "the value shown was last listed one sample earlier");
    }

    @Test
    void aStoreAheadOfThePoolCountsFromItsOwnChangeNotFromWhenThePoolLastHadThatValue() {
        MultichannelLag lag = new MultichannelLag();
        lag.sample(0, pool(5, 7), Map.of("x", Map.of("S1", 5, "S2", 7)));
        lag.sample(1000, pool(6, 7), Map.of("x", Map.of("S1", 6, "S2", 7)));
        // x sells one: it shows 5, which the pool listed at 0 — but x is ahead, since 9 s.
        lag.sample(9000, pool(6, 7), Map.of("x", Map.of("S1", 5, "S2", 7)));
        lag.sample(9500, pool(6, 7), Map.of("x", Map.of("S1", 5, "S2", 7)));
        assertEquals(500, lag.maxMs());
    }

    @Test
    void skusThePoolDoesNotKnowAreNotCompared() {
        MultichannelLag lag = new MultichannelLag();
        lag.sample(0, Map.of("x", Map.of("S1", 5L)), Map.of("x", Map.of("S1", 5, "S9", 1)));
        lag.sample(5000, Map.of("x", Map.of("S1", 5L)), Map.of("x", Map.of("S1", 5, "S9", 2)));
        assertEquals(0, lag.maxMs());
    }
}
