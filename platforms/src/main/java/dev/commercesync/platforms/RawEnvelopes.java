package dev.commercesync.platforms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds {@link RawEnvelope}s the one way the ingest, the poller, the CLI and the tests share: from webhook deliveries
 * and from entities read through a platform's API.
 */
public final class RawEnvelopes {
    private RawEnvelopes() {}

    /**
     * The envelope of a (verified) webhook delivery: store, event type, delivery and event ids and the kept headers
     * as the adapter reads them from the delivery.
     *
     * @throws IllegalArgumentException when the delivery names no store or event type (reject it: 400)
     */
    public static RawEnvelope fromWebhook(PlatformAdapter adapter, WebhookRequest request, Instant receivedAt) {
        return fromWebhook(adapter.name(), adapter.describeDelivery(request), request, receivedAt);
    }

    /** As above, for a caller that already asked the adapter to describe the delivery. */
    public static RawEnvelope fromWebhook(
            String platform, WebhookDelivery delivery, WebhookRequest request, Instant receivedAt) {
        return pushed(
                platform,
                delivery,
                request.body(),
                request.header("Content-Type").orElse(null),
                traceContext(request),
                receivedAt);
    }

    /**
     * The envelope of a notification read from a message queue (SP-API's SQS destinations, {@code
     * PlatformAdapter#queuedNotifications}): like a webhook's (source {@link EventSource#WEBHOOK}: the platform pushed
     * it), the body the queue message's verbatim.
     *
     * @throws IllegalArgumentException when the notification names no store or event type
     */
    public static RawEnvelope fromQueue(String platform, WebhookDelivery delivery, byte[] body, Instant receivedAt) {
        return pushed(platform, delivery, body, "application/json", null, receivedAt);
    }

    /** What the platform pushed (a webhook or a queued notification), as the adapter described it. */
    private static RawEnvelope pushed(
            String platform,
            WebhookDelivery delivery,
            byte[] body,
            String contentType,
            Map<String, String> traceContext,
            Instant receivedAt) {
        String store =
                delivery.store().orElseThrow(() -> new IllegalArgumentException(platform + " delivery names no store"));
        String eventType = delivery.eventType()
                .orElseThrow(() -> new IllegalArgumentException(platform + " delivery names no event type"));
        return RawEnvelope.newBuilder()
                .setEnvelopeId(UUID.randomUUID().toString())
                .setPlatform(platform)
                .setStore(store)
                .setEventType(eventType)
                .setEntityType(null)
                .setSource(EventSource.WEBHOOK)
                .setDeliveryId(delivery.deliveryId().orElse(null))
                .setPlatformEventId(delivery.platformEventId().orElse(null))
                .setHeaders(delivery.headersToKeep())
                .setContentType(contentType)
                .setBody(ByteBuffer.wrap(body))
                .setReceivedAt(receivedAt)
                .setCorrelationId(null)
                .setTraceContext(traceContext)
                .setApiVersion(delivery.apiVersion().orElse(null))
                .build();
    }

    /**
     * The envelope of one entity read through the platform's API (a polled page, or a fetch by id), in the shape its
     * webhooks carry. The entity type is set (the poller knows what it asked for), so the adapter classifies it as a
     * full upsert whatever the event type; the event type is the entity type's resource name ({@link
     * #resourceName}), which names no webhook topic of any platform.
     *
     * @param source {@link EventSource#POLL} for polling and hydration of thin webhooks, {@link
     *     EventSource#RECONCILE} for a reconciler's repair
     * @param correlationId the {@code FetchRequest.request_id} the envelope answers, or null when polled
     * @param apiVersion the API version the entity was read with (the store connection's), or null when unknown
     */
    public static RawEnvelope fromApi(
            String platform,
            String store,
            EntityType entityType,
            JsonNode entity,
            EventSource source,
            Instant receivedAt,
            String correlationId,
            String apiVersion) {
        RawEnvelope envelope = fromApi(platform, store, entityType, entity, source, receivedAt, correlationId);
        envelope.setApiVersion(apiVersion);
        return envelope;
    }

    /** As above, for an entity whose API version is not known (fixtures, {@code synctl normalize}). */
    public static RawEnvelope fromApi(
            String platform,
            String store,
            EntityType entityType,
            JsonNode entity,
            EventSource source,
            Instant receivedAt,
            String correlationId) {
        Objects.requireNonNull(entity, "entity");
        if (source == EventSource.WEBHOOK) {
            throw new IllegalArgumentException("an entity read through the API is not a webhook");
        }
        return RawEnvelope.newBuilder()
                .setEnvelopeId(UUID.randomUUID().toString())
                .setPlatform(platform)
                .setStore(store)
                .setEventType(resourceName(entityType))
                .setEntityType(entityType)
                .setSource(source)
                .setDeliveryId(null)
                .setPlatformEventId(null)
                .setHeaders(Map.of())
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap(Json.encode(entity).getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(receivedAt)
                .setCorrelationId(correlationId)
                .setTraceContext(null)
                .build();
    }

    /** The event type of polled records: the entity type's plural, lower case ({@code orders}, {@code refunds}). */
    public static String resourceName(EntityType entityType) {
        return entityType.name().toLowerCase(Locale.ROOT) + "s";
    }

    /** W3C trace context of the delivery, when the sender propagated one. */
    private static Map<String, String> traceContext(WebhookRequest request) {
        Map<String, String> trace = new LinkedHashMap<>();
        request.header("traceparent").ifPresent(v -> trace.put("traceparent", v));
        request.header("tracestate").ifPresent(v -> trace.put("tracestate", v));
        return trace.isEmpty() ? null : trace;
    }

    /**
     * Headers in HTTP's text form, one {@code Name: value} per line; blank lines and lines starting with {@code #}
     * are ignored (the format of fixture {@code .headers} files and {@code synctl normalize --headers}).
     */
    public static Map<String, String> parseHeaderLines(List<String> lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        int number = 0;
        for (String line : lines) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("line " + number + " is not 'Name: value'");
            }
            headers.put(
                    trimmed.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    trimmed.substring(colon + 1).strip());
        }
        return headers;
    }
}
