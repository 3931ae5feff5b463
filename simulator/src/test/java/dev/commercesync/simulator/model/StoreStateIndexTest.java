package dev.commercesync.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The updated-at index answers ranges, counts and pages exactly as a scan and sort of the whole store would. */
class StoreStateIndexTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void rangesCountsAndPagesMatchAScanAfterSeedingAndChanges() {
        StoreState state = new StoreState();
        ChangeGenerator generator = new ChangeGenerator(
                7, kind -> 1000L * (kind.ordinal() + 1), Clock.fixed(TO.plusSeconds(60), ZoneOffset.UTC));
        List<SimEntity> seeded = generator.seedHistory(state, EntityType.PRODUCT, 2000, FROM, TO);
        assertEquals(2000, seeded.size());
        assertEquals(2000, state.count(EntityType.PRODUCT));
        for (int i = 0; i < 300; i++) {
            generator.next(state); // edits move products to new updated-ats: the index must follow
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            Instant since = FROM.plusSeconds(random.nextLong(90_000) - 1000);
            Instant before = i % 10 == 0 ? null : since.plusSeconds(random.nextLong(40_000));
            List<SimEntity> expected = scan(state, since, before);
            assertEquals(expected, state.changedBetween(EntityType.PRODUCT, since, before));
            assertEquals(expected.size(), state.countBetween(EntityType.PRODUCT, since, before));
            int offset = expected.isEmpty() ? 0 : random.nextInt(expected.size());
            assertEquals(
                    expected.subList(offset, Math.min(expected.size(), offset + 7)),
                    state.pageBetween(EntityType.PRODUCT, since, before, offset, 7));
        }
        assertEquals(0, state.countBetween(EntityType.PRODUCT, TO, FROM));
        assertEquals(0, state.countBetween(EntityType.REFUND, FROM, TO));
    }

    private static List<SimEntity> scan(StoreState state, Instant since, Instant before) {
        return state.all(EntityType.PRODUCT).stream()
                .filter(e -> !e.updatedAt().isBefore(since)
                        && (before == null || e.updatedAt().isBefore(before)))
                .sorted(StoreState.BY_UPDATED_AT)
                .toList();
    }
}
