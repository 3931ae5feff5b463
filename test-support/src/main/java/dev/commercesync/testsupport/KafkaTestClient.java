package dev.commercesync.testsupport;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.AvroKafka;
import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The tests' one Kafka client on the devstack broker and registry: creates topics, produces generated Avro records
 * (as the services do, {@link AvroKafka}) or raw bytes, reads a topic from its beginning to its current end, and waits
 * for what a test expects with Awaitility instead of sleep loops. Reads decode either through the registry
 * ({@link #readDecoded}) or, for code running in Quarkus' test class loader, where the registry deserializer's class
 * lookup does not see the generated classes, with the record's own class ({@link #read}).
 */
public final class KafkaTestClient implements AutoCloseable {
    /** Isolation of {@link #readBytes}: only what committed transactions wrote (the normalizer's outputs). */
    public static final String COMMITTED = "read_committed";
    /** Isolation of {@link #readBytes}: everything written, as a non-transactional producer's consumer sees it. */
    public static final String UNCOMMITTED = "read_uncommitted";

    /** How often a wait reads again. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final Endpoints stack;
    private KafkaProducer<String, SpecificRecord> avroProducer;
    private KafkaProducer<String, byte[]> bytesProducer;
    private Deserializer<SpecificRecord> deserializer;

    public KafkaTestClient(Endpoints stack) {
        this.stack = stack;
    }

    /** A client on the JVM's shared devstack ({@link SharedStack}). */
    public static KafkaTestClient shared() {
        return new KafkaTestClient(SharedStack.endpoints());
    }

    /** Creates the topics that do not exist yet (3 partitions), so that no test waits for auto-creation. */
    public void ensureTopics(Collection<String> names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            Set<String> existing = admin.listTopics().names().get();
            for (String name : names) {
                if (existing.contains(name)) {
                    continue;
                }
                try {
                    admin.createTopics(List.of(new NewTopic(name, 3, (short) 1)))
                            .all()
                            .get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * The offset the consumer group has committed on the record's partition (the next record it would read), or -1
     * when it committed none there.
     */
    public long committedOffset(String group, RecordMetadata record) throws Exception {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(partition);
            return committed == null ? -1 : committed.offset();
        }
    }

    /** The producer of generated records, acks=all and idempotent; closed with this client. */
    public KafkaProducer<String, SpecificRecord> avroProducer() {
        if (avroProducer == null) {
            avroProducer = AvroKafka.producer(stack.kafkaBootstrap(), stack.registryApiUrl(), "commerce-sync-test");
        }
        return avroProducer;
    }

    /** Sends a generated record (registering its schema) and waits for the broker's ack. */
    public RecordMetadata send(String topic, String key, SpecificRecord value) {
        return acked(avroProducer().send(new ProducerRecord<>(topic, key, value)));
    }

    /** Sends bytes as they are (not-Avro, or framed by hand) and waits for the broker's ack. */
    public RecordMetadata sendBytes(String topic, String key, byte[] value) {
        if (bytesProducer == null) {
            bytesProducer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            stack.kafkaBootstrap(),
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                            true),
                    new StringSerializer(),
                    new ByteArraySerializer());
        }
        return acked(bytesProducer.send(new ProducerRecord<>(topic, key, value)));
    }

    /** Waits for an ack; a registry error is reported with its code and detail, not as an opaque cause. */
    public static RecordMetadata acked(Future<RecordMetadata> send) {
        try {
            return send.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof io.apicurio.registry.rest.client.v2.models.Error error) {
                throw new AssertionError(
                        "registry: " + error.getErrorCode() + " " + error.getMessage() + " " + error.getDetail(), e);
            }
            throw new IllegalStateException("the broker did not acknowledge the record", e.getCause());
        }
    }

    /**
     * The records of {@code topic} from its beginning to the end it has now.
     *
     * @param isolation {@code read_committed} (only what committed transactions wrote) or {@code read_uncommitted}
     */
    public List<ConsumerRecord<String, byte[]>> readBytes(String topic, String isolation) {
        Map<String, Object> config = AvroKafka.committedReaderConfig(stack.kafkaBootstrap());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(POLL).forEach(records::add);
            }
            return records;
        }
    }

    /** {@link #readBytes} with each value decoded as {@code type} (see {@link #decode}). */
    public <T extends SpecificRecord> List<ConsumerRecord<String, T>> read(
            String topic, Class<T> type, String isolation) {
        return read(topic, type, isolation, key -> true);
    }

    /** {@link #read(String, Class, String)} of the records whose key (null: none) matches {@code key}. */
    public <T extends SpecificRecord> List<ConsumerRecord<String, T>> read(
            String topic, Class<T> type, String isolation, Predicate<String> key) {
        List<ConsumerRecord<String, T>> decoded = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readBytes(topic, isolation)) {
            if (key.test(r.key())) {
                decoded.add(withValue(r, decode(type, r.value())));
            }
        }
        return decoded;
    }

    /** {@link #readBytes} with each value decoded through the registry, as its generated class. */
    public List<ConsumerRecord<String, SpecificRecord>> readDecoded(String topic, String isolation) {
        if (deserializer == null) {
            deserializer = AvroSerdes.valueDeserializer(stack.registryApiUrl());
        }
        List<ConsumerRecord<String, SpecificRecord>> decoded = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readBytes(topic, isolation)) {
            decoded.add(withValue(r, deserializer.deserialize(r.topic(), r.headers(), r.value())));
        }
        return decoded;
    }

    /**
     * Reads with {@code read} until {@code done} holds for what it returns, and returns that.
     *
     * @throws AssertionError naming {@code what} and the last value read when {@code timeout} passed first
     */
    public static <T> T await(String what, Duration timeout, Callable<T> read, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            return awaiting(timeout, last, read, done);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " within " + timeout + "; last read: " + last.get(), e);
        }
    }

    /** As {@link #await}, but when {@code timeout} passes returns the last value read instead of failing. */
    public static <T> T readUntil(Duration timeout, Callable<T> read, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            return awaiting(timeout, last, read, done);
        } catch (ConditionTimeoutException e) {
            return last.get();
        }
    }

    /**
     * What {@code read} returns once {@code window} has passed: for tests that must also see what should not come
     * (a duplicate, a late record), after what they waited for arrived.
     */
    public static <T> T after(Duration window, Callable<T> read) {
        if (window.isZero()) {
            try {
                return read.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        AtomicReference<T> last = new AtomicReference<>();
        Awaitility.await()
                .pollInSameThread()
                .pollDelay(window.toMillis(), TimeUnit.MILLISECONDS)
                .atMost(window.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS)
                .until(() -> remember(last, read), any -> true);
        return last.get();
    }

    /**
     * Polls in the caller's thread: its context class loader is the one Quarkus' tests need. A zero timeout reads
     * once.
     */
    private static <T> T awaiting(Duration timeout, AtomicReference<T> last, Callable<T> read, Predicate<T> done)
            throws ConditionTimeoutException {
        if (timeout.isZero()) {
            T value;
            try {
                value = remember(last, read);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (!done.test(value)) {
                throw new ConditionTimeoutException("not done at the first read");
            }
            return value;
        }
        return Awaitility.await()
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL)
                .atMost(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .until(() -> remember(last, read), done::test);
    }

    private static <T> T remember(AtomicReference<T> last, Callable<T> read) throws Exception {
        T value = read.call();
        last.set(value);
        return value;
    }

    /**
     * Decodes a Confluent-framed value (magic byte 0, 4-byte schema id, Avro binary) written with {@code type}'s
     * schema, with the generated classes' logical types (timestamps as Instant, decimals as BigDecimal).
     */
    public static <T extends SpecificRecord> T decode(Class<T> type, byte[] framed) {
        if (framed == null || framed.length < 5 || framed[0] != 0) {
            throw new AssertionError("record is not in the Confluent wire format");
        }
        // The class's own loader: in Quarkus tests the generated classes live in Quarkus' class loader, which neither
        // Avro's default model nor a thread's context loader need to be.
        SpecificData data = new SpecificData(type.getClassLoader());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        Schema schema = data.getSchema(type);
        try {
            return new SpecificDatumReader<T>(schema, schema, data)
                    .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <V> ConsumerRecord<String, V> withValue(ConsumerRecord<String, byte[]> r, V value) {
        return new ConsumerRecord<>(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                r.timestampType(),
                r.serializedKeySize(),
                r.serializedValueSize(),
                r.key(),
                value,
                r.headers(),
                r.leaderEpoch());
    }

    @Override
    public void close() {
        if (avroProducer != null) {
            avroProducer.close();
        }
        if (bytesProducer != null) {
            bytesProducer.close();
        }
        if (deserializer != null) {
            deserializer.close();
        }
    }
}
