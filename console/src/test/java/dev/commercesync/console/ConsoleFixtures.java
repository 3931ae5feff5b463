package dev.commercesync.console;

import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.opstate.OperationalStates.Subject;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    private final OperationalStates poller;
    private final OperationalStates reconciler;
    private final StoreRegistry registry = new StoreRegistry(SECRETS_KEY);
    private final KafkaTestClient kafka = KafkaTestClient.shared();

    ConsoleFixtures(AgroalDataSource dataSource) throws Exception {
        poller = new OperationalStates(dataSource, "poller", new SimpleMeterRegistry());
        reconciler = new OperationalStates(dataSource, "reconciler", new SimpleMeterRegistry());
        kafka.ensureTopics(List.of(TOPICS.raw(), TOPICS.quarantine()));
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

    KafkaTestClient kafka() {
        return kafka;
    }
}
