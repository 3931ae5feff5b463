package dev.commercesync.ingest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.ingest.SignedDeliveries.Delivery;
import dev.commercesync.platforms.shared.PrivacyKeys;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.PrivacyRequestKind;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shopify's mandatory compliance webhooks on the real stack: verified like every webhook (401 for a bad signature),
 * then published without personal data to {@code commerce.privacy.v1}, keyed by store, instead of the raw topic; a
 * {@code shop/redact} is accepted for the uninstalled store it is sent for.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class PrivacyWebhookTest {
    private static final String APP_SECRET = "app-client-secret-0123456789";
    private static final String EMAIL = "john@example.com";

    private String shop;

    @BeforeAll
    static void topicsExist() throws Exception {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.ensureTopics(List.of(CommerceTopic.RAW.topicName(), CommerceTopic.PRIVACY.topicName()));
        }
    }

    @BeforeEach
    void registeredStore() {
        shop = WebhookIngestTest.registerAs(
                "shopify", "p" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com", APP_SECRET);
    }

    private Delivery redact(String secret) {
        byte[] body = ("{\"shop_id\": 954889, \"shop_domain\": \"" + shop + "\", \"customer\": {\"id\": 191167,"
                        + " \"email\": \"" + EMAIL + "\", \"phone\": \"555-625-1199\"}, \"orders_to_redact\": [299938,"
                        + " 280263]}")
                .getBytes(StandardCharsets.UTF_8);
        return SignedDeliveries.shopify(
                shop, "customers/redact", body, secret, UUID.randomUUID().toString());
    }

    @Test
    void aSignedCustomersRedactIsPublishedWithoutPersonalDataAndNotToTheRawTopic() {
        // The privacy producer's first record pays for its metadata and schema registration: retried on 503, as
        // Shopify would.
        Delivery delivery = redact(APP_SECRET);
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() ->
                        WebhookIngestTest.post("shopify", delivery).extract().statusCode() != 503);
        WebhookIngestTest.post("shopify", delivery).statusCode(200).body("status", equalTo("recorded"));

        List<ConsumerRecord<String, byte[]>> records = privacyRecords(1);
        PrivacyRequest request =
                KafkaTestClient.decode(PrivacyRequest.class, records.get(0).value());
        assertEquals("shopify/" + shop, records.get(0).key());
        assertEquals(PrivacyRequestKind.CUSTOMER_REDACT, request.getKind());
        assertEquals(PrivacyKeys.customerKeyHash("shopify", shop, "191167"), request.getCustomerKeyHash());
        assertEquals(List.of("299938", "280263"), request.getOrderIds());
        for (ConsumerRecord<String, byte[]> record : records) {
            String bytes = new String(record.value(), StandardCharsets.ISO_8859_1);
            assertFalse(bytes.contains(EMAIL) || bytes.contains("555-625-1199"), "no personal data on the topic");
        }
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            assertTrue(
                    kafka.readBytes(CommerceTopic.RAW.topicName(), KafkaTestClient.UNCOMMITTED).stream()
                            .noneMatch(r -> ("shopify/" + shop).equals(r.key())),
                    "the body (email, phone) is not retained on the raw topic");
        }
    }

    @Test
    void aWronglySignedOrUnsignedPrivacyRequestIsRefusedAndNothingIsPublished() {
        WebhookIngestTest.post("shopify", redact("not-the-app-secret-0123"))
                .statusCode(401)
                .body("error", equalTo("unauthenticated"));
        Delivery unsigned = redact(APP_SECRET);
        unsigned.headers().remove("X-Shopify-Hmac-Sha256");
        WebhookIngestTest.post("shopify", unsigned).statusCode(401);
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            assertTrue(kafka.readBytes(CommerceTopic.PRIVACY.topicName(), KafkaTestClient.UNCOMMITTED).stream()
                    .noneMatch(r -> ("shopify/" + shop).equals(r.key())));
        }
    }

    @Test
    void shopRedactIsAcceptedForTheUninstalledStoreItIsSentFor() {
        byte[] uninstall =
                ("{\"id\": 548380009, \"myshopify_domain\": \"" + shop + "\"}").getBytes(StandardCharsets.UTF_8);
        WebhookIngestTest.post(
                        "shopify",
                        SignedDeliveries.shopify(
                                shop,
                                "app/uninstalled",
                                uninstall,
                                APP_SECRET,
                                UUID.randomUUID().toString()))
                .statusCode(200);
        byte[] body = ("{\"shop_id\": 954889, \"shop_domain\": \"" + shop + "\"}").getBytes(StandardCharsets.UTF_8);
        Delivery shopRedact = SignedDeliveries.shopify(shop, "shop/redact", body, APP_SECRET, "e-shop-redact");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() ->
                        WebhookIngestTest.post("shopify", shopRedact).extract().statusCode() != 503);
        WebhookIngestTest.post("shopify", shopRedact)
                .statusCode(200)
                .body("request_id", equalTo("shopify/" + shop + "/shop_redact/e-shop-redact"));

        PrivacyRequest request = KafkaTestClient.decode(
                PrivacyRequest.class, privacyRecords(1).get(0).value());
        assertEquals(PrivacyRequestKind.SHOP_REDACT, request.getKind());
        // An ordinary webhook for the uninstalled store is still refused.
        WebhookIngestTest.post(
                        "shopify",
                        SignedDeliveries.shopify(
                                shop,
                                "orders/create",
                                SignedDeliveries.fixture("shopify/orders_create.json"),
                                APP_SECRET,
                                "o"))
                .statusCode(401);
    }

    @Test
    void aMalformedPrivacyRequestIsRefusedWith400() {
        byte[] body = "{\"shop_id\": 954889, \"orders_to_redact\": []}".getBytes(StandardCharsets.UTF_8);
        WebhookIngestTest.post("shopify", SignedDeliveries.shopify(shop, "customers/redact", body, APP_SECRET, "m"))
                .statusCode(400)
                .body("error", equalTo("malformed_privacy_request"));
    }

    /** The store's records on the privacy topic, once there are at least {@code count}. */
    private List<ConsumerRecord<String, byte[]>> privacyRecords(int count) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return KafkaTestClient.await(
                    "the store's privacy request on " + CommerceTopic.PRIVACY.topicName(),
                    Duration.ofSeconds(30),
                    () -> kafka.readBytes(CommerceTopic.PRIVACY.topicName(), KafkaTestClient.UNCOMMITTED).stream()
                            .filter(r -> ("shopify/" + shop).equals(r.key()))
                            .toList(),
                    found -> found.size() >= count);
        }
    }
}
