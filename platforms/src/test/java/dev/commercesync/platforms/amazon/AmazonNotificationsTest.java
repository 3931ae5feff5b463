package dev.commercesync.platforms.amazon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.QueuedNotifications;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SP-API notifications as the ingest's queue consumer reads them from SQS and the normalizer classifies them: Amazon's
 * published ORDER_CHANGE example (fixtures/amazon/order_change.notification_example.json).
 */
class AmazonNotificationsTest {
    private static final byte[] ORDER_CHANGE = fixture("order_change.notification_example.json");
    private final AmazonAdapter adapter = new AmazonAdapter();
    private final QueuedNotifications notifications =
            adapter.queuedNotifications().orElseThrow();

    @Test
    void orderChangeNamesItsSellerTypeAndNotificationId() throws MappingException {
        WebhookDelivery delivery = notifications.describe(ORDER_CHANGE);
        assertEquals(Optional.of("A3TH9S8BH6GOGM"), delivery.store());
        assertTrue(adapter.isValidStoreId(delivery.store().get()), "a seller id is the store id");
        assertEquals(Optional.of("ORDER_CHANGE"), delivery.eventType());
        assertEquals(Optional.of("d0e9e693-c3ad-4373-979f-ed4ec98dd746"), delivery.platformEventId());
        assertEquals(Optional.of("d0e9e693-c3ad-4373-979f-ed4ec98dd746"), delivery.deliveryId());
        assertEquals(Optional.empty(), delivery.apiVersion(), "PayloadVersion is not an Orders API version");
    }

    @Test
    void orderChangeIsAThinOrderUpsertDeduplicatedByItsNotificationId() throws MappingException {
        RawEnvelope envelope = RawEnvelopes.fromQueue(
                AmazonAdapter.NAME, notifications.describe(ORDER_CHANGE), ORDER_CHANGE, Instant.EPOCH);
        assertEquals(EventSource.WEBHOOK, envelope.getSource());

        Classification classification = adapter.classify(envelope, Json.parseObject(ORDER_CHANGE));

        Classification.Classified thin = assertInstanceOf(Classification.Classified.class, classification);
        assertEquals(EntityType.ORDER, thin.entityType());
        assertEquals(Operation.UPSERT, thin.operation());
        assertEquals("903-8868176-2219830", thin.entityId());
        assertEquals(Classification.PayloadKind.THIN, thin.payloadKind(), "the poller fetches the order (getOrder)");
        assertEquals(
                EventKeys.fromPlatformEventId(
                        AmazonAdapter.NAME, "A3TH9S8BH6GOGM", "d0e9e693-c3ad-4373-979f-ed4ec98dd746"),
                thin.dedupKey(),
                "an SQS redelivery carries the same notification id");
    }

    @Test
    void otherNotificationTypesAreReadButUnknownToTheNormalizer() throws MappingException {
        byte[] quantity =
                """
                {"NotificationVersion": "1.0", "NotificationType": "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
                 "PayloadVersion": "1.0", "EventTime": "2026-12-07T19:42:04.284Z",
                 "Payload": {"SellerId": "A3TH9S8BH6GOGM", "FulfillmentChannelCode": "DEFAULT", "Sku": "SKU-1",
                             "Quantity": 4},
                 "NotificationMetadata": {"NotificationId": "n-2"}}
                """
                        .getBytes(StandardCharsets.UTF_8);
        WebhookDelivery delivery = notifications.describe(quantity);
        assertEquals(Optional.of("A3TH9S8BH6GOGM"), delivery.store());

        RawEnvelope envelope = RawEnvelopes.fromQueue(AmazonAdapter.NAME, delivery, quantity, Instant.EPOCH);
        assertEquals(
                new Classification.UnknownEventType("LISTINGS_ITEM_MFN_QUANTITY_CHANGE"),
                adapter.classify(envelope, Json.parseObject(quantity)),
                "quarantined by the normalizer: no listings mapping yet");
    }

    @Test
    void aBodyThatIsNoNotificationSaysWhatIsMissing() {
        MappingException noType = assertThrows(
                MappingException.class,
                () -> notifications.describe("{\"Message\": \"hello\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("NotificationType", noType.fieldPath());

        MappingException noSeller = assertThrows(
                MappingException.class,
                () -> notifications.describe(("{\"NotificationType\": \"ORDER_CHANGE\", \"Payload\":"
                                + " {\"OrderChangeNotification\": {}}, \"NotificationMetadata\": {\"NotificationId\": \"n\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("Payload.OrderChangeNotification.SellerId", noSeller.fieldPath());

        assertThrows(MappingException.class, () -> notifications.describe("not json".getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] fixture(String name) {
        try (InputStream in = AmazonNotificationsTest.class.getResourceAsStream("/fixtures/amazon/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
