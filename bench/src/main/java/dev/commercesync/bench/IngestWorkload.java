package dev.commercesync.bench;

import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.dialect.PlatformDialect;
import dev.commercesync.simulator.dialect.StoreContext;
import dev.commercesync.simulator.model.Change;
import dev.commercesync.simulator.model.Notification;
import dev.commercesync.simulator.model.Order;
import dev.commercesync.simulator.webhooks.Subscription;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ingest benchmark's workload: signed webhooks of the simulator's dialect, the ingest's own producer settings (for
 * Kafka's tool) and what the ingest stored, read back from the raw topic.
 */
final class IngestWorkload {
    /** webhook-ingest's producer settings that the Kafka tool gets too (when the ingest sets them). */
    static final List<String> MIRRORED_PRODUCER_PROPS = List.of(
            "acks",
            "enable.idempotence",
            "linger.ms",
            "batch.size",
            "compression.type",
            "max.in.flight.requests.per.connection",
            "buffer.memory");

    IngestWorkload() {}

    /** The stored records' sizes, read back from the raw topic. */
    record StoredRecords(
            int sampled,
            double meanValue,
            int minValue,
            int maxValue,
            double meanKey,
            double meanHeaders,
            int partitions) {}

    /**
     * {@code count} order-created webhooks of the simulated store, rendered and signed by the simulator's dialect of its
     * platform (the platform's published payload shape and signature headers, signed with the store's secret), keeping
     * the orders whose body is within ±10% of {@code targetBytes}. The topic is the first the dialect sends for a new
     * order; the delivery-id header (new on every request) is the one whose value is the delivery id.
     */
    static List<IngestLoad.SignedWebhook> orderWebhooks(SimulatedStore store, int count, int targetBytes) {
        PlatformDialect dialect = Dialects.get(store.platform());
        // What the dialect reads of a store to render and sign an order webhook: its state too (an order's
        // rendering reads the order's shipments from it, since 99e8cf3).
        StoreContext context = new StoreContext(
                store.platform(),
                store.key(),
                store.storeId(),
                store.apiBaseUrl(),
                store.state(),
                null,
                store.webhookSecret(),
                store.credentials(),
                Clock.systemUTC(),
                null,
                Map.of(),
                null,
                null);
        List<IngestLoad.SignedWebhook> pool = new ArrayList<>();
        int low = (int) (targetBytes * 0.9);
        int high = (int) Math.ceil(targetBytes * 1.1);
        String topic = null;
        for (int step = 0; pool.size() < count && step < count * 200; step++) {
            Change change = store.step();
            int index = 0;
            for (Notification notification : change.notifications()) {
                String seed = change.sequence() + "/" + index++;
                if (!(notification.entity() instanceof Order) || notification.kind() != Notification.Kind.CREATED) {
                    continue;
                }
                for (WebhookMessage message : dialect.webhooks(notification, seed, context)) {
                    topic = topic == null ? message.topic() : topic;
                    int size = message.body().length;
                    if (!message.topic().equals(topic) || size < low || size > high) {
                        continue;
                    }
                    if (new String(message.body(), StandardCharsets.UTF_8).indexOf('\n') >= 0) {
                        continue; // the Kafka tool's payload file is one body per line
                    }
                    pool.add(signed(dialect, context, store, message));
                }
            }
        }
        if (pool.size() < count) {
            throw new IllegalStateException("the simulator made only " + pool.size() + " " + topic + " bodies of " + low
                    + "–" + high + " bytes; try another --body-bytes");
        }
        return pool;
    }

    /** A message with the dialect's signed delivery headers, less the delivery id that each request sets anew. */
    static IngestLoad.SignedWebhook signed(
            PlatformDialect dialect, StoreContext context, SimulatedStore store, WebhookMessage message) {
        Subscription subscription = new Subscription(
                "bench",
                message.topic(),
                URI.create("http://127.0.0.1/webhooks/" + store.platform()),
                store.webhookSecret(),
                true,
                Instant.now());
        String marker = "bench-delivery-" + UUID.randomUUID();
        Map<String, String> headers =
                new LinkedHashMap<>(dialect.deliveryHeaders(subscription, message, marker, Instant.now(), context));
        String deliveryIdHeader = headers.entrySet().stream()
                .filter(e -> e.getValue().equals(marker))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the " + store.platform() + " dialect's delivery headers carry no delivery id"));
        headers.remove(deliveryIdHeader);
        return new IngestLoad.SignedWebhook(message.body(), Map.copyOf(headers), deliveryIdHeader, message.topic());
    }

    /** webhook-ingest's own Kafka producer settings for the raw topic (its application.properties). */
    static Map<String, String> ingestProducerProps() throws IOException {
        Properties p = new Properties();
        Path file = RepoRoot.find().resolve("webhook-ingest/src/main/resources/application.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String key : MIRRORED_PRODUCER_PROPS) {
            String value = p.getProperty("mp.messaging.outgoing.raw-out." + key);
            if (value != null) {
                props.put(key, value.trim());
            }
        }
        props.putIfAbsent("acks", "all");
        return props;
    }

    /** Sizes of the first records on the raw topic: what webhook-ingest stores per webhook. */
    static StoredRecords readBack(String bootstrap, int max) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, max);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(IngestBench.RAW_TOPIC, Duration.ofSeconds(30));
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(IngestBench.RAW_TOPIC, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < max && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            if (records.isEmpty()) {
                throw new IllegalStateException("no record on " + IngestBench.RAW_TOPIC);
            }
            List<ConsumerRecord<byte[], byte[]>> sample = records.subList(0, Math.min(max, records.size()));
            double value = sample.stream()
                    .mapToInt(ConsumerRecord::serializedValueSize)
                    .average()
                    .orElse(0);
            int min = sample.stream()
                    .mapToInt(ConsumerRecord::serializedValueSize)
                    .min()
                    .orElse(0);
            int maxValue = sample.stream()
                    .mapToInt(ConsumerRecord::serializedValueSize)
                    .max()
                    .orElse(0);
            double key = sample.stream()
                    .mapToInt(rec -> Math.max(0, rec.serializedKeySize()))
                    .average()
                    .orElse(0);
            double headers = sample.stream()
                    .mapToInt(rec -> {
                        int bytes = 0;
                        for (Header h : rec.headers()) {
                            bytes += h.key().getBytes(StandardCharsets.UTF_8).length
                                    + (h.value() == null ? 0 : h.value().length);
                        }
                        return bytes;
                    })
                    .average()
                    .orElse(0);
            return new StoredRecords(sample.size(), value, min, maxValue, key, headers, infos.size());
        }
    }

    static void createTopic(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get();
    }
}
