package dev.commercesync.platforms.spi;

import java.util.List;
import java.util.Optional;

/**
 * @param entities the page's entities
 * @param nextPageCursor opaque cursor of the next page; empty on the last page
 * @param totalCount total number of matching entities when the platform says (WooCommerce X-WP-Total)
 */
public record ChangedPage(List<ChangedEntity> entities, Optional<String> nextPageCursor, Optional<Long> totalCount) {

    public ChangedPage {
        entities = List.copyOf(entities);
    }
}
