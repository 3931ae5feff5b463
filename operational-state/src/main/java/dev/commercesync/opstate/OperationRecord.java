package dev.commercesync.opstate;

import java.time.Instant;

/**
 * One row of a component's operational state: the last outcome of one operation on one store (and entity type).
 *
 * @param entityType the {@code EntityType} name, null for a store-wide operation ({@link Operation#SUBSCRIBE})
 * @param lastSuccessAt null before the first success
 * @param errorClass the last attempt's failure class; null when it succeeded
 * @param lastError the last failure's message (kept after a success, with {@code lastFailureAt}): names the call and
 *     the status, never a secret; at most {@link OperationalStates#MAX_ERROR_LENGTH} characters
 * @param since when the current {@code state} began
 * @param consecutiveFailures failed attempts since the last success
 * @param details what the component adds as JSON (the reconciler: the last pass's findings and cost), or null
 */
public record OperationRecord(
        String platform,
        String storeId,
        String entityType,
        Operation operation,
        Instant lastAttemptAt,
        Instant lastSuccessAt,
        ErrorClass errorClass,
        String lastError,
        Instant lastFailureAt,
        OperationState state,
        Instant since,
        int consecutiveFailures,
        String details) {}
