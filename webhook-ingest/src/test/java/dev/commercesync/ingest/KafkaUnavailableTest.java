package dev.commercesync.ingest;

import static org.hamcrest.Matchers.equalTo;

import dev.commercesync.testsupport.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the broker unreachable, a valid webhook is answered 503 (with Retry-After) so the platform retries: never a 2xx
 * for something that was not stored. PostgreSQL and the registry are the real ones; only Kafka points nowhere.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@TestProfile(KafkaUnavailableTest.NoBroker.class)
class KafkaUnavailableTest {

    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A port nothing listens on (the discard port is never bound here).
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:9", "quarkus.kafka.health.enabled", "false");
        }
    }

    @Test
    void validWebhookIsAnswered503WhenKafkaDoesNotAcknowledge() {
        String shop = WebhookIngestTest.register("shopify", "s-0123456789abcdef");
        byte[] body = SignedDeliveries.fixture("shopify/orders_create.json");

        WebhookIngestTest.post(
                        "shopify", SignedDeliveries.shopify(shop, "orders/create", body, "s-0123456789abcdef", "e"))
                .statusCode(503)
                .header("Retry-After", "5")
                .body("error", equalTo("kafka_unavailable"));
    }
}
