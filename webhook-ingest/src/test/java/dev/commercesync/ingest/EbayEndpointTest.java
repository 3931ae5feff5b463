package dev.commercesync.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.commercesync.testsupport.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * eBay's endpoint: the store named by the URL ({@code /webhooks/ebay/<store>}), the account deletion endpoint's
 * challenge answered with the store's verification token, a notification verified with the public key the ingest
 * fetches by {@code kid} (from a stand-in of eBay's Notification API on 127.0.0.1).
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class EbayEndpointTest {
    private static final String ENDPOINT = "https://ingest.example.test/webhooks/ebay/";
    private static HttpServer notificationApi;
    private static KeyPair key;

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

    @Test
    void storesASignedNotificationSentToTheStoresUrl() throws Exception {
        String seller = register();
        byte[] body = SignedDeliveries.fixture("ebay/marketplace_account_deletion.json");
        given().body(body)
                .header("Content-Type", "application/json")
                .header("X-EBAY-SIGNATURE", sign(body))
                .post("/webhooks/ebay/" + seller)
                .then()
                .statusCode(200)
                .body("status", equalTo("stored"));
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
}
