package dev.commercesync.normalizer;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Raw envelopes built from the platforms' published payloads (platforms/src/test/resources/fixtures) the way the
 * ingest builds them: the adapter reads the delivery's headers. Each test gets its own store so its outputs are its
 * own.
 */
final class Fixtures {
    static final PlatformRegistry PLATFORMS = PlatformRegistry.loadInstalled();

    private Fixtures() {}

    static byte[] payload(String platform, String file) {
        Path root =
                Path.of(System.getProperty("commercesync.root", "..")).resolve("platforms/src/test/resources/fixtures");
        try {
            return Files.readAllBytes(root.resolve(platform).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A webhook delivery as the ingest files it, then moved to {@code store}. */
    static RawEnvelope webhook(String platform, String store, Map<String, String> headers, byte[] body) {
        RawEnvelope envelope = RawEnvelopes.fromWebhook(
                PLATFORMS.get(platform), new WebhookRequest(headers, body), Instant.parse("2026-01-05T10:00:00Z"));
        envelope.setStore(store);
        return envelope;
    }

    static RawEnvelope shopify(String store, String topic, String eventId, byte[] body) {
        return webhook(
                "shopify",
                store,
                Map.of(
                        "X-Shopify-Topic", topic,
                        "X-Shopify-Shop-Domain", store,
                        "X-Shopify-Event-Id", eventId,
                        "X-Shopify-Webhook-Id", "delivery-" + System.nanoTime(),
                        "Content-Type", "application/json"),
                body);
    }

    static RawEnvelope shopifyOrder(String store, String eventId) {
        return shopify(store, "orders/create", eventId, payload("shopify", "orders_create.json"));
    }

    /** A Shopify order delivery that names the Admin API version of its payload, as Shopify's webhooks do. */
    static RawEnvelope shopifyOrder(String store, String eventId, String apiVersion) {
        return webhook(
                "shopify",
                store,
                Map.of(
                        "X-Shopify-Topic",
                        "orders/create",
                        "X-Shopify-Shop-Domain",
                        store,
                        "X-Shopify-Event-Id",
                        eventId,
                        "X-Shopify-Webhook-Id",
                        "delivery-" + System.nanoTime(),
                        "X-Shopify-API-Version",
                        apiVersion,
                        "Content-Type",
                        "application/json"),
                payload("shopify", "orders_create.json"));
    }

    static RawEnvelope wooCommerce(String store, String topic, String file) {
        return webhook(
                "woocommerce",
                store,
                Map.of(
                        "X-WC-Webhook-Source",
                        "https://example.com/",
                        "X-WC-Webhook-Topic",
                        topic,
                        "X-WC-Webhook-Resource",
                        topic.substring(0, topic.indexOf('.')),
                        "X-WC-Webhook-Event",
                        topic.substring(topic.indexOf('.') + 1),
                        "X-WC-Webhook-ID",
                        "42",
                        // A new delivery id per send, as WooCommerce does when it re-sends a payload.
                        "X-WC-Webhook-Delivery-ID",
                        "wc-" + System.nanoTime(),
                        "Content-Type",
                        "application/json"),
                payload("woocommerce", file));
    }

    static RawEnvelope bigCommerce(String store, String file, String webhookId) {
        return webhook(
                "bigcommerce",
                store,
                Map.of("webhook-id", webhookId, "webhook-timestamp", "1561479335", "Content-Type", "application/json"),
                payload("bigcommerce", file));
    }

    static RawEnvelope magento2(String store, String file) {
        return webhook(
                "magento2",
                store,
                Map.of("x-adobe-event-code", "com.adobe.commerce.observer.catalog_product_save_commit_after"),
                payload("magento2", file));
    }
}
