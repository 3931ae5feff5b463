package dev.commercesync.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one way commerce-sync code builds its own Kafka clients (outside the SmallRye channels): producers of generated
 * Avro records (acks=all, idempotent, keyed by a UTF-8 string, {@link AvroSerdes} values) and committed-only readers.
 */
public final class AvroKafka {
    private AvroKafka() {}

    /**
     * A producer of generated Avro records: acks=all and idempotent, so a record is durable once acknowledged and a
     * retried send is not duplicated.
     *
     * @param clientId shows up in the broker's logs and metrics (sync-writer-dlq, sync-writer-applied, synctl)
     */
    public static KafkaProducer<String, SpecificRecord> producer(
            String bootstrapServers, String registryApiUrl, String clientId) {
        return producer(bootstrapServers, Map.of(), registryApiUrl, clientId);
    }

    /**
     * As {@link #producer(String, String, String)}, connecting as the service's Kafka channels do.
     *
     * @param defaultKafkaConfig the service's {@code kafka.*} settings (Quarkus' {@code default-kafka-broker} map, which
     *     includes {@code KAFKA_*} environment variables): its {@link #connectionSettings connection settings} apply
     */
    public static KafkaProducer<String, SpecificRecord> producer(
            String bootstrapServers, Map<String, Object> defaultKafkaConfig, String registryApiUrl, String clientId) {
        return new KafkaProducer<>(
                producerConfig(bootstrapServers, defaultKafkaConfig, clientId),
                new StringSerializer(),
                AvroSerdes.valueSerializer(registryApiUrl));
    }

    /**
     * How a client authenticates and encrypts ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}): the producers
     * built here take them from the channels' configuration, so that they reach a SCRAM or TLS listener too.
     */
    public static Map<String, Object> connectionSettings(Map<String, Object> defaultKafkaConfig) {
        Map<String, Object> settings = new HashMap<>();
        defaultKafkaConfig.forEach((key, value) -> {
            if (key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    public static Map<String, Object> producerConfig(
            String bootstrapServers, Map<String, Object> defaultKafkaConfig, String clientId) {
        Map<String, Object> config = new HashMap<>(connectionSettings(defaultKafkaConfig));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /**
     * A reader that commits nothing and sees only committed records (the normalizer writes transactionally): keys as
     * strings, values as bytes for {@link AvroSerdes#valueDeserializer} or raw inspection.
     */
    public static Map<String, Object> committedReaderConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }
}
