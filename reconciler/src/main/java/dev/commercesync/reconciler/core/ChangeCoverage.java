package dev.commercesync.reconciler.core;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Per store and type, up to when the platform's changes have been listed and diffed by id: where the next pass's
 * listing of changes starts ({@link BucketReconciler.Options#listSince()}).
 *
 * <p>Counts cannot see a lost update that kept its entity inside one bucket (old and new version in the same range), so
 * only a clean pass that <em>listed</em> everything before its window's end (a full pass, or one that listed the
 * changes since the coverage and counted the rest) extends the coverage. A pass without coverage (a store never
 * reconciled, or whose coverage is not known) therefore lists its whole window, like a full pass, once: a pass that
 * only counted and found the counts equal proves nothing about such updates, and taking it as the start of the listing
 * of changes hid them until the next full pass (a week later).
 */
public final class ChangeCoverage {
    /** The listing of changes starts this long before the coverage's end: clocks differ. */
    public static final Duration MARGIN = Duration.ofMinutes(1);

    private final Map<String, Instant> coveredUntil = new ConcurrentHashMap<>();
    private final BiFunction<StoreRef, EntityType, Optional<Instant>> recorded;

    /**
     * @param recorded the coverage an earlier process recorded for a store and type (empty when none), asked when this
     *     process has none yet
     */
    public ChangeCoverage(BiFunction<StoreRef, EntityType, Optional<Instant>> recorded) {
        this.recorded = Objects.requireNonNull(recorded);
    }

    /** Without a record of earlier processes. */
    public ChangeCoverage() {
        this((store, type) -> Optional.empty());
    }

    /**
     * The options of the next pass of a store and type: full when asked, or when nothing is covered yet; else counting
     * with the changes since the coverage (less {@link #MARGIN}) listed.
     */
    public BucketReconciler.Options nextPass(
            StoreRef store, EntityType type, int topBuckets, int fanout, int pageSize, boolean full) {
        Instant until = coveredUntil(store, type).orElse(null);
        if (full || until == null) {
            return new BucketReconciler.Options(topBuckets, fanout, pageSize, true);
        }
        return new BucketReconciler.Options(topBuckets, fanout, pageSize, false, until.minus(MARGIN));
    }

    /**
     * A pass with {@code options} over {@code window} ended; a clean one (no findings, no error) covers every change
     * before the window's end.
     *
     * @return the coverage after the pass, empty when there is none yet
     */
    public Optional<Instant> passed(
            StoreRef store, EntityType type, BucketReconciler.Options options, Range window, boolean clean) {
        if (clean && (options.listsWholeWindow() || options.listSince() != null)) {
            coveredUntil.merge(key(store, type), window.to(), (a, b) -> a.isAfter(b) ? a : b);
        }
        return Optional.ofNullable(coveredUntil.get(key(store, type)));
    }

    private Optional<Instant> coveredUntil(StoreRef store, EntityType type) {
        String key = key(store, type);
        Instant known = coveredUntil.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Instant> earlier = recorded.apply(store, type);
        earlier.ifPresent(at -> coveredUntil.putIfAbsent(key, at));
        return earlier;
    }

    private static String key(StoreRef store, EntityType type) {
        return store.key() + "|" + type;
    }
}
