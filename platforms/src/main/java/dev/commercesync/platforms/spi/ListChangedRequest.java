package dev.commercesync.platforms.spi;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.Objects;

/**
 * @param changedSince entities updated at or after this instant (the poller's cursor minus its overlap window)
 * @param pageCursor the previous page's {@link ChangedPage#nextPageCursor()}, or null for the first page
 * @param pageSize requested page size; clients cap it at the platform's maximum
 */
public record ListChangedRequest(EntityType entityType, Instant changedSince, String pageCursor, int pageSize) {

    public ListChangedRequest {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(changedSince, "changedSince");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
    }
}
