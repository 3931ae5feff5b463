package dev.commercesync.syncwriter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** sync-writer settings ({@code syncwriter.*}). Kafka consumer settings are on the {@code canonical-in} channel. */
@ConfigMapping(prefix = "syncwriter")
public interface SyncWriterConfig {

    /** The Apicurio API of the schema registry ({@code http://host:port/apis/registry/v2}). */
    String registryUrl();

    /** The Kafka bootstrap servers for the dead-letter and applied producers. */
    String kafkaBootstrapServers();

    /** Name of this target in applied and dead-letter records. */
    @WithDefault("postgres")
    String targetName();

    Outbox outbox();

    interface Outbox {
        /**
         * Whether this instance runs the outbox relay (the Debezium engine). Exactly one instance per database must: a
         * replication slot has one reader at a time. Run the relay in one replica (or its own deployment with
         * {@code mp.messaging.incoming.canonical-in.enabled=false}) and disable it in the others.
         */
        @WithDefault("true")
        boolean relayEnabled();

        /** Logical replication slot the relay reads; created by the migrations' afterMigrate callback. */
        @WithDefault("syncwriter_outbox")
        String slotName();

        /** Publication of the outbox table (inserts only); created by the migrations' afterMigrate callback. */
        @WithDefault("syncwriter_outbox")
        String publicationName();

        /** How often the relay commits its offsets (and thereby confirms the slot's position to PostgreSQL). */
        @WithDefault("1s")
        Duration offsetFlushInterval();

        /** How long the relay waits for Kafka to acknowledge a batch of applied records before it retries it. */
        @WithDefault("30s")
        Duration produceTimeout();
    }
}
