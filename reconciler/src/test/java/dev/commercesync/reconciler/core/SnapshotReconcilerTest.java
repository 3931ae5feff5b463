package dev.commercesync.reconciler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Content comparison of a type listed without updated-at: every kind of finding, and the cost of a pass. */
class SnapshotReconcilerTest {
    private static final StoreRef STORE = new StoreRef("bigcommerce", "abc123");
    private static final EntityType TYPE = EntityType.INVENTORY_LEVEL;

    private final Fakes.Platform platform = new Fakes.Platform(1000);
    private final Fakes.Target target = new Fakes.Target();

    private static String key(String id) {
        return "bigcommerce/abc123/inventory_level/" + id;
    }

    private Map<String, Finding.Kind> findings() throws Exception {
        return new SnapshotReconciler(platform, target, STORE, TYPE)
                .reconcile().findings().stream()
                        .collect(Collectors.toMap(Finding::entityId, Finding::kind, (a, b) -> a, TreeMap::new));
    }

    @Test
    void inStepWhenEveryLevelHasTheSameContent() throws Exception {
        for (int i = 0; i < 2500; i++) {
            platform.contents.put(i + "@1", (long) i);
            target.putContent(key(i + "@1"), i + "@1", i);
        }
        BucketReconciler.Outcome outcome = new SnapshotReconciler(platform, target, STORE, TYPE).reconcile();
        assertEquals(List.of(), outcome.findings());
        assertEquals(3, outcome.apiCalls(), "one request per page of 1,000, whatever the drift");
    }

    @Test
    void findsMissingStaleExtraAndDuplicatedLevels() throws Exception {
        platform.contents.put("1@1", 10L);
        target.putContent(key("1@1"), "1@1", 10L); // in step
        platform.contents.put("2@1", 20L); // missing: never arrived
        platform.contents.put("3@1", 31L);
        target.putContent(key("3@1"), "3@1", 30L); // stale: the target applied other stock
        target.putContent(key("4@1"), "4@1", 40L); // extra: gone from the platform
        platform.contents.put("5@1", 50L);
        target.putContent(key("5@1"), "5@1", 50L);
        target.putContent("bigcommerce/abc123/inventory_level/5@1-old", "5@1", 50L); // duplicated
        platform.contents.put("6@1", 60L);
        target.rows.add(new TargetView.Entity(key("6@1"), "6@1", null, null)); // applied before fingerprints
        platform.contents.put("7@1", null); // the platform's data does not map: not judged on content
        target.putContent(key("7@1"), "7@1", 70L);

        Map<String, Finding.Kind> found = findings();

        assertEquals(
                Map.of(
                        "2@1", Finding.Kind.MISSING,
                        "3@1", Finding.Kind.STALE,
                        "4@1", Finding.Kind.EXTRA,
                        "5@1", Finding.Kind.DUPLICATE,
                        "6@1", Finding.Kind.STALE),
                found);
    }

    @Test
    void aStaleFindingNamesTheTargetKeysToRepair() throws Exception {
        platform.contents.put("3@1", 31L);
        target.putContent(key("3@1"), "3@1", 30L);
        Finding stale = new SnapshotReconciler(platform, target, STORE, TYPE)
                .reconcile()
                .findings()
                .get(0);
        assertEquals(Finding.Kind.STALE, stale.kind());
        assertEquals(List.of(key("3@1")), stale.entityKeys());
        assertTrue(
                stale.platformUpdatedAt() == null && stale.targetUpdatedAt() == null, "no updated-at on either side");
    }
}
