package dev.commercesync.platforms.shopify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.shared.PrivacyKeys;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.PrivacyRequestKind;
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

/** Shopify's mandatory compliance webhooks, as published, into privacy requests without personal data. */
class ShopifyPrivacyRequestsTest {
    private static final String SHOP = "acme.myshopify.com";
    private static final Instant RECEIVED = Instant.parse("2026-12-07T10:00:00Z");
    private final ShopifyAdapter adapter = new ShopifyAdapter();

    @Test
    void customersRedactNamesTheCustomerByTheHashOfItsEntityKeyAndListsTheOrders() throws Exception {
        PrivacyRequest request = request("customers/redact", fixture("customers_redact"), "evt-1");

        assertEquals(PrivacyRequestKind.CUSTOMER_REDACT, request.getKind());
        assertEquals("shopify", request.getPlatform());
        assertEquals(SHOP, request.getStore(), "the store of the signed delivery's header, not the body's");
        assertEquals(
                "75848aaa8788084c67f3ee36083b1bfc5bb932b0941a437a4902e4f5119c73d7",
                request.getCustomerKeyHash(),
                "SHA-256 of shopify/acme.myshopify.com/customer/191167");
        assertEquals(PrivacyKeys.customerKeyHash("shopify", SHOP, "191167"), request.getCustomerKeyHash());
        assertEquals(List.of("299938", "280263", "220458"), request.getOrderIds());
        assertEquals("shopify/acme.myshopify.com/customer_redact/evt-1", request.getRequestId());
        assertEquals(RECEIVED, request.getReceivedAt());
        assertEquals(RECEIVED.plus(Duration.ofDays(30)), request.getDueAt());
        assertNoPersonalData(request);
    }

    @Test
    void aDataRequestIsKnownByShopifysRequestIdAndListsTheRequestedOrders() throws Exception {
        PrivacyRequest request = request("customers/data_request", fixture("customers_data_request"), "evt-2");

        assertEquals(PrivacyRequestKind.CUSTOMER_DATA_REQUEST, request.getKind());
        assertEquals("shopify/acme.myshopify.com/customer_data_request/9999", request.getRequestId());
        assertEquals(List.of("299938", "280263", "220458"), request.getOrderIds());
        assertEquals(PrivacyKeys.customerKeyHash("shopify", SHOP, "191167"), request.getCustomerKeyHash());
        assertNoPersonalData(request);
    }

    @Test
    void shopRedactNamesOnlyTheStore() throws Exception {
        PrivacyRequest request = request("shop/redact", fixture("shop_redact"), "evt-3");

        assertEquals(PrivacyRequestKind.SHOP_REDACT, request.getKind());
        assertNull(request.getCustomerKeyHash());
        assertEquals(List.of(), request.getOrderIds());
        assertEquals("shopify/acme.myshopify.com/shop_redact/evt-3", request.getRequestId());
    }

    @Test
    void aRedeliveryWithoutAnEventIdIsKnownByItsWebhookId() throws Exception {
        WebhookDelivery delivery = new WebhookDelivery(
                Optional.of(SHOP), Optional.of("shop/redact"), Optional.of("webhook-7"), Optional.empty(), Map.of());
        PrivacyRequest request = adapter.privacyRequest(delivery, fixture("shop_redact"), RECEIVED)
                .orElseThrow();
        assertEquals("shopify/acme.myshopify.com/shop_redact/webhook-7", request.getRequestId());
    }

    @Test
    void aCustomerNamedByEmailOnlyHasNoHashButItsOrdersAreStillListed() throws Exception {
        byte[] body = ("{\"shop_id\": 954889, \"shop_domain\": \"" + SHOP + "\", \"customer\": {\"email\":"
                        + " \"john@example.com\"}, \"orders_to_redact\": [299938]}")
                .getBytes(StandardCharsets.UTF_8);
        PrivacyRequest request = request("customers/redact", body, "evt-4");
        assertNull(request.getCustomerKeyHash());
        assertEquals(List.of("299938"), request.getOrderIds());
    }

    @Test
    void aMalformedRequestIsAMappingError() {
        byte[] noCustomer = "{\"shop_id\": 954889, \"orders_to_redact\": []}".getBytes(StandardCharsets.UTF_8);
        assertThrows(MappingException.class, () -> request("customers/redact", noCustomer, "evt-5"));
        byte[] noRequestId = "{\"customer\": {\"id\": 1}}".getBytes(StandardCharsets.UTF_8);
        assertThrows(MappingException.class, () -> request("customers/data_request", noRequestId, "evt-6"));
        assertThrows(
                MappingException.class,
                () -> request("shop/redact", "not json".getBytes(StandardCharsets.UTF_8), "evt-7"));
    }

    @Test
    void onlyTheComplianceTopicsArePrivacyRequestsAndTheyAreNotSubscribedThroughTheApi() throws Exception {
        assertEquals(Set.of("customers/redact", "customers/data_request", "shop/redact"), adapter.privacyTopics());
        assertTrue(adapter.privacyRequest(delivery("orders/create", "e"), fixture("customers_redact"), RECEIVED)
                .isEmpty());
        // Configured in the app (Partner Dashboard / shopify.app.toml), not with webhookSubscriptionCreate.
        assertFalse(adapter.webhookTopics().stream().anyMatch(adapter.privacyTopics()::contains));
    }

    private PrivacyRequest request(String topic, byte[] body, String eventId) throws MappingException {
        return adapter.privacyRequest(delivery(topic, eventId), body, RECEIVED).orElseThrow();
    }

    private static WebhookDelivery delivery(String topic, String eventId) {
        return new WebhookDelivery(
                Optional.of(SHOP), Optional.of(topic), Optional.of("webhook-1"), Optional.of(eventId), Map.of());
    }

    private static void assertNoPersonalData(PrivacyRequest request) {
        String everything = request.toString();
        assertFalse(everything.contains("john@example.com"), everything);
        assertFalse(everything.contains("555-625-1199"), everything);
        assertFalse(everything.contains("191167"), "the customer id only hashed: " + everything);
    }

    private static byte[] fixture(String name) {
        try (InputStream in = ShopifyPrivacyRequestsTest.class
                .getClassLoader()
                .getResourceAsStream("fixtures/shopify/" + name + ".json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
