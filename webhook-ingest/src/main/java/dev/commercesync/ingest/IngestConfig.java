package dev.commercesync.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

/** webhook-ingest settings ({@code commercesync.ingest.*}). */
@ConfigMapping(prefix = "commercesync.ingest")
public interface IngestConfig {

    /**
     * How long to wait for Kafka to acknowledge a webhook before answering 503 so the platform retries. Well inside the
     * strictest timeout of the supported platforms (Shopify 5 s) once the HTTP overhead is added. Lower it for platforms
     * with tighter timeouts (Wix: 1.25 s).
     */
    @WithDefault("2s")
    Duration produceTimeout();

    /** Media types a webhook body may have (parameters such as charset are ignored); anything else is 415. */
    @WithDefault("application/json,application/cloudevents+json")
    Set<String> acceptedContentTypes();

    /** How long a store lookup (with its decrypted secrets) is cached; admin changes take effect after this. */
    @WithDefault("10s")
    Duration storeCacheTtl();

    /** At most this many registered stores are cached (least recently used leave first); unknown ones never are. */
    @WithDefault("10000")
    long storeCacheMaxSize();
}
