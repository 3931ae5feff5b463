package dev.commercesync.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.shared.PrivacyKeys;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.PrivacyRequestKind;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.KafkaTestClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * eBay's endpoint on the real stack: the store named by the URL ({@code /webhooks/ebay/<store>}), the account deletion
 * endpoint's challenge answered with the store's verification token, a notification verified with the public key the
 * ingest fetches by {@code kid} (from a stand-in of eBay's Notification API on 127.0.0.1), and an account deletion
 * published as a privacy request to {@code commerce.privacy.v1}, not to the raw topic.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class EbayEndpointTest {
    private static final String ENDPOINT = "https://ingest.example.test/webhooks/ebay/";
    private static final String NOTIFICATION_ID =
            "49feeaeb-4982-42d9-a377-9645b8479411_33f7e043-fed8-442b-9d44-791923bd9a6d";
    private static HttpServer notificationApi;
    private static KeyPair key;

    @BeforeAll
    static void topicsExist() throws Exception {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.ensureTopics(List.of(CommerceTopic.RAW.topicName(), CommerceTopic.PRIVACY.topicName()));
        }
    }

    @BeforeAll
    static void startNotificationApi() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        key = generator.generateKeyPair();
        notificationApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        notificationApi.createContext("/commerce/notification/v1/public_key/kid-1", exchange -> {
            byte[] body = ("{\"key\": \"-----BEGIN PUBLIC KEY-----"
                            + Base64.getEncoder().encodeToString(key.getPublic().getEncoded())
                            + "-----END PUBLIC KEY-----\", \"algorithm\": \"ECDSA\", \"digest\": \"SHA1\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        notificationApi.start();
    }

    @AfterAll
    static void stopNotificationApi() {
        notificationApi.stop(0);
    }

    @BeforeEach
    void producerIsWarm() {
        WebhookIngestTest.warmUp();
    }

    private static String register() {
        String seller = "seller-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "{\"notification_api\": \"http://127.0.0.1:"
                + notificationApi.getAddress().getPort() + "\", \"app_token\": \"app-token\","
                + " \"verification_token\": \"verification-token-0123456789\", \"endpoint\": \"" + ENDPOINT + seller
                + "\"}";
        return WebhookIngestTest.registerAs("ebay", seller, secret);
    }

    private static String sign(byte[] body) throws Exception {
        Signature signer = Signature.getInstance("SHA1withECDSA");
        signer.initSign(key.getPrivate());
        signer.update(body);
        String json = "{\"alg\":\"ecdsa\",\"kid\":\"kid-1\",\"signature\":\""
                + Base64.getEncoder().encodeToString(signer.sign()) + "\",\"digest\":\"SHA1\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersTheAccountDeletionChallengeOfARegisteredStore() throws Exception {
        String seller = register();
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(("code-123" + "verification-token-0123456789" + ENDPOINT + seller)
                                .getBytes(StandardCharsets.UTF_8)));
        given().get("/webhooks/ebay/" + seller + "?challenge_code=code-123")
                .then()
                .statusCode(200)
                .body("challengeResponse", equalTo(expected));
        given().get("/webhooks/ebay/" + seller).then().statusCode(404);
        given().get("/webhooks/ebay/no-such-seller?challenge_code=code-123")
                .then()
                .statusCode(404);
        given().get("/webhooks/shopify/" + seller + "?challenge_code=code-123")
                .then()
                .statusCode(404);
    }

    /**
     * eBay's own example notification, signed, to the store's URL: acknowledged with 200 once {@code
     * commerce.privacy.v1} has the customer redaction, named by the hash of the buyer as the orders name them; the body
     * (username, user id, eiasToken) is on no topic.
     */
    @Test
    void aSignedAccountDeletionIsRecordedAsAPrivacyRequestAndNotPutOnTheRawTopic() throws Exception {
        String seller = register();
        byte[] body = SignedDeliveries.fixture("ebay/marketplace_account_deletion.json");
        String signature = sign(body);
        // The privacy producer's first record pays for its metadata and schema registration: retried on 503, as eBay
        // retries a notification it saw no 2xx for.
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> deletion(seller, body, signature).extract().statusCode() != 503);
        deletion(seller, body, signature)
                .statusCode(200)
                .body("status", equalTo("recorded"))
                .body("request_id", equalTo("ebay/" + seller + "/customer_redact/" + NOTIFICATION_ID));

        String key = "ebay/" + seller;
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            List<ConsumerRecord<String, byte[]>> records = KafkaTestClient.await(
                    "the seller's privacy request on " + CommerceTopic.PRIVACY.topicName(),
                    Duration.ofSeconds(30),
                    () -> kafka.readBytes(CommerceTopic.PRIVACY.topicName(), KafkaTestClient.UNCOMMITTED).stream()
                            .filter(r -> key.equals(r.key()))
                            .toList(),
                    found -> !found.isEmpty());
            PrivacyRequest request =
                    KafkaTestClient.decode(PrivacyRequest.class, records.get(0).value());
            assertEquals(PrivacyRequestKind.CUSTOMER_REDACT, request.getKind());
            assertEquals(PrivacyKeys.customerKeyHash("ebay", seller, "test_user"), request.getCustomerKeyHash());
            assertEquals(Duration.ofDays(30), Duration.between(request.getReceivedAt(), request.getDueAt()));
            for (ConsumerRecord<String, byte[]> record : records) {
                String bytes = new String(record.value(), StandardCharsets.ISO_8859_1);
                for (String personal : List.of("test_user", "ma8vp1jySJC", "nY+sHZ2PrBmdj6wVnY+sEZ2")) {
                    assertFalse(bytes.contains(personal), "no username, user id or eiasToken on the topic");
                }
            }
            assertTrue(
                    kafka.readBytes(CommerceTopic.RAW.topicName(), KafkaTestClient.UNCOMMITTED).stream()
                            .noneMatch(r -> key.equals(r.key())),
                    "the notification's body is not retained on the raw topic");
        }
        // signed by another key: refused
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Signature other = Signature.getInstance("SHA1withECDSA");
        other.initSign(generator.generateKeyPair().getPrivate());
        other.update(body);
        String forged = Base64.getEncoder()
                .encodeToString(("{\"alg\":\"ecdsa\",\"kid\":\"kid-1\",\"signature\":\""
                                + Base64.getEncoder().encodeToString(other.sign()) + "\",\"digest\":\"SHA1\"}")
                        .getBytes(StandardCharsets.UTF_8));
        given().body(body)
                .header("Content-Type", "application/json")
                .header("X-EBAY-SIGNATURE", forged)
                .post("/webhooks/ebay/" + seller)
                .then()
                .statusCode(401);
        // the store header is the ingest's: a sender cannot name the store without the URL
        given().body(body)
                .header("Content-Type", "application/json")
                .header("X-EBAY-SIGNATURE", sign(body))
                .header("x-commercesync-store", seller)
                .post("/webhooks/ebay")
                .then()
                .statusCode(400);
    }

    private static ValidatableResponse deletion(String seller, byte[] body, String signature) {
        return given().body(body)
                .header("Content-Type", "application/json")
                .header("X-EBAY-SIGNATURE", signature)
                .post("/webhooks/ebay/" + seller)
                .then();
    }
}
