package dev.commercesync.schemas.content;

import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * A 64-bit fingerprint (Avro's CRC-64-AVRO) of canonical data: its Avro binary form with map entries in key order (a
 * decoded map does not keep the mapper's order). Equal data, equal fingerprint, in every service: the sync-writer stores
 * it with each applied entity, the poller computes it for a platform's snapshot listing, and {@code synctl replay}
 * compares events by it.
 */
public final class ContentFingerprint {
    private static final Map<Schema, SpecificDatumWriter<SpecificRecord>> WRITERS = new ConcurrentHashMap<>();

    /**
     * Per thread, the bytes of the record being fingerprinted and a buffered encoder, reused: an unbuffered encoder
     * wrote every byte on its own into a fresh buffer that grew for every larger event (6 % of a replay's CPU).
     * Holds the largest record a thread fingerprinted (kilobytes).
     */
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    /**
     * Provenance fields of {@link EventMetadata}: how, when and by which mapping an event was produced. None of them
     * is a difference in the mapped data.
     */
    public static final List<String> PROVENANCE = List.of(
            "metadata.source",
            "metadata.mapping_version",
            "metadata.received_at",
            "metadata.raw_ref",
            "metadata.trace_context");

    private ContentFingerprint() {}

    /** The fingerprint of an entity record (an {@code Order}, an {@code InventoryLevel}, ...) or any Avro record. */
    public static long of(SpecificRecord record) {
        Buffer buffer = BUFFERS.get();
        // Reconfiguring flushes what a failed write left in the encoder: reset the bytes after it.
        buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.bytes, buffer.encoder);
        buffer.bytes.reset();
        try {
            WRITERS.computeIfAbsent(record.getSchema(), SortedMapsWriter::new).write(record, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SchemaNormalization.fingerprint64(buffer.bytes.toByteArray());
    }

    /**
     * The fingerprint of a canonical event without its {@link #PROVENANCE}: two events that carry the same change,
     * produced by different paths, mappings or deliveries, have the same one. The event is left as it was.
     */
    public static long ofEventData(SpecificRecord event) {
        EventMetadata metadata = CanonicalEvents.metadata(event);
        EventSource source = metadata.getSource();
        String mappingVersion = metadata.getMappingVersion();
        Instant receivedAt = metadata.getReceivedAt();
        RawRecordRef rawRef = metadata.getRawRef();
        Map<String, String> traceContext = metadata.getTraceContext();
        metadata.setSource(EventSource.REPLAY);
        metadata.setMappingVersion("");
        metadata.setReceivedAt(Instant.EPOCH);
        metadata.setRawRef(null);
        metadata.setTraceContext(null);
        try {
            return of(event);
        } finally {
            metadata.setSource(source);
            metadata.setMappingVersion(mappingVersion);
            metadata.setReceivedAt(receivedAt);
            metadata.setRawRef(rawRef);
            metadata.setTraceContext(traceContext);
        }
    }

    private static final class SortedMapsWriter extends SpecificDatumWriter<SpecificRecord> {
        SortedMapsWriter(Schema schema) {
            super(schema);
        }

        @Override
        protected void writeMap(Schema schema, Object datum, Encoder out) throws IOException {
            Map<Object, Object> sorted = new TreeMap<>(Comparator.comparing(Object::toString));
            sorted.putAll((Map<?, ?>) datum);
            super.writeMap(schema, sorted, out);
        }
    }

    private static final class Buffer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        BinaryEncoder encoder;
    }
}
