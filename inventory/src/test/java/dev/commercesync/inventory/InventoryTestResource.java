package dev.commercesync.inventory;

import dev.commercesync.testsupport.KafkaTestClient;
import dev.commercesync.testsupport.StoreRegistryTestResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real stack with the store registry's schema, the topics the pool reads and writes, a short coalesce interval. */
public class InventoryTestResource extends StoreRegistryTestResource {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        List<String> topics = new java.util.ArrayList<>(InventoryTopology.INPUTS);
        topics.add(dev.commercesync.schemas.CommerceTopic.COMMANDS.topicName());
        // In a deployment the normalizer (or the topic operator) creates them; Kafka Streams waits for its inputs.
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.ensureTopics(topics);
        } catch (Exception e) {
            throw new IllegalStateException("creating the pool's topics failed", e);
        }
        config.put("inventory.coalesce-interval", "200ms");
        return config;
    }
}
