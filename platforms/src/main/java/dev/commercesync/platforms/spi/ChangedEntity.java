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
 * @param parentId the owning entity's id when {@link PlatformApiClient#getById} needs it (the order of a refund), else
 *     null
 */
public record ChangedEntity(String id, Instant updatedAt, Optional<JsonNode> body, String parentId) {

    /** An entity fetched by its own id alone. */
    public ChangedEntity(String id, Instant updatedAt, Optional<JsonNode> body) {
        this(id, updatedAt, body, null);
    }
}
