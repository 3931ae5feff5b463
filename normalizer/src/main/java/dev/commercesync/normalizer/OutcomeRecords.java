package dev.commercesync.normalizer;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.time.Instant;

/** The fetch request the normalizer writes for a thin or partial payload; its id comes from {@link PipelineRecords}. */
final class OutcomeRecords {
    private OutcomeRecords() {}

    /**
     * A fetch request for a thin or partial payload. Its id is derived from {@code dedupKey} (the thin event's, or
     * that of its re-submission from the quarantine), so a re-sent request is recognisable by the poller.
     */
    static FetchRequest fetchRequest(
            NormalizationOutcome.FetchNeeded fetch,
            String dedupKey,
            RawEnvelope envelope,
            RawRecordRef rawRef,
            Instant now,
            String requestedBy) {
        return FetchRequest.newBuilder()
                .setRequestId(PipelineRecords.fetchRequestId(dedupKey))
                .setPlatform(fetch.platform())
                .setStore(fetch.store())
                .setEntityType(fetch.entityType())
                .setEntityIds(fetch.entityIds())
                .setParentId(fetch.parentId())
                .setReason(fetch.reason())
                .setRequestedAt(now)
                .setRequestedBy(requestedBy)
                .setNotBefore(null)
                .setCorrelationId(envelope.getEnvelopeId())
                .setRawRef(rawRef)
                .setTraceContext(envelope.getTraceContext())
                .build();
    }
}
