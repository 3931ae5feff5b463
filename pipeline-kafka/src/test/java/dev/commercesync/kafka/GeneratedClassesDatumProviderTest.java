package dev.commercesync.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.FulfillmentStatus;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.PaymentStatus;
import dev.commercesync.schemas.envelope.RawEnvelope;
import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The datum provider of every serde caches its readers and writers by schema instance and thread: the bytes and records
 * must be the ones an uncached provider gives, for the current schemas and for data written with older ones, on any
 * number of threads at once.
 */
class GeneratedClassesDatumProviderTest {
    private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123Z");

    @Test
    void writesTheBytesApicuriosProviderAndAnUncachedWriterWrite() {
        GeneratedClassesDatumProvider<SpecificRecord> cached = new GeneratedClassesDatumProvider<>();
        DefaultAvroDatumProvider<SpecificRecord> apicurio = new DefaultAvroDatumProvider<>(true);

        for (SpecificRecord record : List.of(order("1", "command-1"), order("2", null), raw("1"))) {
            Schema schema = record.getSchema();
            byte[] uncached = write(new SpecificDatumWriter<>(schema, GeneratedClassesDatumProvider.model()), record);

            assertArrayEquals(uncached, write(cached.createDatumWriter(record, schema), record), schema.getName());
            assertArrayEquals(uncached, write(cached.createDatumWriter(record, schema), record), "cached writer");
            assertArrayEquals(uncached, write(apicurio.createDatumWriter(record, schema), record), "Apicurio's");
        }
    }

    @Test
    void readsWhatItWroteAsTheGeneratedClass() {
        GeneratedClassesDatumProvider<SpecificRecord> provider = new GeneratedClassesDatumProvider<>();
        for (SpecificRecord record : List.of(order("1", "command-1"), raw("1"))) {
            byte[] bytes = write(provider.createDatumWriter(record, record.getSchema()), record);

            assertEquals(record, read(provider.createDatumReader(record.getSchema()), bytes));
            assertEquals(record, read(provider.createDatumReader(record.getSchema()), bytes), "cached reader");
        }
    }

    /**
     * Schema evolution: EventMetadata gained {@code command_id} after its released version (schemas/src/released). An
     * event written with the released shape is read as today's class, the new field at its default, by the reader of
     * that writer schema, while events of the current shape keep being read by theirs.
     */
    @Test
    void readsEventsWrittenWithAnOlderSchemaAsTheCurrentClass() {
        GeneratedClassesDatumProvider<SpecificRecord> provider = new GeneratedClassesDatumProvider<>();
        Schema released = withoutCommandId(OrderEvent.getClassSchema());
        OrderEvent current = order("1", "command-1");
        byte[] currentBytes = write(provider.createDatumWriter(current, current.getSchema()), current);
        byte[] releasedBytes = rewrite(currentBytes, OrderEvent.getClassSchema(), released);
        OrderEvent expected = withoutCommandId(current);

        DatumReader<SpecificRecord> releasedReader = provider.createDatumReader(released);
        OrderEvent read = (OrderEvent) read(releasedReader, releasedBytes);
        assertNull(read.getMetadata().getCommandId());
        assertEquals(expected, read);
        assertEquals(current, read(provider.createDatumReader(OrderEvent.getClassSchema()), currentBytes));
        assertEquals(expected, read(provider.createDatumReader(released), releasedBytes), "after the current one");
        assertNotSame(releasedReader, provider.createDatumReader(OrderEvent.getClassSchema()));
        assertEquals(
                expected,
                read(new DefaultAvroDatumProvider<SpecificRecord>(true).createDatumReader(released), releasedBytes),
                "as Apicurio's provider reads it");

        // Another instance of the same schema (the registry client parses it again after its check period).
        Schema reparsed = new Schema.Parser().parse(released.toString());
        assertEquals(expected, read(provider.createDatumReader(reparsed), releasedBytes));
    }

