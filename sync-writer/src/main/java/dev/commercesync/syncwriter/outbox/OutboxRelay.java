package dev.commercesync.syncwriter.outbox;

import dev.commercesync.kafka.AvroKafka;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.syncwriter.Backoff;
import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.SyncWriterMetrics;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Streams the outbox to commerce.applied.v1: Debezium's embedded engine reads the inserts into
 * {@code syncwriter.outbox} from the WAL (pgoutput, through a publication of that table only and a named replication
 * slot), and a plain Kafka producer (acks=all, idempotent) sends one {@link AppliedChange} per row, keyed by entity key.
 * A batch's offsets are marked processed only after Kafka acknowledged all its records, so a crash repeats records
 * (at least once, deduplicable by event id) but never loses one. A graceful stop commits the offsets: a restart repeats
 * nothing.
 *
 * <p>Only one instance per database may run the relay ({@code syncwriter.outbox.relay-enabled}); PostgreSQL lets one
 * reader at a time use a replication slot, so a second one would fail to start streaming.
 *
 * <p>An engine that stops on an error (Kafka did not acknowledge in time, PostgreSQL went away) is restarted with
 * exponential backoff until it relays again: a stopped relay would leave the slot unread and its WAL piling up.
 * Meanwhile readiness is DOWN; liveness turns DOWN when it has been failing for longer than
 * {@code syncwriter.outbox.unhealthy-after}, so that an orchestrator restarts a pod that cannot recover by itself.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final SyncWriterConfig config;
    private final SyncWriterMetrics metrics;
    private final String jdbcUrl;
    private final String user;
    private final Optional<String> password;
    private final Map<String, Object> kafkaConfig;

    private final Backoff restartBackoff;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "outbox-relay-restart");
        thread.setDaemon(true);
        return thread;
    });

    private KafkaProducer<String, SpecificRecord> producer;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService executor;
    private volatile State state = State.STOPPED;
    private volatile String failure;
    /** When the relay last stopped on an error without relaying since; null when it works. */
    private volatile Instant failingSince;

    private volatile Instant startedAt;
    /** Whether a batch is being sent (Kafka may hold it up to the producer's max.block.ms plus the produce timeout). */
    private volatile boolean relaying;

    private volatile int restartAttempt;
    /** Which engine is the current one: a late callback of a replaced engine is ignored. */
    private int generation;

    public OutboxRelay(
            SyncWriterConfig config,
            SyncWriterMetrics metrics,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.metrics = metrics;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.restartBackoff = new Backoff(
                config.outbox().restartInitialBackoff(), config.outbox().restartMaxBackoff());
    }

    /** What the readiness check reports. */
    public enum State {
        DISABLED,
        STOPPED,
        RUNNING,
        FAILED
    }

    void onStart(@Observes StartupEvent event) {
        if (config.outbox().relayEnabled()) {
            start();
        } else {
            state = State.DISABLED;
            LOG.info("outbox relay disabled on this instance (syncwriter.outbox.relay-enabled=false)");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        restarts.shutdownNow();
        stop();
    }

    public synchronized void start() {
        if (state == State.RUNNING) {
            return;
        }
        closeEngine(); // a failed one, before its restart
        int run = ++generation;
        producer = AvroKafka.producer(
                config.kafkaBootstrapServers(), kafkaConfig, config.registryUrl(), "sync-writer-applied");
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::relay)
                .using((success, message, error) -> {
                    if (!success && !restarts.isShutdown()) {
                        // Not on the engine's thread: stop() may hold the lock while it waits for that thread to end.
                        restarts.execute(() -> failed(run, error));
                    }
                })
                .build();
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
        state = State.RUNNING;
        startedAt = Instant.now();
        executor.execute(engine);
        LOG.infof(
                "outbox relay started (slot %s, publication %s)",
                config.outbox().slotName(), config.outbox().publicationName());
    }

    /** The engine stopped on an error: report it and schedule a restart. */
    private synchronized void failed(int run, Throwable error) {
        if (state != State.RUNNING || run != generation) {
            return; // stopped on purpose, or an engine already replaced
        }
        state = State.FAILED;
        // Debezium's message may quote the whole connector configuration: report the exception's class only (Debezium
        // has logged the details).
        failure = error == null ? "engine stopped" : error.getClass().getName();
        if (failingSince == null) {
            failingSince = Instant.now();
        }
        Duration delay = restartBackoff.delay(++restartAttempt);
        LOG.errorf(
                "outbox relay stopped: %s; restarting in %d ms (attempt %d)",
                failure, delay.toMillis(), restartAttempt);
        restarts.schedule(this::restartAfterFailure, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restartAfterFailure() {
        if (state != State.FAILED) {
            return; // stopped or started by someone else meanwhile
        }
        try {
            closeEngine();
            start();
        } catch (RuntimeException e) {
            LOG.errorf("outbox relay restart failed: %s", e.getClass().getName());
            state = State.RUNNING; // so that failed() schedules the next attempt
            failed(generation, e);
        }
    }

    /**
     * Since when the relay has been failing (stopping on errors and restarting without relaying anything), if it is.
     * A relay that has run for twice the produce timeout since its restart, without failing again and without a batch
     * in flight, has recovered: with nothing to relay it has no other way of showing it.
     */
    public Optional<Instant> failingSince() {
        Instant since = failingSince;
        Instant started = startedAt;
        if (since != null
                && state == State.RUNNING
                && !relaying
                && started != null
                && started.plus(config.outbox().produceTimeout().multipliedBy(2))
                        .isBefore(Instant.now())) {
            recovered();
            return Optional.empty();
        }
        return Optional.ofNullable(since);
    }

    /** Not synchronized: called on the engine's thread, which stop() may be waiting for while holding the lock. */
    private void recovered() {
        if (failingSince != null) {
            LOG.infof("outbox relay recovered after %d restart(s)", restartAttempt);
        }
        failingSince = null;
        failure = null;
        restartAttempt = 0;
    }

    /** Stops the engine, which commits the offsets of what it relayed. */
    public synchronized void stop() {
        state = State.STOPPED;
        closeEngine();
    }

    private void closeEngine() {
        if (engine == null) {
            return;
        }
        try {
            try {
                engine.close();
            } catch (RuntimeException e) {
                // An engine that already stopped on an error may refuse to close again: it is stopped either way.
                LOG.debugf("closing the outbox relay engine: %s", e.getClass().getName());
            }
            executor.shutdown();
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("outbox relay did not stop within 30 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close();
            engine = null;
        }
    }

    public State state() {
        return state;
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private void relay(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        relaying = true;
        try {
            relayBatch(records, committer);
        } finally {
            relaying = false;
        }
    }

    private void relayBatch(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> record : records) {
            if (record.record().value() instanceof Struct change
                    && "c".equals(change.getString("op"))
                    && change.getStruct("after") != null) {
                AppliedChange applied = AppliedChanges.fromOutboxRow(change.getStruct("after"));
                Future<RecordMetadata> send = producer.send(
                        new ProducerRecord<>(CommerceTopic.APPLIED.topicName(), applied.getEntityKey(), applied));
                if (send.isDone()) {
                    // Failed before it was queued (no metadata within max.block.ms): so would every other record
                    // of the batch, each after blocking as long again. Fail the batch now.
                    acknowledged(send, 0);
                }
                sends.add(send);
            }
        }
        long timeoutMs = config.outbox().produceTimeout().toMillis();
        for (Future<RecordMetadata> send : sends) {
            acknowledged(send, timeoutMs);
        }
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        if (failingSince != null) {
            recovered();
        }
        metrics.relayed(sends.size());
        LOG.debugf("relayed %d applied records (%d change events)", sends.size(), records.size());
    }

    /**
     * Waits for Kafka's acknowledgement of one record. Without it nothing of the batch is marked processed: the engine
     * stops and the relay reports FAILED; the records are read again from the slot after a restart.
     */
    private static void acknowledged(Future<RecordMetadata> send, long timeoutMs) throws InterruptedException {
        try {
            send.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge applied records", e);
        }
    }

    private Properties engineProperties() {
        URI db = URI.create(jdbcUrl.substring("jdbc:".length()));
        Properties p = new Properties();
        p.setProperty("name", "sync-writer-outbox");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        // Offsets in the database that holds the slot (table created by V3__outbox_relay_offsets.sql): recreating the
        // database or its slot can never leave offsets behind that point past the new slot's WAL.
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty(
                "offset.storage.jdbc.connection.url",
                jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=syncwriter");
        p.setProperty("offset.storage.jdbc.connection.user", user);
        // The store insists on a password; a trust-authenticated development database (./synctl up) has none and
        // ignores
        // whatever is sent.
        p.setProperty(
                "offset.storage.jdbc.connection.password",
                password.filter(s -> !s.isEmpty()).orElse("unused-with-trust-auth"));
        p.setProperty("offset.storage.jdbc.table.name", "outbox_relay_offsets");
        p.setProperty(
                "offset.flush.interval.ms",
                Long.toString(config.outbox().offsetFlushInterval().toMillis()));
        p.setProperty("database.hostname", db.getHost());
        p.setProperty("database.port", Integer.toString(db.getPort() < 0 ? 5432 : db.getPort()));
        p.setProperty("database.dbname", db.getPath().substring(1));
        p.setProperty("database.user", user);
        p.setProperty("database.password", password.orElse(""));
        p.setProperty("topic.prefix", "syncwriter");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", config.outbox().slotName());
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("publication.name", config.outbox().publicationName());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", "syncwriter.outbox");
        // The slot exists before the first outbox row (afterMigrate): stream from it, never snapshot the (empty) table.
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("tombstones.on.delete", "false");
        return p;
    }
}
