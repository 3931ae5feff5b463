package dev.commercesync.normalizer;

import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The non-event records the pipeline writes (fetch requests, quarantine records), their keys and ids, and the retry
 * headers {@code synctl quarantine retry} puts on a re-submitted raw record. Shared by the normalizer and synctl.
 */
public final class PipelineRecords {
    /** Header on a re-submitted raw record: the quarantine id it retries. */
    public static final String RETRY_OF_HEADER = "commercesync-retry-of";
    /** Header on a re-submitted raw record: how many times it was retried (decimal). */
    public static final String RETRY_COUNT_HEADER = "commercesync-retry-count";

    private PipelineRecords() {}

    /** Key of raw, fetch-request and quarantine records: {@code platform/store}. */
    public static String storeKey(String platform, String store) {
        return platform + "/" + store;
    }

    /**
     * A fetch request for a thin or partial payload. Its id is derived from the thin event's dedup key, so a
     * re-sent request is recognisable by the poller.
     */
    public static FetchRequest fetchRequest(
            NormalizationOutcome.FetchNeeded fetch,
            RawEnvelope envelope,
            RawRecordRef rawRef,
            Instant now,
            String requestedBy) {
        return FetchRequest.newBuilder()
                .setRequestId(nameUuid("fetch:" + fetch.dedupKey()))
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

    /** A raw record that decoded but could not be normalized; the envelope travels with it for retry. */
    public static QuarantineRecord quarantined(
            NormalizationOutcome.Failed failed,
            RawEnvelope envelope,
            RawRecordRef rawRef,
            int retryCount,
            Instant now,
            String quarantinedBy) {
        return QuarantineRecord.newBuilder()
                .setQuarantineId(quarantineId(rawRef))
                .setErrorClass(failed.errorClass())
                .setReason(failed.reason())
                .setFieldPath(failed.fieldPath())
                .setExceptionClass(failed.exceptionClass())
                .setMappingVersion(failed.mappingVersion())
                .setPlatform(envelope.getPlatform())
                .setStore(envelope.getStore())
                .setEventType(envelope.getEventType())
                .setEntityType(failed.entityType())
                .setEntityId(failed.entityId())
                .setRawRef(rawRef)
                .setEnvelope(envelope)
                .setRawValue(null)
                .setQuarantinedAt(now)
                .setQuarantinedBy(quarantinedBy)
                .setRetryCount(retryCount)
                .setTraceContext(envelope.getTraceContext())
                .build();
    }

    /** A raw record that is not a readable RawEnvelope: its bytes travel with it. */
    public static QuarantineRecord undecodable(
            byte[] rawValue, Exception cause, RawRecordRef rawRef, int retryCount, Instant now, String quarantinedBy) {
        return QuarantineRecord.newBuilder()
                .setQuarantineId(quarantineId(rawRef))
                .setErrorClass(QuarantineErrorClass.UNDECODABLE_RECORD)
                .setReason(
                        rawValue == null
                                ? "the raw record has no value"
                                : "the raw record is not a readable RawEnvelope (" + describe(cause) + ")")
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setRawRef(rawRef)
                .setRawValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .setQuarantinedAt(now)
                .setQuarantinedBy(quarantinedBy)
                .setRetryCount(retryCount)
                .build();
    }

    /** Deterministic from the raw record's position: processing the same record again gives the same id. */
    public static String quarantineId(RawRecordRef rawRef) {
        return nameUuid("quarantine:" + rawRef.getTopic() + "/" + rawRef.getPartition() + "/" + rawRef.getOffset());
    }

    /** The retry count a re-submitted raw record carries, 0 for a first delivery. */
    public static int retryCount(Headers headers) {
        if (headers == null) {
            return 0;
        }
        Header header = headers.lastHeader(RETRY_COUNT_HEADER);
        if (header == null || header.value() == null) {
            return 0;
        }
        try {
            return Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String describe(Exception cause) {
        if (cause == null) {
            return "no cause";
        }
        // Deserializer messages name schema ids and classes, never the payload; cap them anyway.
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        String text = cause.getClass().getSimpleName() + message;
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
