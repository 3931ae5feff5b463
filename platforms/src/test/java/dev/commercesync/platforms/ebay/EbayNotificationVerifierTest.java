package dev.commercesync.platforms.ebay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** X-EBAY-SIGNATURE with eBay's own published signature, and the public-key cache. */
class EbayNotificationVerifierTest {
    /** eBay's key id in its SDK's test signature. */
    private static final String EBAY_KID = "9936261a-7d7b-4621-a0f1-96ccb428af49";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    private CannedHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new CannedHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in =
                EbayNotificationVerifierTest.class.getClassLoader().getResourceAsStream("fixtures/ebay/" + name)) {
            return in.readAllBytes();
        }
    }

    private WebhookSecret secret() {
        return WebhookSecret.of("{\"notification_api\": \"" + server.baseUrl() + "\", \"app_token\": \"app-token\"}");
    }

    /** Serves eBay's published getPublicKey answer for eBay's key id, 404 for any other. */
    private void serveEbaysKey() throws IOException {
        String key = new String(resource("public_key_response.json"), StandardCharsets.UTF_8);
        server.handle(exchange -> {
            boolean known =
                    exchange.getRequestURI().getPath().equals("/commerce/notification/v1/public_key/" + EBAY_KID);
            CannedHttpServer.respond(exchange, known ? 200 : 404, Map.of(), known ? key : "{\"errors\": []}");
        });
    }

    private WebhookRequest ebaysDelivery(byte[] body) throws IOException {
        String signature = new String(resource("ebay_sdk_signature.txt"), StandardCharsets.US_ASCII).strip();
        return new WebhookRequest(Map.of("X-EBAY-SIGNATURE", signature, "Content-Type", "application/json"), body);
    }

    @Test
    void verifiesEbaysOwnSignatureOfItsPublishedNotification() throws IOException {
        serveEbaysKey();
        EbayAdapter adapter = new EbayAdapter(clock);
        VerificationResult result = adapter.verifyWebhook(
                ebaysDelivery(resource("marketplace_account_deletion.json")), List.of(secret()), clock);
        assertEquals(new VerificationResult.Verified(0), result);
        assertEquals("Bearer app-token", server.last().header("Authorization"));
    }

    @Test
    void rejectsEbaysSignatureOverAnotherBody() throws IOException {
        serveEbaysKey();
        byte[] tampered = new String(resource("marketplace_account_deletion.json"), StandardCharsets.UTF_8)
                .replace("ma8vp1jySJC", "ma8vp1jySJD")
                .getBytes(StandardCharsets.UTF_8);
        VerificationResult result =
                new EbayAdapter(clock).verifyWebhook(ebaysDelivery(tampered), List.of(secret()), clock);
        assertEquals(
                RejectionReason.SIGNATURE_MISMATCH,
                assertInstanceOf(VerificationResult.Rejected.class, result).reason());
    }

    @Test
    void fetchesAKeyOnceAnHourAndNotPerNotification() throws IOException {
        serveEbaysKey();
        EbayAdapter adapter = new EbayAdapter(clock);
        WebhookRequest delivery = ebaysDelivery(resource("marketplace_account_deletion.json"));
        for (int i = 0; i < 5; i++) {
            assertTrue(adapter.verifyWebhook(delivery, List.of(secret()), clock).verified());
        }
        assertEquals(1, server.requests().size(), "cached after the first look-up");
        clock.advance(EbayPublicKeys.TTL.plusSeconds(1));
        assertTrue(adapter.verifyWebhook(delivery, List.of(secret()), clock).verified());
        assertEquals(2, server.requests().size(), "fetched again once the hour is over");
    }

    @Test
    void anUnknownKeyIdIsRejectedAndRememberedForAMinute() throws IOException {
        server.handle(exchange -> CannedHttpServer.respond(exchange, 404, Map.of(), "{\"errors\": []}"));
        EbayAdapter adapter = new EbayAdapter(clock);
        try (EbayTestKeys other = new EbayTestKeys()) {
            KeyPair pair = other.add("x", "kid-nobody-knows");
            byte[] body = resource("marketplace_account_deletion.json");
            WebhookRequest delivery = new WebhookRequest(
                    Map.of("X-EBAY-SIGNATURE", EbayTestKeys.signature(body, pair, "kid-nobody-knows")), body);
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        RejectionReason.SIGNATURE_MISMATCH,
                        assertInstanceOf(
                                        VerificationResult.Rejected.class,
                                        adapter.verifyWebhook(delivery, List.of(secret()), clock))
                                .reason());
            }
            assertEquals(1, server.requests().size());
            clock.advance(EbayPublicKeys.NEGATIVE_TTL.plusSeconds(1));
            adapter.verifyWebhook(delivery, List.of(secret()), clock);
            assertEquals(2, server.requests().size());
        }
    }

    @Test
    void aKeyIdThatIsNoIdIsNeverLookedUp() throws IOException {
        serveEbaysKey();
        String header = java.util.Base64.getEncoder()
                .encodeToString(
                        "{\"alg\":\"ecdsa\",\"kid\":\"../../oauth2/token\",\"signature\":\"MEYCIQ==\",\"digest\":\"SHA1\"}"
                                .getBytes(StandardCharsets.UTF_8));
        VerificationResult result = new EbayAdapter(clock)
                .verifyWebhook(
                        new WebhookRequest(Map.of("X-EBAY-SIGNATURE", header), new byte[] {'{', '}'}),
                        List.of(secret()),
                        clock);
        assertInstanceOf(VerificationResult.Rejected.class, result);
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void eBayUnavailableIsARejectionNotAnException() throws IOException {
        server.handle(exchange -> CannedHttpServer.respond(exchange, 503, Map.of(), "{}"));
        VerificationResult result = new EbayAdapter(clock)
                .verifyWebhook(ebaysDelivery(resource("marketplace_account_deletion.json")), List.of(secret()), clock);
        VerificationResult.Rejected rejected = assertInstanceOf(VerificationResult.Rejected.class, result);
        assertTrue(rejected.message().contains("could not be fetched"), rejected.message());
        assertEquals(1, server.requests().size(), "a failed look-up is not cached");
    }

    @Test
    void aSecretWithoutAnApplicationTokenIsNoSecret() throws IOException {
        VerificationResult result = new EbayAdapter(clock)
                .verifyWebhook(
                        ebaysDelivery(resource("marketplace_account_deletion.json")),
                        List.of(WebhookSecret.of("{\"verification_token\": \"t\"}")),
                        clock);
        assertEquals(
                RejectionReason.NO_SECRET,
                assertInstanceOf(VerificationResult.Rejected.class, result).reason());
    }

    @Test
    void theCacheIsBounded() throws Exception {
        server.handle(exchange -> CannedHttpServer.respond(exchange, 404, Map.of(), "{}"));
        EbayPublicKeys keys = new EbayPublicKeys(clock);
        for (int i = 0; i < EbayPublicKeys.MAX_ENTRIES + 20; i++) {
            keys.key(server.baseUrl(), "app-token", "kid-" + i);
        }
        assertEquals(EbayPublicKeys.MAX_ENTRIES, keys.size());
    }

    /** eBay's algorithm names: ECDSA with SHA1 is SHA1withECDSA; anything else is not accepted. */
    @Test
    void namesTheJcaAlgorithm() {
        assertEquals("SHA1withECDSA", EbayPublicKeys.signatureAlgorithm("SHA1", "ECDSA"));
        assertEquals("SHA1withECDSA", EbayPublicKeys.signatureAlgorithm("sha1", "ecdsa"));
        assertEquals("", EbayPublicKeys.signatureAlgorithm("MD5", "ECDSA"));
        assertEquals("", EbayPublicKeys.signatureAlgorithm("SHA1", "RSA"));
    }

    /** developer.ebay.com/marketplace-account-deletion: hex SHA-256 of code + verification token + endpoint. */
    @Test
    void answersTheAccountDeletionEndpointsChallenge() {
        WebhookSecret secret = WebhookSecret.of("{\"app_token\": \"a\", \"verification_token\":"
                + " \"71745723-d031-455c-bfa5-f90d11b4f20a\", \"endpoint\":"
                + " \"https://ingest.example.test/webhooks/ebay/test-seller\"}");
        EbayAdapter adapter = new EbayAdapter(clock);
        // expected value computed independently (Python hashlib.sha256 of the concatenation)
        assertEquals(
                Optional.of(
                        "{\"challengeResponse\":\"e8fd1e3f592936b00c512f7436542b15adb64d9638c72b224da031afd9f9f5f9\"}"),
                adapter.endpointChallengeResponse(
                        Map.of("challenge_code", "a8628072-3d33-45ee-9004-bee86830a22d"), List.of(secret)));
        assertEquals(Optional.empty(), adapter.endpointChallengeResponse(Map.of(), List.of(secret)));
        assertEquals(
                Optional.empty(),
                adapter.endpointChallengeResponse(
                        Map.of("challenge_code", "x"), List.of(WebhookSecret.of("{\"app_token\": \"a\"}"))));
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