    /** One reader per schema and thread: the same one again on that thread, another on any other thread. */
    @Test
    void readersAndWritersAreKeptPerSchemaInstanceAndThread() throws Exception {
        GeneratedClassesDatumProvider<SpecificRecord> provider = new GeneratedClassesDatumProvider<>();
        Schema schema = OrderEvent.getClassSchema();
        OrderEvent event = order("1", null);
        DatumReader<SpecificRecord> reader = provider.createDatumReader(schema);
        DatumWriter<SpecificRecord> writer = provider.createDatumWriter(event, schema);

        assertSame(reader, provider.createDatumReader(schema));
        assertSame(writer, provider.createDatumWriter(order("2", "command-2"), schema));
        assertNotSame(reader, provider.createDatumReader(new Schema.Parser().parse(schema.toString())));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertNotSame(
                    reader,
                    other.submit(() -> provider.createDatumReader(schema)).get(30, TimeUnit.SECONDS));
            assertNotSame(
                    writer,
                    other.submit(() -> provider.createDatumWriter(event, schema))
                            .get(30, TimeUnit.SECONDS));
        } finally {
            other.shutdownNow();
        }
    }

    /** Many threads writing and reading through one provider (a serde shared by stream threads) get exact results. */
    @Test
    void concurrentUseGivesEveryThreadExactBytesAndRecords() throws Exception {
        GeneratedClassesDatumProvider<SpecificRecord> provider = new GeneratedClassesDatumProvider<>();
        Schema released = withoutCommandId(OrderEvent.getClassSchema());
        List<SpecificRecord> records = new ArrayList<>();
        List<byte[]> expectedBytes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SpecificRecord record = i % 3 == 0 ? raw(Integer.toString(i)) : order(Integer.toString(i), "command-" + i);
            records.add(record);
            expectedBytes.add(write(
                    new SpecificDatumWriter<>(record.getSchema(), GeneratedClassesDatumProvider.model()), record));
        }
        byte[] releasedBytes = rewrite(expectedBytes.get(1), OrderEvent.getClassSchema(), released);
        OrderEvent expectedFromReleased = withoutCommandId((OrderEvent) records.get(1));

        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                tasks.add(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    int checked = 0;
                    for (int round = 0; round < 200; round++) {
                        int i = (offset + round) % records.size();
                        SpecificRecord record = records.get(i);
                        byte[] bytes = write(provider.createDatumWriter(record, record.getSchema()), record);
                        assertArrayEquals(expectedBytes.get(i), bytes);
                        assertEquals(record, read(provider.createDatumReader(record.getSchema()), bytes));
                        assertEquals(expectedFromReleased, read(provider.createDatumReader(released), releasedBytes));
                        checked++;
                    }
                    return checked;
                });
            }
            for (Future<Integer> done : pool.invokeAll(tasks, 2, TimeUnit.MINUTES)) {
                assertEquals(200, done.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static OrderEvent order(String id, String commandId) {
        String key = "shopify/acme.myshopify.com/order/" + id;
        return OrderEvent.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId("event-" + id)
                        .setDedupKey(key + "@event-" + id)
                        .setEntityKey(key)
                        .setPlatform("shopify")
                        .setStore("acme.myshopify.com")
                        .setEntityType(EntityType.ORDER)
                        .setEntityId(id)
                        .setOperation(Operation.UPSERT)
                        .setSource(EventSource.WEBHOOK)
                        .setSourceUpdatedAt(AT)
                        .setMappingVersion("shopify/orders@3")
                        .setReceivedAt(AT)
                        .setTraceContext(Map.of("traceparent", "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01"))
                        .setCommandId(commandId)
                        .build())
                .setOrder(Order.newBuilder()
                        .setId(id)
                        .setNumber("#100" + id)
                        .setStatus(OrderStatus.PROCESSING)
                        .setPaymentStatus(PaymentStatus.PAID)
                        .setFulfillmentStatus(FulfillmentStatus.UNFULFILLED)
                        .setCurrency("EUR")
                        .setTotals(OrderTotals.newBuilder()
                                .setTotal(new Money(new BigDecimal("10.500000"), "EUR"))
                                .build())
                        .setCreatedAt(AT)
                        .build())
                .build();
    }

    private static RawEnvelope raw(String id) {
        return RawEnvelope.newBuilder()
                .setEnvelopeId("envelope-" + id)
                .setPlatform("shopify")
                .setStore("acme.myshopify.com")
                .setEventType("orders/updated")
                .setSource(EventSource.WEBHOOK)
                .setDeliveryId("delivery-" + id)
                .setHeaders(Map.of("X-Shopify-Topic", "orders/updated"))
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap(("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(AT)
                .build();
    }

    /** The event as a reader of today's schema reads it from data written with the released one. */
    private static OrderEvent withoutCommandId(OrderEvent event) {
        return OrderEvent.newBuilder(event)
                .setMetadata(EventMetadata.newBuilder(event.getMetadata())
                        .setCommandId(null)
                        .build())
                .build();
    }

    /** {@code event} as released: its EventMetadata without {@code command_id}. */
    private static Schema withoutCommandId(Schema event) {
        Schema metadata = event.getField("metadata").schema();
        Schema releasedMetadata = Schema.createRecord(
                metadata.getName(),
                metadata.getDoc(),
                metadata.getNamespace(),
                false,
                metadata.getFields().stream()
                        .filter(f -> !f.name().equals("command_id"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        return Schema.createRecord(
                event.getName(),
                event.getDoc(),
                event.getNamespace(),
                false,
                event.getFields().stream()
                        .map(f -> new Schema.Field(f, f.name().equals("metadata") ? releasedMetadata : f.schema()))
                        .toList());
    }

    /** Data written with {@code from}, written again with {@code to} (fields {@code to} lacks are dropped). */
    private static byte[] rewrite(byte[] bytes, Schema from, Schema to) {
        GenericRecord record = read(new GenericDatumReader<GenericRecord>(from, to, GenericData.get()), bytes);
        return write(new GenericDatumWriter<>(to, GenericData.get()), record);
    }

    private static <D> byte[] write(DatumWriter<D> writer, D datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static <D> D read(DatumReader<D> reader, byte[] bytes) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
