package dev.commercesync.inventory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary of the generated classes, prefixed by the class name, without a registry: the topology tests' stand-in
 * for the Apicurio serde (which needs a real registry; the integration test uses that one).
 */
final class PlainAvroSerde implements Serde<SpecificRecord> {
    @Override
    public Serializer<SpecificRecord> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] name = value.getClass().getName().getBytes(StandardCharsets.UTF_8);
                out.write(ByteBuffer.allocate(4).putInt(name.length).array());
                out.write(name);
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                new SpecificDatumWriter<SpecificRecord>(value.getSchema(), SpecificData.getForClass(value.getClass()))
                        .write(value, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public Deserializer<SpecificRecord> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                byte[] name = new byte[buffer.getInt()];
                buffer.get(name);
                Class<? extends SpecificRecord> type =
                        (Class<? extends SpecificRecord>) Class.forName(new String(name, StandardCharsets.UTF_8));
                SpecificData data = SpecificData.getForClass(type);
                BinaryDecoder decoder = DecoderFactory.get()
                        .binaryDecoder(bytes, buffer.position(), bytes.length - buffer.position(), null);
                return new SpecificDatumReader<SpecificRecord>(data.getSchema(type), data.getSchema(type), data)
                        .read(null, decoder);
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
