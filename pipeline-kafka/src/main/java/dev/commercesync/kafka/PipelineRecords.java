package dev.commercesync.kafka;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The keys and ids of the pipeline's records, its quarantine records, and the retry headers
 * {@code synctl quarantine retry} puts on a re-submitted raw record. Shared by the services and synctl.
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
     * The id of the fetch request for a thin or partial payload, derived from the thin event's dedup key so that a
     * re-sent request is recognisable by the poller.
     */
    public static String fetchRequestId(String dedupKey) {
        return nameUuid("fetch:" + dedupKey);
    }

    /**
     * The dedup key of a thin event that support re-submitted from the quarantine ({@link #RETRY_OF_HEADER}): the thin
     * event's own key with the quarantine id and retry count, so the re-submission asks for a fresh fetch (its request
     * id, {@link #fetchRequestId}, differs from the first one's) while a second delivery of the same re-submission is
     * still recognised as a duplicate.
     */
    public static String retryDedupKey(String dedupKey, String retryOf, int retryCount) {
        return dedupKey + "|retry-of:" + retryOf + "|" + retryCount;
    }

    /** The quarantine id a re-submitted raw record retries ({@link #RETRY_OF_HEADER}), empty for a first delivery. */
    public static Optional<String> retryOf(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(RETRY_OF_HEADER);
        if (header == null || header.value() == null || header.value().length == 0) {
            return Optional.empty();
        }
        return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** Adds the retry headers of a re-submission of quarantine record {@code retryOf} to {@code headers}. */
    public static Headers withRetry(Headers headers, String retryOf, int retryCount) {
        headers.add(RETRY_OF_HEADER, retryOf.getBytes(StandardCharsets.UTF_8));
        headers.add(RETRY_COUNT_HEADER, Integer.toString(retryCount).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /**
     * A thin webhook whose hydration failed for good (the poller gave its fetch request up): quarantined as
     * {@code FETCH_FAILED} under the thin raw record's reference, so that a retry re-submits the thin envelope and the
     * normalizer asks for the fetch again. The envelope is not in the record: a retry re-reads it from {@code rawRef}.
     *
     * @param reason why, with the failure class and HTTP status; never a credential or a payload
     */
    public static QuarantineRecord fetchFailed(
            String platform,
            String store,
            EntityType entityType,
            String entityId,
            String reason,
            RawRecordRef rawRef,
            int retryCount,
            Map<String, String> traceContext,
            Instant now,
            String quarantinedBy) {
        return QuarantineRecord.newBuilder()
                .setQuarantineId(quarantineId(rawRef))
                .setErrorClass(QuarantineErrorClass.FETCH_FAILED)
                .setReason(reason)
                .setPlatform(platform)
                .setStore(store)
                .setEntityType(entityType)
                .setEntityId(entityId)
                .setRawRef(rawRef)
                .setQuarantinedAt(now)
                .setQuarantinedBy(quarantinedBy)
                .setRetryCount(retryCount)
                .setTraceContext(traceContext)
                .build();
    }

    /**
     * A raw record that decoded but could not be normalized; the envelope travels with it for retry.
     *
     * @param failure the failure's fields (the normalization outcome's {@code quarantineRecord()})
     */
    public static QuarantineRecord quarantined(
            QuarantineRecord.Builder failure,
            RawEnvelope envelope,
            RawRecordRef rawRef,
            int retryCount,
            Instant now,
            String quarantinedBy) {
        return failure.setQuarantineId(quarantineId(rawRef))
                .setPlatform(envelope.getPlatform())
                .setStore(envelope.getStore())
                .setEventType(envelope.getEventType())
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
