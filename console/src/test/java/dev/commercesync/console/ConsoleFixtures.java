package dev.commercesync.console;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.opstate.OperationalStates.Subject;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.VersionBasis;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What the console tests set up, as the components that own it would: stores registered (webhook-ingest), outcomes
 * recorded in the poller's and the reconciler's operational state, a raw record quarantined by the normalizer.
 */
final class ConsoleFixtures {
    static final String PLATFORM = "testplatform";
    /** The test profile's dev key of the other services: the console itself never decrypts a store. */
    static final String SECRETS_KEY = "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=";

    static final TopicNames TOPICS = TopicNames.standard();
    static final String APPLIED = CommerceTopic.APPLIED.topicName();

    private final OperationalStates poller;
    private final OperationalStates reconciler;
    private final StoreRegistry registry = new StoreRegistry(SECRETS_KEY);
    private final KafkaTestClient kafka = KafkaTestClient.shared();

    ConsoleFixtures(AgroalDataSource dataSource) throws Exception {
        poller = new OperationalStates(dataSource, "poller", new SimpleMeterRegistry());
        reconciler = new OperationalStates(dataSource, "reconciler", new SimpleMeterRegistry());
        kafka.ensureTopics(List.of(TOPICS.raw(), TOPICS.quarantine(), APPLIED));
    }

    /** A unique store name, so that tests sharing a (reused) stack do not see each other's stores. */
    static String uniqueStore(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
    }

    /** Two registered stores: {@code healthy}, and {@code failing}, whose ORDER polling waits for a person. */
    record TwoStores(String healthy, String failing) {}

    TwoStores oneHealthyOneFailing() {
        TwoStores stores = new TwoStores(uniqueStore("aaa-healthy"), uniqueStore("zzz-failing"));
        register(stores.healthy());
        register(stores.failing());
        healthy(stores.healthy());
        healthy(stores.failing());
        credentialsRefused(stores.failing());
        return stores;
    }

    void register(String store) {
        QuarkusTransaction.requiringNew()
                .run(() ->
                        registry.add(PLATFORM, store, "Shop " + store, "http://127.0.0.1:1", "whsec-" + store, null));
    }

    /** The poller polled ORDER fine and the reconciler reconciled it. */
    void healthy(String store) {
        poller.succeeded(new Subject(PLATFORM, store, "ORDER", Operation.POLL));
        reconciler.succeeded(new Subject(PLATFORM, store, "ORDER", Operation.RECONCILE));
    }

    /** The platform refused the store's credentials: POLL of ORDER waits for a person. */
    void credentialsRefused(String store) {
        poller.succeeded(new Subject(PLATFORM, store, "PRODUCT", Operation.POLL));
        poller.failed(
                new Subject(PLATFORM, store, "ORDER", Operation.POLL),
                ErrorClass.AUTH,
                "GET /orders answered 401 Unauthorized",
                false);
    }

