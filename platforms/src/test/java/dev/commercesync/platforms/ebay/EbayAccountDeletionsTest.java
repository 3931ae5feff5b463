package dev.commercesync.platforms.ebay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.PrivacyKeys;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.PrivacyRequestKind;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** eBay's marketplace account deletion, as eBay publishes it, into a customer redaction without personal data. */
class EbayAccountDeletionsTest {
    private static final String STORE = "test-seller";
    private static final Instant RECEIVED = Instant.parse("2026-12-07T10:00:00.123456Z");
    private static final String NOTIFICATION_ID =
            "49feeaeb-4982-42d9-a377-9645b8479411_33f7e043-fed8-442b-9d44-791923bd9a6d";
    private final EbayAdapter adapter = new EbayAdapter();

    @Test
    void anAccountDeletionIsACustomerRedactionOfTheBuyerNamedAsTheOrdersNameIt() throws Exception {
        PrivacyRequest request = request(fixture("marketplace_account_deletion.json"));

        assertEquals(PrivacyRequestKind.CUSTOMER_REDACT, request.getKind());
        assertEquals("ebay", request.getPlatform());
        assertEquals(STORE, request.getStore(), "the store of the URL the notification was sent to");
        assertEquals(
                "d8d38491b1ca824e4d323917a4bea2e56376d2a94559bc0c9ce6f5568e39a05e",
                request.getCustomerKeyHash(),
                "SHA-256 of ebay/test-seller/customer/test_user");
        assertEquals(PrivacyKeys.customerKeyHash("ebay", STORE, "test_user"), request.getCustomerKeyHash());
        assertEquals(List.of(), request.getOrderIds(), "eBay lists no orders: the buyer's are found by the hash");
        assertEquals("ebay/test-seller/customer_redact/" + NOTIFICATION_ID, request.getRequestId());
        assertEquals(NOTIFICATION_ID, request.getPlatformEventId());
        assertEquals(Instant.parse("2026-12-07T10:00:00.123Z"), request.getReceivedAt());
        assertEquals(request.getReceivedAt().plus(Duration.ofDays(30)), request.getDueAt());
        String everything = request.toString();
        for (String personal : List.of("test_user", "ma8vp1jySJC", "nY+sHZ2PrBmdj6wVnY+sEZ2")) {
            assertFalse(everything.contains(personal), "no username, user id or eiasToken: " + everything);
        }
    }

    @Test
    void theHashIsTheOneOfTheCanonicalCustomerOfTheBuyersOrders() throws Exception {
        byte[] order = fixture("order.get_order.json");
        Order mapped = (Order) adapter.mapper(EntityType.ORDER).orElseThrow().map(Json.parseObject(order), null);
        String buyer = mapped.getCustomer().getId();
        assertEquals("test_buyer_1", buyer);

        byte[] deletion = new String(fixture("marketplace_account_deletion.json"), StandardCharsets.UTF_8)
                .replace("\"username\":\"test_user\"", "\"username\":\"" + buyer + "\"")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                PrivacyKeys.customerKeyHash("ebay", STORE, buyer),
                request(deletion).getCustomerKeyHash());
    }

    @Test
    void forADeveloperGivenUserIdsTheUserIdNamesTheBuyerAsOnTheOrders() throws Exception {
        // eBay's data handling update: such developers get the immutable user id in both username and userId, and in
        // the orders' buyer.username; without a username at all, the userId is the name left.
        byte[] both = notification("\"username\":\"u-imm-1\",\"userId\":\"u-imm-1\"");
        byte[] userIdOnly = notification("\"userId\":\"u-imm-1\"");
        String expected = PrivacyKeys.customerKeyHash("ebay", STORE, "u-imm-1");
        assertEquals(expected, request(both).getCustomerKeyHash());
        assertEquals(expected, request(userIdOnly).getCustomerKeyHash());
    }

    @Test
    void aRetryOfTheNotificationIsTheSameRequest() throws Exception {
        byte[] retry = new String(fixture("marketplace_account_deletion.json"), StandardCharsets.UTF_8)
                .replace("\"publishAttemptCount\":1", "\"publishAttemptCount\":3")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                request(fixture("marketplace_account_deletion.json")).getRequestId(),
                request(retry).getRequestId());
    }

    @Test
    void aMalformedNotificationIsAMappingError() {
        assertThrows(MappingException.class, () -> request(notification("\"eiasToken\":\"t\"")));
        assertThrows(
                MappingException.class,
                () -> request("{\"metadata\":{\"topic\":\"MARKETPLACE_ACCOUNT_DELETION\"}}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertThrows(MappingException.class, () -> request("not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theAccountDeletionIsThePrivacyTopicAndNothingElseIsAPrivacyRequest() throws Exception {
        assertEquals(Set.of("MARKETPLACE_ACCOUNT_DELETION"), adapter.privacyTopics());
        WebhookDelivery other = new WebhookDelivery(
                Optional.of(STORE), Optional.of("ITEM_SOLD"), Optional.empty(), Optional.empty(), Map.of());
        assertTrue(adapter.privacyRequest(other, fixture("marketplace_account_deletion.json"), RECEIVED)
                .isEmpty());
    }

    @Test
    void aDeletionAlreadyOnTheRawTopicDeletesTheCustomerNamedLikeTheOrdersBuyer() throws Exception {
        byte[] body = fixture("marketplace_account_deletion.json");
        RawEnvelope envelope = RawEnvelopes.fromWebhook(
                adapter,
                new WebhookRequest(
                        Map.of(WebhookRequest.PATH_STORE_HEADER, STORE, "Content-Type", "application/json"), body),
                RECEIVED);
        assertEquals(EventSource.WEBHOOK, envelope.getSource());
        Classification.Classified classified =
                assertInstanceOf(Classification.Classified.class, adapter.classify(envelope, Json.parseObject(body)));
        assertEquals("test_user", classified.entityId());
    }

    private PrivacyRequest request(byte[] body) throws MappingException {
        WebhookDelivery delivery = adapter.describeDelivery(new WebhookRequest(
                Map.of(WebhookRequest.PATH_STORE_HEADER, STORE, "Content-Type", "application/json"), body));
        if (delivery.eventType().isPresent()) {
            // The topic as the ingest reads it from the body.
            return adapter.privacyRequest(delivery, body, RECEIVED).orElseThrow();
        }
        // A body too broken to name its topic (the ingest rejects it before): given the topic, to reach the
        // request's own checks of the body.
        WebhookDelivery named = new WebhookDelivery(
                delivery.store(),
                Optional.of("MARKETPLACE_ACCOUNT_DELETION"),
                delivery.deliveryId(),
                delivery.platformEventId(),
                Map.of());
        return adapter.privacyRequest(named, body, RECEIVED).orElseThrow();
    }

    private static byte[] notification(String data) {
        return ("{\"metadata\":{\"topic\":\"MARKETPLACE_ACCOUNT_DELETION\",\"schemaVersion\":\"1.0\","
                        + "\"deprecated\":false},\"notification\":{\"notificationId\":\"n-1\",\"eventDate\":"
                        + "\"2026-12-07T09:59:59.000Z\",\"publishDate\":\"2026-12-07T10:00:00.000Z\","
                        + "\"publishAttemptCount\":1,\"data\":{" + data + "}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] fixture(String name) {
        try (InputStream in =
                EbayAccountDeletionsTest.class.getClassLoader().getResourceAsStream("fixtures/ebay/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
