package dev.commercesync.platforms.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.Classification.PayloadKind;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.QueuedNotifications;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.util.Map;
import java.util.Optional;

/**
 * SP-API notifications as they arrive on the application's Amazon SQS queue (Notifications API destinations; the
 * message body is the notification document, no SNS envelope). Every notification has the same frame:
 *
 * <pre>{@code
 * {"NotificationVersion": "1.0", "NotificationType": "ORDER_CHANGE", "PayloadVersion": "1.0",
 *  "EventTime": "2020-01-11T00:09:53.109Z",
 *  "Payload": {"OrderChangeNotification": {"SellerId": "A3TH9S8BH6GOGM", "AmazonOrderId": "903-8868176-2219830",
 *              "OrderChangeType": "BuyerRequestedChange", "OrderChangeTrigger": {...}, "Summary": {...}}},
 *  "NotificationMetadata": {"ApplicationId": "...", "SubscriptionId": "...", "PublishTime": "...",
 *                           "NotificationId": "d0e9e693-c3ad-4373-979f-ed4ec98dd746"}}
 * }</pre>
 *
 * (Amazon's published schema {@code schemas/notifications/OrderChangeNotification.json} in amzn/selling-partner-api-models).
 * The seller is {@code Payload.OrderChangeNotification.SellerId} for ORDER_CHANGE and {@code Payload.SellerId} for the
 * other types the ingest may meet (LISTINGS_ITEM_STATUS_CHANGE, LISTINGS_ITEM_MFN_QUANTITY_CHANGE); the notification's
 * id ({@code NotificationMetadata.NotificationId}) is stable across SQS redeliveries and becomes the platform event id,
 * so the normalizer drops a redelivered copy.
 *
 * <p>ORDER_CHANGE is thin by design (a summary, no prices, no buyer): it is classified as a thin order upsert, which the
 * poller hydrates with {@code getOrder} within the store's budget. Other notification types are classified as unknown
 * and quarantined by the normalizer (this adapter maps no listings yet).
 */
final class AmazonNotifications implements QueuedNotifications {
    static final String ORDER_CHANGE = "ORDER_CHANGE";

    @Override
    public WebhookDelivery describe(byte[] body) throws MappingException {
        PayloadObject notification = PayloadObject.root(Json.parseObject(body));
        String type = notification.requiredText("NotificationType");
        String notificationId =
                notification.requiredObject("NotificationMetadata").requiredText("NotificationId");
        PayloadObject payload = notification.requiredObject("Payload");
        String seller = ORDER_CHANGE.equals(type)
                ? payload.requiredObject("OrderChangeNotification").requiredText("SellerId")
                : payload.requiredText("SellerId");
        return new WebhookDelivery(
                Optional.of(seller),
                Optional.of(type),
                Optional.of(notificationId),
                Optional.of(notificationId),
                Map.of(),
                // PayloadVersion is the notification's version, not an Orders API version: the hydrated order has that.
                Optional.empty());
    }

    /**
     * An ORDER_CHANGE notification: a thin upsert of its order (no updated-at: the summary is not the order, the
     * hydrated order carries its own), deduplicated by the notification's id. Any other type: unknown.
     */
    static Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        String type = envelope.getEventType() == null ? "" : envelope.getEventType();
        if (!ORDER_CHANGE.equals(type)) {
            return new Classification.UnknownEventType(type);
        }
        String orderId = PayloadObject.root(payload)
                .requiredObject("Payload")
                .requiredObject("OrderChangeNotification")
                .requiredText("AmazonOrderId");
        return new Classification.Classified(
                EntityType.ORDER,
                Operation.UPSERT,
                orderId,
                null,
                null,
                EventKeys.dedupKey(envelope, EntityType.ORDER, orderId, null, Operation.UPSERT),
                PayloadKind.THIN);
    }
}
