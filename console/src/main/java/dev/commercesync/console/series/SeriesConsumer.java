package dev.commercesync.console.series;

import dev.commercesync.kafka.AvroKafka;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.RegistryUnavailable;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.VersionBasis;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Feeds {@link StoreSeries} from Kafka in a background thread: every partition of {@code commerce.raw.v1} and
 * {@code commerce.applied.v1}, assigned (no consumer group, so every console replica reads everything and shows the
 * same figures), from the start of the window at start-up, then whatever arrives. Raw records are counted by key
 * ({@code platform/store}) and record timestamp without decoding their values; applied changes are decoded (registry).
 *
 * <p>Kafka or the registry away: the thread logs it, shows it on the pages ({@link #status()}), waits (doubling up to
 * {@code max-retry-backoff}) and reconnects, resuming after the last record it counted. An applied record that cannot
 * be decoded while the registry answers is skipped with a warning: it is a chart, not data.
 */
@ApplicationScoped
public class SeriesConsumer {
    private static final Logger LOG = Logger.getLogger(SeriesConsumer.class);
    /**
     * How often the partitions of the topics are looked up again (a topic created or grown later) and the broker is
     * asked whether it is there.
     */
    private static final Duration REASSIGN_EVERY = Duration.ofSeconds(30);

    private final StoreSeries series;
    private final SeriesSettings settings;
    private final String bootstrap;
    private final String registryApiUrl;
    private final Map<String, Object> kafkaConfig;
    private final String rawTopic;
    private final String appliedTopic;
    /** Where to resume per partition: after the last record counted. Only the consumer thread touches it. */
    private final Map<TopicPartition, Long> next = new HashMap<>();

    private volatile boolean running;
    private volatile Thread thread;
    private volatile Status status = new Status(false, null, null);

    /**
     * What the charts can say about themselves.
     *
     * @param caughtUp the consumer has read the window's history (until then the charts fill in)
     * @param failingSince when the current run of Kafka or registry failures began; null while it reads
     * @param error the latest failure (class and message), while failing
     */
    public record Status(boolean caughtUp, Instant failingSince, String error) {}

    public SeriesConsumer(
            SeriesSettings settings,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @ConfigProperty(name = "commercesync.registry.url") String registryUrl,
            @ConfigProperty(name = "commercesync.console.topic-suffix", defaultValue = "") Optional<String> suffix,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.settings = settings;
        this.series = new StoreSeries(settings.window(), settings.bucket(), settings.maxStores(), Clock.systemUTC());
        this.bootstrap = bootstrap;
        this.registryApiUrl = AvroSerdes.registryApiUrl(registryUrl);
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.rawTopic = CommerceTopic.RAW.topicName() + suffix.orElse("");
        this.appliedTopic = CommerceTopic.APPLIED.topicName() + suffix.orElse("");
    }

    public StoreSeries series() {
        return series;
    }

    public Status status() {
        return status;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        Thread t = new Thread(this::run, "console-series");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            t.join(Duration.ofSeconds(10).toMillis());
        }
    }

    private void run() {
        Duration backoff = settings.retryBackoff();
        Deserializer<SpecificRecord> values = AvroSerdes.valueDeserializer(registryApiUrl);
        try {
            while (running) {
                try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                    consume(consumer, values);
                } catch (InterruptException e) {
                    break;
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    Instant since = status.failingSince() == null ? Instant.now() : status.failingSince();
                    status = new Status(status.caughtUp(), since, e.getClass().getSimpleName() + ": " + e.getMessage());
                    LOG.warnf(
                            "the charts' Kafka reader failed (%s: %s); retrying in %s",
                            e.getClass().getSimpleName(), e.getMessage(), backoff);
                    Thread.sleep(backoff.toMillis());
                    backoff = min(backoff.multipliedBy(2), settings.maxRetryBackoff());
                    continue;
                }
                backoff = settings.retryBackoff();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            values.close();
            LOG.debug("the charts' Kafka reader stopped");
        }
    }

    /** Reads until stopped; throws on Kafka or registry trouble (the caller reconnects). */
    private void consume(KafkaConsumer<String, byte[]> consumer, Deserializer<SpecificRecord> values) {
        Map<TopicPartition, Long> catchUpTo = assign(consumer);
        Instant reassignAt = Instant.now().plus(REASSIGN_EVERY);
        while (running) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                count(record, values);
                next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            if (status.failingSince() != null) {
                LOG.infof("the charts' Kafka reader reads again (failing since %s)", status.failingSince());
                status = new Status(status.caughtUp(), null, null);
            }
            if (!status.caughtUp()
                    && catchUpTo.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                status = new Status(true, null, null);
                LOG.infof("the charts hold the last %s of %s and %s", settings.window(), rawTopic, appliedTopic);
            }
            if (Instant.now().isAfter(reassignAt)) {
                // poll() waits out a broker that went away without a word; this asks it, and throws when it is away.
                consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(15));
                catchUpTo.putAll(assign(consumer));
                reassignAt = Instant.now().plus(REASSIGN_EVERY);
            }
        }
    }

    /**
     * Assigns every partition of both topics (a topic not created yet is looked up again later) and positions each:
     * after its last counted record, or, the first time, at the first record of the window. Returns the end offsets of
     * the newly assigned partitions: read up to there, the charts have caught up.
     */
    private Map<TopicPartition, Long> assign(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(rawTopic, appliedTopic)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
        }
        Set<TopicPartition> added = new HashSet<>(partitions);
        added.removeAll(consumer.assignment());
        if (added.isEmpty()) {
            return new HashMap<>();
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition p : added) {
            Long resume = next.get(p);
            if (resume != null) {
                consumer.seek(p, resume);
            } else {
                query.put(p, series.windowStart().toEpochMilli());
            }
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(added);
        if (!query.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            query.keySet().forEach(p -> {
                OffsetAndTimestamp at = found.get(p);
                consumer.seek(p, at == null ? end.get(p) : at.offset());
            });
        }
        return new HashMap<>(end);
    }

    private void count(ConsumerRecord<String, byte[]> record, Deserializer<SpecificRecord> values) {
        if (record.topic().equals(rawTopic)) {
            if (record.key() != null) {
                series.received(record.key(), Instant.ofEpochMilli(record.timestamp()));
            }
            return;
        }
        if (record.value() == null) {
            return;
        }
        SpecificRecord value;
        try {
            value = values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryUnavailable.causedBy(e)) {
                throw e;
            }
            LOG.warnf(
                    "not counted in the charts: %s/%d@%d is not a readable AppliedChange (%s)",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (value instanceof AppliedChange change) {
            series.applied(
                    PipelineRecords.storeKey(change.getPlatform(), change.getStore()),
                    change.getAppliedAt(),
                    lag(change));
        }
    }

    /**
     * applied_at − the platform's updated_at of the entity; without one, applied_at − received_at when the version
     * is the received time; otherwise none ({@link SvgChart#LAG_BASIS}).
     */
    static Duration lag(AppliedChange change) {
        if (change.getSourceUpdatedAt() != null) {
            return Duration.between(change.getSourceUpdatedAt(), change.getAppliedAt());
        }
        if (change.getVersionBasis() == VersionBasis.RECEIVED_AT) {
            try {
                return Duration.between(
                        Instant.ofEpochMilli(Long.parseLong(change.getVersion())), change.getAppliedAt());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = AvroKafka.committedReaderConfig(bootstrap);
        config.putAll(AvroKafka.connectionSettings(kafkaConfig));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "console-series");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        // Raw values are never decoded: skip copying them.
        Deserializer<byte[]> rawless = (topic, data) -> topic.equals(rawTopic) ? null : data;
        return new KafkaConsumer<>(config, new StringDeserializer(), rawless);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
