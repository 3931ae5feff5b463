package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code synctl replay}, {@code synctl quarantine} and {@code synctl dlq} against the real broker and registry, on topics of their own
 * (hidden {@code --topic-suffix}). The records a normalizer would have written are written here with the normalizer's
 * own record builders and serdes.
 */
class ReplayAndQuarantineCommandsTest {
    private static final PlatformRegistry PLATFORMS = PlatformRegistry.loadInstalled();

    private final Endpoints stack = SharedStack.endpoints();
    private final String suffix = ".cli-" + UUID.randomUUID().toString().substring(0, 8);
    private final TopicNames topics = TopicNames.withSuffix(suffix);
    private final KafkaTestClient kafka = new KafkaTestClient(stack);

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void replayAfterAMappingChangeDiffsInDryRunAndRepublishesWithTheCurrentMapping() throws Exception {
        Instant start = Instant.now().minusSeconds(5);
        RawEnvelope raw = shopifyOrder("replay.myshopify.com", "evt-1");
        RecordMetadata rawAt = send(topics.raw(), "shopify/replay.myshopify.com", raw);
        // What an older mapping put on the canonical topic: another mapping version and a different currency.
        OrderEvent current = (OrderEvent) ((NormalizationOutcome.Events) new Normalization(PLATFORMS)
                        .normalize(raw, new RawRecordRef(topics.raw(), rawAt.partition(), rawAt.offset())))
                .canonicalEvents()
                .get(0);
        String currentMapping = current.getMetadata().getMappingVersion();
        OrderEvent old = OrderEvent.newBuilder(current).build();
        old.getMetadata().setMappingVersion("shopify/orders@0");
        old.getOrder().setCurrency("XXX");
        String key = old.getMetadata().getEntityKey();
        send(topics.canonical(EntityType.ORDER), key, old);

        SynctlRun dryRun = synctl("replay", "--from", start.toString(), "--store", "replay.myshopify.com", "--dry-run");
        assertEquals(0, dryRun.exit(), dryRun.out());
        assertTrue(
                dryRun.out()
                        .contains("order.currency: \"XXX\" -> \""
                                + current.getOrder().getCurrency() + "\""),
                dryRun.out());
        assertTrue(dryRun.out().contains("shopify/orders@0 -> " + currentMapping), dryRun.out());
        assertTrue(dryRun.out().contains("would produce 1 (changed 1, new 0)"), dryRun.out());
        assertEquals(1, canonical(key).size(), "a dry run publishes nothing");

        SynctlRun replay = synctl("replay", "--from", start.toString(), "--store", "replay.myshopify.com");
        assertEquals(0, replay.exit(), replay.out());
        assertTrue(replay.out().contains("read 1, produced 1 (changed 1, new 0), unchanged 0"), replay.out());
        List<ConsumerRecord<String, byte[]>> events = canonical(key);
        assertEquals(2, events.size());
        EventMetadata replayed = ((OrderEvent) decode(events.get(1))).getMetadata();
        assertEquals(EventSource.REPLAY, replayed.getSource());
        assertEquals(currentMapping, replayed.getMappingVersion());
        assertEquals(current.getMetadata().getEventId(), replayed.getEventId(), "same event id: downstream dedups");
        Header ceId = events.get(1).headers().lastHeader("ce_id");
        assertEquals(replayed.getEventId(), new String(ceId.value(), StandardCharsets.UTF_8));

        SynctlRun again = synctl("replay", "--from", start.toString(), "--store", "replay.myshopify.com", "--dry-run");
        assertTrue(again.out().contains("unchanged 1"), "the replayed event now matches: " + again.out());
    }

