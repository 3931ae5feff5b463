package dev.commercesync.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** What the store actions answer (API) and show (the store page's notice). Nothing here holds a secret. */
public final class StoreActionViews {
    private StoreActionViews() {}

    /**
     * An action refused: invalid input, no such store, or the service that does it refused or is away.
     *
     * @param status the API's answer: 400, 404, 409, or 502 when the other service refused or did not answer
     */
    public static final class ActionRefused extends RuntimeException {
        private final int status;
        private final String error;

        ActionRefused(int status, String error, String message) {
            super(message);
            this.status = status;
            this.error = error;
        }

        public int status() {
            return status;
        }

        public String error() {
            return error;
        }
    }

    /**
     * A store's registration after a disable, enable or rotation (webhook-ingest's answer, without what it does not
     * need to show).
     *
     * @param previousSecretValidUntil after a rotation: until when the previous webhook secret is still accepted
     */
    public record StoreState(
            String platform, String store, boolean enabled, Instant previousSecretValidUntil, String message) {}

    /** Where a reconciliation pass is. */
    public enum ReconcileStatus {
        /** Every entity type compared (findings may have been repaired). */
        FINISHED,
        /** The pass ran, but the platform view or the target failed for every type. */
        FAILED,
        /** Still running on the reconciler after the console stopped waiting; its outcome appears in the state. */
        RUNNING
    }

    /**
     * A reconciliation pass triggered on the reconciler.
     *
     * @param report the reconciler's run report (findings, API calls per entity type); null while running
     */
    public record ReconcileResult(
            String platform, String store, ReconcileStatus status, String message, JsonNode report) {}

    /**
     * A replay, or its dry run (nothing published).
     *
     * @param records the store's raw records in the window: what is (or would be) replayed
     * @param events the canonical events and failures they map to
     */
    public record ReplayResult(
            String platform,
            String store,
            Instant from,
            Instant to,
            String entityType,
            boolean dryRun,
            long records,
            long events,
            long produced,
            long changed,
            long added,
            long unchanged,
            long quarantined,
            long thinSkipped,
            String message) {}
}
