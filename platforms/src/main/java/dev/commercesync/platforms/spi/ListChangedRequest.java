package dev.commercesync.platforms.spi;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * @param changedSince entities updated at or after this instant (the poller's cursor minus its overlap window)
 * @param pageCursor the previous page's {@link ChangedPage#nextPageCursor()}, or null for the first page
 * @param pageSize requested page size; clients cap it at the platform's maximum
 * @param changedBefore exclusive upper bound of updated-at (the reconciler lists one bucket {@code [changedSince,
 *     changedBefore)}), or null for none. Platforms filter with whole seconds: give whole-second bounds for an exact
 *     range.
 */
public record ListChangedRequest(
        EntityType entityType, Instant changedSince, String pageCursor, int pageSize, Instant changedBefore) {

    public ListChangedRequest {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(changedSince, "changedSince");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
        if (changedBefore != null && !changedBefore.isAfter(changedSince)) {
            throw new IllegalArgumentException("changedBefore must be after changedSince");
        }
    }

    /** An unbounded listing: everything changed since {@code changedSince}. */
    public ListChangedRequest(EntityType entityType, Instant changedSince, String pageCursor, int pageSize) {
        this(entityType, changedSince, pageCursor, pageSize, null);
    }

    /** The exclusive upper bound, when the listing has one. */
    public Optional<Instant> upperBound() {
        return Optional.ofNullable(changedBefore);
    }

    /** The same listing at another page. */
    public ListChangedRequest atPage(String nextPageCursor) {
        return new ListChangedRequest(entityType, changedSince, nextPageCursor, pageSize, changedBefore);
    }
}
