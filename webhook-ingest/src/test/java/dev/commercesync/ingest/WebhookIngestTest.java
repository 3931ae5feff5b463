package dev.commercesync.ingest;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.ingest.SignedDeliveries.Delivery;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
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

    /**
     * The first record of a JVM pays for the producer's metadata and the schema's registration, which on a loaded
     * machine can outlast the 2 s produce timeout (503, which a platform would retry): retry that one as a platform
     * would, so the tests measure the steady state. (Before each test, once: the application is not up yet in a
     * {@code @BeforeAll}.)
     */
    private static boolean warm;

    @org.junit.jupiter.api.BeforeEach
    void producerIsWarm() {
        warmUp();
    }

    /** A valid delivery stored (200), retried while the producer's first record outlasts the timeout (once a JVM). */
    static void warmUp() {
        if (warm) {
            return;
        }
        String shop = register("shopify", "warm-up-secret-0123456");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        int status;
        do {
            status = post(
                            "shopify",
                            SignedDeliveries.shopify(
                                    shop, "orders/create", SHOPIFY_ORDER, "warm-up-secret-0123456", "w"))
                    .extract()
                    .statusCode();
        } while (status == 503 && System.nanoTime() < deadline);
        assertEquals(200, status, "a valid delivery is stored once the producer is up");
        warm = true;
    }

    @Test
    void signedShopifyWebhookIsStoredOnTheRawTopicUntouched() {
        String shop = register("shopify", "secret-1-0123456789");
        Delivery d = SignedDeliveries.shopify(
                shop, "orders/create", SHOPIFY_ORDER, "secret-1-0123456789", "evt-" + UUID.randomUUID());

        String envelopeId = post("shopify", d)
                .statusCode(200)
                .body("status", equalTo("stored"))
                .extract()
                .path("envelope_id");

        List<ConsumerRecord<String, RawEnvelope>> records =
                rawRecordsUntil(e -> e.getEnvelopeId().equals(envelopeId));
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
        String hash = register("bigcommerce", "bc-client-secret-0123");
        Delivery d = SignedDeliveries.bigCommerce(
                hash, "bigcommerce/store_order_created.json", "bc-client-secret-0123", Instant.now());

        String envelopeId = post("bigcommerce", d).statusCode(200).extract().path("envelope_id");

        RawEnvelope e = last(rawRecordsUntil(r -> r.getEnvelopeId().equals(envelopeId)));
        assertEquals(hash, e.getStore());
        assertEquals("store/order/created", e.getEventType());
        assertEquals(d.headers().get("webhook-id"), e.getDeliveryId());
    }

    @Test
    void signedWooCommerceWebhookIsStoredUnderItsSite() {
        String site = register("woocommerce", "wc-secret-0123456789");
        byte[] body = SignedDeliveries.fixture("woocommerce/order.created.json");
        Delivery d = SignedDeliveries.wooCommerce(site, "order.created", body, "wc-secret-0123456789");

        String envelopeId = post("woocommerce", d).statusCode(200).extract().path("envelope_id");

        RawEnvelope e = last(rawRecordsUntil(r -> r.getEnvelopeId().equals(envelopeId)));
        assertEquals(site, e.getStore());
        assertEquals("order.created", e.getEventType());
        assertArrayEquals(body, bytes(e.getBody()));
        post("woocommerce", SignedDeliveries.wooCommerce(site, "order.created", body, "not-the-secret-012345"))
                .statusCode(401)
                .body("error", equalTo("unauthenticated"));
    }

    @Test
    void signedAdobeCommerceEventIsStoredAndAForeignKeysSignatureIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair storeKey = generator.generateKeyPair();
        String provider = register("magento2", SignedDeliveries.adobeSecret("client-1", storeKey.getPublic()));

        Delivery d = SignedDeliveries.adobe(provider, "client-1", storeKey);
        String envelopeId = post("magento2", d).statusCode(200).extract().path("envelope_id");

        RawEnvelope e = last(rawRecordsUntil(r -> r.getEnvelopeId().equals(envelopeId)));
        assertEquals(provider, e.getStore());
        assertEquals(d.headers().get("x-adobe-event-id"), e.getPlatformEventId());
        post("magento2", SignedDeliveries.adobe(provider, "client-1", generator.generateKeyPair()))
                .statusCode(401)
                .body("error", equalTo("unauthenticated"));
        // Adobe-signed, but for another project's registration.
        post("magento2", SignedDeliveries.adobe(provider, "someone-elses-client", storeKey))
                .statusCode(401)
                .body("error", equalTo("unauthenticated"));
    }

    @Test
    void badSignaturesAre401AndNothingIsPublished() {
        double mismatches = rejectedCount("shopify", "signature_mismatch");
        String shop = register("shopify", "right-secret-0123456");
        Delivery wrongSecret =
                SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "wrong-secret-0123456", "e1");
        post("shopify", wrongSecret).statusCode(401).body("error", equalTo("unauthenticated"));

        byte[] tampered = new String(SHOPIFY_ORDER, StandardCharsets.UTF_8)
                .replace("\"total_price\"", "\"total_price_x\"")
                .getBytes(StandardCharsets.UTF_8);
        Delivery signedOriginal =
                SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "right-secret-0123456", "e2");
        post("shopify", new Delivery(signedOriginal.headers(), tampered))
                .statusCode(401)
                .body("error", equalTo("unauthenticated"));
        assertEquals(mismatches + 2, rejectedCount("shopify", "signature_mismatch"), "the reason is in the metric");

        Delivery unsigned =
                SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "right-secret-0123456", "e3");
        unsigned.headers().remove("X-Shopify-Hmac-Sha256");
        post("shopify", unsigned).statusCode(401).body("error", equalTo("unauthenticated"));

        Delivery malformed =
                SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "right-secret-0123456", "e4");
        malformed.headers().put("X-Shopify-Hmac-Sha256", "%%%not-base64");
        post("shopify", malformed).statusCode(401).body("error", equalTo("unauthenticated"));

        assertOnlyTheMarkerWasPublished("shopify", shop, "right-secret-0123456");
    }

    @Test
    void staleBigCommerceSignatureIs401() {
        String hash = register("bigcommerce", "bc-secret-0123456789");
        Delivery old = SignedDeliveries.bigCommerce(
                hash,
                "bigcommerce/store_order_created.json",
                "bc-secret-0123456789",
                Instant.now().minusSeconds(3600));

        double stale = rejectedCount("bigcommerce", "timestamp_out_of_tolerance");
        post("bigcommerce", old).statusCode(401).body("error", equalTo("unauthenticated"));
        assertEquals(stale + 1, rejectedCount("bigcommerce", "timestamp_out_of_tolerance"));
    }

    @Test
    void unknownPlatformIs404() {
        Delivery d = SignedDeliveries.shopify("nobody.myshopify.com", "orders/create", SHOPIFY_ORDER, "s", "e");
        post("nosuchplatform", d).statusCode(404).body("error", equalTo("unknown_platform"));
    }

    /** Unknown, disabled and known-with-a-wrong-signature stores get byte-identical answers: no enumeration. */
    @Test
    void unknownStoreDisabledStoreAndBadSignatureGetTheSameAnswer() {
        String secret = "the-right-secret-0123";
        String shop = register("shopify", secret);
        String badSignature = answer(post(
                "shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "wrong-0123456789", "e")));
        String unknown = answer(post(
                "shopify",
                SignedDeliveries.shopify("nobody.myshopify.com", "orders/create", SHOPIFY_ORDER, secret, "e")));
        assertEquals(badSignature, unknown);
        assertTrue(badSignature.startsWith("401 "), badSignature);

        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop))
                .post("/admin/stores/shopify/disable")
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false));
        assertEquals(
                badSignature,
                answer(post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, secret, "e"))));
    }

    private static String answer(ValidatableResponse response) {
        var r = response.extract();
        return r.statusCode() + " " + r.contentType() + " " + r.asString();
    }

    @Test
    void wrongContentTypeIs415() {
        String shop = register("shopify", "s-0123456789abcdef");
        Delivery d = SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "s-0123456789abcdef", "e");
        d.headers().put("Content-Type", "text/plain");
        post("shopify", d).statusCode(415).body("error", equalTo("unsupported_media_type"));
    }

    /** A validly signed order of 2 MB (well over Kafka's default 1 MiB record) is stored and read back whole. */
    @Test
    void aSignedTwoMegabyteOrderIsStored() {
        String shop = register("shopify", "large-secret-0123456789");
        byte[] order = SignedDeliveries.largeShopifyOrder(SHOPIFY_ORDER, 2 * 1024 * 1024);
        String envelopeId = post(
                        "shopify",
                        SignedDeliveries.shopify(shop, "orders/create", order, "large-secret-0123456789", "big"))
                .statusCode(200)
                .extract()
                .path("envelope_id");

        RawEnvelope stored = last(rawRecordsUntil(e -> e.getEnvelopeId().equals(envelopeId)));
        assertArrayEquals(order, bytes(stored.getBody()), "the 2 MB body is stored byte for byte");
    }

    /**
     * Over the one body limit (10M), 413 from the announced Content-Length alone: not one body byte is sent, so the
     * answer cannot come from reading the body.
     */
    @Test
    void overTheBodyLimitIs413BeforeTheBodyIsRead() throws Exception {
        int port = io.restassured.RestAssured.port;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST /webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: 10485761\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(
                            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine);
        }
    }

    @Test
    void aRotatedSecretKeepsThePreviousOneValidForTheGracePeriod() {
        String shop = register("shopify", "old-secret-0123456789");
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop, "webhook_secret", "new-secret-0123456789", "grace_period", "PT1H"))
                .post("/admin/stores/shopify/secret-rotations")
                .then()
                .statusCode(200)
                .body("previous_secret_valid_until", not(equalTo(null)));

        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "new-secret-0123456789", "a"))
                .statusCode(200);
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "old-secret-0123456789", "b"))
                .statusCode(200);

        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop, "webhook_secret", "newest-secret-0123456", "grace_period", "PT0S"))
                .post("/admin/stores/shopify/secret-rotations")
                .then()
                .statusCode(200);
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "new-secret-0123456789", "c"))
                .statusCode(401);
    }

    /**
     * A revoked token replaced through the admin API: stored encrypted, never echoed; a malformed value is refused
     * without being repeated, an unknown store is 404, and the call needs the admin token.
     */
    @Test
    void aStoresApiCredentialsAreReplacedEncryptedAndNeverEchoed() throws Exception {
        String shop = register("shopify", "webhook-secret-0123456789");
        String token = "shpat_replaced_" + UUID.randomUUID();
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop, "api_credentials", token))
                .post("/admin/stores/shopify/api-credentials")
                .then()
                .statusCode(200)
                .body("has_api_credentials", equalTo(true))
                .body(not(containsString(token)));
        var stack = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
                var st = c.prepareStatement("select api_credentials from stores.store where store_id = ?")) {
            st.setString(1, shop);
            ResultSet rs = st.executeQuery();
            assertTrue(rs.next());
            String stored = rs.getString(1);
            assertTrue(stored.startsWith("v1:"), "stored encrypted");
            assertFalse(stored.contains(token), "never in plaintext");
        }

        String malformed = "{\"tokn\": \"" + token + "\"}";
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", shop, "api_credentials", malformed))
                .post("/admin/stores/shopify/api-credentials")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_credentials"))
                .body(not(containsString(token)));
        given().header("Authorization", ADMIN)
                .contentType("application/json")
                .body(Map.of("store_id", "nobody-" + UUID.randomUUID() + ".myshopify.com", "api_credentials", token))
                .post("/admin/stores/shopify/api-credentials")
                .then()
                .statusCode(404);
        given().contentType("application/json")
                .body(Map.of("store_id", shop, "api_credentials", token))
                .post("/admin/stores/shopify/api-credentials")
                .then()
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
    void metricsCountAcceptedPerVerifiedStoreAndRejectedPerReason() {
        String shop = register("shopify", "m-0123456789abcdef");
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "m-0123456789abcdef", "x"))
                .statusCode(200);
        post("shopify", SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "nope-0123456789abc", "y"))
                .statusCode(401);

        String metrics = metrics();
        assertTrue(
                metrics.contains(
                        "commercesync_webhooks_accepted_total{platform=\"shopify\",store=\"" + shop + "\"} 1.0"),
                metrics);
        assertTrue(metrics.contains(
                "commercesync_webhooks_produce_latency_seconds_count{platform=\"shopify\",store=\"" + shop + "\"} 1"));
        assertTrue(metrics.contains(
                "commercesync_webhooks_rejected_total{platform=\"shopify\",reason=\"signature_mismatch\"}"));
        assertFalse(
                metrics.lines().anyMatch(l -> l.startsWith("commercesync_webhooks_rejected") && l.contains(shop)),
                "a rejected delivery's store is not a label");
    }

    /**
     * Unsigned deliveries naming made-up stores (300 Shopify shops, and a BigCommerce producer of 5 MB) add no metric
     * series and no store cache entry: before the fix each shop added two series and a cache entry for good.
     */
    @Test
    void unsignedDeliveriesForMadeUpStoresLeaveNoState() {
        // Every answer's first occurrence may add its per-platform series (and the HTTP server's per-status one).
        unsignedShopify("warmup.myshopify.com");
        bigCommerceProducer("x y");
        long seriesBefore = seriesCount();
        long cachedBefore = storeLookup.cachedStores();
        String prefix = "madeup" + UUID.randomUUID().toString().substring(0, 6);
        java.util.Set<Integer> statuses = new java.util.TreeSet<>();
        for (int i = 0; i < 300; i++) {
            statuses.add(unsignedShopify(prefix + i + ".myshopify.com"));
        }
        statuses.add(bigCommerceProducer("a".repeat(5 * 1024 * 1024)));

        assertEquals(seriesBefore, seriesCount(), "new metric series after 300 made-up shops and a 5 MB producer");
        // Registered stores' entries may expire meanwhile (10 s); none may be added.
        assertTrue(storeLookup.cachedStores() <= cachedBefore, "store cache entries added");
        String metrics = metrics();
        assertFalse(metrics.contains(prefix), "no series names a made-up store");
        assertFalse(metrics.contains("aaaaaaaaaaaaaaaa"), "no series carries the 5 MB producer");
        assertEquals(java.util.Set.of(400, 401), statuses, "made-up shops 401, the oversized store hash 400");
    }

    private static int unsignedShopify(String shop) {
        Delivery unsigned = SignedDeliveries.shopify(shop, "orders/create", SHOPIFY_ORDER, "x", "u");
        unsigned.headers().remove("X-Shopify-Hmac-Sha256");
        return post("shopify", unsigned).extract().statusCode();
    }

    private static int bigCommerceProducer(String storeHash) {
        String body = "{\"scope\":\"store/order/created\",\"producer\":\"stores/" + storeHash
                + "\",\"data\":{\"type\":\"order\",\"id\":1}}";
        return given().contentType("application/json")
                .header("webhook-id", "msg_1")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/bigcommerce")
                .then()
                .extract()
                .statusCode();
    }

    @jakarta.inject.Inject
    StoreLookup storeLookup;

    private static String metrics() {
        return given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** The webhook and HTTP server series (JVM series come and go on their own). */
    private static long seriesCount() {
        return metrics()
                .lines()
                .filter(l -> l.startsWith("commercesync_") || l.startsWith("http_server_"))
                .count();
    }

    private static double rejectedCount(String platform, String reason) {
        String prefix =
                "commercesync_webhooks_rejected_total{platform=\"" + platform + "\",reason=\"" + reason + "\"} ";
        return metrics()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst()
                .orElse(0);
    }

    /** Sends a valid marker delivery and checks it is the store's only record on the raw topic. */
    private void assertOnlyTheMarkerWasPublished(String platform, String store, String secret) {
        String marker = post(
                        platform, SignedDeliveries.shopify(store, "orders/create", SHOPIFY_ORDER, secret, "marker"))
                .statusCode(200)
                .extract()
                .path("envelope_id");
        List<RawEnvelope> ofStore = rawRecordsUntil(e -> e.getEnvelopeId().equals(marker)).stream()
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
        return registerAs(platform, store, secret);
    }

    /** Registers the store under the given id; returns it. */
    static String registerAs(String platform, String store, String secret) {
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

    /**
     * Every raw record of the topic up to and including the first that matches {@code until}; fails if none arrives
     * within 30 s.
     */
    static List<ConsumerRecord<String, RawEnvelope>> rawRecordsUntil(Predicate<RawEnvelope> until) {
        String topic = CommerceTopic.RAW.topicName();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            List<ConsumerRecord<String, RawEnvelope>> records = KafkaTestClient.await(
                    "the expected raw record on " + topic,
                    Duration.ofSeconds(30),
                    () -> kafka.read(topic, RawEnvelope.class, KafkaTestClient.UNCOMMITTED),
                    read -> read.stream().anyMatch(r -> until.test(r.value())));
            int first = 0;
            while (!until.test(records.get(first).value())) {
                first++;
            }
            return records.subList(0, first + 1);
        }
    }
}
