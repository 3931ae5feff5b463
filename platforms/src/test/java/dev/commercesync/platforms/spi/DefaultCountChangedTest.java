package dev.commercesync.platforms.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.schemas.canonical.EntityType;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SPI's fallback count for platforms without a count: it walks the bounded listing and counts the range only. */
class DefaultCountChangedTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-01-01T01:00:00Z");

    /** Lists two pages; like WooCommerce customers, it cannot filter, so it also returns entities outside the range. */
    private static final class TwoPages implements PlatformApiClient {
        final List<ListChangedRequest> requests = new ArrayList<>();

        @Override
        public ApiResponse<ChangedPage> listChanged(ListChangedRequest request) {
            requests.add(request);
            if (request.pageCursor() == null) {
                return page(
                        List.of(entity("1", FROM), entity("2", FROM.minusSeconds(1)), entity("3", TO.minusMillis(1))),
                        "2");
            }
            return page(List.of(entity("4", TO), entity("5", FROM.plusSeconds(60))), null);
        }

        private static ChangedEntity entity(String id, Instant at) {
            return new ChangedEntity(id, at, Optional.empty());
        }

        private static ApiResponse<ChangedPage> page(List<ChangedEntity> entities, String next) {
            return new ApiResponse<>(
                    new ChangedPage(entities, Optional.ofNullable(next), Optional.empty()), Optional.empty());
        }

        @Override
        public ApiResponse<Optional<JsonNode>> getById(EntityType entityType, String id, String parentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse<List<WebhookSubscription>> listWebhooks() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse<WebhookSubscription> registerWebhook(String topic, URI address, WebhookSecret secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse<Void> deleteWebhook(String subscriptionId) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void countsOnlyTheHalfOpenRangeAndReportsOneCallPerPage() throws Exception {
        TwoPages client = new TwoPages();
        ApiResponse<ChangeCount> count = client.countChanged(EntityType.CUSTOMER, FROM, TO);
        assertEquals(new ChangeCount(3, 2), count.value());
        assertEquals(TO, client.requests.get(0).changedBefore(), "the listing carries the upper bound");
        assertEquals("2", client.requests.get(1).pageCursor());
    }
}
