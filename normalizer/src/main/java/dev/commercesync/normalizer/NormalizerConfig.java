package dev.commercesync.normalizer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The normalizer's own settings; Kafka Streams' settings are the {@code kafka-streams.*} keys. */
@ConfigMapping(prefix = "normalizer")
public interface NormalizerConfig {

    /** Apicurio API URL the serdes use ({@code <registry>/apis/registry/v2}). */
    @WithDefault("http://127.0.0.1:8081/apis/registry/v2")
    String registryUrl();

    Dedup dedup();

    Topics topics();

    ThreadRestart threadRestart();

    Echo echo();

    /**
     * Echo recognition: which canonical events are the store's answer to commerce-sync's own writes (docs/commands.md,
     * "Recognisable echoes"). Checked at start-up: the window positive, the retention at least the window.
     */
    interface Echo {
        /**
         * How far an event's time (source_updated_at, else received_at) may be before the command's issue or after its
         * completion (a command without a result yet: its deadline).
         */
        @WithDefault("PT10M")
        Duration window();

        /** How long results, commands and claims are kept: late deliveries of an echo match within it. */
        @WithDefault("PT24H")
        Duration retention();
    }

    /**
     * A stream thread that failed (the registry or the broker unreachable) is replaced after a backoff, and its records
     * are processed again from the last committed offsets (exactly once): nothing is quarantined for it.
     */
    interface ThreadRestart {
        /** Wait before replacing a failed stream thread; doubles with each failure in a row. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait; a failure after a quiet period of twice this starts again from the initial backoff. */
        @WithDefault("30s")
        Duration maxBackoff();
    }

    interface Dedup {
        /** How long a dedup key is remembered; platform retries and re-sent payloads must arrive within it. */
        @WithDefault("P7D")
        Duration retention();

        /** How often keys older than the retention are purged from the store. */
        @WithDefault("PT1H")
        Duration purgeInterval();
    }

    interface Topics {
        /** Create missing topics (and raise the raw topic's retention) at start-up. */
        @WithDefault("true")
        boolean ensure();

        /** Partitions of topics the normalizer creates. */
        @WithDefault("3")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** Retention of commerce.raw.v1: how far back {@code synctl replay} can go. */
        @WithDefault("P30D")
        Duration rawRetention();

        /** Retention of commerce.quarantine.v1: how long support has to fix and retry a record. */
        @WithDefault("P30D")
        Duration quarantineRetention();
    }
}
