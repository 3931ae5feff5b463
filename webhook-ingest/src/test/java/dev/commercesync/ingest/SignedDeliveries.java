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

    /** A WooCommerce delivery from {@code https://<site>/}, signed with the webhook's secret. */
    static Delivery wooCommerce(String site, String topic, byte[] body, String secret) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("X-WC-Webhook-Source", "https://" + site + "/");
        h.put("X-WC-Webhook-Topic", topic);
        h.put("X-WC-Webhook-Resource", topic.substring(0, topic.indexOf('.')));
        h.put("X-WC-Webhook-Event", topic.substring(topic.indexOf('.') + 1));
        h.put("X-WC-Webhook-ID", "11");
        h.put("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString().replace("-", ""));
        h.put("X-WC-Webhook-Signature", HmacSignatures.base64HmacSha256(WebhookSecret.of(secret), body));
        return new Delivery(h, body);
    }

    /**
     * An Adobe I/O Events delivery of the published observer event for the event provider {@code provider}, addressed
     * to the Developer Console project {@code recipient}, happening now, signed with {@code key}'s private key (Adobe's
     * is not published: the store is configured with this pair's public key).
     */
    static Delivery adobe(String provider, String recipient, java.security.KeyPair key)
            throws java.security.GeneralSecurityException {
        byte[] body = new String(
                        fixture("magento2/observer.catalog_product_save_commit_after.cloudevent.json"),
                        StandardCharsets.UTF_8)
                .replace("urn:uuid:fb58963f-d2e7-4ab4-83da-b6ff15b8ebc0", "urn:uuid:" + provider)
                .replace("ca7b36f23be94dcb9d2ebb97f0276e3f", recipient)
                .replace("2025-07-17T15:48:42.436Z", Instant.now().toString())
                .getBytes(StandardCharsets.UTF_8);
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(key.getPrivate());
        rsa.update(body);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json; charset=utf-8");
        h.put("x-adobe-event-code", "com.adobe.commerce.observer.catalog_product_save_commit_after");
        h.put("x-adobe-event-id", UUID.randomUUID().toString());
        h.put("x-adobe-delivery-id", UUID.randomUUID().toString());
        h.put("x-adobe-digital-signature-1", java.util.Base64.getEncoder().encodeToString(rsa.sign()));
        return new Delivery(h, body);
    }

    /** A store's Adobe I/O Events secret: its project's client id and the public key, PEM. */
    static String adobeSecret(String clientId, java.security.PublicKey key) {
        return "{\"client_id\":\"" + clientId + "\",\"public_key\":\"" + pem(key).replace("\n", "\\n") + "\"}";
    }

    /**
     * The published order grown to {@code size} bytes with a field of random letters (hard to compress, like a large
     * order's many distinct line items), still valid JSON.
     */
    static byte[] largeShopifyOrder(byte[] order, int size) {
        String json = new String(order, StandardCharsets.UTF_8).strip();
        String field = "\"commerce_sync_test_padding\":\"\",";
        int padding = size - json.length() - field.length();
        java.util.Random random = new java.util.Random(42);
        StringBuilder letters = new StringBuilder(padding);
        for (int i = 0; i < padding; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        String grown = "{\"commerce_sync_test_padding\":\"" + letters + "\"," + json.substring(1);
        return grown.getBytes(StandardCharsets.UTF_8);
    }

    /** The PEM form of a public key, as a store's Adobe I/O Events key is configured. */
    static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
