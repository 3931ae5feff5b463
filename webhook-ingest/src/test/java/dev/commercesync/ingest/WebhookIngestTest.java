package dev.commercesync.ingest;

import static dev.commercesync.devstack.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.DevStackTestResource;
import dev.commercesync.devstack.DevStackTestResource.SharedStack;
import dev.commercesync.ingest.SignedDeliveries.Delivery;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** webhook-ingest on the real broker, registry and PostgreSQL: what is stored, what is refused, and how it answers. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class WebhookIngestTest {
    private static final String ADMIN = "Bearer test-admin-token";
    private static final byte[] SHOPIFY_ORDER = SignedDeliveries.fixture("shopify/orders_create.json");

    @BeforeAll
    static void rawTopicExists() throws Exception {
        // In a deployment the normalizer (or the platform's topic operator) has created it; here the first test must
        // not pay for auto-creation inside the produce timeout.
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.endpoints().kafkaBootstrap()))) {
            if (!admin.listTopics().names().get().contains(CommerceTopic.RAW.topicName())) {
                admin.createTopics(List.of(new NewTopic(CommerceTopic.RAW.topicName(), 3, (short) 1)))
                        .all()
                        .get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Test
    void signedShopifyWebhookIsStoredOnTheRawTopicUntouched() {
        String shop = register("shopify", "secret-1");
        Delivery d =
                SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "secret-1", "evt-" + UUID.randomUUID());

        String envelopeId = post("shopify", d)
                .statusCode(200)
                .body("status", equalTo("stored"))
                .extract()
                .path("envelope_id");

        List<ConsumerRecord<String, RawEnvelope>> records =
                RawTopicReader.readUntil(e -> e.getEnvelopeId().equals(envelopeId));
        ConsumerRecord<String, RawEnvelope> stored = records.get(records.size() - 1);
        assertEquals("shopify/" + shop, stored.key(), "keyed by platform/store");
        RawEnvelope e = stored.value();
        assertEquals("shopify", e.getPlatform());
        assertEquals(shop, e.getStore());
        assertEquals("orders/create", e.getEventType());
        assertEquals(EventSource.WEBHOOK, e.getSource());
        assertEquals(d.headers().get("X-Shopify-Event-Id"), e.getPlatformEventId());
        assertArrayEquals(SHOPIFY_ORDER, bytes(e.getBody()), "the body is stored byte for byte");
        assertFalse(e.getHeaders().containsKey("x-shopify-hmac-sha256"), "signatures are not kept");
    }

    @Test
    void signedBigCommerceWebhookIsStored() {
        String hash = register("bigcommerce", "bc-client-secret");
        Delivery d = SignedDeliveries.bigCommerce(
                hash, "bigcommerce/store_order_created.json", "bc-client-secret", Instant.now());

        String envelopeId = post("bigcommerce", d).statusCode(200).extract().path("envelope_id");

        RawEnvelope e = last(RawTopicReader.readUntil(r -> r.getEnvelopeId().equals(envelopeId)));
        assertEquals(hash, e.getStore());
        assertEquals("store/order/created", e.getEventType());
        assertEquals(d.headers().get("webhook-id"), e.getDeliveryId());
    }

    @Test
    void signedWooCommerceWebhookIsStoredUnderItsSite() {
        String site = register("woocommerce", "wc-secret");
        byte[] body = SignedDeliveries.fixture("woocommerce/order.created.json");
        Delivery d = SignedDeliveries.wooCommerce(site, "order.created", body, "wc-secret");

        String envelopeId = post("woocommerce", d).statusCode(200).extract().path("envelope_id");

        RawEnvelope e = last(RawTopicReader.readUntil(r -> r.getEnvelopeId().equals(envelopeId)));
        assertEquals(site, e.getStore());
        assertEquals("order.created", e.getEventType());
        assertArrayEquals(body, bytes(e.getBody()));
        post("woocommerce", SignedDeliveries.wooCommerce(site, "order.created", body, "not-the-secret"))
                .statusCode(401)
                .body("error", equalTo("signature_mismatch"));
    }

    @Test
    void signedAdobeCommerceEventIsStoredAndAForeignKeysSignatureIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair storeKey = generator.generateKeyPair();
        String provider = register("magento2", SignedDeliveries.pem(storeKey.getPublic()));

        Delivery d = SignedDeliveries.adobe(provider, storeKey);
        String envelopeId = post("magento2", d).statusCode(200).extract().path("envelope_id");

        RawEnvelope e = last(RawTopicReader.readUntil(r -> r.getEnvelopeId().equals(envelopeId)));
        assertEquals(provider, e.getStore());
        assertEquals(d.headers().get("x-adobe-event-id"), e.getPlatformEventId());
        post("magento2", SignedDeliveries.adobe(provider, generator.generateKeyPair()))
                .statusCode(401)
                .body("error", equalTo("signature_mismatch"));
    }

    @Test
    void badSignaturesAre401AndNothingIsPublished() {
        String shop = register("shopify", "right-secret");
        Delivery wrongSecret = SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "wrong-secret", "e1");
        post("shopify", wrongSecret).statusCode(401).body("error", equalTo("signature_mismatch"));

        byte[] tampered = new String(SHOPIFY_ORDER, StandardCharsets.UTF_8)
                .replace("\"total_price\"", "\"total_price_x\"")
                .getBytes(StandardCharsets.UTF_8);
        Delivery signedOriginal = SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "right-secret", "e2");
        post("shopify", new Delivery(signedOriginal.headers(), tampered))
                .statusCode(401)
                .body("error", equalTo("signature_mismatch"));

        Delivery unsigned = SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "right-secret", "e3");
        unsigned.headers().remove("X-Shopify-Hmac-Sha256");
        post("shopify", unsigned).statusCode(401).body("error", equalTo("missing_header"));

        Delivery malformed = SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "right-secret", "e4");
        malformed.headers().put("X-Shopify-Hmac-Sha256", "%%%not-base64");
        post("shopify", malformed).statusCode(401).body("error", equalTo("malformed_header"));

        assertOnlyTheMarkerWasPublished("shopify", shop, "right-secret");
    }

    @Test
    void staleBigCommerceSignatureIs401() {
        String hash = register("bigcommerce", "bc-secret");
        Delivery old = SignedDeliveries.bigCommerce(
                hash,
                "bigcommerce/store_order_created.json",
                "bc-secret",
                Instant.now().minusSeconds(3600));

        post("bigcommerce", old).statusCode(401).body("error", equalTo("timestamp_out_of_tolerance"));
    }

    @Test
    void unknownPlatformAndUnknownOrDisabledStoreAre404() {
        Delivery d = SignedDeliveries.shopify("nobody.myshopify.com", "orders/create", SHOPIFY_ORDER, "s", "e");
        post("nosuchplatform", d).statusCode(404).body("error", equalTo("unknown_platform"));
        post("shopify", d).statusCode(404).body("error", equalTo("unknown_store"));

        String shop = register("shopify", "s");
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop))
                .post("/admin/stores/shopify/disable")
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false));
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "s", "e"))
                .statusCode(404)
                .body("error", equalTo("unknown_store"));
    }

    @Test
    void wrongContentTypeIs415AndOversizeIs413() {
        String shop = register("shopify", "s");
        Delivery d = SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "s", "e");
        d.headers().put("Content-Type", "text/plain");
        post("shopify", d).statusCode(415).body("error", equalTo("unsupported_media_type"));

        byte[] huge = new byte[2 * 1024 * 1024]; // the test profile's limit is 1M
        java.util.Arrays.fill(huge, (byte) ' ');
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", huge, "s", "e"))
                .statusCode(413);
    }

    @Test
    void aRotatedSecretKeepsThePreviousOneValidForTheGracePeriod() {
        String shop = register("shopify", "old-secret");
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop, "webhook_secret", "new-secret", "grace_period", "PT1H"))
                .post("/admin/stores/shopify/secret-rotations")
                .then()
                .statusCode(200)
                .body("previous_secret_valid_until", not(equalTo(null)));

        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "new-secret", "a"))
                .statusCode(200);
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "old-secret", "b"))
                .statusCode(200);

        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop, "webhook_secret", "newest-secret", "grace_period", "PT0S"))
                .post("/admin/stores/shopify/secret-rotations")
                .then()
                .statusCode(200);
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "new-secret", "c"))
                .statusCode(401);
    }

    @Test
    void secretsAreEncryptedAtRestAndNeverListed() throws Exception {
        String secret = "plain-secret-" + UUID.randomUUID();
        String shop = register("shopify", secret);

        given().header("Authorization", ADMIN)
                .get("/admin/stores")
                .then()
                .statusCode(200)
                .body(containsString(shop))
                .body(not(containsString(secret)));
        var stack = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
                var st = c.prepareStatement("select webhook_secret from stores.store where store_id = ?")) {
            st.setString(1, shop);
            ResultSet rs = st.executeQuery();
            assertTrue(rs.next());
            String stored = rs.getString(1);
            assertTrue(stored.startsWith("v1:"), "stored encrypted");
            assertFalse(stored.contains(secret), "never in plaintext");
        }
    }

    @Test
    void adminApiNeedsTheToken() {
        given().get("/admin/stores").then().statusCode(401);
        given().header("Authorization", "Bearer wrong")
                .get("/admin/stores")
                .then()
                .statusCode(401);
        given().header("Authorization", INTERNAL_AUTH)
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/admin/stores"));
    }

    @Test
    void metricsCountAcceptedAndRejectedPerStore() {
        String shop = register("shopify", "m");
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "m", "x"))
                .statusCode(200);
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "nope", "y"))
                .statusCode(401);

        String metrics = given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(
                metrics.contains(
                        "commercesync_webhooks_accepted_total{platform=\"shopify\",store=\"" + shop + "\"} 1.0"),
                metrics);
        assertTrue(metrics.contains(
                "commercesync_webhooks_rejected_total{platform=\"shopify\",reason=\"signature_mismatch\",store=\""
                        + shop + "\"} 1.0"));
        assertTrue(metrics.contains(
                "commercesync_webhooks_produce_latency_seconds_count{platform=\"shopify\",store=\"" + shop + "\"} 1"));
    }

    /** Sends a valid marker delivery and checks it is the store's only record on the raw topic. */
    private void assertOnlyTheMarkerWasPublished(String platform, String store, String secret) {
        String marker = post(
                        platform, SignedDeliveries.shopify(store, "orders/create", SHOPIFY_ORDER, secret, "marker"))
                .statusCode(200)
                .extract()
                .path("envelope_id");
        List<RawEnvelope> ofStore = RawTopicReader.readUntil(
                        e -> e.getEnvelopeId().equals(marker))
                .stream()
                .map(ConsumerRecord::value)
                .filter(e -> e.getStore().equals(store))
                .toList();
        assertEquals(1, ofStore.size(), "only the valid marker of " + store + " reached Kafka");
    }

    static String register(String platform, String secret) {
        String store =
                switch (platform) {
                    case "shopify" -> "t" + UUID.randomUUID().toString().substring(0, 8) + ".myshopify.com";
                    case "woocommerce" -> "t" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
                    case "magento2" -> UUID.randomUUID().toString();
                    default ->
                        "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
                };
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("platform", platform, "store_id", store, "webhook_secret", secret))
                .post("/admin/stores")
                .then()
                .statusCode(201);
        return store;
    }

    static ValidatableResponse post(String platform, Delivery d) {
        var request = given().body(d.body());
        for (var h : d.headers().entrySet()) {
            request = request.header(h.getKey(), h.getValue());
        }
        return request.post("/webhooks/" + platform).then();
    }

    private static RawEnvelope last(List<ConsumerRecord<String, RawEnvelope>> records) {
        return records.get(records.size() - 1).value();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
