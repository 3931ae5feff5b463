package dev.commercesync.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The foundation's end-to-end smoke test on the real components: a canonical Avro event written with the registry serde
 * goes through the real broker, comes back as the same event, carries the Confluent wire framing, and its schema id
 * resolves through the registry's Confluent-compatible API to the event's schema.
 */
class CanonicalWireFormatSmokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoints stack = SharedStack.endpoints();

    @Test
    void canonicalEventTravelsInConfluentWireFormatThroughTheRealBrokerAndRegistry() throws Exception {
        String topic = CommerceTopic.ORDERS.topicName() + ".smoke-" + UUID.randomUUID();
        OrderEvent sent = orderEvent();

        RecordMetadata written;
        try (var producer = new KafkaProducer<String, OrderEvent>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                AvroKafkaSerializer.class,
                "apicurio.registry.url",
                stack.registryApiUrl(),
                "apicurio.registry.auto-register",
                true))) {
            written = producer.send(
                            new ProducerRecord<>(topic, sent.getMetadata().getEntityKey(), sent))
                    .get();
        }
        TopicPartition partition = new TopicPartition(topic, written.partition());

        byte[] raw = (byte[]) readOne(partition, written.offset(), ByteArrayDeserializer.class, Map.of())
                .value();
        assertTrue(raw.length > 5, "a framed record is longer than its 5-byte header");
        assertEquals(0, raw[0], "Confluent magic byte");
        int schemaId = ByteBuffer.wrap(raw, 1, 4).getInt();

        // Resolve the id as a Confluent client would: the schema text plus the subjects/versions it references.
        JsonNode registered = JSON.readTree(get(stack.registryCcompatUrl() + "/schemas/ids/" + schemaId));
        Schema.Parser parser = new Schema.Parser();
        parseReferences(registered, parser);
        Schema registeredSchema = parser.parse(registered.get("schema").asText());
        assertEquals(OrderEvent.getClassSchema(), registeredSchema, "schema id resolves to the OrderEvent schema");
        Map<String, Object> avroReader = Map.of(
                "apicurio.registry.url", stack.registryApiUrl(), "apicurio.registry.use-specific-avro-reader", true);
        OrderEvent received = (OrderEvent) readOne(partition, written.offset(), AvroKafkaDeserializer.class, avroReader)
                .value();
        assertEquals(sent.getMetadata(), received.getMetadata());
        assertEquals(sent.getOrder().getId(), received.getOrder().getId());
        assertEquals(
                sent.getOrder().getLineItems().get(0).getSku(),
                received.getOrder().getLineItems().get(0).getSku());
        // Decimals come back at the schema's scale: the same value, not a rounded one.
        assertEquals(
                0,
                new BigDecimal("4.875")
                        .compareTo(received.getOrder().getTotals().getTotal().getAmount()),
                "money survives exactly");
    }

    private ConsumerRecord<String, Object> readOne(
            TopicPartition partition, long offset, Class<?> valueDeserializer, Map<String, Object> serdeConfig) {
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer);
        try (var consumer = new KafkaConsumer<String, Object>(config)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertFalse(records.isEmpty(), "the record came back from the broker");
            return records.get(0);
        }
    }

    /** Parses, depth first, every schema a ccompat schema answer references into {@code parser}. */
    private void parseReferences(JsonNode schemaAnswer, Schema.Parser parser) throws Exception {
        for (JsonNode ref : schemaAnswer.path("references")) {
            JsonNode referenced = JSON.readTree(get(stack.registryCcompatUrl() + "/subjects/"
                    + URLEncoder.encode(ref.get("subject").asText(), StandardCharsets.UTF_8) + "/versions/"
                    + ref.get("version").asText()));
            parseReferences(referenced, parser);
            String name = ref.get("name").asText();
            if (!parser.getTypes().containsKey(name)) {
                parser.parse(referenced.get("schema").asText());
            }
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> url + " answered " + response.body());
        return response.body();
    }

    private static OrderEvent orderEvent() {
        Instant updated = Instant.parse("2026-11-01T10:15:30.123Z");
        Money total = new Money(new BigDecimal("4.875"), "KWD");
        return OrderEvent.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(UUID.nameUUIDFromBytes("smoke".getBytes()).toString())
                        .setDedupKey("shopify/acme.myshopify.com/event/smoke")
                        .setEntityKey("shopify/acme.myshopify.com/order/9007199254740993")
                        .setPlatform("shopify")
                        .setStore("acme.myshopify.com")
                        .setEntityType(EntityType.ORDER)
                        .setEntityId("9007199254740993")
                        .setOperation(Operation.UPSERT)
                        .setSource(EventSource.WEBHOOK)
                        .setSourceUpdatedAt(updated)
                        .setMappingVersion("shopify/orders@1")
                        .setReceivedAt(updated)
                        .build())
                .setOrder(Order.newBuilder()
                        .setId("9007199254740993")
                        .setStatus(OrderStatus.PROCESSING)
                        .setCurrency("KWD")
                        .setTotals(OrderTotals.newBuilder()
                                .setTotal(total)
                                .setSubtotal(total)
                                .build())
                        .setLineItems(List.of(OrderLineItem.newBuilder()
                                .setId("1")
                                .setSku("SKU-1")
                                .setName("Dates")
                                .setQuantity(1)
                                .setUnitPrice(total)
                                .build()))
                        .setCreatedAt(updated)
                        .build())
                .build();
    }
}
