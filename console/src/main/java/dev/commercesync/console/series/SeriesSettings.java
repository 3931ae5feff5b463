package dev.commercesync.console.series;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The charts' settings (docs/console.md); {@link StoreSeries} refuses a combination that does not fit at start-up. */
@ConfigMapping(prefix = "commercesync.console.series")
public interface SeriesSettings {
    /** How far back the charts reach: the most a page or the API can show. */
    @WithDefault("6h")
    Duration window();

    /** The width of one bucket; the window must be a whole number of them (at most 2,016). */
    @WithDefault("5m")
    Duration bucket();

    /** How many stores are kept in memory (the least recently active one makes room for a new one). */
    @WithDefault("1000")
    int maxStores();

    /** The first wait after Kafka or the registry failed; it doubles up to {@link #maxRetryBackoff()}. */
    @WithDefault("1s")
    Duration retryBackoff();

    @WithDefault("30s")
    Duration maxRetryBackoff();
}
