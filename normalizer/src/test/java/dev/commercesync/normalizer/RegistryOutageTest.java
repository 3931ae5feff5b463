package dev.commercesync.normalizer;

import static dev.commercesync.devstack.Waiting.until;
import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.StackFaults;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The schema registry away (its process stopped: connection refused) while raw records arrive: a record the normalizer
 * cannot decode without the registry waits — its partition pauses, the stream thread is replaced with backoff — and is
 * mapped once the registry is back. Only a genuinely bad payload is quarantined. The test profile's short thread
 * restart backoff ({@code %test.normalizer.thread-restart.*}) lets the outage outlast it in seconds.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class RegistryOutageTest {
    private static final String RAW = CommerceTopic.RAW.topicName();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KafkaTestClients kafka = new KafkaTestClients(SharedStack.endpoints());

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void rawRecordsWaitForTheRegistryInsteadOfBeingQuarantined() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shop = "registry-" + run + ".myshopify.com";
        String storeKey = "shopify/" + shop;
        // While the registry is up: one order mapped and one garbage record quarantined, so the normalizer holds the
        // schemas of what it writes, and the garbage shows that bad payloads are still quarantined.
        kafka.sendRaw(RAW, Fixtures.shopifyOrder(shop, "e0-" + run));
        kafka.sendBytes(RAW, storeKey, "not avro".getBytes(StandardCharsets.UTF_8));
        kafka.awaitCommitted(
                CommerceTopic.ORDERS.topicName(), k -> k.startsWith(storeKey + "/"), 1, TIMEOUT, Duration.ZERO);
        kafka.awaitCommitted(CommerceTopic.QUARANTINE.topicName(), storeKey::equals, 1, TIMEOUT, Duration.ZERO);
        // A valid raw record written with a schema version the normalizer has never read: decoding it needs the
        // registry.
        byte[] unseenSchema = withNewSchemaVersion(Fixtures.shopifyOrder(shop, "e1-" + run), run);
        byte[] registryContent = registry("/admin/export");
        double replacementsBefore = metric("normalizer_stream_thread_replacements_total{cause=\"registry\"");

        boolean waited;
        try (StackFaults.Fault away = SharedStack.faults().stopRegistry()) {
            kafka.sendBytes(RAW, storeKey, unseenSchema);
            waited = until(
                    TIMEOUT,
                    () -> metric("normalizer_stream_thread_replacements_total{cause=\"registry\"") > replacementsBefore
                            || quarantined(storeKey) > 1);
            assertEquals(1, quarantined(storeKey), "the valid record is not quarantined while the registry is away");
        }
        restoreIfForgotten(registryContent);

        var orders = kafka.awaitCommitted(
                CommerceTopic.ORDERS.topicName(), k -> k.startsWith(storeKey + "/"), 2, TIMEOUT, Duration.ZERO);
        assertEquals(2, orders.size(), "the waiting record is mapped once the registry is back");
        assertEquals(1, quarantined(storeKey), "only the garbage record is quarantined");
        assertTrue(waited, "the normalizer reported waiting for the registry (normalizer_stream_thread_replacements)");
        given().get("/q/health/live").then().statusCode(200);
    }

    private long quarantined(String storeKey) {
        return kafka.readBytes(CommerceTopic.QUARANTINE.topicName(), storeKey::equals, "read_committed", Duration.ZERO)
                .size();
    }

    /**
     * The envelope serialized with its schema plus an optional field unique to this run: a compatible new schema
     * version under a new id, registered now, which a reader of RawEnvelope reads like the original.
     */
    private static byte[] withNewSchemaVersion(RawEnvelope envelope, String run) throws IOException {
        Schema original = RawEnvelope.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : original.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(
                "test_run_" + run,
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                null,
                JsonProperties.NULL_VALUE));
        Schema variant =
                Schema.createRecord(original.getName(), original.getDoc(), original.getNamespace(), false, fields);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<RawEnvelope>(RawEnvelope.getClassSchema()).write(envelope, encoder);
        encoder.flush();
        GenericRecord generic = new GenericDatumReader<GenericRecord>(RawEnvelope.getClassSchema(), variant)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        try (AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(
                    Map.of(
                            "apicurio.registry.url",
                            SharedStack.endpoints().registryApiUrl(),
                            "apicurio.registry.auto-register",
                            true),
                    false);
            return serializer.serialize(RAW, generic);
        }
    }

    /**
     * The registry keeps its schemas in memory (until it is made persistent): after a restart, re-import what it held,
     * with the same ids. A registry that kept them is left alone.
     */
    private static void restoreIfForgotten(byte[] export) throws Exception {
        String artifacts = new String(registry("/search/artifacts?limit=1"), StandardCharsets.UTF_8);
        if (artifacts.contains("\"count\":0")) {
            HttpResponse<String> imported = HTTP.send(
                    HttpRequest.newBuilder(URI.create(SharedStack.endpoints().registryApiUrl() + "/admin/import"))
                            .header("Content-Type", "application/zip")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(export))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, imported.statusCode(), imported.body());
        }
    }

    private static byte[] registry(String path) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(SharedStack.endpoints().registryApiUrl() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), path);
        return response.body();
    }

    private static double metric(String prefix) {
        return given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
