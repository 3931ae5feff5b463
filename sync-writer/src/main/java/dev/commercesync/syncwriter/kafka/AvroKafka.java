package dev.commercesync.syncwriter.kafka;

import dev.commercesync.serdes.GeneratedClassesDatumProvider;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Apicurio serdes every commerce-sync topic uses (Confluent wire format: magic byte, 4-byte schema id; subject
 * {@code <topic>-value}; generated classes on read) and the one way this service builds a producer: acks=all,
 * idempotent, keyed by a UTF-8 string.
 */
public final class AvroKafka {
    private AvroKafka() {}

    /** Reads any commerce-sync value as its generated class. */
    public static Deserializer<Object> valueDeserializer(String registryApiUrl) {
        AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(
                Map.of(
                        "apicurio.registry.url",
                        registryApiUrl,
                        "apicurio.registry.use-specific-avro-reader",
                        true,
                        // The class, not its name: the serde would look the name up in its own class loader.
                        "apicurio.registry.avro-datum-provider",
                        GeneratedClassesDatumProvider.class),
                false);
        return deserializer;
    }

    /**
     * A producer of generated Avro records: acks=all and idempotent, so a record is durable once acknowledged and a
     * retried send is not duplicated.
     *
     * @param clientId shows up in the broker's logs and metrics (sync-writer-dlq, sync-writer-applied)
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
                avroSerializer(registryApiUrl));
    }

    /**
     * How a client authenticates and encrypts ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}): the producers
     * built here take them from the channels' configuration, so that they reach a SCRAM or TLS listener too.
     */
    static Map<String, Object> connectionSettings(Map<String, Object> defaultKafkaConfig) {
        Map<String, Object> settings = new HashMap<>();
        defaultKafkaConfig.forEach((key, value) -> {
            if (key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    static Map<String, Object> producerConfig(
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

    private static AvroKafkaSerializer<SpecificRecord> avroSerializer(String registryApiUrl) {
        AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
        serializer.configure(
                Map.of(
                        "apicurio.registry.url",
                        registryApiUrl,
                        "apicurio.registry.auto-register",
                        true,
                        // Two producers registering schemas that share referenced types (EntityType, RawRecordRef) at
                        // the same moment can collide in the registry; a retry then finds what the other created.
                        "apicurio.registry.retry-count",
                        5,
                        "apicurio.registry.retry-backoff-ms",
                        300,
                        "apicurio.registry.avro-datum-provider",
                        GeneratedClassesDatumProvider.class),
                false);
        return serializer;
    }
}
