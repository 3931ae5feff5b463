package dev.commercesync.poller;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.testsupport.KafkaTestClient;
import dev.commercesync.testsupport.StoreRegistryTestResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real stack and the store registry's schema, plus the poller tests' narrower settings. */
public class PollerTestResource extends StoreRegistryTestResource {

    /** A store whose own settings override its platform's ({@code StoreSettingsTest}). */
    static final String OVERRIDDEN_STORE = "overridden.myshopify.com";

    /**
     * The tests' narrower settings (the defaults are the adapters' capabilities): the fake WooCommerce store serves
     * orders and order topics only; one Shopify store has its own types and request cost.
     */
    static final Map<String, String> OVERRIDES = Map.of(
            "commercesync.poller.platform.\"woocommerce\".resources",
            "ORDER",
            "commercesync.poller.platform.\"woocommerce\".webhook-topics",
            "order.created,order.updated",
            "commercesync.poller.store.\"shopify/" + OVERRIDDEN_STORE + "\".resources",
            "PRODUCT,CUSTOMER",
            "commercesync.poller.store.\"shopify/" + OVERRIDDEN_STORE + "\".request-cost",
            "7",
            // Settings only (StoreSettingsTest): this store is never polled.
            "commercesync.poller.store.\"shopify/" + OVERRIDDEN_STORE + "\".snapshot-resources",
            "INVENTORY_LEVEL");

    @Override
    public Map<String, String> start() {
        Map<String, String> all = new HashMap<>(super.start());
        // Every topic the poller reads or writes exists before it starts (in a deployment the topic operator's).
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.ensureTopics(List.of(
                    CommerceTopic.RAW.topicName(),
                    CommerceTopic.FETCH_REQUESTS.topicName(),
                    CommerceTopic.FETCH_DLQ.topicName(),
                    CommerceTopic.QUARANTINE.topicName(),
                    CommerceTopic.COMMANDS.topicName(),
                    CommerceTopic.COMMAND_RESULTS.topicName()));
        } catch (Exception e) {
            throw new IllegalStateException("creating the poller's topics failed", e);
        }
        all.putAll(OVERRIDES);
        return all;
    }
}
