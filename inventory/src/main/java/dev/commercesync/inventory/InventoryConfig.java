package dev.commercesync.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The pool's settings (docs/inventory.md, "Operating it"); Kafka Streams' own are the {@code kafka-streams.*} keys. */
@ConfigMapping(prefix = "inventory")
public interface InventoryConfig {

    /** Apicurio API URL the serdes use ({@code <registry>/apis/registry/v2}). */
    @WithDefault("http://127.0.0.1:8081/apis/registry/v2")
    String registryUrl();

    /** Changes of one SKU's available within this interval become one write per channel. */
    @WithDefault("1s")
    Duration coalesceInterval();

    /** How long the poller may take to apply a SetInventoryLevel before it expires (CommandMetadata.deadline). */
    @WithDefault("PT5M")
    Duration commandDeadline();

    /** How often the merchants' configuration (stores, links, rules, physical source) is read again. */
    @WithDefault("30s")
    Duration configRefresh();

    ThreadRestart threadRestart();

    /** A failed stream thread (registry, broker or PostgreSQL away) is replaced after a backoff, records kept. */
    interface ThreadRestart {
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();
    }
}
