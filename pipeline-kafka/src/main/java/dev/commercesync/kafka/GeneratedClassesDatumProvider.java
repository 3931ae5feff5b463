package dev.commercesync.kafka;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Reads and writes records as the generated classes of the {@code schemas} module, looked up in the class loader that
 * holds them. Apicurio's default provider asks {@code SpecificData.get()}, which looks in Avro's own class loader: in
 * Quarkus dev and test mode the project's classes live in a child loader, and the lookup fails. The generated classes'
 * logical-type conversions are registered too. The one provider of the services: configure it as
 * {@code apicurio.registry.avro-datum-provider}.
 */
public final class GeneratedClassesDatumProvider<T> extends DefaultAvroDatumProvider<T> {
    private static final SpecificData GENERATED = model();

    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /**
     * The data model of the generated classes: their class loader, and the logical-type conversions the generated code
     * uses (timestamp-millis as Instant, decimal as BigDecimal), which union branches (optional fields) need. Only the
     * logical types the schemas use: a conversion registered for a type they do not use changed how the serializer
     * resolved the schemas' references in the registry.
     */
    public static SpecificData model() {
        SpecificData model = new SpecificData(GeneratedClassesDatumProvider.class.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        return model;
    }

    @Override
    public DatumReader<T> createDatumReader(Schema writerSchema) {
        return readers.computeIfAbsent(writerSchema, writer -> {
            Class<?> generated = GENERATED.getClass(writer);
            Schema reader = generated == null ? writer : GENERATED.getSchema(generated);
            return new SpecificDatumReader<>(writer, reader, GENERATED);
        });
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return new SpecificDatumWriter<>(schema, GENERATED);
    }
}
