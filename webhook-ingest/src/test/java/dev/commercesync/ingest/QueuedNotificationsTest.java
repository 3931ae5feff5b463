package dev.commercesync.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.StackFaults;
import dev.commercesync.ingest.queue.QueueConsumer;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The queue consumer against a real SQS-compatible server (ElasticMQ) and the real broker, registry and PostgreSQL:
 * SP-API notifications on the queue become raw records on Kafka and leave the queue only once stored; with Kafka
 * frozen they stay; what can never be stored goes to the dead-letter queue with its reason.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
@WithTestResource(ElasticMqTestResource.class)
class QueuedNotificationsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    // Optional: Quarkus checks every test class's injection points at each boot, also the boots of the module's other
    // test classes, which have no queue (ElasticMqTestResource is restricted to this class).
    @ConfigProperty(name = "commercesync.ingest.queue.url")
    Optional<String> queueUrlSetting;

    @ConfigProperty(name = "commercesync.ingest.queue.dead-letter-url")
    Optional<String> deadLetterUrlSetting;

    @ConfigProperty(name = "commercesync.ingest.queue.endpoint")
    Optional<URI> endpointSetting;

    String queueUrl;
    String deadLetterUrl;
    URI endpoint;

    @Inject
    QueueConsumer consumer;

    @BeforeAll
    static void rawTopicExists() throws Exception {
        WebhookIngestTest.rawTopicExists();
    }

    @BeforeEach
    void queues() {
        queueUrl = queueUrlSetting.orElseThrow();
        deadLetterUrl = deadLetterUrlSetting.orElseThrow();
        endpoint = endpointSetting.orElseThrow();
    }

    @Test
    void orderChangeIsStoredOnKafkaThenDeletedFromTheQueue() {
        String seller = registerSeller();
        String notificationId = UUID.randomUUID().toString();
        String body = orderChange(seller, "903-8868176-2219830", notificationId);

        try (SqsClient sqs = ElasticMqTestResource.client(endpoint)) {
            sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(body));

            List<ConsumerRecord<String, RawEnvelope>> records =
                    WebhookIngestTest.rawRecordsUntil(e -> notificationId.equals(e.getPlatformEventId()));
            ConsumerRecord<String, RawEnvelope> stored = records.get(records.size() - 1);
            assertEquals("amazon/" + seller, stored.key(), "keyed by store, as the store's webhooks and polls");
            RawEnvelope envelope = stored.value();
            assertEquals("amazon", envelope.getPlatform());
            assertEquals(seller, envelope.getStore());
            assertEquals("ORDER_CHANGE", envelope.getEventType());
            assertEquals(EventSource.WEBHOOK, envelope.getSource());
            assertEquals(notificationId, envelope.getDeliveryId());
            assertEquals(body, text(envelope.getBody()), "the message body, verbatim");

            await("the stored notification deleted from the queue")
                    .atMost(PATIENCE)
                    .until(() -> messagesOn(sqs, queueUrl) == 0);
        }
    }

    @Test
    void withKafkaFrozenTheNotificationStaysOnTheQueueUntilStored() {
        String seller = registerSeller();
        String notificationId = UUID.randomUUID().toString();
        long notStoredBefore = consumer.count("not_stored");

        try (SqsClient sqs = ElasticMqTestResource.client(endpoint)) {
            try (StackFaults.Fault frozen = SharedStack.faults().pauseKafka()) {
                sqs.sendMessage(send -> send.queueUrl(queueUrl)
                        .messageBody(orderChange(seller, "903-0000000-0000001", notificationId)));
                await("the consumer tried to store it and Kafka did not acknowledge")
                        .atMost(PATIENCE)
                        .until(() -> consumer.count("not_stored") > notStoredBefore);
                assertEquals(1, messagesOn(sqs, queueUrl), "not deleted while Kafka is away");
            }

            WebhookIngestTest.rawRecordsUntil(e -> notificationId.equals(e.getPlatformEventId()));
            await("deleted once stored").atMost(PATIENCE).until(() -> messagesOn(sqs, queueUrl) == 0);
        }
    }

    @Test
    void whatCanNeverBeStoredGoesToTheDeadLetterQueueWithItsReason() {
        String unknownSeller = "AUNKNOWN" + suffix();
        try (SqsClient sqs = ElasticMqTestResource.client(endpoint)) {
            sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody("{\"Message\": \"not a notification\"}"));
            sqs.sendMessage(send -> send.queueUrl(queueUrl)
                    .messageBody(orderChange(
                            unknownSeller,
                            "903-0000000-0000002",
                            UUID.randomUUID().toString())));

            List<String> reasons = new ArrayList<>();
            await("both in the dead-letter queue").atMost(PATIENCE).until(() -> {
                for (Message message : sqs.receiveMessage(receive -> receive.queueUrl(deadLetterUrl)
                                .messageAttributeNames("All")
                                .maxNumberOfMessages(10)
                                .waitTimeSeconds(1))
                        .messages()) {
                    reasons.add(message.messageAttributes()
                            .get("commercesync-reason")
                            .stringValue());
                    sqs.deleteMessage(delete -> delete.queueUrl(deadLetterUrl).receiptHandle(message.receiptHandle()));
                }
                return reasons.size() >= 2;
            });
            assertEquals(2, reasons.size(), reasons.toString());
            assertTrue(
                    reasons.stream().anyMatch(r -> r.startsWith("malformed_notification: NotificationType")),
                    reasons.toString());
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith("unknown_store")), reasons.toString());
            assertEquals(0, messagesOn(sqs, queueUrl), "moved, not copied");
        }
    }

    /** Registers an Amazon store under a new seller id (the store id is the seller id). */
    private static String registerSeller() {
        return WebhookIngestTest.registerAs("amazon", "A" + suffix(), "queue-test-secret-0123456789");
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    /** Visible and in-flight (received, not yet deleted) messages of a queue. */
    private static int messagesOn(SqsClient sqs, String queue) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(get -> get.queueUrl(queue)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /**
     * An ORDER_CHANGE notification in the shape of Amazon's published example (selling-partner-api-models,
     * schemas/notifications/OrderChangeNotification.json), for the given seller, order and notification id.
     */
    static String orderChange(String seller, String orderId, String notificationId) {
        return """
                {"NotificationVersion": "1.0", "NotificationType": "ORDER_CHANGE", "PayloadVersion": "1.0",
                 "EventTime": "2026-12-07T19:42:04.284Z",
                 "Payload": {"OrderChangeNotification": {"NotificationLevel": "OrderLevel", "SellerId": "%s",
                   "AmazonOrderId": "%s", "OrderChangeType": "OrderStatusChange",
                   "OrderChangeTrigger": {"TimeOfOrderChange": "2026-12-07T19:42:04.284Z",
                     "ChangeReason": "Order status changed"},
                   "Summary": {"MarketplaceId": "ATVPDKIKX0DER", "OrderStatus": "Unshipped",
                     "FulfillmentType": "MFN", "OrderType": "StandardOrder"}}},
                 "NotificationMetadata": {"ApplicationId": "amzn1.sellerapps.app.test",
                   "SubscriptionId": "subscription-test", "PublishTime": "2026-12-07T19:42:04.284Z",
                   "NotificationId": "%s"}}
                """
                .formatted(seller, orderId, notificationId);
    }

    private static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
