package dev.commercesync.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * The producers the sync-writer builds itself (dead letters, the outbox relay) connect as its Kafka channels do: a
 * SCRAM-over-TLS listener (deploy/k8s) needs the same security settings on every client.
 */
class AvroKafkaTest {
    static final Map<String, Object> CHANNELS = Map.of(
            "bootstrap.servers", "channels:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/etc/kafka-ca/ca.crt",
            "acks", "1",
            "group.id", "commerce-sync-writer");

    @Test
    void producersTakeTheChannelsConnectionSettings() {
        Map<String, Object> config = AvroKafka.producerConfig("writer:9093", CHANNELS, "sync-writer-dlq");

        assertEquals("SASL_SSL", config.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", config.get("sasl.mechanism"));
        assertEquals(CHANNELS.get("sasl.jaas.config"), config.get("sasl.jaas.config"));
        assertEquals("PEM", config.get("ssl.truststore.type"));
        assertEquals("/etc/kafka-ca/ca.crt", config.get("ssl.truststore.location"));
    }

    @Test
    void theirOwnDeliverySettingsStay() {
        Map<String, Object> config = AvroKafka.producerConfig("writer:9093", CHANNELS, "sync-writer-dlq");

        assertEquals("writer:9093", config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("all", config.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertFalse(config.containsKey("group.id"), "consumer settings are not a producer's");
    }
}
