package dev.commercesync.kafka;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
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
 * logical-type conversions are registered too. The one provider of every serde: {@link AvroSerdes} configures it.
 *
 * <p>Readers and writers are kept per thread and schema instance (compared by identity: the {@link Schema} the
 * registry client resolved for a schema id, or a generated class's own schema). Apicurio's default provider looks its
 * cached ones up by {@code SchemaNormalization.parsingFingerprint64(schema)}, which rebuilds the schema's parsing form
 * on every record (15–120 µs a record here). Per thread, because Avro does not document its datum readers and writers
 * as safe to share between threads; a reader used only by the thread that created it also takes Avro's fast path to
 * its resolving decoder ({@code GenericDatumReader.getResolver}). A thread's entries go with the thread; the registry
 * client parses a schema again after {@code apicurio.registry.check-period-ms} (a new instance for the same id), so a
 * thread's map is emptied when it reaches {@link #MAX_SCHEMAS_PER_THREAD}.
 */
public final class GeneratedClassesDatumProvider<T> extends DefaultAvroDatumProvider<T> {
    /** Schema instances one thread keeps readers (or writers) for before it starts over. */
    static final int MAX_SCHEMAS_PER_THREAD = 256;

    private static final SpecificData GENERATED = model();

    private final ThreadLocal<Map<Schema, DatumReader<T>>> readers = ThreadLocal.withInitial(IdentityHashMap::new);
    private final ThreadLocal<Map<Schema, DatumWriter<T>>> writers = ThreadLocal.withInitial(IdentityHashMap::new);

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

    /**
     * Reads data written with {@code writerSchema} as its generated class (the class's own schema is the reader's:
     * Avro resolves fields added or removed since), or generically when no class has that name.
     */
    @Override
    public DatumReader<T> createDatumReader(Schema writerSchema) {
        return cached(readers.get(), writerSchema, GeneratedClassesDatumProvider::reader);
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return cached(writers.get(), schema, writer -> new SpecificDatumWriter<>(writer, GENERATED));
    }

    private static <T> DatumReader<T> reader(Schema writer) {
        Class<?> generated = GENERATED.getClass(writer);
        Schema reader = generated == null ? writer : GENERATED.getSchema(generated);
        return new SpecificDatumReader<>(writer, reader, GENERATED);
    }

    private static <V> V cached(Map<Schema, V> thisThreads, Schema schema, Function<Schema, V> create) {
        V cached = thisThreads.get(schema);
        if (cached == null) {
            if (thisThreads.size() >= MAX_SCHEMAS_PER_THREAD) {
                thisThreads.clear();
            }
            cached = create.apply(schema);
            thisThreads.put(schema, cached);
        }
        return cached;
    }
}
