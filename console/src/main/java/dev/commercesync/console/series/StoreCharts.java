package dev.commercesync.console.series;

import dev.commercesync.kafka.PipelineRecords;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the pages and the API read of the charts: {@link StoreSeries}' buckets of a store, as JSON or as SVG geometry.
 * Never a Kafka read: the buckets are in memory ({@link SeriesConsumer} keeps them current).
 */
@ApplicationScoped
public class StoreCharts {
    private final SeriesConsumer consumer;

    public StoreCharts(SeriesConsumer consumer) {
        this.consumer = consumer;
    }

    /**
     * One store's series, as {@code GET /api/stores/{platform}/{store}/series} answers it.
     *
     * @param window how far back, ISO-8601 ({@code PT6H})
     * @param bucket the width of a bucket, ISO-8601 ({@code PT5M})
     * @param from when the first bucket starts; {@code to} when the last (current) one ends
     * @param lagBasis what the lag is measured from
     * @param caughtUp false while the console is still reading the window's history (figures still growing)
     * @param failingSince when the charts' Kafka reader began failing; null while it reads
     */
    public record SeriesView(
            String platform,
            String store,
            String window,
            String bucket,
            Instant from,
            Instant to,
            String lagBasis,
            boolean caughtUp,
            Instant failingSince,
            List<SeriesBucket> buckets) {}

    /** The store page's two charts and what they can say about themselves. */
    @TemplateData
    public record ChartsView(SvgChart throughput, SvgChart lag, String window, SeriesConsumer.Status status) {}

    /** The window a caller asked for (null or blank: the whole kept window). */
    public Duration window(String asked) {
        StoreSeries series = consumer.series();
        if (asked == null || asked.isBlank()) {
            return series.window();
        }
        return SeriesWindow.parse(asked, series.bucket(), series.window());
    }

    public SeriesView series(String platform, String store, Duration window) {
        StoreSeries series = consumer.series();
        List<SeriesBucket> buckets = series.series(PipelineRecords.storeKey(platform, store), window);
        Instant from = buckets.get(0).start();
        SeriesConsumer.Status status = consumer.status();
        return new SeriesView(
                platform,
                store,
                window.toString(),
                series.bucket().toString(),
                from,
                from.plus(window),
                SvgChart.LAG_BASIS,
                status.caughtUp(),
                status.failingSince(),
                buckets);
    }

    public ChartsView charts(String platform, String store) {
        StoreSeries series = consumer.series();
        List<SeriesBucket> buckets = series.series(PipelineRecords.storeKey(platform, store), series.window());
        return new ChartsView(
                SvgChart.throughput("throughput", store, buckets, series.bucket()),
                SvgChart.lag("lag", store, buckets, series.bucket()),
                SeriesWindow.human(series.window()),
                consumer.status());
    }

    public Sparklines sparklines() {
        return new Sparklines(consumer.series());
    }

    /** The overview's sparkline per store, drawn when its row asks for it. */
    @TemplateData
    public static final class Sparklines {
        private final StoreSeries series;

        Sparklines(StoreSeries series) {
            this.series = series;
        }

        public String window() {
            return SeriesWindow.human(series.window());
        }

        public SvgChart of(String platform, String store) {
            String key = PipelineRecords.storeKey(platform, store);
            return SvgChart.sparkline(
                    "spark-" + Integer.toHexString(key.hashCode()),
                    store,
                    series.series(key, series.window()),
                    series.bucket());
        }
    }
}
