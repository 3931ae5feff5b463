package dev.commercesync.console;

import dev.commercesync.kafka.Quarantine;
import dev.commercesync.opstate.OperationRecord;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.time.Instant;
import java.util.List;

/** What the console's API answers and its pages show. Nothing here holds a secret or a payload body. */
public final class ConsoleViews {
    private ConsoleViews() {}

    /** A store's health, worst first: the overview's order ("needs attention first"). */
    public enum Health {
        /** An operation failed in a way only a person can fix. */
        WAITING_FOR_PERSON,
        /** An operation failed and is being retried. */
        RETRYING,
        /** Every operation is fine, but records of the store wait in the quarantine. */
        QUARANTINED,
        /** Every operation is fine and nothing is quarantined, but events of the store wait in the sync dead letters. */
        DEAD_LETTERS,
        OK;

        public boolean needsAttention() {
            return this != OK;
        }

        /** For the pages' CSS classes. */
        public String css() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One operation's state on one store.
     *
     * @param source the component whose state it is (its schema: poller, reconciler)
     * @param entityType null for a store-wide operation (subscribe)
     */
    public record OperationView(
            String source,
            String entityType,
            String operation,
            String state,
            String errorClass,
            String lastError,
            Instant since,
            Instant lastAttemptAt,
            Instant lastSuccessAt,
            Instant lastFailureAt,
            int consecutiveFailures) {

        static OperationView of(String source, OperationRecord r) {
            return new OperationView(
                    source,
                    r.entityType(),
                    r.operation().name(),
                    r.state().name(),
                    r.errorClass() == null ? null : r.errorClass().name(),
                    r.lastError(),
                    r.since(),
                    r.lastAttemptAt(),
                    r.lastSuccessAt(),
                    r.lastFailureAt(),
                    r.consecutiveFailures());
        }

        Health health() {
            return switch (state) {
                case "WAITING_FOR_PERSON" -> Health.WAITING_FOR_PERSON;
                case "RETRYING" -> Health.RETRYING;
                default -> Health.OK;
            };
        }

        public String css() {
            return health().css();
        }
    }

    /**
     * One store in the overview.
     *
     * @param registered false for a store known only from operational state or the quarantine
     * @param since when the worst non-OK operation entered its state; null when none is failing
     * @param failing the operations not OK
     * @param quarantined its records in the quarantine not yet re-submitted
     * @param deadLetters its sync dead letters not yet retried
     */
    public record StoreSummary(
            String platform,
            String store,
            String displayName,
            boolean registered,
            boolean enabled,
            Health health,
            Instant since,
            int operations,
            int failing,
            int quarantined,
            int deadLetters) {}

    /** One store with every operation's state and its quarantined records. */
    public record StoreDetail(StoreSummary summary, List<OperationView> operations, List<QuarantineItem> quarantine) {}

    /**
     * The overview.
     *
     * @param unavailable the components whose operational state could not be read (their stores may look better than
     *     they are)
     */
    public record Overview(List<StoreSummary> stores, List<String> unavailable) {}

    /**
     * A quarantined record: why and where, never its payload.
     *
     * @param resubmittedAs where its latest re-submission is on the raw topic (topic/partition@offset); null while it
     *     waits
     */
    public record QuarantineItem(
            String id,
            String platform,
            String store,
            String eventType,
            String errorClass,
            String reason,
            String fieldPath,
            String entityType,
            String entityId,
            Instant quarantinedAt,
            String quarantinedBy,
            int retryCount,
            String rawRef,
            String resubmittedAs) {

        static QuarantineItem of(QuarantineRecord q, RawRecordRef resubmission) {
            return new QuarantineItem(
                    q.getQuarantineId(),
                    q.getPlatform(),
                    q.getStore(),
                    q.getEventType(),
                    q.getErrorClass().name(),
                    q.getReason(),
                    q.getFieldPath(),
                    q.getEntityType() == null ? null : q.getEntityType().name(),
                    q.getEntityId(),
                    q.getQuarantinedAt(),
                    q.getQuarantinedBy(),
                    q.getRetryCount(),
                    Quarantine.ref(q.getRawRef()),
                    resubmission == null ? null : Quarantine.ref(resubmission));
        }
    }

    /** What a retry did. */
    public record RetryResult(String id, String envelopeId, String origin, String resubmittedAs, int retryCount) {
        static RetryResult of(Quarantine.Resubmitted r) {
            return new RetryResult(
                    r.quarantineId(),
                    r.envelopeId(),
                    r.origin(),
                    r.topic() + "/" + r.partition() + "@" + r.offset(),
                    r.retryCount());
        }
    }
}
