package dev.commercesync.reconciler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.reconciler.core.Finding.Kind;
import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The passes of one store and type as the service runs them: the coverage decides what each pass lists. Modelled on
 * the demo run whose verdict kept one stale Adobe Commerce customer while every pass reported no findings: 12
 * customers seeded in one second, one address change whose webhook was dropped a few seconds later.
 */
class ChangeCoverageTest {
    private static final StoreRef STORE = new StoreRef("magento2", "4c0493dd-b605-38fa-b228-2e43dcf92fb9");
    private static final EntityType TYPE = EntityType.CUSTOMER;
    private static final Instant WINDOW_START = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant SEEDED = Instant.parse("2026-12-07T01:59:03Z");
    private static final int PAGE = 100;
    private static final int K = 16;

    private final Fakes.Platform platform = new Fakes.Platform(PAGE);
    private final Fakes.Target target = new Fakes.Target();

    /** 12 customers, the same on both sides; customer 7's update at +9 s never reached the target. */
    private void seedWithALostUpdate() {
        for (int i = 1; i <= 12; i++) {
            platform.entities.put(Integer.toString(i), SEEDED);
            target.put(Integer.toString(i), SEEDED);
        }
        platform.entities.put("7", SEEDED.plusSeconds(9));
    }

    private Map<String, Kind> pass(ChangeCoverage coverage, Instant windowEnd, boolean full) throws Exception {
        Range window = new Range(WINDOW_START, windowEnd);
        BucketReconciler.Options options = coverage.nextPass(STORE, TYPE, K, 2, PAGE, full);
        BucketReconciler.Outcome outcome =
                new BucketReconciler(platform, target, STORE, TYPE, options).reconcile(window);
        coverage.passed(STORE, TYPE, options, window, outcome.findings().isEmpty());
        return outcome.findings().stream()
                .collect(Collectors.toMap(Finding::entityId, Finding::kind, (a, b) -> a, TreeMap::new));
    }

    @Test
    void theFirstPassFindsALostUpdateThatStayedInsideOneBucket() throws Exception {
        seedWithALostUpdate();
        // Old and new version share every bucket the counts would use: equal counts, the blind spot of counting.
        BucketReconciler.Outcome counted = new BucketReconciler(
                        platform, target, STORE, TYPE, new BucketReconciler.Options(K, 2, PAGE, false))
                .reconcile(new Range(WINDOW_START, SEEDED.plusSeconds(88)));
        assertEquals(0, counted.findings().size(), "counts alone cannot see it");

        ChangeCoverage coverage = new ChangeCoverage();
        assertEquals(Map.of("7", Kind.STALE), pass(coverage, SEEDED.plusSeconds(88), false), "the first pass");
    }

    @Test
    void aCleanPassThatListedStartsTheListingOfChangesOfTheNext() throws Exception {
        seedWithALostUpdate();
        ChangeCoverage coverage = new ChangeCoverage();
        assertEquals(Map.of("7", Kind.STALE), pass(coverage, SEEDED.plusSeconds(88), false));
        target.set("7", SEEDED.plusSeconds(9)); // the repair
        // A pass with findings covers nothing: the next one lists its whole window again and verifies the repair.
        assertTrue(coverage.nextPass(STORE, TYPE, K, 2, PAGE, false).full());
        assertEquals(Map.of(), pass(coverage, SEEDED.plusSeconds(150), false));

        // Clean: the next pass counts what came before its window's end (less the margin) and lists the rest.
        BucketReconciler.Options next = coverage.nextPass(STORE, TYPE, K, 2, PAGE, false);
        assertFalse(next.full());
        assertEquals(SEEDED.plusSeconds(150).minus(ChangeCoverage.MARGIN), next.listSince());
        // Customer 3 changes twice after the coverage; the second change is lost. Both versions are listed.
        platform.entities.put("3", SEEDED.plusSeconds(200));
        target.set("3", SEEDED.plusSeconds(200));
        platform.entities.put("3", SEEDED.plusSeconds(201));
        assertEquals(Map.of("3", Kind.STALE), pass(coverage, SEEDED.plusSeconds(400), false));
    }

    @Test
    void aPassThatOnlyCountedCoversNothing() {
        ChangeCoverage coverage = new ChangeCoverage();
        Range window = new Range(WINDOW_START, SEEDED.plusSeconds(88));
        BucketReconciler.Options countOnly = new BucketReconciler.Options(K, 2, PAGE, false);

        assertEquals(Optional.empty(), coverage.passed(STORE, TYPE, countOnly, window, true));
        assertTrue(coverage.nextPass(STORE, TYPE, K, 2, PAGE, false).full(), "still nothing covered: list all");
    }

    @Test
    void aCleanPassOfAPlatformWithoutCountsCoversItsWindow() {
        ChangeCoverage coverage = new ChangeCoverage();
        Range window = new Range(WINDOW_START, SEEDED.plusSeconds(88));
        BucketReconciler.Options listed = new BucketReconciler.Options(K, 2, PAGE, false).uncounted();

        assertEquals(Optional.of(window.to()), coverage.passed(STORE, TYPE, listed, window, true));
    }

    @Test
    void theCoverageAnEarlierProcessRecordedIsListedFrom() {
        Instant recorded = SEEDED.plusSeconds(600);
        ChangeCoverage coverage = new ChangeCoverage((store, type) -> Optional.of(recorded));

        BucketReconciler.Options next = coverage.nextPass(STORE, TYPE, K, 2, PAGE, false);
        assertFalse(next.full(), "a restart does not cost a full listing");
        assertEquals(recorded.minus(ChangeCoverage.MARGIN), next.listSince());
        assertTrue(coverage.nextPass(STORE, TYPE, K, 2, PAGE, true).full(), "a full pass stays full");
        assertNull(coverage.nextPass(STORE, TYPE, K, 2, PAGE, true).listSince());
    }
}
