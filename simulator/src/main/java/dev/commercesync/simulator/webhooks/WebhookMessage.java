package dev.commercesync.simulator.webhooks;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;

/**
 * One webhook event: the platform topic and the body, rendered when the change happened (a delayed or reordered
 * delivery carries the state of its time, as it would from the platform's queue).
 *
 * @param eventId stable across duplicates and retries (the platform's event id where it has one)
 */
public record WebhookMessage(
        String topic, byte[] body, String eventId, Instant triggeredAt, EntityType entityType, String entityId) {}
