package dev.commercesync.console;

import dev.commercesync.kafka.Quarantine;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import dev.commercesync.schemas.envelope.RepairAction;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the browsers of dead letters, commands and reconciliation findings answer (docs/console.md). Nothing here holds
 * a secret or a payload body: a dead letter's raw value, a command's credentials and a delivery's body never leave the
 * topic or the table.
 */
public final class BrowseViews {
    private BrowseViews() {}

    /**
     * What a retry (or resend) did to one record of a bulk operation.
     *
     * @param ok true when it was re-submitted
     * @param resubmittedAs where it was re-submitted (topic/partition@offset); null when not
     * @param reason why it was not (not retryable, Kafka did not answer); null when it was
     */
    public record RecordOutcome(String id, boolean ok, String resubmittedAs, String reason) {}

    /**
     * A bulk retry: every record of the filtered set was tried, none stopped the others.
     *
     * @param requested records in the filtered set
     * @param resubmitted how many were re-submitted
     * @param ids the re-submitted records' ids
     */
    public record BulkRetry(int requested, int resubmitted, List<String> ids, List<RecordOutcome> results) {
        static BulkRetry of(List<RecordOutcome> results) {
            List<String> ids = results.stream()
                    .filter(RecordOutcome::ok)
                    .map(RecordOutcome::id)
                    .toList();
            return new BulkRetry(results.size(), ids.size(), ids, results);
        }

        /** One line for a page's notice. */
        public String summary(String what) {
            StringBuilder s = new StringBuilder("Re-submitted " + resubmitted + " of " + requested + " " + what);
            results.stream().filter(r -> !r.ok()).forEach(r -> s.append("; ")
                    .append(r.id())
                    .append(" not retried: ")
                    .append(r.reason()));
            return s.toString();
        }
    }

    /**
     * A sync dead letter: why the target refused the event and which entity, never the event itself.
     *
     * @param attempts how many times the event was dead-lettered (a retry that fails again is dead-lettered under a
     *     new id)
     * @param resubmittedAs where its latest retry is on the source topic; null while it waits
     */
    public record DeadLetterItem(
            String id,
            String platform,
            String store,
            String errorClass,
            String reason,
            String exceptionClass,
            String sqlState,
            String target,
            String entityType,
            String entityId,
            String operation,
            String eventId,
            String sourceRef,
            Instant failedAt,
            String failedBy,
            int attempts,
            String resubmittedAs) {

        static DeadLetterItem of(SyncDeadLetter d, int attempts, String resubmittedAs) {
            return new DeadLetterItem(
                    d.getDeadLetterId(),
                    d.getPlatform(),
                    d.getStore(),
                    d.getErrorClass().name(),
                    d.getReason(),
                    d.getExceptionClass(),
                    d.getSqlState(),
                    d.getTarget(),
                    d.getEntityType() == null ? null : d.getEntityType().name(),
                    d.getEntityId(),
                    d.getOperation() == null ? null : d.getOperation().name(),
                    d.getEventId(),
                    Quarantine.ref(d.getSourceRef()),
                    d.getFailedAt(),
                    d.getFailedBy(),
                    attempts,
                    resubmittedAs);
        }
    }

    /**
     * One dead letter with the others of the same event.
     *
     * @param deadLettersOfEvent the ids of every dead letter of its event, oldest first (itself included)
     * @param undecodable true when the original record was not a readable event (its bytes are never shown)
     */
    public record DeadLetterDetail(DeadLetterItem letter, List<String> deadLettersOfEvent, boolean undecodable) {}

    /** What a dead letter's retry wrote. @param origin where the event was re-read from */
    public record DeadLetterRetry(String id, String eventId, String origin, String resubmittedAs) {}

    /**
     * A command of the poller's journal ({@code poller.command_journal}).
     *
     * @param resendable FAILED, EXPIRED or REJECTED: the console may send it again under a new command id
     */
    public record CommandItem(
            String commandId,
            String platform,
            String store,
            String commandKey,
            String kind,
            String state,
            int attempts,
            Instant deadline,
            String reason,
            String errorClass,
            Instant receivedAt,
            Instant updatedAt,
            Instant completedAt,
            boolean resendable) {}

    /**
     * A page of the journal, newest first.
     *
     * @param nextOffset the offset of the next page; null on the last
     */
    public record CommandPage(List<CommandItem> commands, int limit, int offset, Integer nextOffset) {}

    /**
     * One command with its attempts' outcome and the command as received, field by field (a command holds no
     * credential: the executor takes the store's from the registry).
     *
     * @param action the action's type (SetInventoryLevel, CreateShipment, ...)
     * @param actionFields the action's fields as text
     * @param undecodable the journal's copy of the command could not be read back (then no action is shown)
     */
    public record CommandDetail(
            CommandItem command,
            List<String> platformRequestIds,
            String lastError,
            boolean resultPublished,
            String entityType,
            String entityId,
            String issuer,
            Instant issuedAt,
            String action,
            Map<String, String> actionFields,
            boolean undecodable) {}

    /**
     * A resend: the original command's payload as a new command.
     *
     * @param commandId the new command's id (its status: {@code GET /api/commands/{command_id}} once the poller has
     *     read it)
     * @param sentTo where it was written (topic/partition@offset)
     */
    public record Resent(String original, String commandId, String commandKey, Instant deadline, String sentTo) {}

    /**
     * A reconciliation finding: one difference between a platform and the target, and the repair asked for.
     *
     * @param repairRequested a fetch (or a deletion check) was requested; false when only reported
     */
    public record FindingItem(
            String findingId,
            String runId,
            String platform,
            String store,
            String entityType,
            String entityId,
            String kind,
            String repair,
            boolean repairRequested,
            String fetchRequestId,
            Instant platformUpdatedAt,
            Instant targetUpdatedAt,
            String targetSourceVersion,
            List<String> entityKeys,
            int consecutivePasses,
            Instant foundAt) {

        static FindingItem of(ReconciliationFinding f) {
            return new FindingItem(
                    f.getFindingId(),
                    f.getRunId(),
                    f.getPlatform(),
                    f.getStore(),
                    f.getEntityType().name(),
                    f.getEntityId(),
                    f.getKind().name(),
                    f.getRepair().name(),
                    f.getRepair() == RepairAction.FETCH_REQUESTED
                            || f.getRepair() == RepairAction.CONFIRM_DELETION_REQUESTED,
                    f.getFetchRequestId(),
                    f.getPlatformUpdatedAt(),
                    f.getTargetUpdatedAt(),
                    f.getTargetSourceVersion(),
                    List.copyOf(f.getEntityKeys()),
                    f.getConsecutivePasses(),
                    f.getFoundAt());
        }
    }

    /** Findings found in {@code [from, to)}, newest first. */
    public record Findings(Instant from, Instant to, List<FindingItem> findings) {}

    /**
     * What the store page counts besides its summary (which has its dead letters) and links to.
     *
     * @param openCommands RECEIVED, IN_FLIGHT or AMBIGUOUS; null when the journal could not be read
     * @param failedCommands FAILED, EXPIRED or REJECTED; null when the journal could not be read
     * @param findings findings of the last {@code findingsHours} hours
     */
    public record StoreActivity(Integer openCommands, Integer failedCommands, int findings, int findingsHours) {}
}
