package dev.commercesync.platforms.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One entity of a {@link ChangedPage}.
 *
 * @param id the platform's id, exact
 * @param updatedAt the platform's updated-at (UTC), the poller's cursor value
 * @param body the entity in the shape its webhooks carry, when the listing returns that shape (WooCommerce); empty
 *     when the listing only names it (Shopify GraphQL) and the poller must {@link PlatformApiClient#getById} it
 */
public record ChangedEntity(String id, Instant updatedAt, Optional<JsonNode> body) {}
