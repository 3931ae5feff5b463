package dev.commercesync.reconciler.core;

import dev.commercesync.schemas.canonical.EntityType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reconciles an entity type that the platform lists without any updated-at or change filter (BigCommerce inventory
 * levels: the Inventory API has neither) by content instead of by updated-at: the platform's whole listing, each
 * entity with the fingerprint of the canonical content it maps to (computed by the poller with the adapter's mapper),
 * against the target's live rows and the fingerprints the sync-writer stored when it applied them.
 *
 * <ul>
 *   <li>listed by the platform, not in the target: MISSING;
 *   <li>in both, no target row with the platform's fingerprint: STALE (the target applied other content);
 *   <li>in the target only: EXTRA;
 *   <li>several target keys for one id: DUPLICATE.
 * </ul>
 *
 * <p>Cost: one platform request per page of the whole listing on every pass, whatever the drift; the platform offers
 * nothing to narrow it. The target is read after the platform, so a change that arrived while the platform was being
 * listed is not reported; one that is still in flight when the pass ends is reported as stale, and its repair (a fetch
 * of the current state) is harmless.
 */
public final class SnapshotReconciler {
    private final PlatformView platform;
    private final TargetView target;
    private final StoreRef store;
    private final EntityType type;

    public SnapshotReconciler(PlatformView platform, TargetView target, StoreRef store, EntityType type) {
        this.platform = platform;
        this.target = target;
        this.store = store;
        this.type = type;
    }

    public BucketReconciler.Outcome reconcile() throws PlatformView.PlatformViewException {
        PlatformView.Snapshot snapshot = platform.snapshot(store, type);
        Map<String, List<TargetView.Content>> targetById = new LinkedHashMap<>();
        for (TargetView.Content row : target.contents(store, type)) {
            targetById.computeIfAbsent(row.id(), id -> new ArrayList<>()).add(row);
        }
        List<Finding> findings = new ArrayList<>();
        // Duplicates from the rows just read: several live keys for one id.
        targetById.forEach((id, rows) -> {
            if (rows.size() > 1) {
                findings.add(new Finding(
                        Finding.Kind.DUPLICATE,
                        id,
                        null,
                        null,
                        null,
                        rows.stream()
                                .map(TargetView.Content::entityKey)
                                .sorted()
                                .toList()));
            }
        });
        for (PlatformView.SnapshotEntity entity : snapshot.entities()) {
            List<TargetView.Content> rows = targetById.remove(entity.id());
            if (rows == null) {
                findings.add(new Finding(Finding.Kind.MISSING, entity.id(), null, null, null, List.of()));
            } else if (entity.fingerprint() != null
                    && rows.stream().noneMatch(r -> Objects.equals(r.fingerprint(), entity.fingerprint()))) {
                findings.add(new Finding(
                        Finding.Kind.STALE,
                        entity.id(),
                        null,
                        null,
                        null,
                        rows.stream().map(TargetView.Content::entityKey).toList()));
            }
        }
        targetById.forEach((id, rows) -> findings.add(new Finding(
                Finding.Kind.EXTRA,
                id,
                null,
                null,
                null,
                rows.stream().map(TargetView.Content::entityKey).toList())));
        return new BucketReconciler.Outcome(findings, 0, snapshot.apiCalls(), 0, 1);
    }
}
