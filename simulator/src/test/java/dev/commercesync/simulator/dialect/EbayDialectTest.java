package dev.commercesync.simulator.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import dev.commercesync.simulator.webhooks.WebhookMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A simulated eBay store signs a notification as eBay does, and the eBay adapter verifies it with the public key it
 * fetches by {@code kid} from the store's Notification API route, with the store's registered secret.
 */
class EbayDialectTest {
    private static Simulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void aNotificationIsSignedWithTheKeyTheStoreServesByKid() {
        SimulatedStore store = simulator.addStore(
                StoreSpec.builder("ebay", "ebay-signing").seed(3).build());
        byte[] body = ("{\"metadata\":{\"topic\":\"MARKETPLACE_ACCOUNT_DELETION\",\"schemaVersion\":\"1.0\","
                        + "\"deprecated\":false},\"notification\":{\"notificationId\":\"n-1\",\"eventDate\":"
                        + "\"2026-01-15T10:00:00.000Z\",\"publishDate\":\"2026-01-15T10:00:00.100Z\","
                        + "\"publishAttemptCount\":1,\"data\":{\"username\":\"u\",\"userId\":\"u-1\",\"eiasToken\":\"t\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        WebhookMessage message = new WebhookMessage(
                "MARKETPLACE_ACCOUNT_DELETION", body, "n-1", Instant.now(), EntityType.CUSTOMER, "u-1");
        // the dialect signs with the key of the store named by the context's store key
        StoreContext context = new StoreContext(
                "ebay",
                store.key(),
                store.storeId(),
                store.apiBaseUrl(),
                null,
                null,
                store.webhookSecret(),
                store.credentials(),
                Clock.systemUTC(),
                null,
                Map.of(),
                null,
                null);
        Map<String, String> headers =
                new HashMap<>(Dialects.get("ebay").deliveryHeaders(null, message, "d-1", Instant.now(), context));
        headers.put(WebhookRequest.PATH_STORE_HEADER, store.storeId());
        PlatformAdapter adapter = PlatformRegistry.loadInstalled().get("ebay");
        WebhookRequest request = new WebhookRequest(headers, body);

        assertEquals(
                new VerificationResult.Verified(0),
                adapter.verifyWebhook(request, List.of(store.webhookSecret()), Clock.systemUTC()));
        assertEquals(store.storeId(), adapter.describeDelivery(request).store().orElseThrow());
        byte[] tampered = body.clone();
        tampered[tampered.length - 5] = 'X';
        assertFalse(adapter.verifyWebhook(
                        new WebhookRequest(headers, tampered), List.of(store.webhookSecret()), Clock.systemUTC())
                .verified());
        // the account-deletion endpoint's challenge, with the verification token the store registered
        assertFalse(adapter.endpointChallengeResponse(
                        Map.of("challenge_code", "c-1"),
                        List.of(WebhookSecret.of(
                                new String(store.webhookSecret().bytes(), StandardCharsets.UTF_8))))
                .isEmpty());
    }
}
