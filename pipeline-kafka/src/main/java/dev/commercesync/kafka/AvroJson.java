package dev.commercesync.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Avro JSON encoding of the generated records, with the generated classes' model (their class loader, their logical
 * types), as the Kafka serdes use it: what the poller's command journal keeps of a command, and what the console reads
 * back from it.
 */
public final class AvroJson {
    private static final SpecificData MODEL = GeneratedClassesDatumProvider.model();

    private AvroJson() {}

    /** The record's Avro JSON encoding. */
    public static String encode(SpecificRecord record) {
        Schema schema = record.getSchema();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Encoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            new SpecificDatumWriter<SpecificRecord>(schema, MODEL).write(record, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A record of the generated {@code type} from its Avro JSON encoding.
     *
     * @throws IllegalArgumentException when the text is not that encoding of that type
     */
    public static <T extends SpecificRecord> T decode(Class<T> type, String json) {
        Schema schema = MODEL.getSchema(type);
        try {
            return new SpecificDatumReader<T>(schema, schema, MODEL)
                    .read(null, DecoderFactory.get().jsonDecoder(schema, json));
        } catch (IOException | AvroRuntimeException e) {
            throw new IllegalArgumentException(
                    "not the Avro JSON encoding of a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
