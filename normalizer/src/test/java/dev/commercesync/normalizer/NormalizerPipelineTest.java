package dev.commercesync.normalizer;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The running normalizer service (Quarkus, Kafka Streams, exactly_once_v2) against the real broker and registry: raw
 * records in on commerce.raw.v1, canonical events, fetch requests and quarantine records out. Every test uses its own
 * stores, so it only reads its own outputs.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class NormalizerPipelineTest {
    private static final String RAW = CommerceTopic.RAW.topicName();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Normalization EXPECTED = new Normalization(Fixtures.PLATFORMS);

    private final KafkaTestClients kafka = new KafkaTestClients(SharedStack.endpoints());

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void eachPlatformsWebhookBecomesWhatTheAdapterMapsItTo() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<RawEnvelope> deliveries = List.of(
                Fixtures.shopifyOrder("shop-" + run + ".myshopify.com", "evt-" + run),
                Fixtures.wooCommerce("woo-" + run + ".example.com", "order.updated", "order.updated.json"),
                Fixtures.bigCommerce("bc" + run, "store_order_created.json", "whk-" + run),
                Fixtures.magento2("m2-" + run, "observer.catalog_product_save_commit_after.cloudevent.json"));
        int eventsSeen = 0;
        int fetchesSeen = 0;
        for (RawEnvelope delivery : deliveries) {
            RecordMetadata written = kafka.sendRaw(RAW, delivery);
            RawRecordRef ref = new RawRecordRef(RAW, written.partition(), written.offset());
            NormalizationOutcome expected = EXPECTED.normalize(delivery, ref);
            String storeKey = PipelineRecords.storeKey(delivery.getPlatform(), delivery.getStore());
            if (expected instanceof NormalizationOutcome.Events events) {
                SpecificRecord expectedEvent = events.canonicalEvents().get(0);
                EventMetadata metadata = CanonicalEvents.metadata(expectedEvent);
                String topic =
                        CommerceTopic.forEntityType(metadata.getEntityType()).topicName();
                var records = kafka.awaitCommitted(topic, metadata.getEntityKey()::equals, 1, TIMEOUT, Duration.ZERO);
                assertEquals(1, records.size(), delivery.getPlatform() + ": one event");
                ConsumerRecord<String, SpecificRecord> record = records.get(0);
                assertEquals(
                        CanonicalJson.renderText(expectedEvent),
                        CanonicalJson.renderText(record.value()),
                        delivery.getPlatform() + ": the event is the adapter's mapping of the payload");
                assertConfluentFramed(topic, metadata.getEntityKey());
                assertCloudEventHeaders(record.headers(), metadata);
                eventsSeen++;
            } else if (expected instanceof NormalizationOutcome.FetchNeeded fetch) {
                String topic = CommerceTopic.FETCH_REQUESTS.topicName();
                var records = kafka.awaitCommitted(topic, storeKey::equals, 1, TIMEOUT, Duration.ZERO);
                FetchRequest request =
                        assertInstanceOf(FetchRequest.class, records.get(0).value());
                assertEquals(fetch.entityType(), request.getEntityType());
                assertEquals(fetch.entityIds(), request.getEntityIds());
                assertEquals(FetchReason.THIN_WEBHOOK, request.getReason(), "BigCommerce webhooks are thin");
                assertEquals(ref, request.getRawRef());
                assertConfluentFramed(topic, storeKey);
                fetchesSeen++;
            } else {
                NormalizationOutcome.Failed failed = (NormalizationOutcome.Failed) expected;
                throw new AssertionError(delivery.getPlatform() + " fixture does not normalize: " + failed.reason());
            }
        }
        assertTrue(eventsSeen >= 3, "Shopify, WooCommerce and Adobe Commerce payloads are full");
        assertEquals(1, fetchesSeen, "the BigCommerce payload is thin");
    }

    @Test
    void duplicateDeliveriesYieldOneCanonicalEvent() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shop = "dup-" + run + ".myshopify.com";
        String woo = "dup-" + run + ".example.com";
        // Shopify retries a delivery: same X-Shopify-Event-Id, new webhook id.
        RawEnvelope first = Fixtures.shopifyOrder(shop, "evt-" + run);
        RawEnvelope retry = Fixtures.shopifyOrder(shop, "evt-" + run);
        // WooCommerce re-sends the whole payload with a new delivery id: the computed dedup key is the same.
        RawEnvelope wooFirst = Fixtures.wooCommerce(woo, "order.updated", "order.updated.json");
        RawEnvelope wooAgain = Fixtures.wooCommerce(woo, "order.updated", "order.updated.json");
        for (RawEnvelope envelope : List.of(first, retry, retry, wooFirst, wooAgain)) {
            kafka.sendRaw(RAW, envelope);
        }
        // A later, different event of each store: once it is out, the duplicates before it were processed.
        kafka.sendRaw(
                RAW,
                Fixtures.shopify(
                        shop, "products/create", "evt2-" + run, Fixtures.payload("shopify", "products_create.json")));
        kafka.sendRaw(RAW, Fixtures.wooCommerce(woo, "product.updated", "product.updated.json"));

        kafka.awaitCommitted(
                CommerceTopic.PRODUCTS.topicName(),
                key -> key.startsWith("shopify/" + shop + "/"),
                1,
                TIMEOUT,
                Duration.ZERO);
        kafka.awaitCommitted(
                CommerceTopic.PRODUCTS.topicName(),
                key -> key.startsWith("woocommerce/" + woo + "/"),
                1,
                TIMEOUT,
                Duration.ZERO);
        var shopifyOrders = kafka.readCommitted(
                CommerceTopic.ORDERS.topicName(),
                key -> key.startsWith("shopify/" + shop + "/"),
                Duration.ofSeconds(1));
        var wooOrders = kafka.readCommitted(
                CommerceTopic.ORDERS.topicName(), key -> key.startsWith("woocommerce/" + woo + "/"), Duration.ZERO);
        assertEquals(1, shopifyOrders.size(), "three deliveries of one Shopify event give one canonical event");
        assertEquals(1, wooOrders.size(), "a re-sent WooCommerce payload gives one canonical event");

        String metrics = given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metricValue(metrics, "normalizer_duplicates_dropped_total") >= 3, "duplicates are counted");
        assertTrue(metricValue(metrics, "normalizer_records_consumed_total") >= 7, "consumed records are counted");
        assertTrue(metrics.contains("normalizer_events_produced_total{entity_type=\"order\""), metrics);
    }

    /**
     * A thin webhook whose hydration failed (the poller quarantined it as FETCH_FAILED) and that support retried: the
     * re-submission is not a duplicate of the first delivery but asks for a fresh fetch, under a new request id that
     * names the retry, with the retry headers carried on for the poller; a second copy of the same re-submission is a
     * duplicate again.
     */
    @Test
    void aThinWebhookRetriedFromTheQuarantineAsksForAFreshFetch() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String store = "bcretry" + run;
        String storeKey = PipelineRecords.storeKey("bigcommerce", store);
        String fetchTopic = CommerceTopic.FETCH_REQUESTS.topicName();
        RawEnvelope thin = Fixtures.bigCommerce(store, "store_order_created.json", "whk-" + run);
        RecordMetadata first = kafka.sendRaw(RAW, thin);
        FetchRequest original =
                (FetchRequest) kafka.awaitCommitted(fetchTopic, storeKey::equals, 1, TIMEOUT, Duration.ZERO)
                        .get(0)
                        .value();
        NormalizationOutcome.FetchNeeded expected = (NormalizationOutcome.FetchNeeded)
                EXPECTED.normalize(thin, new RawRecordRef(RAW, first.partition(), first.offset()));
        assertEquals(PipelineRecords.fetchRequestId(expected.dedupKey()), original.getRequestId());

        String quarantineId = PipelineRecords.quarantineId(original.getRawRef());
        kafka.sendRaw(RAW, thin); // the platform's duplicate delivery: no second fetch
        RecordMetadata retried = kafka.resendRaw(RAW, thin, quarantineId, 1);
        kafka.resendRaw(RAW, thin, quarantineId, 1); // the same re-submission twice: one fetch
        // A later, different thin event of the store: once its request is out, everything before it was processed.
        kafka.sendRaw(RAW, Fixtures.bigCommerce(store, "store_order_created.json", "whk2-" + run));

        var requests = kafka.awaitCommitted(fetchTopic, storeKey::equals, 3, TIMEOUT, Duration.ofSeconds(1));
        assertEquals(3, requests.size(), "the first delivery, its retry and the later event each ask once");
        ConsumerRecord<String, SpecificRecord> retry = requests.get(1);
        FetchRequest again = (FetchRequest) retry.value();
        assertEquals(
                PipelineRecords.fetchRequestId(PipelineRecords.retryDedupKey(expected.dedupKey(), quarantineId, 1)),
                again.getRequestId(),
                "a fresh request id, naming the retry");
        assertTrue(!again.getRequestId().equals(original.getRequestId()), "not the answered request's id");
        assertEquals(original.getEntityIds(), again.getEntityIds());
        assertEquals(new RawRecordRef(RAW, retried.partition(), retried.offset()), again.getRawRef());
        assertEquals(quarantineId, PipelineRecords.retryOf(retry.headers()).orElseThrow());
        assertEquals(1, PipelineRecords.retryCount(retry.headers()));
        assertTrue(PipelineRecords.retryOf(requests.get(0).headers()).isEmpty(), "a first delivery is no retry");
    }

    @Test
    void unmappableRecordsAreQuarantinedAndThePartitionKeepsFlowing() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shop = "bad-" + run + ".myshopify.com";
        String storeKey = "shopify/" + shop;
        String order = new String(Fixtures.payload("shopify", "orders_create.json"), StandardCharsets.UTF_8);
        // The order without its id: the mapper cannot identify the entity.
        byte[] withoutId = order.replaceFirst("\"id\"\\s*:\\s*\\d+\\s*,", "").getBytes(StandardCharsets.UTF_8);
        RecordMetadata missingId = kafka.sendRaw(RAW, Fixtures.shopify(shop, "orders/create", "e1-" + run, withoutId));
        RecordMetadata unknownType = kafka.sendRaw(
                RAW, Fixtures.shopify(shop, "orders/exploded", "e2-" + run, order.getBytes(StandardCharsets.UTF_8)));
        RecordMetadata garbage = kafka.sendBytes(RAW, storeKey, "not avro at all".getBytes(StandardCharsets.UTF_8));
        kafka.sendRaw(RAW, Fixtures.shopifyOrder(shop, "e3-" + run));

        var orders = kafka.awaitCommitted(
                CommerceTopic.ORDERS.topicName(), key -> key.startsWith(storeKey + "/"), 1, TIMEOUT, Duration.ZERO);
        assertEquals(1, orders.size(), "the good record after the bad ones is mapped");
        var quarantined = kafka
                .awaitCommitted(CommerceTopic.QUARANTINE.topicName(), storeKey::equals, 3, TIMEOUT, Duration.ZERO)
                .stream()
                .map(r -> (QuarantineRecord) r.value())
                .toList();
        assertEquals(3, quarantined.size());

        QuarantineRecord mapping = byOffset(quarantined, missingId);
        assertEquals(QuarantineErrorClass.MAPPING_ERROR, mapping.getErrorClass(), mapping.toString());
        assertEquals("id", mapping.getFieldPath());
        assertNotNull(mapping.getEnvelope(), "the raw envelope travels with the quarantine record for retry");
        assertEquals("orders/create", mapping.getEventType());
        assertEquals(new RawRecordRef(RAW, missingId.partition(), missingId.offset()), mapping.getRawRef());

        QuarantineRecord unknown = byOffset(quarantined, unknownType);
        assertEquals(QuarantineErrorClass.UNKNOWN_EVENT_TYPE, unknown.getErrorClass());
        assertTrue(unknown.getReason().contains("orders/exploded"), unknown.getReason());

        QuarantineRecord undecodable = byOffset(quarantined, garbage);
        assertEquals(QuarantineErrorClass.UNDECODABLE_RECORD, undecodable.getErrorClass());
        assertNull(undecodable.getEnvelope());
        assertEquals(
                ByteBuffer.wrap("not avro at all".getBytes(StandardCharsets.UTF_8)),
                undecodable.getRawValue(),
                "the undecodable bytes are kept");

        String metrics = given().header("Authorization", INTERNAL_AUTH)
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metricValue(metrics, "normalizer_quarantined_total{error_class=\"UNDECODABLE_RECORD\"") >= 1);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * A Shopify webhook on an Admin API version the order mapping does not read is quarantined with the reason, not
     * mapped; the store's next delivery, on a version the mapping reads, is mapped.
     */
    @Test
    void aPayloadOfAnApiVersionItsMappingDoesNotReadIsQuarantined() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String shop = "apiver-" + run + ".myshopify.com";
        String storeKey = "shopify/" + shop;
        RawEnvelope unread = Fixtures.shopifyOrder(shop, "e1-" + run, "2025-07");
        RecordMetadata unreadAt = kafka.sendRaw(RAW, unread);
        kafka.sendRaw(RAW, Fixtures.shopifyOrder(shop, "e2-" + run, "2026-04"));

        var orders = kafka.awaitCommitted(
                CommerceTopic.ORDERS.topicName(), key -> key.startsWith(storeKey + "/"), 1, TIMEOUT, Duration.ZERO);
        assertEquals(1, orders.size(), "only the delivery on a version the mapping reads is mapped");
        assertEquals(
                "shopify/" + shop + "/event/e2-" + run,
                CanonicalEvents.metadata(orders.get(0).value()).getDedupKey());
        var quarantined =
                kafka.awaitCommitted(CommerceTopic.QUARANTINE.topicName(), storeKey::equals, 1, TIMEOUT, Duration.ZERO);
        assertEquals(1, quarantined.size());
        QuarantineRecord record = (QuarantineRecord) quarantined.get(0).value();
        NormalizationOutcome.Failed expected = (NormalizationOutcome.Failed)
                EXPECTED.normalize(unread, new RawRecordRef(RAW, unreadAt.partition(), unreadAt.offset()));
        assertEquals(QuarantineErrorClass.UNSUPPORTED_API_VERSION, record.getErrorClass());
        assertEquals(expected.reason(), record.getReason());
        assertTrue(record.getReason().contains("'2025-07'"), record.getReason());
        assertEquals(expected.mappingVersion(), record.getMappingVersion());
        assertEquals(new RawRecordRef(RAW, unreadAt.partition(), unreadAt.offset()), record.getRawRef());
        assertEquals("2025-07", record.getEnvelope().getApiVersion(), "the envelope keeps the version for a retry");
    }

    private static QuarantineRecord byOffset(List<QuarantineRecord> records, RecordMetadata raw) {
        return records.stream()
                .filter(r -> r.getRawRef().getPartition() == raw.partition()
                        && r.getRawRef().getOffset() == raw.offset())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no quarantine record for raw offset " + raw.offset()));
    }

    private void assertConfluentFramed(String topic, String key) {
        Predicate<String> matches = key::equals;
        var records = kafka.readBytes(topic, matches, "read_committed", Duration.ZERO);
        assertEquals(1, records.size());
        byte[] value = records.get(0).value();
        assertEquals(0, value[0], "Confluent magic byte");
        assertTrue(ByteBuffer.wrap(value, 1, 4).getInt() > 0, "a registry schema id follows");
    }

    private static void assertCloudEventHeaders(Headers headers, EventMetadata metadata) {
        assertEquals("1.0", header(headers, "ce_specversion"));
        assertEquals(metadata.getEventId(), header(headers, "ce_id"));
        assertEquals(
                "/commerce-sync/" + metadata.getPlatform() + "/"
                        + java.net.URLEncoder.encode(metadata.getStore(), StandardCharsets.UTF_8),
                header(headers, "ce_source"));
        assertTrue(header(headers, "ce_type").startsWith("dev.commercesync."), header(headers, "ce_type"));
        assertNotNull(java.time.Instant.parse(header(headers, "ce_time")));
        assertEquals("application/avro", header(headers, "content-type"));
        List<String> names = new ArrayList<>();
        headers.forEach(h -> names.add(h.key()));
        assertEquals(1, names.stream().filter("ce_id"::equals).count(), "one ce_id: raw headers are not copied");
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertNotNull(header, "header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static double metricValue(String prometheus, String prefix) {
        return prometheus
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
