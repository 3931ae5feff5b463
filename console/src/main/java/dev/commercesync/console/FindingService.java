package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.FindingItem;
import dev.commercesync.console.BrowseViews.Findings;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.FindingKind;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reconciler's findings ({@code commerce.reconciliation.v1}), read for a bounded time window only (the records
 * written in it, found by timestamp): never the whole topic.
 */
@ApplicationScoped
public class FindingService {
    /** The default window. */
    public static final int DEFAULT_HOURS = 24;
    /** The longest window one read may cover. */
    public static final int MAX_HOURS = 24 * 7;

    /**
     * Which findings; a null field matches every value.
     *
     * @param kind a {@link FindingKind} name
     * @param hours the window: the last {@code hours} hours, 1 to {@link #MAX_HOURS}
     */
    public record Filter(String platform, String store, String kind, int hours) {
        /** @throws IllegalArgumentException for an unknown kind or a window out of range */
        public Filter {
            platform = Filters.any(platform);
            store = Filters.any(store);
            kind = Filters.oneOf(FindingKind.class, "kind", kind);
            if (hours < 1 || hours > MAX_HOURS) {
                throw new IllegalArgumentException("hours must be 1 to " + MAX_HOURS + ", not " + hours);
            }
        }

        boolean matches(ReconciliationFinding f) {
            return (platform == null || platform.equals(f.getPlatform()))
                    && (store == null || store.equals(f.getStore()))
                    && (kind == null || kind.equals(f.getKind().name()));
        }
    }

    private final ConsoleKafka kafka;
    private final Clock clock = Clock.systemUTC();

    public FindingService(ConsoleKafka kafka) {
        this.kafka = kafka;
    }

    /** The filter's findings of its window, newest first, at most {@code limit}. */
    public Findings list(Filter filter, int limit) {
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofHours(filter.hours()));
        List<FindingItem> found = new ArrayList<>();
        try (PipelineKafka k = kafka.open()) {
            k.readRange(kafka.topic(CommerceTopic.RECONCILIATION), from, record -> {
                if (k.decode(record) instanceof ReconciliationFinding f && filter.matches(f)) {
                    found.add(FindingItem.of(f));
                }
            });
        }
        return new Findings(
                from,
                to,
                found.stream()
                        .sorted(Comparator.comparing(FindingItem::foundAt).reversed())
                        .limit(limit)
                        .toList());
    }
}
