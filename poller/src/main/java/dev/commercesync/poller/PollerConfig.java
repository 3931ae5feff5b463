package dev.commercesync.poller;

import dev.commercesync.schemas.canonical.EntityType;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The poller's settings ({@code commercesync.poller.*}); docs/poller.md lists them with their defaults. */
@ConfigMapping(prefix = "commercesync.poller")
public interface PollerConfig {

    Polling polling();

    Fetch fetch();

    Api api();

    Webhooks webhooks();

    Commands commands();

    /**
     * Per-platform overrides of what the adapter declares ({@code PlatformAdapter#capabilities()}), keyed by adapter
     * name ({@code commercesync.poller.platform."<name>".resources}). Nothing needs setting: the defaults are the
     * adapter's.
     */
    Map<String, PlatformSettings> platform();

    /**
     * Per-store overrides, keyed {@code "platform/store"} ({@code commercesync.poller.store."<name>/<store>".resources}):
     * they win over the platform's.
     */
    Map<String, PlatformSettings> store();

    interface Polling {
        /** How far before the checkpoint each run starts again, for clock skew and late-indexed updates. */
        @WithDefault("PT5M")
        Duration overlap();

        /** Time between the end of one run of a store × resource and the start of the next. */
        @WithDefault("PT5M")
        Duration interval();

        /** Per-store interval, keyed {@code "platform/store"}. */
        Map<String, Duration> storeInterval();

        /** How often the scheduler looks for store × resource pairs that are due. */
        @WithDefault("5s")
        String tick();

        /** Where a store's first run starts; when absent, {@link #backfillLookback()} before the first run. */
        Optional<Instant> backfillFrom();

        @WithDefault("P30D")
        Duration backfillLookback();

        @WithDefault("100")
        int pageSize();

        /**
         * The entity types polled on every platform, unless a platform's or store's {@code resources} says otherwise.
         * When absent (the default), each platform polls the types its adapter lists by updated-at.
         */
        Optional<List<EntityType>> resources();

        /**
         * How long after a complete listing of a store × snapshot type (a type the adapter lists only as a whole,
         * without updated-at: {@code PlatformCapabilities#listedAsSnapshot()}) it is listed again. Each listing costs
         * one request per page of the whole type, whatever changed, so it repeats far less often than the incremental
         * poll; webhooks carry the changes in between and the reconciler compares the content. {@code 0} or empty:
         * never repeated, but a store's first listing (its backfill) always runs. Must not be negative.
         */
        @WithDefault("PT1H")
        Optional<Duration> snapshotInterval();

        /** Entities per page of a snapshot listing (capped by each platform's maximum): the fewer pages, the cheaper. */
        @WithDefault("1000")
        int snapshotPageSize();

        /** Runs in parallel (different stores or resources; one store × resource never runs twice at once). */
        @WithDefault("4")
        int workers();

        /** How long one page's records may take to be acknowledged by Kafka before the run fails. */
        @WithDefault("PT30S")
        Duration publishTimeout();
    }

    interface Fetch {
        /** Requests for the same store/type/id arriving within this window are answered by one fetch. */
        @WithDefault("PT2S")
        Duration coalesceWindow();

        /** How often the queue of pending fetches is checked for due ones. */
        @WithDefault("PT0.2S")
        Duration checkEvery();

        /** Attempts (each with the API retries) before a fetch is given up and reported. */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("PT5S")
        Duration retryDelay();
    }

    interface Api {
        @WithDefault("PT30S")
        Duration requestTimeout();

        /** Retries of one call after 429, 5xx or a transport failure. */
        @WithDefault("5")
        int maxRetries();

        @WithDefault("PT0.2S")
        Duration initialBackoff();

        @WithDefault("PT10S")
        Duration maxBackoff();

        /** Total time one call may spend retrying. */
        @WithDefault("PT2M")
        Duration maxRetryDuration();

        /** Share of the platform's reported budget left untouched (for the merchant's other apps). */
        @WithDefault("0.1")
        double quotaReserve();

        /** Longest wait for the limiter before a call fails as a quota error (it is retried by the next run). */
        @WithDefault("PT60S")
        Duration maxLimiterWait();

        /**
         * The longest pause a platform's Retry-After (or quota reset) may impose on a store; a longer one is capped to
         * this and logged ({@code Retry-After: 99999999} would otherwise stall the store for years).
         */
        @WithDefault("PT10M")
        Duration maxRetryAfter();

        /** The largest API response body read; a larger one fails that request (error class validation). */
        @WithDefault("32M")
        MemorySize maxResponseSize();

        /** How long before its API version's sunset (declared by the adapter) a store's status warns. */
        @WithDefault("P90D")
        Duration sunsetWarning();
    }

    interface Webhooks {
        /**
         * The ingest's public base URL; subscriptions point at {@code <public-url>/webhooks/<platform>}. Without
         * it the poller manages no subscriptions.
         */
        Optional<URI> publicUrl();

        @WithDefault("PT15M")
        Duration checkInterval();
    }

    /** The command executor (docs/commands.md, "Execution"). */
    interface Commands {
        /** Requests sent to the platform for one command (429s included) before it is FAILED(RETRIES_EXHAUSTED). */
        @WithDefault("5")
        int maxAttempts();

        /** Backoff between attempts (after a read-back said NOT_APPLIED, a 5xx, a timeout, a 429). */
        @WithDefault("PT0.5S")
        Duration initialBackoff();

        @WithDefault("PT30S")
        Duration maxBackoff();

        /** How long one round of attempts may retry before the command waits for the next round. */
        @WithDefault("PT5M")
        Duration maxRetryDuration();

        /** Commands of different entities executed at once (one entity's commands run one after another). */
        @WithDefault("4")
        int workers();

        /** How often the journal is looked at for due commands and results not yet on Kafka. */
        @WithDefault("PT1S")
        Duration checkEvery();

        /** How often a command of a store waiting for a person (credentials refused) looks again. */
        @WithDefault("PT30S")
        Duration authRecheck();
    }

    /** Overrides of the adapter's capabilities; an absent setting falls back (store, platform, adapter). */
    interface PlatformSettings {
        /** Entity types polled (default: those the adapter lists by updated-at). */
        Optional<List<EntityType>> resources();

        /** Entity types listed whole at {@code polling.snapshot-interval} (default: those the adapter lists as a snapshot). */
        Optional<List<EntityType>> snapshotResources();

        /** Topics subscribed (default: all the adapter classifies). */
        Optional<Set<String>> webhookTopics();

        /** Overrides of the adapter's documented budget (a bigger plan, or a test). */
        Optional<Double> budget();

        Optional<Double> refillPerSecond();

        /** Units one request spends (default: the adapter's; corrected by the reported quota). */
        Optional<Double> requestCost();

        /**
         * The platform API version called (default: the adapter's); one the adapter supports ({@code
         * PlatformAdapter#apiVersions()}), else the poller does not start.
         */
        Optional<String> apiVersion();
    }
}
