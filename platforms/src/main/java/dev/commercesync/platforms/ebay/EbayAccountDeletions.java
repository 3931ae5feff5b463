package dev.commercesync.platforms.ebay;

import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.shared.PrivacyKeys;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.PrivacyRequestKind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * eBay's marketplace account deletion (developer.ebay.com/marketplace-account-deletion): an eBay user closed their
 * account and asked for their personal data to be deleted by every application that stores it. The Notification API
 * pushes {@code {"metadata": {"topic": "MARKETPLACE_ACCOUNT_DELETION", ...}, "notification": {"notificationId",
 * "eventDate", "publishDate", "publishAttemptCount", "data": {"username", "userId", "eiasToken"}}}}, signed with {@code
 * X-EBAY-SIGNATURE} like every notification, to the application's endpoint (validated first by its {@code
 * challenge_code}: {@link EbayAdapter#endpointChallengeResponse}).
 *
 * <p>It becomes a {@code CUSTOMER_REDACT} of the buyer named as the store's orders name them ({@link
 * EbayPayloads#buyerId}: the {@code username}, else the {@code userId}), by {@link PrivacyKeys}' hash only; the
 * {@code eiasToken} and the names are not kept. eBay lists no orders (no {@code order_ids}).
 *
 * <p>Deadlines: eBay requires the notification to be acknowledged at once (200, 201, 202 or 204; the ingest answers
 * 200 once Kafka has the request) and retries what is not. For the deletion itself eBay's page names no number of
 * days; commerce-sync records {@link #DEADLINE}, 30 days, which is also when the raw topic's copies of the buyer's
 * orders have expired (docs/privacy.md). The sync-writer carries the request out within seconds.
 */
final class EbayAccountDeletions {
    static final Duration DEADLINE = Duration.ofDays(30);

    private EbayAccountDeletions() {}

    static Set<String> topics() {
        return Set.of(EbayAdapter.ACCOUNT_DELETION);
    }

    static Optional<PrivacyRequest> of(WebhookDelivery delivery, byte[] body, Instant receivedAt)
            throws MappingException {
        if (delivery.eventType().filter(EbayAdapter.ACCOUNT_DELETION::equals).isEmpty()) {
            return Optional.empty();
        }
        // What the record's timestamp-millis keeps.
        Instant at = receivedAt.truncatedTo(ChronoUnit.MILLIS);
        String store = delivery.store().orElseThrow(() -> MappingException.field("store", "no store in the URL"));
        PayloadObject notification = PayloadObject.root(Json.parseObject(body)).requiredObject("notification");
        String buyer = buyerId(notification.requiredObject("data"));
        // The same notificationId on every retry (publishAttemptCount counts them): a redelivery is the same request.
        String notificationId = notification.requiredText("notificationId");
        PrivacyRequestKind kind = PrivacyRequestKind.CUSTOMER_REDACT;
        return Optional.of(PrivacyRequest.newBuilder()
                .setRequestId(PrivacyKeys.requestId(EbayAdapter.NAME, store, kind, notificationId))
                .setPlatform(EbayAdapter.NAME)
                .setStore(store)
                .setKind(kind)
                .setCustomerKeyHash(PrivacyKeys.customerKeyHash(EbayAdapter.NAME, store, buyer))
                .setOrderIds(List.of())
                .setReceivedAt(at)
                .setDueAt(at.plus(DEADLINE))
                .setPlatformEventId(notificationId)
                .build());
    }

    /**
     * The canonical customer id of the deleted user: as orders name buyers ({@link EbayPayloads#buyerId}), else the
     * {@code userId} (which is then what the orders carry as well).
     */
    static String buyerId(PayloadObject data) throws MappingException {
        Optional<String> buyer = EbayPayloads.buyerId(data);
        return buyer.isPresent() ? buyer.get() : data.requiredId("userId");
    }
}
