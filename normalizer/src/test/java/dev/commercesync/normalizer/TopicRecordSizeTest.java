package dev.commercesync.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.kafka.TopicNames;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The topics the normalizer creates take the pipeline's largest record (a webhook body at the ingest's limit in its
 * envelope, and what it maps to), whatever the broker's default.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class TopicRecordSizeTest {

    @ConfigProperty(name = "commercesync.kafka.max-record-bytes")
    int maxRecordBytes;

    @Test
    void createdTopicsTakeThePipelinesLargestRecord() throws Exception {
        TopicNames topics = TopicNames.standard();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.endpoints().kafkaBootstrap()))) {
            for (String topic : List.of(topics.raw(), topics.outputs().get(0))) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                ConfigEntry entry = admin.describeConfigs(List.of(resource))
                        .all()
                        .get()
                        .get(resource)
                        .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                assertEquals(Integer.toString(maxRecordBytes), entry.value(), topic);
                // The topic's own setting, not the (dev) broker's default: production brokers keep 1 MiB.
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source(), topic);
            }
        }
        assertEquals(16 * 1024 * 1024, maxRecordBytes);
    }
}
