package dev.commercesync.syncwriter.outbox;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.SyncWriterMetrics;
import dev.commercesync.syncwriter.kafka.AvroKafka;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final SyncWriterConfig config;
    private final SyncWriterMetrics metrics;
    private final String jdbcUrl;
    private final String user;
    private final Optional<String> password;

    private KafkaProducer<String, SpecificRecord> producer;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private ExecutorService executor;
    private volatile State state = State.STOPPED;
    private volatile String failure;

    public OutboxRelay(
            SyncWriterConfig config,
            SyncWriterMetrics metrics,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.config = config;
        this.metrics = metrics;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
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
        stop();
    }

    public synchronized void start() {
        if (state == State.RUNNING) {
            return;
        }
        producer = AvroKafka.producer(config.kafkaBootstrapServers(), config.registryUrl(), "sync-writer-applied");
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::relay)
                .using((success, message, error) -> {
                    if (!success && state == State.RUNNING) {
                        state = State.FAILED;
                        // Debezium's message may quote the whole connector configuration: report the exception's
                        // class only (Debezium has logged the details).
                        failure = error == null
                                ? "engine stopped"
                                : error.getClass().getName();
                        LOG.errorf("outbox relay stopped: %s", failure);
                    }
                })
                .build();
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay"));
        state = State.RUNNING;
        failure = null;
        executor.execute(engine);
        LOG.infof(
                "outbox relay started (slot %s, publication %s)",
                config.outbox().slotName(), config.outbox().publicationName());
    }

    /** Stops the engine, which commits the offsets of what it relayed. */
    public synchronized void stop() {
        if (engine == null) {
            return;
        }
        State previous = state;
        state = State.STOPPED;
        try {
            engine.close();
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
            if (previous == State.FAILED) {
                state = State.FAILED;
            }
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
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> record : records) {
            if (record.record().value() instanceof Struct change
                    && "c".equals(change.getString("op"))
                    && change.getStruct("after") != null) {
                AppliedChange applied = AppliedChanges.fromOutboxRow(change.getStruct("after"));
                sends.add(producer.send(
                        new ProducerRecord<>(CommerceTopic.APPLIED.topicName(), applied.getEntityKey(), applied)));
            }
        }
        long timeoutMs = config.outbox().produceTimeout().toMillis();
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                // Nothing of this batch is marked processed: the engine stops and the relay reports FAILED; the
                // records are read again from the slot after a restart.
                throw new IllegalStateException("Kafka did not acknowledge applied records", e);
            }
        }
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        metrics.relayed(sends.size());
        LOG.debugf("relayed %d applied records (%d change events)", sends.size(), records.size());
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
