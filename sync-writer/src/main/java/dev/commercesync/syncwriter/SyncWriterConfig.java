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

    Consumer consumer();

    Outbox outbox();

    /**
     * How the canonical consumer waits out the infrastructure (PostgreSQL, the registry, the broker): a batch that
     * failed transiently is retried, unboundedly, with exponential backoff and jitter; never dead-lettered.
     */
    interface Consumer {
        /** Wait before the second attempt of a batch the infrastructure refused; doubles up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * How long one batch may be retried (or blocked in the database) before liveness reports the consumer DOWN, so
         * that an orchestrator restarts a writer that cannot recover by itself.
         */
        @WithDefault("5m")
        Duration unhealthyAfter();
    }

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

        /** Wait before restarting a relay that stopped on an error; doubles up to {@link #restartMaxBackoff()}. */
        @WithDefault("1s")
        Duration restartInitialBackoff();

        /** Longest wait between two restarts of the relay. */
        @WithDefault("60s")
        Duration restartMaxBackoff();

        /**
         * How long the relay may keep failing (restarting without relaying) before liveness reports it DOWN, so that
         * an orchestrator restarts a pod whose relay cannot recover by itself.
         */
        @WithDefault("5m")
        Duration unhealthyAfter();
    }
}
