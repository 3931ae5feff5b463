package dev.commercesync.ingest;

import static org.hamcrest.Matchers.equalTo;

import dev.commercesync.devstack.StackFaults;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the broker unreachable, a valid webhook is answered 503 (with Retry-After) so the platform retries: never a 2xx
 * for something that was not stored. PostgreSQL and the registry are the real ones; the real broker is frozen (every
 * process SIGSTOPped) for the request, so it acknowledges nothing within {@code commercesync.ingest.produce-timeout}.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class KafkaUnavailableTest {

    @BeforeAll
    static void rawTopicExists() throws Exception {
        WebhookIngestTest.rawTopicExists();
    }

    @Test
    void validWebhookIsAnswered503WhenKafkaDoesNotAcknowledge() {
        // The broker stores webhooks (the topic exists, the producer is up): the 503 below is the freeze's.
        WebhookIngestTest.warmUp();
        String shop = WebhookIngestTest.register("shopify", "s-0123456789abcdef");
        byte[] body = SignedDeliveries.fixture("shopify/orders_create.json");

        try (StackFaults.Fault frozen = SharedStack.faults().pauseKafka()) {
            WebhookIngestTest.post(
                            "shopify", SignedDeliveries.shopify(shop, "orders/create", body, "s-0123456789abcdef", "e"))
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .body("error", equalTo("kafka_unavailable"));
        }
    }
}
