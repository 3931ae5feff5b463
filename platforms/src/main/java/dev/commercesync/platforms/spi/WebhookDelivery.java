package dev.commercesync.platforms.spi;

import java.util.Map;
import java.util.Optional;

/**
 * What a webhook delivery says about itself, read from the platform's headers (or payload), to build a {@code
 * RawEnvelope}. Empty optionals mean the delivery did not say: a delivery without a store or event type cannot be
 * filed and is rejected by the ingest.
 *
 * @param store store identifier as the platform names it (shop domain, site URL)
 * @param eventType the platform topic verbatim (orders/create, order.updated)
 * @param deliveryId the platform's id of this delivery attempt
 * @param platformEventId the platform's id of the event, stable across redeliveries, where it has one
 * @param headersToKeep headers the adapter needs later (names lower-cased), never credentials or signatures
 * @param apiVersion the platform API version the payload is in, where the delivery names it ({@code
 *     X-Shopify-API-Version}); the raw envelope's {@code api_version}
 */
public record WebhookDelivery(
        Optional<String> store,
        Optional<String> eventType,
        Optional<String> deliveryId,
        Optional<String> platformEventId,
        Map<String, String> headersToKeep,
        Optional<String> apiVersion) {

    public WebhookDelivery {
        headersToKeep = Map.copyOf(headersToKeep);
        java.util.Objects.requireNonNull(apiVersion, "apiVersion");
    }

    /** A delivery that does not name its payload's API version (every platform but Shopify). */
    public WebhookDelivery(
            Optional<String> store,
            Optional<String> eventType,
            Optional<String> deliveryId,
            Optional<String> platformEventId,
            Map<String, String> headersToKeep) {
        this(store, eventType, deliveryId, platformEventId, headersToKeep, Optional.empty());
    }
}
