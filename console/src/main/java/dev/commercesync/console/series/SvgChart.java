package dev.commercesync.console.series;

import io.quarkus.qute.TemplateData;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The geometry of one server-rendered SVG chart (templates {@code chart.html} and {@code sparkline.html} draw it): one
 * point per bucket at the bucket's middle, lines broken where a bucket has no value, axis ticks with their labels.
 * Counts use a linear scale from 0; lags a logarithmic one (a replay's lag of days would flatten a linear one).
 */
@TemplateData
public record SvgChart(
        String id,
        String title,
        String description,
        int width,
        int height,
        int left,
        int top,
        int right,
        int bottom,
        List<Tick> xTicks,
        List<Tick> yTicks,
        List<Line> lines,
        String note) {

    static final int WIDTH = 720;
    static final int HEIGHT = 240;
    static final int SPARK_WIDTH = 144;
    static final int SPARK_HEIGHT = 28;

    private static final int LEFT = 64;
    private static final int RIGHT = WIDTH - 16;
    private static final int TOP = 28;
    private static final int BOTTOM = HEIGHT - 46;
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final List<Duration> TIME_STEPS = List.of(
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(12),
            Duration.ofDays(1));
    private static final long[] LAG_TICKS_MS = {
        100, 1_000, 10_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000
    };

    /** An axis tick: where (x for the time axis, y for the value axis) and its label. */
    @TemplateData
    public record Tick(String at, String label) {
        Tick(double at, String label) {
            this(fmt(at), label);
        }
    }

    /**
     * One series: its name for the legend, its CSS class (the colour) and its drawn segments, each an SVG
     * {@code points} list; {@code points} is how many points all segments hold; {@code legendX} where its legend entry
     * starts.
     */
    @TemplateData
    public record Line(String name, String css, List<String> segments, int points, int legendX) {
        public int legendSampleEnd() {
            return legendX + 24;
        }

        public int legendTextX() {
            return legendX + 30;
        }
    }

    public int plotWidth() {
        return right - left;
    }

    public int plotHeight() {
        return bottom - top;
    }

    /** Where the value labels end (left of the plot). */
    public int valueLabelX() {
        return left - 6;
    }

    /** Where the time labels sit (below the plot). */
    public int timeLabelY() {
        return bottom + 16;
    }

    /** Where the legend sits (above the plot). */
    public int legendY() {
        return top - 10;
    }

    /** Where the note (what is measured) sits (below the time labels). */
    public int noteY() {
        return height - 8;
    }

    /** Received vs applied per bucket. */
    public static SvgChart throughput(String id, String store, List<SeriesBucket> buckets, Duration bucket) {
        long received = buckets.stream().mapToLong(SeriesBucket::received).sum();
        long applied = buckets.stream().mapToLong(SeriesBucket::applied).sum();
        long peak = buckets.stream()
                .mapToLong(b -> Math.max(b.received(), b.applied()))
                .max()
                .orElse(0);
        long top = niceCeiling(peak);
        Function<Long, Double> y = v -> BOTTOM - (double) v / top * (BOTTOM - TOP);
        List<Tick> yTicks = List.of(
                new Tick(y.apply(0L), "0"),
                new Tick(y.apply(top / 2), count(top / 2)),
                new Tick(y.apply(top), count(top)));
        String span = SeriesWindow.human(bucket.multipliedBy(buckets.size()));
        return new SvgChart(
                id,
                "Throughput of " + store + ", last " + span + ", per " + SeriesWindow.human(bucket),
                "Records received: " + received + "; changes applied: " + applied + "; busiest bucket: " + peak
                        + ". Received counts raw records on commerce.raw.v1 by record time; applied counts changes on"
                        + " commerce.applied.v1 by applied_at.",
                WIDTH,
                HEIGHT,
                LEFT,
                TOP,
                RIGHT,
                BOTTOM,
                timeTicks(buckets, bucket),
                yTicks,
                List.of(
                        line("received", "received", buckets, b -> (double) b.received(), y, LEFT, RIGHT, LEFT),
                        line("applied", "applied", buckets, b -> (double) b.applied(), y, LEFT, RIGHT, LEFT + 110)),
                "records per " + SeriesWindow.human(bucket));
    }

    /** Median and largest lag per bucket, on a log scale. */
    public static SvgChart lag(String id, String store, List<SeriesBucket> buckets, Duration bucket) {
        long largest = buckets.stream()
                .filter(b -> b.lagMaxMs() != null)
                .mapToLong(SeriesBucket::lagMaxMs)
                .max()
                .orElse(0);
        long smallest = buckets.stream()
                .filter(b -> b.lagP50Ms() != null)
                .mapToLong(SeriesBucket::lagP50Ms)
                .min()
                .orElse(1_000);
        int lo = 0;
        while (lo + 1 < LAG_TICKS_MS.length && LAG_TICKS_MS[lo + 1] <= smallest) {
            lo++;
        }
        int hi = lo + 1;
        while (hi + 1 < LAG_TICKS_MS.length && LAG_TICKS_MS[hi] < largest) {
            hi++;
        }
        long floorMs = LAG_TICKS_MS[lo];
        double logLo = Math.log10(floorMs);
        double logHi = Math.log10(Math.max(LAG_TICKS_MS[hi], largest));
        Function<Long, Double> y = v -> {
            double l = Math.log10(Math.max(v, floorMs));
            return BOTTOM - (l - logLo) / (logHi - logLo) * (BOTTOM - TOP);
        };
        List<Tick> yTicks = new ArrayList<>();
        for (int i = lo; i <= hi; i++) {
            yTicks.add(new Tick(y.apply(LAG_TICKS_MS[i]), lag(LAG_TICKS_MS[i])));
        }
        long lagged = buckets.stream().filter(b -> b.lagMaxMs() != null).count();
        SeriesBucket last = buckets.stream()
                .filter(b -> b.lagP50Ms() != null)
                .reduce((a, b) -> b)
                .orElse(null);
        String span = SeriesWindow.human(bucket.multipliedBy(buckets.size()));
        return new SvgChart(
                id,
                "Lag of " + store + ", last " + span + ", per " + SeriesWindow.human(bucket),
                lagged == 0
                        ? "No change applied in the window."
                        : "Largest lag: " + lag(largest) + "; latest median (" + CLOCK.format(last.start()) + "): "
                                + lag(last.lagP50Ms()) + ". " + LAG_BASIS + ".",
                WIDTH,
                HEIGHT,
                LEFT,
                TOP,
                RIGHT,
                BOTTOM,
                timeTicks(buckets, bucket),
                yTicks,
                List.of(
                        line("median", "p50", buckets, b -> toDouble(b.lagP50Ms()), y, LEFT, RIGHT, LEFT),
                        line("max", "max", buckets, b -> toDouble(b.lagMaxMs()), y, LEFT, RIGHT, LEFT + 110)),
                LAG_BASIS + " (log scale)");
    }

    /** What the lag is measured from, as the charts and the API say it. */
    public static final String LAG_BASIS =
            "lag = applied_at − the platform's updated_at of the entity (the received time when the platform gives none)";

    /** A small received-vs-applied line pair without axes, for the overview. */
    public static SvgChart sparkline(String id, String store, List<SeriesBucket> buckets, Duration bucket) {
        long received = buckets.stream().mapToLong(SeriesBucket::received).sum();
        long applied = buckets.stream().mapToLong(SeriesBucket::applied).sum();
        long peak = Math.max(
                1,
                buckets.stream()
                        .mapToLong(b -> Math.max(b.received(), b.applied()))
                        .max()
                        .orElse(0));
        int bottom = SPARK_HEIGHT - 2;
        Function<Long, Double> y = v -> bottom - (double) v / peak * (bottom - 2);
        String span = SeriesWindow.human(bucket.multipliedBy(buckets.size()));
        return new SvgChart(
                id,
                store + ": " + received + " received, " + applied + " applied in the last " + span,
                "Records per " + SeriesWindow.human(bucket) + ", busiest bucket " + peak,
                SPARK_WIDTH,
                SPARK_HEIGHT,
                0,
                2,
                SPARK_WIDTH,
                bottom,
                List.of(),
                List.of(),
                List.of(
                        line("received", "received", buckets, b -> (double) b.received(), y, 0, SPARK_WIDTH, 0),
                        line("applied", "applied", buckets, b -> (double) b.applied(), y, 0, SPARK_WIDTH, 0)),
                null);
    }

    private static Line line(
            String name,
            String css,
            List<SeriesBucket> buckets,
            Function<SeriesBucket, Double> value,
            Function<Long, Double> y,
            int left,
            int right,
            int legendX) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        int points = 0;
        double step = (double) (right - left) / Math.max(1, buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            Double v = value.apply(buckets.get(i));
            if (v == null) {
                if (!segment.isEmpty()) {
                    segments.add(segment.toString());
                    segment.setLength(0);
                }
                continue;
            }
            if (!segment.isEmpty()) {
                segment.append(' ');
            }
            segment.append(fmt(left + (i + 0.5) * step)).append(',').append(fmt(y.apply(Math.round(v))));
            points++;
        }
        if (!segment.isEmpty()) {
            segments.add(segment.toString());
        }
        return new Line(name, css, segments, points, legendX);
    }

    /** Labels at whole multiples of a step that leaves at most 7 of them. */
    private static List<Tick> timeTicks(List<SeriesBucket> buckets, Duration bucket) {
        if (buckets.isEmpty()) {
            return List.of();
        }
        long from = buckets.get(0).start().toEpochMilli();
        long to = buckets.get(buckets.size() - 1).start().plus(bucket).toEpochMilli();
        long stepMs = TIME_STEPS.stream()
                .map(Duration::toMillis)
                .filter(s -> s >= bucket.toMillis() && (to - from) / s <= 6)
                .findFirst()
                .orElse(Duration.ofDays(7).toMillis());
        List<Tick> ticks = new ArrayList<>();
        for (long t = Math.floorDiv(from + stepMs - 1, stepMs) * stepMs; t <= to; t += stepMs) {
            double x = LEFT + (double) (t - from) / (to - from) * (RIGHT - LEFT);
            ticks.add(new Tick(x, CLOCK.format(Instant.ofEpochMilli(t))));
        }
        return ticks;
    }

    /** 1, 2, 5 × 10^k: the smallest at least {@code v} (and at least 2, so the middle tick is whole). */
    static long niceCeiling(long v) {
        long magnitude = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * magnitude >= Math.max(2, v)) {
                    return m * magnitude;
                }
            }
            magnitude *= 10;
        }
    }

    /** 850 ms, 12 s, 4.5 min, 2 h, 3 d. */
    static String lag(long ms) {
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return trim(ms / 1_000.0) + " s";
        }
        if (ms < 3_600_000) {
            return trim(ms / 60_000.0) + " min";
        }
        if (ms < 86_400_000) {
            return trim(ms / 3_600_000.0) + " h";
        }
        return trim(ms / 86_400_000.0) + " d";
    }

    private static String count(long v) {
        return Long.toString(v);
    }

    private static String trim(double v) {
        return v >= 10
                ? Long.toString(Math.round(v))
                : String.format(Locale.ROOT, "%.1f", v).replace(".0", "");
    }

    private static Double toDouble(Long v) {
        return v == null ? null : v.doubleValue();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
