package dev.commercesync.console.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bucket maths apart from Kafka: which bucket a record lands in, what falls out, lag, the store bound. */
class StoreSeriesTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:02:30Z");
    private static final String A = "shopify/a.example";
    private static final String B = "shopify/b.example";

    private final MovableClock clock = new MovableClock(NOW);
    private final StoreSeries series = new StoreSeries(Duration.ofHours(1), Duration.ofMinutes(5), 10, clock);

    @Test
    void recordsLandInTheBucketOfTheirTimeAndTheLastBucketIsTheCurrentOne() {
        series.received(A, Instant.parse("2026-12-07T12:00:00Z"));
        series.received(A, Instant.parse("2026-12-07T12:02:29Z"));
        series.received(A, Instant.parse("2026-12-07T11:59:59.999Z"));
        series.applied(A, Instant.parse("2026-12-07T11:01:00Z"), Duration.ofSeconds(3));

        List<SeriesBucket> buckets = series.series(A, Duration.ofHours(1));
        assertEquals(12, buckets.size());
        assertEquals(Instant.parse("2026-12-07T11:05:00Z"), buckets.get(0).start());
        assertEquals(Instant.parse("2026-12-07T12:00:00Z"), buckets.get(11).start());
        assertEquals(2, buckets.get(11).received());
        assertEquals(1, buckets.get(10).received());
        // 11:01 is before the window's first bucket (11:05): not kept.
        assertEquals(0, buckets.stream().mapToLong(SeriesBucket::applied).sum());
        assertEquals(
                List.of(),
                buckets.subList(0, 10).stream().filter(b -> b.received() > 0).toList());
    }

    @Test
    void storesAreCountedApart() {
        Instant t = Instant.parse("2026-12-07T11:30:00Z");
        series.received(A, t);
        series.received(B, t);
        series.received(B, t.plusSeconds(60));
        series.applied(B, t.plusSeconds(61), Duration.ofMillis(1500));

        assertEquals(1, bucketAt(A, t).received());
        assertEquals(0, bucketAt(A, t).applied());
        assertEquals(2, bucketAt(B, t).received());
        assertEquals(1, bucketAt(B, t).applied());
        assertEquals(1500, bucketAt(B, t).lagMaxMs());
        assertEquals(1500, bucketAt(B, t).lagP50Ms());
        assertEquals(List.of(A, B), series.stores());
        assertEquals(
                0,
                series.series("shopify/unknown", Duration.ofHours(1)).stream()
                        .mapToLong(SeriesBucket::received)
                        .sum());
    }

    @Test
    void lagIsTheMedianAndTheMaximumOfTheBucket() {
        Instant t = Instant.parse("2026-12-07T11:40:00Z");
        for (long seconds : new long[] {2, 4, 60, 3, 5}) {
            series.applied(A, t, Duration.ofSeconds(seconds));
        }
        SeriesBucket b = bucketAt(A, t);
        assertEquals(5, b.applied());
        assertEquals(60_000, b.lagMaxMs());
        // The lower median is 4 s; reported to within one bin (9 %).
        assertTrue(Math.abs(b.lagP50Ms() - 4_000) <= 360, "p50 " + b.lagP50Ms());
        // A change without a lag is counted, but leaves the lag alone.
        series.applied(A, t.plus(Duration.ofMinutes(5)), null);
        SeriesBucket next = bucketAt(A, t.plus(Duration.ofMinutes(5)));
        assertEquals(1, next.applied());
        assertNull(next.lagP50Ms());
        assertNull(next.lagMaxMs());
    }

    @Test
    void bucketsSlideOutOfTheWindowAsTimePasses() {
        Instant t = Instant.parse("2026-12-07T11:10:00Z");
        series.received(A, t);
        assertEquals(1, bucketAt(A, t).received());

        clock.set(NOW.plus(Duration.ofMinutes(10)));
        assertEquals(
                0,
                series.series(A, Duration.ofHours(1)).stream()
                        .mapToLong(SeriesBucket::received)
                        .sum());
        // Its slot is reused by a new bucket without the old count.
        series.received(A, Instant.parse("2026-12-07T12:10:00Z"));
        List<SeriesBucket> buckets = series.series(A, Duration.ofHours(1));
        assertEquals(1, buckets.stream().mapToLong(SeriesBucket::received).sum());
        assertEquals(1, buckets.get(11).received());
    }

    @Test
    void aShorterWindowShowsTheLatestBuckets() {
        series.received(A, Instant.parse("2026-12-07T11:56:00Z"));
        series.received(A, Instant.parse("2026-12-07T11:30:00Z"));
        List<SeriesBucket> last15 = series.series(A, Duration.ofMinutes(15));
        assertEquals(3, last15.size());
        assertEquals(Instant.parse("2026-12-07T11:50:00Z"), last15.get(0).start());
        assertEquals(1, last15.stream().mapToLong(SeriesBucket::received).sum());
    }

    @Test
    void recordsFromTheFutureBeyondTheNextBucketAreNotKept() {
        series.received(A, NOW.plus(Duration.ofMinutes(4)));
        series.received(A, NOW.plus(Duration.ofHours(2)));
        clock.set(NOW.plus(Duration.ofMinutes(5)));
        assertEquals(1, series.series(A, Duration.ofHours(1)).get(11).received());
        assertEquals(
                1,
                series.series(A, Duration.ofHours(1)).stream()
                        .mapToLong(SeriesBucket::received)
                        .sum());
    }

    @Test
    void aNewStoreBeyondTheBoundReplacesTheLeastRecentlyActiveOne() {
        StoreSeries two = new StoreSeries(Duration.ofHours(1), Duration.ofMinutes(5), 2, clock);
        two.received("p/old", NOW.minus(Duration.ofMinutes(50)));
        two.received("p/recent", NOW.minus(Duration.ofMinutes(1)));
        two.received("p/new", NOW);
        assertEquals(List.of("p/new", "p/recent"), two.stores());
    }

    @Test
    void settingsThatDoNotFitAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new StoreSeries(Duration.ofMinutes(7), Duration.ofMinutes(5), 10, clock));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StoreSeries(Duration.ofDays(30), Duration.ofMinutes(5), 10, clock));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StoreSeries(Duration.ofHours(1), Duration.ofMillis(10), 10, clock));
        assertThrows(
                IllegalArgumentException.class,
                () -> new StoreSeries(Duration.ofHours(1), Duration.ofMinutes(5), 0, clock));
    }

    @Test
    void theWindowStartsAtTheOldestShownBucket() {
        assertEquals(Instant.parse("2026-12-07T11:05:00Z"), series.windowStart());
    }

    private SeriesBucket bucketAt(String store, Instant at) {
        return series.series(store, Duration.ofHours(1)).stream()
                .filter(b -> !b.start().isAfter(at)
                        && b.start().plus(Duration.ofMinutes(5)).isAfter(at))
                .findFirst()
                .orElseThrow();
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