    @Test
    void aDuplicateDeliveryOfTheSameChangeIsNotAChange() throws Exception {
        Instant start = Instant.now().minusSeconds(5);
        String store = "duplicate.myshopify.com";
        Instant delivered = Instant.now();
        send(topics.raw(), "shopify/" + store, shopifyOrder(store, "evt-dup", delivered));
        // The platform delivers the same event again a minute later: another received_at and another raw record.
        send(topics.raw(), "shopify/" + store, shopifyOrder(store, "evt-dup", delivered.plusSeconds(60)));

        SynctlRun first = synctl("replay", "--from", start.toString(), "--store", store);
        assertEquals(0, first.exit(), first.out());
        assertTrue(first.out().contains("read 2, produced 2 (changed 0, new 2), unchanged 0"), first.out());

        // Both replayed events share one event id; the topic's latest came from the second raw record. The first
        // raw record's event differs from it only in provenance (raw_ref, received_at).
        SynctlRun again = synctl("replay", "--from", start.toString(), "--store", store, "--dry-run");
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("would produce 2 (changed 0, new 0), unchanged 2"), again.out());
        assertFalse(again.out().contains("~ "), again.out());
    }

    @Test
    void quarantineListShowAndRetry() throws Exception {
        RawEnvelope raw = shopifyOrder("quarantine.myshopify.com", "evt-q");
        raw.setEventType("orders/exploded");
        RecordMetadata rawAt = send(topics.raw(), "shopify/quarantine.myshopify.com", raw);
        RawRecordRef ref = new RawRecordRef(topics.raw(), rawAt.partition(), rawAt.offset());
        var failed = (NormalizationOutcome.Failed) new Normalization(PLATFORMS).normalize(raw, ref);
        QuarantineRecord quarantined =
                PipelineRecords.quarantined(failed.quarantineRecord(), raw, ref, 0, Instant.now(), "normalizer");
        send(topics.quarantine(), "shopify/quarantine.myshopify.com", quarantined);
        String id = quarantined.getQuarantineId();

        SynctlRun list = synctl("quarantine", "list", "--store", "quarantine.myshopify.com");
        assertEquals(0, list.exit(), list.out());
        assertTrue(list.out().contains(id) && list.out().contains("UNKNOWN_EVENT_TYPE"), list.out());
        assertTrue(list.out().contains("1 quarantined record(s)"), list.out());

        SynctlRun show = synctl("quarantine", "show", id);
        assertEquals(0, show.exit(), show.out());
        assertTrue(show.out().contains("orders/exploded") && show.out().contains("evt-q"), show.out());
        assertTrue(show.out().contains("bytes (not shown)"), show.out());
        assertFalse(show.out().contains("line_items"), "the payload body is never printed");

        SynctlRun retry = synctl("quarantine", "retry", id);
        assertEquals(0, retry.exit(), retry.out());
        assertTrue(retry.out().contains("re-read from " + topics.raw()), retry.out());
        try (PipelineKafka kafka = new PipelineKafka(stack.kafkaBootstrap(), stack.registryUrl())) {
            List<ConsumerRecord<String, byte[]>> rawRecords = new ArrayList<>();
            kafka.readRange(topics.raw(), null, rawRecords::add);
            assertEquals(2, rawRecords.size());
            ConsumerRecord<String, byte[]> resubmitted = rawRecords.stream()
                    .filter(r -> r.offset() != rawAt.offset() || r.partition() != rawAt.partition())
                    .findFirst()
                    .orElseThrow();
            assertEquals(raw, kafka.decode(resubmitted), "the same envelope goes back to the raw topic");
            assertEquals(id, header(resubmitted, PipelineRecords.RETRY_OF_HEADER));
            assertEquals("1", header(resubmitted, PipelineRecords.RETRY_COUNT_HEADER));
        }

        SynctlRun unknown = synctl("quarantine", "show", "no-such-id");
        assertEquals(1, unknown.exit());
    }

    @Test
    void dlqListShowAndRetryProduceTheOriginalEventAgainWithItsKey() throws Exception {
        RawEnvelope raw = shopifyOrder("dlq.myshopify.com", "evt-d");
        RecordMetadata rawAt = send(topics.raw(), "shopify/dlq.myshopify.com", raw);
        OrderEvent event = (OrderEvent) ((NormalizationOutcome.Events) new Normalization(PLATFORMS)
                        .normalize(raw, new RawRecordRef(topics.raw(), rawAt.partition(), rawAt.offset())))
                .canonicalEvents()
                .get(0);
        String key = event.getMetadata().getEntityKey();
        RecordMetadata at = send(topics.canonical(EntityType.ORDER), key, event);
        String dlq = CommerceTopic.SYNC_DLQ.topicName() + suffix;
        SyncDeadLetter refused = deadLetter("dl-1", topics.canonical(EntityType.ORDER), at, key)
                .setEventId(event.getMetadata().getEventId())
                .setEntityType(EntityType.ORDER)
                .setEntityId(event.getMetadata().getEntityId())
                .setErrorClass(SyncErrorClass.CONFLICT)
                .setReason("duplicate key value violates unique constraint")
                .build();
        send(dlq, key, refused);
        SyncDeadLetter undecodable = deadLetter("dl-2", topics.canonical(EntityType.ORDER), at, "k2")
                .setErrorClass(SyncErrorClass.UNDECODABLE)
                .setReason("not Confluent-framed")
                .setRawValue(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .build();
        send(dlq, "k2", undecodable);

        SynctlRun list = synctl("dlq", "list", "--store", "dlq.myshopify.com", "--error-class", "CONFLICT");
        assertEquals(0, list.exit(), list.out());
        assertTrue(list.out().contains("dl-1") && !list.out().contains("dl-2"), list.out());
        assertTrue(list.out().contains("1 dead letter(s)"), list.out());

        SynctlRun show = synctl("dlq", "show", "dl-2", "--json");
        assertEquals(0, show.exit(), show.out());
        assertTrue(show.out().contains("\"raw_value_bytes\" : 3"), "the bytes' length, never the bytes: " + show.out());

        SynctlRun retry = synctl("dlq", "retry", "dl-1");
        assertEquals(0, retry.exit(), retry.out());
        assertTrue(retry.out().contains("re-read from " + topics.canonical(EntityType.ORDER)), retry.out());
        List<ConsumerRecord<String, byte[]>> events = canonical(key);
        assertEquals(2, events.size());
        assertEquals(event, decode(events.get(1)), "the same event, with the same key, goes back to its topic");
        assertEquals("dl-1", header(events.get(1), PipelineRecords.RETRY_OF_HEADER));

        SynctlRun notRetryable = synctl("dlq", "retry", "dl-2");
        assertEquals(1, notRetryable.exit(), notRetryable.out());
        assertTrue(notRetryable.out().contains("synctl replay"), "says what to do instead: " + notRetryable.out());
        assertEquals(1, synctl("dlq", "show", "no-such-id").exit());
    }

    private static SyncDeadLetter.Builder deadLetter(String id, String topic, RecordMetadata at, String key) {
        return SyncDeadLetter.newBuilder()
                .setDeadLetterId(id)
                .setTarget("postgres")
                .setSourceRef(new RawRecordRef(topic, at.partition(), at.offset()))
                .setSourceKey(key)
                .setPlatform("shopify")
                .setStore("dlq.myshopify.com")
                .setFailedAt(Instant.now())
                .setFailedBy("sync-writer");
    }

    private RawEnvelope shopifyOrder(String store, String eventId) throws Exception {
        return shopifyOrder(store, eventId, Instant.now());
    }

    private RawEnvelope shopifyOrder(String store, String eventId, Instant receivedAt) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(System.getProperty("commercesync.root", ".."))
                .resolve("platforms/src/test/resources/fixtures/shopify/orders_create.json"));
        return RawEnvelopes.fromWebhook(
                PLATFORMS.get("shopify"),
                new WebhookRequest(
                        Map.of(
                                "X-Shopify-Topic",
                                "orders/create",
                                "X-Shopify-Shop-Domain",
                                store,
                                "X-Shopify-Event-Id",
                                eventId,
                                "Content-Type",
                                "application/json"),
                        body),
                receivedAt);
    }

    private RecordMetadata send(String topic, String key, SpecificRecord value) {
        return kafka.send(topic, key, value);
    }

    private List<ConsumerRecord<String, byte[]>> canonical(String key) {
        return kafka.readBytes(topics.canonical(EntityType.ORDER), KafkaTestClient.COMMITTED).stream()
                .filter(r -> key.equals(r.key()))
                .toList();
    }

    private SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
        try (PipelineKafka kafka = new PipelineKafka(stack.kafkaBootstrap(), stack.registryUrl())) {
            return kafka.decode(record);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private SynctlRun synctl(String... args) {
        return SynctlRun.on(stack, suffix, args);
    }
}
