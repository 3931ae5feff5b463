package dev.commercesync.reconciler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.reconciler.core.Finding.Kind;
import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BucketReconcilerTest {
    private static final StoreRef STORE = new StoreRef("woocommerce", "shop.example.com");
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-01-01T00:00:00Z");
    private static final Range WINDOW = new Range(START, END);
    private static final int PAGE = 100;
    private static final int K = 16;

    private final Fakes.Platform platform = new Fakes.Platform(PAGE);
    private final Fakes.Target target = new Fakes.Target();

    /** n entities spread over the year, the same on both sides. */
    private void seedInSync(int n, long seed) {
        Random random = new Random(seed);
        long span = END.getEpochSecond() - START.getEpochSecond();
        for (int i = 1; i <= n; i++) {
            Instant at = Instant.ofEpochSecond(START.getEpochSecond() + (long) (random.nextDouble() * span));
            platform.entities.put(Integer.toString(i), at);
            target.put(Integer.toString(i), at);
        }
    }

    private BucketReconciler.Outcome run(boolean full) throws Exception {
        return new BucketReconciler(
                        platform, target, STORE, EntityType.ORDER, new BucketReconciler.Options(K, 2, PAGE, full))
                .reconcile(WINDOW);
    }

    private static Map<String, Kind> byId(BucketReconciler.Outcome outcome) {
        return outcome.findings().stream()
                .collect(Collectors.toMap(Finding::entityId, Finding::kind, (a, b) -> a, TreeMap::new));
    }

    @Test
    void withoutDriftAPassCostsOneCountPerTopBucket() throws Exception {
        seedInSync(10_000, 1);
        BucketReconciler.Outcome outcome = run(false);
        assertEquals(List.of(), outcome.findings());
        assertEquals(K, outcome.apiCalls());
        assertEquals(K, outcome.countCalls());
        assertEquals(0, outcome.listCalls());
        assertEquals(K, platform.countRequests, "the outcome's cost is what the platform saw");
    }

    @Test
    void findsMissingStaleExtraAndDuplicate() throws Exception {
        seedInSync(2_000, 2);
        target.remove("17"); // missing: a lost webhook
        target.set(
                "42", platform.entities.get("42").minusSeconds(86_400 * 30)); // stale: the target kept an old version
        target.put("9001", Instant.parse("2025-06-01T12:00:00Z")); // extra: deleted on the platform
        target.rows.add(new TargetView.Entity("p/s/order/ID-77", "77", platform.entities.get("77"), null)); // duplicate

        BucketReconciler.Outcome outcome = run(false);

        assertEquals(
                Map.of("17", Kind.MISSING, "42", Kind.STALE, "9001", Kind.EXTRA, "77", Kind.DUPLICATE), byId(outcome));
        Finding stale = outcome.findings().stream()
                .filter(f -> f.kind() == Kind.STALE)
                .findFirst()
                .orElseThrow();
        assertEquals(platform.entities.get("42"), stale.platformUpdatedAt());
        assertTrue(stale.targetUpdatedAt().isBefore(stale.platformUpdatedAt()));
        Finding duplicate = outcome.findings().stream()
                .filter(f -> f.kind() == Kind.DUPLICATE)
                .findFirst()
                .orElseThrow();
        assertEquals(Set.of("p/s/order/77", "p/s/order/ID-77"), Set.copyOf(duplicate.entityKeys()));
    }

    @Test
    void aMissingEntityListedUnderAParentKeepsItForItsRepair() throws Exception {
        seedInSync(500, 4);
        platform.parents.put("17", "order-9"); // a refund, fetched through its order
        target.remove("17");

        List<Finding> findings = run(false).findings();

        assertEquals(1, findings.size());
        assertEquals(Kind.MISSING, findings.get(0).kind());
        assertEquals("order-9", findings.get(0).parentId());
    }

    @Test
    void aStaleEntityWhoseOldBucketBalancesIsFoundById() throws Exception {
        seedInSync(2_000, 3);
        Instant old = platform.entities.get("5");
        // The platform updated 5 (it leaves its old bucket) and created 6000 in the old bucket at the same second:
        // the old bucket's counts match; the new bucket has one more on the platform.
        platform.entities.put("5", END.minusSeconds(60));
        platform.entities.put("6000", old);
        target.put("6000", old);

        assertEquals(Map.of("5", Kind.STALE), byId(run(false)));
    }

    /**
     * Scattered drift at 100k, as {@code synctl bench reconcile} injects it: entities the target lost (missing, at any
     * age) and lost updates since the last clean pass (stale: the platform changed them recently, the target kept the
     * version before). Counts alone miss a lost update that kept its entity inside one bucket; the listing of what
     * changed since the last clean pass does not. One pass finds exactly the drift, none of it reported as something
     * else, for much less than listing the store.
     */
    @Test
    void scatteredMissingAndLostUpdatesAreFoundExactlyInOnePass() throws Exception {
        seedInSync(100_000, 8);
        Instant lastCleanPass = END.minusSeconds(2 * 86_400);
        Random random = new Random(8);
        List<String> ids = new java.util.ArrayList<>(platform.entities.keySet());
        java.util.Collections.shuffle(ids, random);
        Map<String, Kind> injected = new TreeMap<>();
        for (int i = 0; i < 100; i++) {
            String id = ids.get(i);
            if (i % 2 == 0) {
                target.remove(id);
                injected.put(id, Kind.MISSING);
            } else {
                platform.entities.put(id, lastCleanPass.plusSeconds(1 + random.nextInt(2 * 86_400 - 60)));
                injected.put(id, Kind.STALE);
            }
        }
        for (int i = 0; i < 200; i++) { // changes since the last pass that did arrive
            String id = ids.get(100 + i);
            Instant at = lastCleanPass.plusSeconds(1 + random.nextInt(2 * 86_400 - 60));
            platform.entities.put(id, at);
            target.set(id, at);
        }

        BucketReconciler.Outcome outcome = new BucketReconciler(
                        platform,
                        target,
                        STORE,
                        EntityType.ORDER,
                        new BucketReconciler.Options(K, 2, PAGE, false, lastCleanPass))
                .reconcile(WINDOW);

        assertEquals(injected, byId(outcome));
        assertTrue(
                outcome.apiCalls() * 2 < platform.fullListingCost(),
                outcome.apiCalls() + " calls; listing the store costs " + platform.fullListingCost());
    }

    /** Without the listing of recent changes, a lost update inside one bucket is invisible to counts. */
    @Test
    void countsAloneMissALostUpdateThatStayedInItsBucket() throws Exception {
        seedInSync(1_000, 9);
        Instant at = platform.entities.get("10");
        platform.entities.put("10", at.plusSeconds(1)); // same bucket at every level but the last second

        assertEquals(Map.of(), byId(run(false)), "the documented blind spot of counting");
        BucketReconciler.Outcome listed = new BucketReconciler(
                        platform, target, STORE, EntityType.ORDER, new BucketReconciler.Options(K, 2, PAGE, false, at))
                .reconcile(WINDOW);
        assertEquals(Map.of("10", Kind.STALE), byId(listed));
    }

    @Test
    void scatteredDriftOfOneInAThousandCostsAboutHalfOfAFullListing() throws Exception {
        seedInSync(10_000, 4);
        Random random = new Random(99);
        List<String> ids = new java.util.ArrayList<>(platform.entities.keySet());
        java.util.Collections.shuffle(ids, random);
        // 0.1 % drift: 10 distinct entities scattered over the year, the worst case for bucketing: each drifted
        // bucket costs ~log2(bucket / 2 pages) counts and a leaf listing (docs/reconciler.md, cost model).
        for (int i = 0; i < 4; i++) {
            target.remove(ids.get(i));
        }
        for (int i = 4; i < 7; i++) {
            platform.entities.put(ids.get(i), END.minusSeconds(1 + random.nextInt(86_400)));
        }
        for (int i = 0; i < 3; i++) {
            target.put("x" + i, Instant.ofEpochSecond(START.getEpochSecond() + random.nextInt(30_000_000)));
        }

        BucketReconciler.Outcome outcome = run(false);

        assertEquals(10, outcome.findings().size(), outcome.findings().toString());
        int fullListing = platform.fullListingCost();
        assertEquals(100, fullListing);
        assertTrue(
                outcome.apiCalls() * 10 <= fullListing * 6,
                "drift of 10 in 10,000 cost " + outcome.apiCalls() + " calls; listing the store costs " + fullListing);
    }

    @Test
    void clusteredDriftCostsAFewCalls() throws Exception {
        seedInSync(10_000, 5);
        // An outage: the target lost every change of one hour on the platform (the entities changed then).
        for (int i = 0; i < 20; i++) {
            String id = "outage-" + i;
            platform.entities.put(id, Instant.parse("2025-09-09T10:00:00Z").plusSeconds(i * 150L));
        }
        BucketReconciler.Outcome outcome = run(false);
        assertEquals(20, outcome.findings().size());
        assertTrue(outcome.apiCalls() <= K + 8, "cost " + outcome.apiCalls());
    }

    @Test
    void equalCountsHideAMissingAndExtraPairUntilAFullPass() throws Exception {
        seedInSync(1_000, 6);
        Instant at = Instant.parse("2025-03-03T03:03:03Z");
        platform.entities.put("new-on-platform", at);
        target.put("gone-on-platform", at);

        assertEquals(Map.of(), byId(run(false)), "the documented blind spot of counting");

        BucketReconciler.Outcome full = run(true);
        assertEquals(Map.of("gone-on-platform", Kind.EXTRA, "new-on-platform", Kind.MISSING), byId(full));
        assertEquals(K, full.bucketsListed());
        assertTrue(full.listCalls() >= platform.fullListingCost(), "a full pass lists everything");
    }

    /**
     * A platform without a count (Amazon's searchOrders): a count would walk the bucket's pages, so a pass lists the
     * window once, whatever the options; what it finds is what counting would, and its cost is the listing's pages.
     */
    @Test
    void onAPlatformWithoutCountsAPassListsTheWindowOnce() throws Exception {
        seedInSync(250, 10);
        target.remove("17"); // missing
        target.set("42", platform.entities.get("42").minusSeconds(3_600)); // stale
        target.put("9001", Instant.parse("2025-06-01T12:00:00Z")); // extra

        for (BucketReconciler.Options options : List.of(
                new BucketReconciler.Options(K, 2, PAGE, true),
                new BucketReconciler.Options(K, 2, PAGE, false, END.minusSeconds(86_400)))) {
            platform.countRequests = 0;
            platform.listRequests = 0;
            BucketReconciler.Outcome outcome = new BucketReconciler(
                            platform, target, STORE, EntityType.ORDER, options.uncounted())
                    .reconcile(WINDOW);

            assertEquals(Map.of("17", Kind.MISSING, "42", Kind.STALE, "9001", Kind.EXTRA), byId(outcome));
            assertEquals(0, platform.countRequests, "no count: the platform has none");
            assertEquals(1, outcome.bucketsListed());
            assertEquals(platform.fullListingCost(), outcome.listCalls(), "pages of 100 of the window");
            assertEquals(3, outcome.apiCalls());
            assertEquals(outcome.apiCalls(), platform.listRequests, "the outcome's cost is what the platform saw");
        }
        BucketReconciler.Outcome bucketed = run(true);
        assertTrue(
                bucketed.apiCalls() >= K,
                "listing each of the K top buckets costs at least K requests: " + bucketed.apiCalls());
    }

    @Test
    void aBucketOfOneSecondIsListedEvenWhenLarge() throws Exception {
        Instant burst = Instant.parse("2025-05-05T05:05:05Z");
        for (int i = 0; i < 450; i++) {
            platform.entities.put("b" + i, burst);
            if (i != 200) {
                target.put("b" + i, burst);
            }
        }
        BucketReconciler.Outcome outcome = run(false);
        assertEquals(Map.of("b200", Kind.MISSING), byId(outcome));
    }
}
