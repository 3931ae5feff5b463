package dev.commercesync.poller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.commercesync.devstack.DevStack;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.poller.fetch.FetchRequestDecoder;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.FetchDeadLetter;
import dev.commercesync.schemas.envelope.FetchErrorClass;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.stores.StoreRegistry;
import dev.commercesync.stores.StoreRegistry.StoreView;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fetch requests the poller cannot serve go to commerce.fetch-dlq.v1 with the reason (never acknowledged and
 * forgotten); a schema-registry outage makes them wait instead. Real broker, registry and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class FetchDeadLetterTest {

    @Inject
    StoreRegistry stores;

    @BeforeAll
    static void topics() throws Exception {
        KafkaTestClients.ensureTopics();
    }

    private static FetchRequest request(String store, String id) {
        return request(store, id, null);
    }

    /** @param rawRef the thin webhook's raw record (null: a request that hydrates no webhook) */
    private static FetchRequest request(String store, String id, RawRecordRef rawRef) {
        return FetchRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setPlatform("woocommerce")
                .setStore(store)
                .setEntityType(EntityType.ORDER)
                .setEntityIds(List.of(id))
                .setReason(FetchReason.THIN_WEBHOOK)
                .setRequestedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setRequestedBy("test")
                .setRawRef(rawRef)
                .build();
    }

    private static FetchDeadLetter onlyDeadLetter(String key) {
        List<ConsumerRecord<String, FetchDeadLetter>> found =
                KafkaTestClients.deadLettersUntil(key, records -> !records.isEmpty(), Duration.ofSeconds(30));
        assertEquals(1, found.size(), "one dead letter for " + key);
        return found.get(0).value();
    }

    @Test
    void aRequestForAnUnknownStoreIsDeadLetteredWithItsReason() throws Exception {
        String store = "nobody-" + UUID.randomUUID() + ".example.test";
        FetchRequest request = request(store, "7");
        KafkaTestClients.sendFetchRequest(request);

        FetchDeadLetter deadLetter = onlyDeadLetter("woocommerce/" + store);

        assertEquals(FetchErrorClass.UNKNOWN_STORE, deadLetter.getErrorClass());
        assertTrue(deadLetter.getReason().contains("unknown or disabled"), deadLetter.getReason());
        assertEquals(request.getRequestId(), deadLetter.getRequestId());
        assertEquals(List.of("7"), deadLetter.getEntityIds());
        assertEquals(EntityType.ORDER, deadLetter.getEntityType());
        assertEquals("commerce.fetch-requests.v1", deadLetter.getSourceRef().getTopic());
        assertEquals("poller", deadLetter.getFailedBy());
        assertTrue(deadLetter.getRawValue().remaining() > 5, "the original record is kept for a re-send");
    }

    @Test
    void aRequestTheStoreRefusesIsDeadLetteredAsAuth() throws Exception {
        try (FakeWooStore api = new FakeWooStore()) {
            StoreView store = TestStores.wooStore(stores, api);
            api.rejectCredentials();
            FetchRequest request = request(store.storeId(), "8");
            KafkaTestClients.sendFetchRequest(request);

            FetchDeadLetter deadLetter = onlyDeadLetter("woocommerce/" + store.storeId());

            assertEquals(FetchErrorClass.AUTH, deadLetter.getErrorClass());
            assertTrue(deadLetter.getReason().contains("401"), deadLetter.getReason());
            assertEquals(request.getRequestId(), deadLetter.getRequestId());
        }
    }

    /**
     * A thin webhook whose hydration the store refuses: besides the dead letter, the webhook is quarantined as
     * FETCH_FAILED under its raw record (which a retry re-submits), with the entity, the failure class and status in the
     * reason and no credential; a retried webhook's request carries its retry count into the new quarantine record.
     */
    @Test
    void aThinWebhookTheStoreRefusesToHydrateIsQuarantinedAsFetchFailed() throws Exception {
        try (FakeWooStore api = new FakeWooStore()) {
            StoreView store = TestStores.wooStore(stores, api);
            api.rejectCredentials();
            RawRecordRef thin = new RawRecordRef(CommerceTopic.RAW.topicName(), 1, 4711L);
            FetchRequest request = request(store.storeId(), "9", thin);
            KafkaTestClients.sendFetchRequest(request);
            String key = "woocommerce/" + store.storeId();

            List<ConsumerRecord<String, QuarantineRecord>> found =
                    KafkaTestClients.quarantinedUntil(key, records -> !records.isEmpty(), Duration.ofSeconds(30));
            assertEquals(1, found.size(), "one quarantine record for the thin webhook");
            QuarantineRecord q = found.get(0).value();
            assertEquals(QuarantineErrorClass.FETCH_FAILED, q.getErrorClass());
            assertEquals(thin, q.getRawRef(), "a retry re-submits the thin webhook");
            assertEquals(PipelineRecords.quarantineId(thin), q.getQuarantineId());
            assertEquals("woocommerce", q.getPlatform());
            assertEquals(store.storeId(), q.getStore());
            assertEquals(EntityType.ORDER, q.getEntityType());
            assertEquals("9", q.getEntityId());
            assertEquals("poller", q.getQuarantinedBy());
            assertEquals(0, q.getRetryCount());
            assertTrue(q.getReason().contains("auth") && q.getReason().contains("401"), q.getReason());
            assertFalse(
                    q.toString().contains("cs_test") || q.toString().contains("ck_test"),
                    "no credential in the record: " + q);
            assertEquals(1, onlyDeadLetterCount(key), "the dead letter is still written");

            // Support retried it (the credentials are still refused): quarantined again, one retry more.
            RawRecordRef resubmitted = new RawRecordRef(CommerceTopic.RAW.topicName(), 1, 4712L);
            KafkaTestClients.sendRetriedFetchRequest(
                    request(store.storeId(), "9", resubmitted), q.getQuarantineId(), 1);
            QuarantineRecord again = KafkaTestClients.quarantinedUntil(
                            key, records -> records.size() >= 2, Duration.ofSeconds(30))
                    .get(1)
                    .value();
            assertEquals(PipelineRecords.quarantineId(resubmitted), again.getQuarantineId());
            assertEquals(1, again.getRetryCount());
        }
    }

    private static int onlyDeadLetterCount(String key) {
        return KafkaTestClients.deadLettersUntil(key, records -> !records.isEmpty(), Duration.ofSeconds(30))
                .size();
    }

    @Test
    void anEntityTheStoreNoLongerHasIsNotAnError() throws Exception {
        try (FakeWooStore api = new FakeWooStore()) {
            StoreView store = TestStores.wooStore(stores, api);
            KafkaTestClients.sendFetchRequest(request(store.storeId(), "404404"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (api.requests("GET", "/wp-json/wc/v3/orders/404404").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertFalse(api.requests("GET", "/wp-json/wc/v3/orders/404404").isEmpty(), "the entity was asked for");
            assertEquals(
                    List.of(),
                    KafkaTestClients.deadLettersUntil(
                            "woocommerce/" + store.storeId(), records -> false, Duration.ofSeconds(2)));
        }
    }

    @Test
    void aRecordThatIsNotAFetchRequestIsDeadLetteredWithItsBytes() throws Exception {
        String key = "woocommerce/garbage-" + UUID.randomUUID();
        byte[] garbage = ("not avro " + key).getBytes(StandardCharsets.UTF_8);
        KafkaTestClients.sendRawFetchRequest(key, garbage);

        List<ConsumerRecord<String, FetchDeadLetter>> found = KafkaTestClients.deadLettersUntil(
                null,
                records -> records.stream().anyMatch(r -> bytes(r.value().getRawValue()).length == garbage.length),
                Duration.ofSeconds(30));
        FetchDeadLetter deadLetter = found.stream()
                .map(ConsumerRecord::value)
                .filter(d -> java.util.Arrays.equals(bytes(d.getRawValue()), garbage))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for the undecodable record"));
        assertEquals(FetchErrorClass.UNDECODABLE, deadLetter.getErrorClass());
        assertArrayEquals(garbage, bytes(deadLetter.getRawValue()));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    @Test
    void whileTheRegistryCannotBeReachedARequestWaitsAndIsDecodedWhenItIsBack() throws Exception {
        FetchRequest request = request("shop.example.test", "9");
        byte[] framed = KafkaTestClients.serialize(request);
        int port = DevStack.freePort();
        FetchRequestDecoder decoder = new FetchRequestDecoder("http://127.0.0.1:" + port + "/apis/registry/v2");
        AtomicInteger waits = new AtomicInteger();

        CompletableFuture<FetchRequest> decoded = CompletableFuture.supplyAsync(() -> {
            try {
                return decoder.decodeWhenReachable(framed, waits::incrementAndGet);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (waits.get() < 2 && !decoded.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(decoded.isDone(), "not given up (nor dead-lettered) while the registry is away");
        assertTrue(waits.get() >= 2, "it waited and tried again");

        HttpServer registry = forwarder(port, URI.create(SharedStack.endpoints().registryApiUrl()));
        try {
            assertEquals(request, decoded.get(60, TimeUnit.SECONDS), "decoded once the registry is back");
        } finally {
            registry.stop(0);
        }
    }

    /** The registry coming back at {@code port}: every request forwarded to the real one. */
    private static HttpServer forwarder(int port, URI target) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = target.toString().replaceAll("/apis/registry/v2/?$", "");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            try {
                HttpResponse<byte[]> answer = http.send(
                        HttpRequest.newBuilder(URI.create(base + exchange.getRequestURI()))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders()
                        .add("Content-Type", v));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            }
        });
        server.start();
        return server;
    }
}