    /** A raw envelope on the raw topic, then its quarantine record (as the normalizer writes it); returns its id. */
    String quarantined(String store) {
        RawEnvelope raw = RawEnvelope.newBuilder()
                .setEnvelopeId(UUID.randomUUID().toString())
                .setPlatform(PLATFORM)
                .setStore(store)
                .setEventType("orders/exploded")
                .setSource(EventSource.WEBHOOK)
                .setHeaders(Map.of("x-event-id", "evt-" + store))
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap("{\"id\":1,\"email\":\"buyer@example.com\"}".getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(Instant.now())
                .build();
        String key = PipelineRecords.storeKey(PLATFORM, store);
        RecordMetadata at = kafka.send(TOPICS.raw(), key, raw);
        RawRecordRef ref = RawRecordRef.newBuilder()
                .setTopic(at.topic())
                .setPartition(at.partition())
                .setOffset(at.offset())
                .build();
        QuarantineRecord q = PipelineRecords.quarantined(
                QuarantineRecord.newBuilder()
                        .setErrorClass(QuarantineErrorClass.UNKNOWN_EVENT_TYPE)
                        .setReason("the adapter does not classify event type orders/exploded"),
                raw,
                ref,
                0,
                Instant.now(),
                "normalizer");
        kafka.send(TOPICS.quarantine(), key, q);
        return q.getQuarantineId();
    }

    /** A raw record of the store, written at {@code at} (its record timestamp), as webhook-ingest writes one. */
    void received(String store, Instant at) {
        KafkaTestClient.acked(sendReceived(store, at));
    }

    /** A change of the store applied at {@code appliedAt}, {@code lag} after the platform's updated_at. */
    void applied(String store, Instant appliedAt, Duration lag) {
        KafkaTestClient.acked(sendApplied(store, appliedAt, lag));
    }

    /** An applied change as the sync-writer's relay writes it (record time now, after {@code applied_at}). */
    void applied(AppliedChange change) {
        KafkaTestClient.acked(send(APPLIED, change.getEntityKey(), Instant.now(), change));
    }

    /** A change of the store applied at {@code appliedAt}, to complete with its version. */
    static AppliedChange.Builder change(String store, Instant appliedAt) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        return AppliedChange.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEntityKey(PLATFORM + "/" + store + "/order/" + id)
                .setPlatform(PLATFORM)
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityId(id)
                .setOperation(dev.commercesync.schemas.canonical.Operation.UPSERT)
                .setMappingVersion(PLATFORM + "/orders@1")
                .setTarget("postgres")
                .setAppliedAt(appliedAt);
    }

    /**
     * Some traffic of the store over the last {@code span}, for the charts of the browser test's screenshots: a few
     * records received and applied in each 5-minute bucket, lags from under a second to half a minute.
     */
    Traffic traffic(String store, Duration span) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        int receivedTotal = 0;
        int appliedTotal = 0;
        Instant now = Instant.now();
        for (int i = 1; i <= span.toMinutes() / 5; i++) {
            Instant at = now.minus(Duration.ofMinutes(5L * i));
            int received = 3 + (i * 7) % 6;
            for (int r = 0; r < received; r++) {
                sends.add(sendReceived(store, at.plusSeconds(r)));
                receivedTotal++;
            }
            for (int r = 0; r < received - i % 2; r++) {
                long lagMs = 600 + (i * 997L + r * 3_001L) % (i % 9 == 0 ? 30_000 : 4_000);
                sends.add(sendApplied(store, at.plusSeconds(30 + r), Duration.ofMillis(lagMs)));
                appliedTotal++;
            }
        }
        sends.forEach(KafkaTestClient::acked);
        return new Traffic(receivedTotal, appliedTotal);
    }

    /** How many records {@link #traffic} wrote. */
    record Traffic(int received, int applied) {}

    private Future<RecordMetadata> sendReceived(String store, Instant at) {
        RawEnvelope raw = RawEnvelope.newBuilder()
                .setEnvelopeId(UUID.randomUUID().toString())
                .setPlatform(PLATFORM)
                .setStore(store)
                .setEventType("orders/updated")
                .setSource(EventSource.WEBHOOK)
                .setBody(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(at)
                .build();
        return send(TOPICS.raw(), PipelineRecords.storeKey(PLATFORM, store), at, raw);
    }

    private Future<RecordMetadata> sendApplied(String store, Instant appliedAt, Duration lag) {
        Instant updated = appliedAt.minus(lag);
        AppliedChange change = change(store, appliedAt)
                .setVersion(Long.toString(updated.toEpochMilli()))
                .setVersionBasis(VersionBasis.SOURCE_UPDATED_AT)
                .setSourceUpdatedAt(updated)
                .build();
        return send(APPLIED, change.getEntityKey(), Instant.now(), change);
    }

    private Future<RecordMetadata> send(String topic, String key, Instant timestamp, SpecificRecord value) {
        return kafka.avroProducer().send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key, value));
    }

    KafkaTestClient kafka() {
        return kafka;
    }
}
