package dev.commercesync.ingest;

import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.spi.WebhookSecret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Webhook deliveries signed as each platform signs them, built from the platforms' published payloads (the fixtures of
 * module platforms). Signing reuses the adapters' own HMAC code.
 */
final class SignedDeliveries {
    private SignedDeliveries() {}

    record Delivery(Map<String, String> headers, byte[] body) {}

    static byte[] fixture(String path) {
        try (InputStream in = SignedDeliveries.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Delivery shopify(String shop, String topic, byte[] body, String secret, String eventId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-Shopify-Topic", topic);
        h.put("X-Shopify-Shop-Domain", shop);
        h.put("X-Shopify-Webhook-Id", UUID.randomUUID().toString());
        h.put("X-Shopify-Event-Id", eventId);
        h.put("X-Shopify-API-Version", "2026-04");
        h.put("X-Shopify-Hmac-Sha256", HmacSignatures.base64HmacSha256(WebhookSecret.of(secret), body));
        return new Delivery(h, body);
    }

    /** A BigCommerce delivery for {@code storeHash}: the fixture's producer rewritten, Standard Webhooks signed. */
    static Delivery bigCommerce(String storeHash, String fixture, String secret, Instant signedAt) {
        byte[] body = new String(fixture(fixture), StandardCharsets.UTF_8)
                .replace("stores/{store_hash}", "stores/" + storeHash)
                .getBytes(StandardCharsets.UTF_8);
        String id = "msg_" + UUID.randomUUID();
        String timestamp = Long.toString(signedAt.getEpochSecond());
        byte[] signed = (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("webhook-id", id);
        h.put("webhook-timestamp", timestamp);
        h.put("webhook-signature", "v1," + HmacSignatures.base64HmacSha256(WebhookSecret.of(secret), signed));
        return new Delivery(h, body);
    }
}
