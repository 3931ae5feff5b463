package dev.commercesync.reconciler.core;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares one store's entities of one type between platform and target by counting buckets of updated-at, and
 * descends only into buckets whose counts differ; a bucket small enough to list in two pages is listed and diffed by
 * id. Cost: K platform count requests for K top buckets when nothing drifted; per drifted bucket about one count per
 * level (the last sibling's count follows from its parent's) plus the leaf's pages. On a platform without a count of
 * the type ({@link Options#counted()}) the window is listed once instead: its pages. See docs/reconciler.md.
 *
 * <p>Not thread-safe: one instance per run.
 */
public final class BucketReconciler {

    /**
     * @param topBuckets buckets of the first level (K): the cost of a pass without drift, in count requests
     * @param fanout sub-buckets per split of a differing bucket
     * @param pageSize the platform listing's page size: a bucket of at most two pages is listed instead of split
     * @param full list every top bucket whatever the counts (finds a missing+extra pair that equal counts hide)
     * @param listSince null, or where the last clean pass's coverage ended: everything the platform changed since is
     *     listed and diffed by id instead of counted. Counts cannot see an entity whose lost update kept it inside one
     *     bucket (old and new version in the same range), but a lost update is a change, and every change since the
     *     last clean pass is in this listing, whose cost follows the number of changes, not the store's size.
     * @param counted whether the platform counts the type (one request per count). Where it does not, a count is a
     *     walk of the bucket's listing, so counting K buckets and descending costs at least a listing of the whole
     *     window plus a request per bucket: the window is listed once instead (pages of the platform view), and
     *     diffed by id.
     */
    public record Options(int topBuckets, int fanout, int pageSize, boolean full, Instant listSince, boolean counted) {
        public Options {
            if (topBuckets < 1 || fanout < 2 || pageSize < 1) {
                throw new IllegalArgumentException("topBuckets ≥ 1, fanout ≥ 2, pageSize ≥ 1");
            }
        }

        public Options(int topBuckets, int fanout, int pageSize, boolean full, Instant listSince) {
            this(topBuckets, fanout, pageSize, full, listSince, true);
        }

        public Options(int topBuckets, int fanout, int pageSize, boolean full) {
            this(topBuckets, fanout, pageSize, full, null);
        }

        /** The same pass on a platform that has no count of the type: one listing of the window. */
        public Options uncounted() {
            return new Options(topBuckets, fanout, pageSize, full, listSince, false);
        }

        /** Whether the pass lists every change of its window (full, or on a platform without counts). */
        public boolean listsWholeWindow() {
            return full || !counted;
        }
    }

    /**
     * What a run found and what it cost.
     *
     * @param countCalls platform API requests spent on counts
     * @param listCalls platform API requests spent on listings (pages)
     * @param bucketsCompared buckets whose platform and target counts were compared
     * @param bucketsListed buckets listed and diffed by id
     */
    public record Outcome(
            List<Finding> findings, int countCalls, int listCalls, int bucketsCompared, int bucketsListed) {
        public int apiCalls() {
            return countCalls + listCalls;
        }
    }

    private final PlatformView platform;
    private final TargetView target;
    private final StoreRef store;
    private final EntityType type;
    private final Options options;

    private int countCalls;
    private int listCalls;
    private int bucketsCompared;
    private int bucketsListed;
    private final Map<String, Instant> platformOnly = new LinkedHashMap<>();
    private final Map<String, TargetView.Entity> targetOnly = new LinkedHashMap<>();
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    /** The parent of each listed entity the platform named one for (a refund's order): its repair needs it. */
    private final Map<String, String> parents = new HashMap<>();
    /** Buckets whose counts matched, with the platform's count: a stale entity's old version may have balanced one. */
    private final Map<Range, Long> balanced = new LinkedHashMap<>();
    /** Target updated-at of entities known stale: their target row sits in a bucket the platform no longer has them. */
    private final Map<String, Move> movedOut = new HashMap<>();

    /** A stale entity: the target's version is at {@code from}, the platform's at {@code to}. */
    private record Move(Instant from, Instant to) {}

    public BucketReconciler(
            PlatformView platform, TargetView target, StoreRef store, EntityType type, Options options) {
        this.platform = Objects.requireNonNull(platform);
        this.target = Objects.requireNonNull(target);
        this.store = Objects.requireNonNull(store);
        this.type = Objects.requireNonNull(type);
        this.options = Objects.requireNonNull(options);
    }

    /** Reconciles the window (entities with updated-at inside it); call once. */
    public Outcome reconcile(Range window) throws PlatformView.PlatformViewException {
        Range counted = window;
        if (!options.counted()) {
            listAndDiff(window);
            counted = null;
        } else if (!options.full() && options.listSince() != null) {
            Instant since = options.listSince().truncatedTo(ChronoUnit.SECONDS);
            if (since.isBefore(window.to())) {
                // Listed first, so its stale entities are known before the counts below (their old versions would
                // otherwise make their old buckets differ).
                Range recent = new Range(since.isAfter(window.from()) ? since : window.from(), window.to());
                listAndDiff(recent);
                resolveById();
                counted = recent.from().isAfter(window.from()) ? new Range(window.from(), recent.from()) : null;
            }
        }
        for (Range bucket : counted == null ? List.<Range>of() : split(counted, options.topBuckets())) {
            if (options.full()) {
                listAndDiff(bucket);
            } else {
                PlatformView.Count count = platform.count(store, type, bucket);
                countCalls += count.apiCalls();
                compare(bucket, count.count());
            }
        }
        resolveById();
        recheckBucketsBalancedByStaleEntities();
        for (TargetView.Duplicate duplicate : target.duplicates(store, type)) {
            findings.putIfAbsent(
                    "DUPLICATE/" + duplicate.id(),
                    new Finding(Finding.Kind.DUPLICATE, duplicate.id(), null, null, null, duplicate.entityKeys()));
        }
        List<Finding> result = new ArrayList<>();
        for (Finding f : findings.values()) {
            String parent = parents.get(f.entityId());
            result.add(parent == null ? f : f.withParentId(parent));
        }
        result.sort(Comparator.comparing(Finding::kind).thenComparing(Finding::entityId));
        return new Outcome(result, countCalls, listCalls, bucketsCompared, bucketsListed);
    }

    private void compare(Range bucket, long platformCount) throws PlatformView.PlatformViewException {
        bucketsCompared++;
        long targetCount = target.summarize(store, type, bucket).count() - movedOutOf(bucket);
        if (platformCount == targetCount) {
            balanced.put(bucket, platformCount);
            return;
        }
        List<Range> parts = platformCount <= 2L * options.pageSize() ? List.of() : split(bucket, options.fanout());
        if (parts.size() < 2) {
            listAndDiff(bucket);
            return;
        }
        long remaining = platformCount;
        for (int i = 0; i < parts.size(); i++) {
            long count;
            if (i == parts.size() - 1) {
                // The parent's count minus its other children's: one request saved per split. A platform change
                // between the counts can make it wrong; the leaf's listing is exact regardless.
                count = Math.max(0, remaining);
            } else {
                PlatformView.Count c = platform.count(store, type, parts.get(i));
                countCalls += c.apiCalls();
                count = c.count();
            }
            remaining -= count;
            compare(parts.get(i), count);
        }
    }

    private void listAndDiff(Range bucket) throws PlatformView.PlatformViewException {
        bucketsListed++;
        PlatformView.Listing listing = platform.list(store, type, bucket);
        listCalls += listing.apiCalls();
        Map<String, List<TargetView.Entity>> targets = new HashMap<>();
        for (TargetView.Entity t : target.list(store, type, bucket)) {
            targets.computeIfAbsent(t.id(), id -> new ArrayList<>()).add(t);
        }
        Map<String, Instant> listed = new HashMap<>();
        for (PlatformView.Entity p : listing.entities()) {
            if (p.parentId() != null) {
                parents.put(p.id(), p.parentId());
            }
            if (p.updatedAt() == null || bucket.contains(p.updatedAt())) {
                listed.merge(p.id(), p.updatedAt(), BucketReconciler::later);
            }
        }
        for (Map.Entry<String, Instant> p : listed.entrySet()) {
            List<TargetView.Entity> t = targets.get(p.getKey());
            if (t == null) {
                platformOnly.merge(p.getKey(), p.getValue(), BucketReconciler::later);
            } else if (isNewer(p.getValue(), t.get(0))) {
                stale(p.getKey(), p.getValue(), t.get(0));
            }
        }
        for (Map.Entry<String, List<TargetView.Entity>> t : targets.entrySet()) {
            if (t.getValue().size() > 1) {
                findings.put(
                        "DUPLICATE/" + t.getKey(),
                        new Finding(
                                Finding.Kind.DUPLICATE,
                                t.getKey(),
                                listed.get(t.getKey()),
                                t.getValue().get(0).sourceUpdatedAt(),
                                t.getValue().get(0).sourceVersion(),
                                t.getValue().stream()
                                        .map(TargetView.Entity::entityKey)
                                        .toList()));
            }
            if (!listed.containsKey(t.getKey())) {
                targetOnly.put(t.getKey(), t.getValue().get(0));
            }
        }
    }

    /**
     * A stale entity is one count too few in its old version's bucket and one too many in its new version's: it is
     * listed on the platform side in one and on the target side in the other; ids settle it. An id the platform listed
     * that no listed bucket of the target had may sit in a bucket whose counts matched by coincidence: the target is
     * asked by id (free) before it is called missing.
     */
    private void resolveById() {
        for (String id : new ArrayList<>(platformOnly.keySet())) {
            TargetView.Entity moved = targetOnly.remove(id);
            if (moved != null) {
                Instant platformAt = platformOnly.remove(id);
                if (isNewer(platformAt, moved)) {
                    stale(id, platformAt, moved);
                }
            }
        }
        if (!platformOnly.isEmpty()) {
            Map<String, TargetView.Entity> elsewhere = new HashMap<>();
            for (TargetView.Entity t : target.find(store, type, platformOnly.keySet())) {
                elsewhere.putIfAbsent(t.id(), t);
            }
            for (Map.Entry<String, Instant> p : platformOnly.entrySet()) {
                TargetView.Entity t = elsewhere.get(p.getKey());
                if (t == null) {
                    findings.put(
                            "MISSING/" + p.getKey(),
                            new Finding(Finding.Kind.MISSING, p.getKey(), p.getValue(), null, null, List.of()));
                } else if (isNewer(p.getValue(), t)) {
                    stale(p.getKey(), p.getValue(), t);
                }
            }
        }
        for (TargetView.Entity t : targetOnly.values()) {
            if (movedOut.containsKey(t.id())) {
                continue; // its old version, already known stale
            }
            findings.put(
                    "EXTRA/" + t.id(),
                    new Finding(
                            Finding.Kind.EXTRA,
                            t.id(),
                            null,
                            t.sourceUpdatedAt(),
                            t.sourceVersion(),
                            List.of(t.entityKey())));
        }
        platformOnly.clear();
        targetOnly.clear();
    }

    /**
     * A stale entity found by id may have left a bucket whose counts matched only because it was still counted there
     * on the target side (one missing entity and one stale old version cancel out). Without the stale entities' old
     * versions, such a bucket differs, and is descended like any other: no extra cost where nothing else drifted.
     */
    private void recheckBucketsBalancedByStaleEntities() throws PlatformView.PlatformViewException {
        for (int round = 0; round < 4; round++) {
            List<Map.Entry<Range, Long>> suspects = balanced.entrySet().stream()
                    .filter(e -> movedOutOf(e.getKey()) > 0)
                    .toList();
            if (suspects.isEmpty()) {
                return;
            }
            suspects.forEach(e -> balanced.remove(e.getKey()));
            int before = findings.size();
            for (Map.Entry<Range, Long> suspect : suspects) {
                compare(suspect.getKey(), suspect.getValue());
            }
            resolveById();
            if (findings.size() == before) {
                return;
            }
        }
    }

    private long movedOutOf(Range bucket) {
        return movedOut.values().stream()
                .filter(m -> bucket.contains(m.from()) && !bucket.contains(m.to()))
                .count();
    }

    private void stale(String id, Instant platformAt, TargetView.Entity t) {
        if (t.sourceUpdatedAt() != null && platformAt != null) {
            movedOut.put(id, new Move(t.sourceUpdatedAt(), platformAt));
        }
        // Seen on the target side first (its new version sat in a bucket whose counts balanced), it looked deleted.
        findings.remove("EXTRA/" + id);
        findings.put(
                "STALE/" + id,
                new Finding(
                        Finding.Kind.STALE,
                        id,
                        platformAt,
                        t.sourceUpdatedAt(),
                        t.sourceVersion(),
                        List.of(t.entityKey())));
    }

    private static boolean isNewer(Instant platformAt, TargetView.Entity t) {
        return platformAt != null && (t.sourceUpdatedAt() == null || platformAt.isAfter(t.sourceUpdatedAt()));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /**
     * Splits a range into up to {@code parts} whole-second ranges: at the target's quantiles (free, and balanced for
     * skewed stores), else at equal widths. A one-second range cannot be split.
     */
    private List<Range> split(Range range, int parts) {
        if (parts < 2 || range.seconds() < 2) {
            return List.of(range);
        }
        TreeSet<Instant> points = new TreeSet<>();
        for (Instant p : target.splitPoints(store, type, range, parts)) {
            if (p.isAfter(range.from()) && p.isBefore(range.to()) && p.getNano() == 0) {
                points.add(p);
            }
        }
        if (points.isEmpty()) {
            long step = Math.max(1, range.seconds() / parts);
            for (long s = range.from().getEpochSecond() + step; s < range.to().getEpochSecond(); s += step) {
                points.add(Instant.ofEpochSecond(s));
                if (points.size() == parts - 1) {
                    break;
                }
            }
        }
        List<Range> result = new ArrayList<>();
        Instant from = range.from();
        for (Instant p : points) {
            result.add(new Range(from, p));
            from = p;
        }
        result.add(new Range(from, range.to()));
        return result;
    }
}
