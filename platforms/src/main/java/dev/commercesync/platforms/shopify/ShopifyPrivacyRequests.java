package dev.commercesync.platforms.shopify;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Shopify's mandatory compliance webhooks, configured in the app's settings (Partner Dashboard, {@code
 * shopify.app.toml}'s {@code compliance_topics}), not subscribed through the Admin API, and signed like every other
 * webhook:
 *
 * <ul>
 *   <li>{@code customers/redact}: {@code {shop_id, shop_domain, customer: {id, email, phone}, orders_to_redact: [..]}};
 *   <li>{@code customers/data_request}: the same with {@code orders_requested} and {@code data_request: {id}};
 *   <li>{@code shop/redact}: {@code {shop_id, shop_domain}}, 48 hours after the app was uninstalled.
 * </ul>
 *
 * <p>Each must be completed within 30 days of receipt. The request keeps the customer's id only as {@link PrivacyKeys}'
 * hash, and the order ids; the email and phone are not read.
 */
final class ShopifyPrivacyRequests {
    static final Duration DEADLINE = Duration.ofDays(30);

    private static final Map<String, PrivacyRequestKind> TOPICS = Map.of(
            "customers/redact", PrivacyRequestKind.CUSTOMER_REDACT,
            "customers/data_request", PrivacyRequestKind.CUSTOMER_DATA_REQUEST,
            "shop/redact", PrivacyRequestKind.SHOP_REDACT);

    private ShopifyPrivacyRequests() {}

    static Set<String> topics() {
        return TOPICS.keySet();
    }

    static Optional<PrivacyRequest> of(WebhookDelivery delivery, byte[] body, Instant receivedAt)
            throws MappingException {
        PrivacyRequestKind kind = delivery.eventType().map(TOPICS::get).orElse(null);
        if (kind == null) {
            return Optional.empty();
        }
        // What the record's timestamp-millis keeps.
        Instant at = receivedAt.truncatedTo(ChronoUnit.MILLIS);
        String store = delivery.store().orElseThrow(() -> MappingException.field("shop_domain", "no shop"));
        PayloadObject root = PayloadObject.root(Json.parseObject(body));
        String customerHash = null;
        List<String> orderIds = List.of();
        String platformRequestId = null;
        if (kind != PrivacyRequestKind.SHOP_REDACT) {
            // Shopify may name a customer by email only; without an id there are no rows of theirs to find here, as
            // the target keys customers by id. Such a request is still recorded (and done: nothing to redact).
            customerHash = root.requiredObject("customer")
                    .id("id")
                    .map(id -> PrivacyKeys.customerKeyHash(ShopifyAdapter.NAME, store, id))
                    .orElse(null);
            orderIds = root.texts(kind == PrivacyRequestKind.CUSTOMER_REDACT ? "orders_to_redact" : "orders_requested");
            if (kind == PrivacyRequestKind.CUSTOMER_DATA_REQUEST) {
                platformRequestId = root.requiredObject("data_request").requiredId("id");
            }
        }
        // Stable across Shopify's redeliveries: the data request's own id, else the event id, else the webhook id.
        String stableId = Optional.ofNullable(platformRequestId)
                .or(delivery::platformEventId)
                .or(delivery::deliveryId)
                .orElseThrow(() -> MappingException.field(
                        ShopifyAdapter.EVENT_ID_HEADER, "no request, event or webhook id to recognise redeliveries"));
        return Optional.of(PrivacyRequest.newBuilder()
                .setRequestId(PrivacyKeys.requestId(ShopifyAdapter.NAME, store, kind, stableId))
                .setPlatform(ShopifyAdapter.NAME)
                .setStore(store)
                .setKind(kind)
                .setCustomerKeyHash(customerHash)
                .setOrderIds(orderIds)
                .setReceivedAt(at)
                .setDueAt(at.plus(DEADLINE))
                .setPlatformEventId(delivery.platformEventId().orElse(null))
                .build());
    }
}
