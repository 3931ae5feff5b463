package dev.commercesync.platforms.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangeCount;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The behaviour every platform adapter must have, written once. A platform's test subclasses it and supplies only
 * its fixtures, how it signs, and canned API answers; see platforms/README.md ("Adding a platform").
 *
 * <p>Fixtures live in {@code src/test/resources/fixtures/<platform>/}: {@code <name>.json} (body, as published),
 * {@code <name>.headers} (delivery headers without the signature, {@code Name: value} lines), and
 * {@code <name>.golden.json} (expected canonical events; {@code -Dgolden.update=true} rewrites it).
 */
public abstract class PlatformAdapterContract {
    /** Fixed receive time, so goldens are stable. */
    protected static final Instant RECEIVED_AT = Instant.parse("2026-01-15T10:00:00Z");

    protected static final WebhookSecret SECRET = WebhookSecret.of("contract-test-secret");
    protected static final WebhookSecret PREVIOUS_SECRET = WebhookSecret.of("contract-test-previous-secret");
    protected static final WebhookSecret WRONG_SECRET = WebhookSecret.of("not-the-secret");

    /**
     * A fixture. A webhook fixture's store and event type come from its headers file (as the ingest reads them); a
     * polled fixture (an API response, as the poller wraps it) names them here.
     */
    public record Fixture(
            String name,
            EventSource source,
            String polledEventType,
            String polledStore,
            EntityType expectedType,
            Operation expectedOperation,
            String expectedEntityId) {

        public static Fixture webhook(String name, EntityType type, Operation operation, String entityId) {
            return new Fixture(name, EventSource.WEBHOOK, null, null, type, operation, entityId);
        }

        public static Fixture polled(String name, String eventType, String store, EntityType type, String entityId) {
            return new Fixture(name, EventSource.POLL, eventType, store, type, Operation.UPSERT, entityId);
        }
    }

    /** A required field whose removal must fail mapping with its path. */
    public record MissingField(String fixture, String topLevelField, String expectedFieldPath) {}

    // ---- what a platform supplies ----

    protected abstract String platformName();

    protected abstract List<Fixture> fixtures();

    /** The signature header(s) the platform would send with this body. */
    protected abstract Map<String, String> signatureHeaders(byte[] body, WebhookSecret secret, Instant signedAt);

    /** Signature timestamp tolerance, for platforms whose signatures carry a timestamp. */
    protected Optional<Duration> signatureTolerance() {
        return Optional.empty();
    }

    /**
     * The form in which the store's configuration hands a signing secret to the adapter. Symmetric schemes (HMAC)
     * verify with the secret itself; asymmetric ones (Adobe I/O Events RSA) sign with a private key and verify with its
     * public key, so a platform maps each of {@link #SECRET}, {@link #PREVIOUS_SECRET} and {@link #WRONG_SECRET} to
     * a key pair, signs with the private key in {@link #signatureHeaders} and returns the public key here.
     */
    protected WebhookSecret verificationSecret(WebhookSecret signingSecret) {
        return signingSecret;
    }

    protected final List<WebhookSecret> verificationSecrets(WebhookSecret... signingSecrets) {
        return java.util.Arrays.stream(signingSecrets)
                .map(this::verificationSecret)
                .toList();
    }

    /**
     * False for platforms that send no HTTPS webhooks (Amazon SP-API: notifications go to Amazon SQS or EventBridge):
     * they declare no webhook topics, have only polled fixtures, and must refuse every delivery the ingest receives
     * under their name ({@link #withoutHttpsWebhooksEveryDeliveryIsRefused}); the signature cases do not apply.
     */
    protected boolean receivesHttpsWebhooks() {
        return true;
    }

    /** The fixture the single-delivery cases use: the first webhook fixture, or the first fixture without webhooks. */
    private Fixture firstDeliveryFixture() {
        return (receivesHttpsWebhooks() ? webhookFixtures() : fixtures()).get(0);
    }

    /** False for platforms whose API reports no quota (Adobe Commerce): the quota test then expects none. */
    protected boolean reportsQuota() {
        return true;
    }

    protected abstract MissingField missingRequiredField();

    protected abstract ApiCredentials apiCredentials();

    /** An entity type the platform's API lists by updated-at. */
    protected abstract EntityType listableType();

    /** Serves the pages of changed entities (ids per page) in the platform's format, honouring its cursor. */
    protected abstract HttpHandler changedPages(List<List<String>> pagesOfIds);

    /** Answers every request with HTTP 429 and {@code Retry-After: <seconds>}. */
    protected abstract HttpHandler rateLimited(long retryAfterSeconds);

    /** Answers a one-page listing that reports the quota {@link #reportedQuota()}. */
    protected abstract HttpHandler pageReportingQuota();

    protected abstract QuotaStatus reportedQuota();

    /**
     * Answers get-by-id of {@link #listableType()} with {@code body} (an id and a {@code note}) for {@code id}, in the
     * platform's format, and as the platform answers an unknown id for other ids.
     */
    protected abstract HttpHandler entityById(String id, String body);

    /** The updated-at range of the counting and bounded-listing cases: {@code [RANGE_FROM, RANGE_TO)}. */
    protected static final Instant RANGE_FROM = Instant.parse("2026-01-01T00:00:00Z");

    protected static final Instant RANGE_TO = Instant.parse("2026-01-01T01:00:00Z");

    /**
     * Answers the platform's count request for {@link #listableType()} changed in {@code [RANGE_FROM, RANGE_TO)} with
     * {@code count}, in the platform's format; answers 400 when the request does not carry that range in the
     * platform's spelling (inclusive or exclusive bounds as the platform documents them).
     */
    protected abstract HttpHandler changeCount(long count);

    /**
     * Answers a one-page listing of {@link #listableType()} bounded to {@code [RANGE_FROM, RANGE_TO)} with these ids;
     * answers 400 when the request lacks the upper bound in the platform's spelling.
     */
    protected abstract HttpHandler boundedPage(List<String> ids);

    // ---- shared machinery ----

    protected final PlatformRegistry registry = PlatformRegistry.loadInstalled();
    protected final Normalization normalization = new Normalization(registry);
    private CannedHttpServer server;

    /** The canned API server of the current test, for platform-specific API cases. */
    protected CannedHttpServer server() {
        return server;
    }

    protected PlatformAdapter adapter() {
        return registry.get(platformName());
    }

    @BeforeEach
    void startServer() throws IOException {
        server = new CannedHttpServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    protected String resource(String fileName) {
        return "fixtures/" + platformName() + "/" + fileName;
    }

    protected byte[] fixtureBody(Fixture fixture) throws IOException {
        return readResource(resource(fixture.name() + ".json"))
                .orElseThrow(() -> new IllegalStateException("missing fixture " + fixture.name()));
    }

    protected Map<String, String> fixtureHeaders(Fixture fixture) throws IOException {
        Optional<byte[]> headers = readResource(resource(fixture.name() + ".headers"));
        if (headers.isEmpty()) {
            return Map.of();
        }
        return RawEnvelopes.parseHeaderLines(
                new String(headers.get(), StandardCharsets.UTF_8).lines().toList());
    }

    private static Optional<byte[]> readResource(String name) throws IOException {
        try (InputStream in = PlatformAdapterContract.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        }
    }

    protected WebhookRequest signedRequest(Fixture fixture, byte[] body, WebhookSecret secret, Instant at)
            throws IOException {
        Map<String, String> headers = new HashMap<>(fixtureHeaders(fixture));
        headers.putAll(signatureHeaders(body, secret, at));
        return new WebhookRequest(headers, body);
    }

    protected RawEnvelope envelope(Fixture fixture) throws IOException {
        byte[] body = fixtureBody(fixture);
        if (fixture.source() == EventSource.WEBHOOK) {
            return RawEnvelopes.fromWebhook(adapter(), signedRequest(fixture, body, SECRET, RECEIVED_AT), RECEIVED_AT);
        }
        // Wrapped the one way the poller wraps what it reads (event type: the resource name; entity type set).
        return RawEnvelopes.fromApi(
                platformName(),
                fixture.polledStore(),
                fixture.expectedType(),
                Json.MAPPER.readTree(body),
                EventSource.POLL,
                RECEIVED_AT,
                null);
    }

    private List<Fixture> webhookFixtures() {
        return fixtures().stream()
                .filter(f -> f.source() == EventSource.WEBHOOK)
                .toList();
    }

    private Stream<DynamicTest> perFixture(List<Fixture> fixtures, FixtureCheck check) {
        return fixtures.stream().map(f -> dynamicTest(f.name(), () -> check.run(f)));
    }

    @FunctionalInterface
    private interface FixtureCheck {
        void run(Fixture fixture) throws Exception;
    }

    // ---- registration ----

    @Test
    void isRegisteredUnderItsName() {
        PlatformAdapter adapter = adapter();
        assertEquals(platformName(), adapter.name());
        assertSame(adapter, registry.get(platformName()), "one instance per name");
        assertEquals(receivesHttpsWebhooks(), !adapter.webhookTopics().isEmpty(), "declares the topics it classifies");
    }

    /**
     * A platform without HTTPS webhooks declares no topics and no subscriptions, and refuses whatever arrives under its
     * name, signed or not, without naming a store or event type (so the ingest files nothing). A platform with them
     * has webhook fixtures for the signature cases.
     */
    @TestFactory
    Stream<DynamicTest> withoutHttpsWebhooksEveryDeliveryIsRefused() {
        if (receivesHttpsWebhooks()) {
            return Stream.of(dynamicTest(
                    "has webhook fixtures", () -> assertFalse(webhookFixtures().isEmpty(), "webhook fixtures")));
        }
        return perFixture(fixtures(), fixture -> {
            assertTrue(webhookFixtures().isEmpty(), "no webhook fixtures");
            assertFalse(adapter().capabilities().subscriptionsThroughApi(), "no subscriptions");
            WebhookRequest request = signedRequest(fixture, fixtureBody(fixture), SECRET, RECEIVED_AT);
            assertInstanceOf(
                    VerificationResult.Rejected.class,
                    adapter()
                            .verifyWebhook(
                                    request,
                                    verificationSecrets(SECRET, PREVIOUS_SECRET),
                                    Clock.fixed(RECEIVED_AT, ZoneOffset.UTC)));
            dev.commercesync.platforms.spi.WebhookDelivery delivery = adapter().describeDelivery(request);
            assertTrue(delivery.store().isEmpty(), "names no store");
            assertTrue(delivery.eventType().isEmpty(), "names no event type");
        });
    }

    // ---- signatures ----

    @TestFactory
    Stream<DynamicTest> acceptsItsOwnSignature() {
        return perFixture(webhookFixtures(), fixture -> {
            byte[] body = fixtureBody(fixture);
            VerificationResult result = adapter()
                    .verifyWebhook(
                            signedRequest(fixture, body, SECRET, RECEIVED_AT),
                            verificationSecrets(SECRET),
                            Clock.fixed(RECEIVED_AT, ZoneOffset.UTC));
            assertEquals(new VerificationResult.Verified(0), result);
        });
    }

    @Test
    void acceptsThePreviousSecretDuringRotation() throws IOException {
        if (!receivesHttpsWebhooks()) {
            return; // nothing to sign or verify: withoutHttpsWebhooksEveryDeliveryIsRefused
        }
        Fixture fixture = webhookFixtures().get(0);
        byte[] body = fixtureBody(fixture);
        VerificationResult result = adapter()
                .verifyWebhook(
                        signedRequest(fixture, body, PREVIOUS_SECRET, RECEIVED_AT),
                        verificationSecrets(SECRET, PREVIOUS_SECRET),
                        Clock.fixed(RECEIVED_AT, ZoneOffset.UTC));
        assertEquals(new VerificationResult.Verified(1), result);
    }

    @Test
    void rejectsATamperedBody() throws IOException {
        if (!receivesHttpsWebhooks()) {
            return; // nothing to sign or verify: withoutHttpsWebhooksEveryDeliveryIsRefused
        }
        Fixture fixture = webhookFixtures().get(0);
        byte[] body = fixtureBody(fixture);
        WebhookRequest signed = signedRequest(fixture, body, SECRET, RECEIVED_AT);
        byte[] tampered = body.clone();
        tampered[tampered.length / 2] ^= 1;
        assertRejected(
                RejectionReason.SIGNATURE_MISMATCH,
                new WebhookRequest(signed.headers(), tampered),
                verificationSecrets(SECRET));
    }

    @Test
    void rejectsTheWrongSecret() throws IOException {
        if (!receivesHttpsWebhooks()) {
            return; // nothing to sign or verify: withoutHttpsWebhooksEveryDeliveryIsRefused
        }
        Fixture fixture = webhookFixtures().get(0);
        WebhookRequest signed = signedRequest(fixture, fixtureBody(fixture), WRONG_SECRET, RECEIVED_AT);
        assertRejected(RejectionReason.SIGNATURE_MISMATCH, signed, verificationSecrets(SECRET, PREVIOUS_SECRET));
    }

    @Test
    void rejectsAMissingSignatureHeader() throws IOException {
        if (!receivesHttpsWebhooks()) {
            return; // nothing to sign or verify: withoutHttpsWebhooksEveryDeliveryIsRefused
        }
        Fixture fixture = webhookFixtures().get(0);
        byte[] body = fixtureBody(fixture);
        Map<String, String> headers = new HashMap<>(fixtureHeaders(fixture));
        assertRejected(RejectionReason.MISSING_HEADER, new WebhookRequest(headers, body), verificationSecrets(SECRET));
    }

    @Test
    void rejectsAMalformedSignatureHeader() throws IOException {
        if (!receivesHttpsWebhooks()) {
            return; // nothing to sign or verify: withoutHttpsWebhooksEveryDeliveryIsRefused
        }
        Fixture fixture = webhookFixtures().get(0);
        byte[] body = fixtureBody(fixture);
        Map<String, String> headers = new HashMap<>(fixtureHeaders(fixture));
        signatureHeaders(body, SECRET, RECEIVED_AT).forEach((name, value) -> headers.put(name, "%%not-base64%%"));
        assertRejected(
                RejectionReason.MALFORMED_HEADER, new WebhookRequest(headers, body), verificationSecrets(SECRET));
    }

    @Test
    void rejectsWhenTheStoreHasNoSecret() throws IOException {
        if (!receivesHttpsWebhooks()) {
            return; // nothing to sign or verify: withoutHttpsWebhooksEveryDeliveryIsRefused
        }
        Fixture fixture = webhookFixtures().get(0);
        assertRejected(
                RejectionReason.NO_SECRET,
                signedRequest(fixture, fixtureBody(fixture), SECRET, RECEIVED_AT),
                List.of());
    }

    @Test
    void rejectsAStaleTimestampWhereSigned() throws IOException {
        if (signatureTolerance().isEmpty()) {
            return; // the platform signs no timestamp (Shopify, WooCommerce)
        }
        if (!receivesHttpsWebhooks()) {
            return; // nothing to sign or verify: withoutHttpsWebhooksEveryDeliveryIsRefused
        }
        Fixture fixture = webhookFixtures().get(0);
        Instant signedAt = RECEIVED_AT.minus(signatureTolerance().get()).minusSeconds(60);
        VerificationResult result = adapter()
                .verifyWebhook(
                        signedRequest(fixture, fixtureBody(fixture), SECRET, signedAt),
                        verificationSecrets(SECRET),
                        Clock.fixed(RECEIVED_AT, ZoneOffset.UTC));
        assertEquals(
                RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE,
                assertInstanceOf(VerificationResult.Rejected.class, result).reason());
    }

    private void assertRejected(RejectionReason reason, WebhookRequest request, List<WebhookSecret> secrets) {
        VerificationResult result = adapter().verifyWebhook(request, secrets, Clock.fixed(RECEIVED_AT, ZoneOffset.UTC));
        VerificationResult.Rejected rejected = assertInstanceOf(VerificationResult.Rejected.class, result);
        assertEquals(reason, rejected.reason(), rejected.message());
        assertFalse(rejected.message().isBlank());
    }

    // ---- delivery description and classification ----

    @TestFactory
    Stream<DynamicTest> describesDeliveriesFromThePlatformsHeaders() {
        return perFixture(webhookFixtures(), fixture -> {
            RawEnvelope envelope = envelope(fixture);
            assertFalse(envelope.getStore().isBlank(), "store");
            assertFalse(envelope.getEventType().isBlank(), "event type");
            assertTrue(
                    adapter().webhookTopics().contains(envelope.getEventType()),
                    "declared topic " + envelope.getEventType());
        });
    }

    @TestFactory
    Stream<DynamicTest> classifiesEveryFixture() {
        return perFixture(fixtures(), fixture -> {
            RawEnvelope envelope = envelope(fixture);
            Classification.Classified classified = assertInstanceOf(
                    Classification.Classified.class,
                    adapter().classify(envelope, Json.parseObject(fixtureBody(fixture))));
            assertEquals(fixture.expectedType(), classified.entityType());
            assertEquals(fixture.expectedOperation(), classified.operation());
            assertEquals(fixture.expectedEntityId(), classified.entityId());
        });
    }

    @Test
    void anUnknownEventTypeIsTypedAndQuarantined() throws Exception {
        Fixture fixture = firstDeliveryFixture();
        RawEnvelope.Builder builder = RawEnvelope.newBuilder(envelope(fixture)).setEventType("no-such/topic");
        if (!receivesHttpsWebhooks()) {
            builder.setEntityType(null); // a record that is no poll of a known type
        }
        RawEnvelope envelope = builder.build();
        assertEquals(
                new Classification.UnknownEventType("no-such/topic"),
                adapter().classify(envelope, Json.parseObject(fixtureBody(fixture))));
        NormalizationOutcome.Failed failed =
                assertInstanceOf(NormalizationOutcome.Failed.class, normalization.normalize(envelope));
        assertEquals(QuarantineErrorClass.UNKNOWN_EVENT_TYPE, failed.errorClass());
    }

    @TestFactory
    Stream<DynamicTest> dedupKeyIsStableAcrossRedeliveries() {
        return perFixture(fixtures(), fixture -> {
            RawEnvelope first = envelope(fixture);
            RawEnvelope redelivery = RawEnvelope.newBuilder(first)
                    .setEnvelopeId(UUID.randomUUID().toString())
                    .setDeliveryId("another-delivery")
                    .setReceivedAt(RECEIVED_AT.plusSeconds(3600))
                    .build();
            EventMetadata a = onlyEvent(normalization.normalize(first));
            EventMetadata b = onlyEvent(normalization.normalize(redelivery));
            if (a.getDedupKey().startsWith(a.getEntityKey() + "@read:")) {
                // Fetched without an updated-at (inventory levels, source items): versioned by the read
                // (EventKeys.readAt). The same record again deduplicates; a read an hour later is a new event, though
                // its content is the same.
                assertEquals(EventSource.POLL, a.getSource());
                assertEquals(
                        a.getDedupKey(),
                        onlyEvent(normalization.normalize(first)).getDedupKey());
                assertEquals(a.getEntityKey() + "@read:" + first.getReceivedAt(), a.getDedupKey());
                assertNotEquals(a.getDedupKey(), b.getDedupKey());
                return;
            }
            assertEquals(a.getDedupKey(), b.getDedupKey());
            assertEquals(a.getEventId(), b.getEventId());
            assertEquals(EventKeys.eventId(a.getDedupKey()), a.getEventId());
            if (first.getPlatformEventId() != null) {
                assertTrue(a.getDedupKey().endsWith("/event/" + first.getPlatformEventId()), a.getDedupKey());
            } else {
                assertTrue(a.getDedupKey().startsWith(a.getEntityKey() + "@"), a.getDedupKey());
            }
        });
    }

    @Test
    void withoutAPlatformEventIdTheDedupKeyFollowsTheSourceVersion() throws IOException {
        Fixture fixture = fixtures().stream()
                .filter(f -> f.expectedOperation() == Operation.UPSERT)
                .findFirst()
                .orElseThrow();
        RawEnvelope envelope = RawEnvelope.newBuilder(envelope(fixture))
                .setPlatformEventId(null)
                .build();
        EventMetadata metadata = onlyEvent(normalization.normalize(envelope));
        assertEquals(
                EventKeys.computed(
                        platformName(),
                        envelope.getStore(),
                        metadata.getEntityType(),
                        metadata.getEntityId(),
                        metadata.getSourceUpdatedAt(),
                        metadata.getOperation()),
                metadata.getDedupKey());
    }

    private static EventMetadata onlyEvent(NormalizationOutcome outcome) {
        NormalizationOutcome.Events events =
                assertInstanceOf(NormalizationOutcome.Events.class, outcome, outcome::toString);
        assertEquals(1, events.canonicalEvents().size());
        return CanonicalEvents.metadata(events.canonicalEvents().get(0));
    }

    // ---- mapping ----

    /**
     * The poller reads the entity of a full webhook through the API in the same shape, wraps it with {@link
     * RawEnvelopes#fromApi} and sends it the normalizer's way: it must become the same canonical entity, under the
     * same entity key, as the webhook did.
     */
    @TestFactory
    Stream<DynamicTest> aPolledEntityMapsLikeItsWebhook() {
        List<Fixture> fullUpserts = webhookFixtures().stream()
                .filter(f -> f.expectedOperation() == Operation.UPSERT)
                .toList();
        return perFixture(fullUpserts, fixture -> {
            NormalizationOutcome webhook = normalization.normalize(envelope(fixture));
            if (!(webhook instanceof NormalizationOutcome.Events webhookEvents)) {
                return; // a thin webhook: the poller fetches the entity, covered by the polled fixtures
            }
            RawEnvelope polled = RawEnvelopes.fromApi(
                    platformName(),
                    envelope(fixture).getStore(),
                    fixture.expectedType(),
                    Json.MAPPER.readTree(fixtureBody(fixture)),
                    EventSource.POLL,
                    RECEIVED_AT,
                    "request-1");
            NormalizationOutcome.Events polledEvents =
                    assertInstanceOf(NormalizationOutcome.Events.class, normalization.normalize(polled));
            SpecificRecord fromWebhook = webhookEvents.canonicalEvents().get(0);
            SpecificRecord fromPoll = polledEvents.canonicalEvents().get(0);
            EventMetadata webhookMeta = CanonicalEvents.metadata(fromWebhook);
            EventMetadata pollMeta = CanonicalEvents.metadata(fromPoll);
            assertEquals(webhookMeta.getEntityKey(), pollMeta.getEntityKey());
            assertEquals(webhookMeta.getSourceUpdatedAt(), pollMeta.getSourceUpdatedAt());
            assertEquals(webhookMeta.getMappingVersion(), pollMeta.getMappingVersion());
            assertEquals(EventSource.POLL, pollMeta.getSource());
            for (org.apache.avro.Schema.Field field : fromWebhook.getSchema().getFields()) {
                if (!field.name().equals("metadata")) {
                    assertNotNull(fromPoll.get(field.pos()), field.name());
                    assertEquals(
                            fromWebhook.get(field.pos()), fromPoll.get(field.pos()), "same canonical " + field.name());
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> mapsEveryFixtureToItsGolden() {
        return perFixture(fixtures(), fixture -> {
            NormalizationOutcome outcome = normalization.normalize(envelope(fixture));
            NormalizationOutcome.Events events =
                    assertInstanceOf(NormalizationOutcome.Events.class, outcome, outcome::toString);
            ArrayNode rendered = Json.MAPPER.createArrayNode();
            for (SpecificRecord event : events.canonicalEvents()) {
                EventMetadata metadata = CanonicalEvents.metadata(event);
                assertEquals(platformName(), metadata.getPlatform());
                assertTrue(metadata.getMappingVersion().startsWith(platformName() + "/"));
                assertEquals(fixture.expectedEntityId(), metadata.getEntityId());
                assertAvroRoundTrip(event);
                rendered.add(CanonicalJson.render(event));
            }
            Goldens.assertMatches(
                    resource(fixture.name() + ".golden.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rendered) + "\n");
        });
    }

    @SuppressWarnings("unchecked")
    private static void assertAvroRoundTrip(SpecificRecord event) throws IOException {
        Class<SpecificRecord> type = (Class<SpecificRecord>) event.getClass();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(type).write(event, encoder);
        encoder.flush();
        SpecificRecord read = new SpecificDatumReader<>(type)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertEquals(event, read, "survives Avro binary encoding");
    }

    @Test
    void aMissingRequiredFieldIsAMappingErrorWithItsPath() throws IOException {
        MissingField missing = missingRequiredField();
        Fixture fixture = fixtures().stream()
                .filter(f -> f.name().equals(missing.fixture()))
                .findFirst()
                .orElseThrow();
        ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(fixtureBody(fixture));
        assertNotNull(payload.remove(missing.topLevelField()), "fixture has " + missing.topLevelField());
        RawEnvelope envelope = RawEnvelope.newBuilder(envelope(fixture))
                .setBody(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(payload)))
                .build();
        NormalizationOutcome.Failed failed =
                assertInstanceOf(NormalizationOutcome.Failed.class, normalization.normalize(envelope));
        assertEquals(QuarantineErrorClass.MAPPING_ERROR, failed.errorClass());
        assertEquals(missing.expectedFieldPath(), failed.fieldPath());
    }

    @Test
    void aMalformedBodyIsATypedFailureThatDoesNotQuoteIt() throws IOException {
        RawEnvelope envelope = RawEnvelope.newBuilder(envelope(fixtures().get(0)))
                .setBody(ByteBuffer.wrap("{\"id\": 1, \"secret-ish\": tru".getBytes(StandardCharsets.UTF_8)))
                .build();
        NormalizationOutcome.Failed failed =
                assertInstanceOf(NormalizationOutcome.Failed.class, normalization.normalize(envelope));
        assertEquals(QuarantineErrorClass.MALFORMED_PAYLOAD, failed.errorClass());
        assertFalse(failed.reason().contains("secret-ish"), failed.reason());
    }

    // ---- hostile input ----
    // Mutated published payloads (HostileInputs): the only acceptable answers are typed ones (a Rejected verification,
    // a delivery that names no store or type, a quarantine as MALFORMED_PAYLOAD, MAPPING_ERROR or UNKNOWN_EVENT_TYPE),
    // within a time and an allocation bound. See platforms/README.md, "Hostile input".

    /** Random variants per fixture; {@code -Dhostile.cases=N} runs more (a local soak). */
    private static final int HOSTILE_CASES_PER_FIXTURE = Integer.getInteger("hostile.cases", 40);

    /** The base seed; {@code -Dhostile.seed=S} explores other variants. A case's name holds its own seed. */
    private static final long HOSTILE_SEED = Long.getLong("hostile.seed", 13L);

    /** Far above what a case needs (milliseconds; the 17 MB ones well under a second): only a hang exceeds it. */
    private static final Duration HOSTILE_CASE_TIMEOUT = Duration.ofSeconds(20);
    /** Refusals of an authentic delivery for what it says, not for its signature. */
    private static final Set<VerificationResult.RejectionReason> CONTENT_REJECTIONS = EnumSet.of(
            VerificationResult.RejectionReason.WRONG_RECIPIENT,
            VerificationResult.RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE);

    /** The quarantine classes a hostile payload may earn: the data's fault, with a reason. */
    private static final Set<QuarantineErrorClass> TYPED_FAILURES = Set.of(
            QuarantineErrorClass.MALFORMED_PAYLOAD,
            QuarantineErrorClass.MAPPING_ERROR,
            QuarantineErrorClass.UNKNOWN_EVENT_TYPE);

    @TestFactory
    Stream<DynamicTest> hostileBodiesGetTypedAnswers() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fixture fixture : fixtures()) {
            byte[] original = fixtureBody(fixture);
            long seed = HOSTILE_SEED * 1_000_003L + (platformName() + "/" + fixture.name()).hashCode();
            for (HostileInputs.Case hostile : HostileInputs.random(original, seed, HOSTILE_CASES_PER_FIXTURE)) {
                tests.add(dynamicTest(
                        fixture.name() + " " + hostile.name(),
                        () -> assertTypedAnswers(
                                fixture, original, hostile.body().get())));
            }
        }
        Fixture first = firstDeliveryFixture();
        byte[] original = fixtureBody(first);
        for (HostileInputs.Case hostile : HostileInputs.extremes(original)) {
            tests.add(hostileCase(first, original, hostile));
        }
        return tests.stream();
    }

    /** A case whose failure names it (surefire reports dynamic tests by index): the seed reproduces it. */
    private DynamicTest hostileCase(Fixture fixture, byte[] original, HostileInputs.Case hostile) {
        String name = platformName() + "/" + fixture.name() + " " + hostile.name();
        return dynamicTest(name, () -> {
            try {
                assertTypedAnswers(fixture, original, hostile.body().get());
            } catch (AssertionError e) {
                String message = String.valueOf(e.getMessage());
                throw new AssertionError(
                        name + ": " + (message.length() <= 500 ? message : message.substring(0, 500) + "…"), e);
            }
        });
    }

    /**
     * One hostile body through everything that reads it: verification (signed, it verifies — a signature is over
     * bytes; with the published body's signature it is rejected), description of the delivery, and normalization of
     * the record the ingest would have stored.
     */
    private void assertTypedAnswers(Fixture fixture, byte[] original, byte[] body) {
        assertTimeoutPreemptively(HOSTILE_CASE_TIMEOUT, () -> {
            long allocatedBefore = allocatedBytes();
            if (fixture.source() == EventSource.WEBHOOK) {
                Clock clock = Clock.fixed(RECEIVED_AT, ZoneOffset.UTC);
                VerificationResult signed = adapter()
                        .verifyWebhook(
                                signedRequest(fixture, body, SECRET, RECEIVED_AT), verificationSecrets(SECRET), clock);
                // The signature is over bytes, so it verifies; an adapter that also checks the signed content (Adobe
                // I/O's recipient and event time) may then refuse it, as such, never as a bad signature.
                assertTrue(
                        signed.equals(new VerificationResult.Verified(0))
                                || (signed instanceof VerificationResult.Rejected r
                                        && CONTENT_REJECTIONS.contains(r.reason())),
                        "a signed body verifies or is refused for its signed content: " + signed);
                if (!Arrays.equals(original, body)) {
                    WebhookRequest replayed = new WebhookRequest(
                            signedRequest(fixture, original, SECRET, RECEIVED_AT)
                                    .headers(),
                            body);
                    assertInstanceOf(
                            VerificationResult.Rejected.class,
                            adapter().verifyWebhook(replayed, verificationSecrets(SECRET), clock));
                }
                assertNotNull(adapter().describeDelivery(new WebhookRequest(fixtureHeaders(fixture), body)));
            }
            RawEnvelope envelope = RawEnvelope.newBuilder(envelope(fixture))
                    .setBody(ByteBuffer.wrap(body))
                    .build();
            assertTypedOutcome(normalization.normalize(envelope));
            long allocated = allocatedBytes() - allocatedBefore;
            long bound = 64L * 1024 * 1024 + 40L * body.length;
            assertTrue(
                    allocated <= bound,
                    "allocated " + allocated / 1024 + " KiB for a body of " + body.length / 1024 + " KiB (bound "
                            + bound / 1024 + " KiB)");
        });
    }

    private static void assertTypedOutcome(NormalizationOutcome outcome) throws IOException {
        if (outcome instanceof NormalizationOutcome.Events events) {
            for (SpecificRecord event : events.canonicalEvents()) {
                assertAvroRoundTrip(event); // what the normalizer publishes must serialize
                // the id becomes part of the Kafka key and the target's primary key
                assertBoundedId(CanonicalEvents.metadata(event).getEntityId());
            }
        } else if (outcome instanceof NormalizationOutcome.Failed failed) {
            String described = HostileInputs.abbreviate(failed.toString());
            assertTrue(TYPED_FAILURES.contains(failed.errorClass()), described);
            assertFalse(failed.reason().isBlank(), described);
            assertTrue(failed.reason().length() <= 300, "a reason names the problem, never the value: " + described);
        } else {
            NormalizationOutcome.FetchNeeded fetch = assertInstanceOf(NormalizationOutcome.FetchNeeded.class, outcome);
            fetch.entityIds().forEach(PlatformAdapterContract::assertBoundedId);
            assertBoundedId(fetch.parentId());
        }
    }

    private static void assertBoundedId(String id) {
        assertTrue(
                id == null || id.length() <= EventKeys.MAX_ENTITY_ID_LENGTH,
                "an id of " + (id == null ? 0 : id.length()) + " characters");
    }

    /** Bytes allocated by the current thread so far (HotSpot's per-thread allocation counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Header values a sender controls: empty, huge, non-ASCII, not base64, numbers at and beyond 64 bits. */
    private static List<String> hostileHeaderValues() {
        byte[] zeros = new byte[32];
        return List.of(
                "",
                " ",
                "x",
                "%%",
                "\u0000",
                "\u00e9\u4e2d",
                "\ud800",
                "1e400",
                "-0",
                "NaN",
                "-9223372036854775808",
                "9223372036854775807",
                "9223372036854775808",
                Long.toString(RECEIVED_AT.getEpochSecond() + Long.MIN_VALUE),
                Long.toString(RECEIVED_AT.getEpochSecond() - Long.MAX_VALUE),
                "v1,",
                "v1," + Base64.getEncoder().encodeToString(zeros),
                "v1a,xyz v2,abc",
                ",,,,",
                Base64.getEncoder().encodeToString(new byte[31]),
                Base64.getEncoder().encodeToString(new byte[33]),
                " v1,x".repeat(10_000),
                "A".repeat(65_536),
                "https://" + "/".repeat(65_536) + "x",
                "https://shop.example/" + "a/".repeat(30_000),
                "http://[::1",
                "stores/" + "s".repeat(65_536));
    }

    /**
     * Each header of a signed delivery replaced by each hostile value: verification and description answer (in time),
     * a signing time beyond the tolerance is rejected as such, and with every signature header replaced the delivery
     * is rejected (one replaced header alone may leave another valid signature: Adobe sends two).
     */
    @TestFactory
    Stream<DynamicTest> hostileHeadersGetTypedAnswers() throws IOException {
        Fixture fixture = firstDeliveryFixture();
        byte[] body = fixtureBody(fixture);
        Map<String, String> signed =
                new TreeMap<>(signedRequest(fixture, body, SECRET, RECEIVED_AT).headers());
        Set<String> signatureHeaders = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        signatureHeaders.addAll(signatureHeaders(body, SECRET, RECEIVED_AT).keySet());
        String signedAt = Long.toString(RECEIVED_AT.getEpochSecond());
        List<DynamicTest> tests = new ArrayList<>();
        for (String value : hostileHeaderValues()) {
            for (String header : signed.keySet()) {
                Map<String, String> headers = new TreeMap<>(signed);
                headers.put(header, value);
                tests.add(dynamicTest(header + ": " + HostileInputs.abbreviate(value), () -> {
                    VerificationResult result = verifyAndDescribe(new WebhookRequest(headers, body));
                    if (signed.get(header).equals(signedAt) && outsideTolerance(value)) {
                        // beyond 64 bits the header may be called malformed; within, it is out of tolerance
                        RejectionReason reason = assertInstanceOf(VerificationResult.Rejected.class, result)
                                .reason();
                        assertTrue(
                                reason == RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE
                                        || (reason == RejectionReason.MALFORMED_HEADER && !fitsALong(value)),
                                header + ": " + HostileInputs.abbreviate(value) + " was " + reason);
                    }
                }));
            }
            Map<String, String> headers = new TreeMap<>(signed);
            signatureHeaders.forEach(h -> headers.put(h.toLowerCase(Locale.ROOT), value)); // names as signed holds them
            tests.add(dynamicTest(
                    "every signature header: " + HostileInputs.abbreviate(value),
                    () -> assertInstanceOf(
                            VerificationResult.Rejected.class, verifyAndDescribe(new WebhookRequest(headers, body)))));
        }
        return tests.stream();
    }

    private VerificationResult verifyAndDescribe(WebhookRequest request) {
        return assertTimeoutPreemptively(HOSTILE_CASE_TIMEOUT, () -> {
            assertNotNull(adapter().describeDelivery(request));
            return adapter()
                    .verifyWebhook(request, verificationSecrets(SECRET), Clock.fixed(RECEIVED_AT, ZoneOffset.UTC));
        });
    }

    private static boolean fitsALong(String value) {
        return new BigInteger(value).bitLength() < Long.SIZE;
    }

    /** Whether a signing-time header value is an integer farther from {@link #RECEIVED_AT} than the tolerance. */
    private boolean outsideTolerance(String value) {
        if (signatureTolerance().isEmpty() || !value.matches("-?\\d+")) {
            return false;
        }
        BigInteger distance = new BigInteger(value)
                .subtract(BigInteger.valueOf(RECEIVED_AT.getEpochSecond()))
                .abs();
        return distance.compareTo(BigInteger.valueOf(signatureTolerance().get().toSeconds())) > 0;
    }

    // ---- API client ----

    /** The store the contract's API clients act for (platforms whose paths name the account: Amazon's seller id). */
    protected static final String CONTRACT_STORE = "CONTRACTSTORE1";

    protected PlatformApiClient apiClient() {
        return adapter()
                .apiClient(new ApiConnection(server.baseUrl(), apiCredentials(), Duration.ofSeconds(5))
                        .withStoreId(CONTRACT_STORE));
    }

    @Test
    void listsChangedEntitiesAcrossPages() throws Exception {
        List<List<String>> pages = List.of(List.of("101", "102"), List.of("103", "104"), List.of("9007199254740993"));
        server.handle(changedPages(pages));
        PlatformApiClient client = apiClient();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int requests = 0;
        do {
            ApiResponse<ChangedPage> page = client.listChanged(
                    new ListChangedRequest(listableType(), Instant.parse("2026-01-01T00:00:00Z"), cursor, 2));
            page.value().entities().stream().map(ChangedEntity::id).forEach(seen::add);
            page.value().entities().forEach(e -> assertNotNull(e.updatedAt()));
            cursor = page.value().nextPageCursor().orElse(null);
            requests++;
        } while (cursor != null && requests < 10);
        assertEquals(List.of("101", "102", "103", "104", "9007199254740993"), seen, "every id once, exact");
        assertEquals(3, requests);
        server.requests().forEach(r -> assertNotNull(r.uri()));
    }

    @Test
    void reportsTheQuotaOfAResponse() throws Exception {
        server.handle(pageReportingQuota());
        ApiResponse<ChangedPage> page = apiClient()
                .listChanged(new ListChangedRequest(listableType(), Instant.parse("2026-01-01T00:00:00Z"), null, 10));
        assertEquals(reportsQuota() ? Optional.of(reportedQuota()) : Optional.empty(), page.quota());
    }

    @Test
    void aRateLimitedAnswerCarriesRetryAfter() {
        server.handle(rateLimited(7));
        RateLimitedException e = assertThrows(RateLimitedException.class, () -> apiClient()
                .listChanged(new ListChangedRequest(listableType(), Instant.parse("2026-01-01T00:00:00Z"), null, 10)));
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        assertTrue(e.retryable());
    }

    @Test
    void getsOneEntityByIdAndReportsAMissingOneAsEmpty() throws Exception {
        server.handle(entityById("42", "{\"id\": 42, \"note\": \"canned\"}"));
        ApiResponse<Optional<JsonNode>> found = apiClient().getById(listableType(), "42", null);
        assertEquals("canned", found.value().orElseThrow().path("note").asText());
        ApiResponse<Optional<JsonNode>> missing = apiClient().getById(listableType(), "43", null);
        assertTrue(missing.value().isEmpty());
    }

    @Test
    void countsChangedEntitiesOfARangeWithOneRequest() throws Exception {
        server.handle(changeCount(7));
        ApiResponse<ChangeCount> count = apiClient().countChanged(listableType(), RANGE_FROM, RANGE_TO);
        assertEquals(new ChangeCount(7, 1), count.value());
        assertEquals(1, server.requests().size(), "a count is one request, whatever the store's size");
    }

    @Test
    void countsZeroAsZero() throws Exception {
        server.handle(changeCount(0));
        assertEquals(
                0,
                apiClient()
                        .countChanged(listableType(), RANGE_FROM, RANGE_TO)
                        .value()
                        .count());
    }

    @Test
    void aRateLimitedCountCarriesRetryAfter() {
        server.handle(rateLimited(3));
        RateLimitedException e = assertThrows(
                RateLimitedException.class, () -> apiClient().countChanged(listableType(), RANGE_FROM, RANGE_TO));
        assertEquals(Duration.ofSeconds(3), e.retryAfter());
    }

    @Test
    void listsOneBoundedRange() throws Exception {
        server.handle(boundedPage(List.of("201", "202")));
        ApiResponse<ChangedPage> page =
                apiClient().listChanged(new ListChangedRequest(listableType(), RANGE_FROM, null, 10, RANGE_TO));
        assertEquals(
                List.of("201", "202"),
                page.value().entities().stream().map(ChangedEntity::id).toList());
        assertTrue(page.value().nextPageCursor().isEmpty());
    }

    // ---- capabilities ----

    @Test
    void declaresTheTypesItsClientListsAndNoOthers() throws IOException {
        CapabilityChecks.assertListingsMatchTheClient(adapter(), apiCredentials());
    }

    @Test
    void declaresTheCommandKindsItsWriteClientApplies() throws IOException {
        CapabilityChecks.assertCommandKindsMatchTheWriteClient(adapter(), apiCredentials());
    }

    @Test
    void declaresWhetherItsClientManagesSubscriptions() throws IOException {
        CapabilityChecks.assertSubscriptionsMatchTheClient(adapter(), apiCredentials());
    }

    @Test
    void capabilitiesAgreeWithTheAdapter() {
        CapabilityChecks.assertConsistentWithTheAdapter(adapter());
        assertTrue(
                adapter().capabilities().reconcilable(listableType()),
                "the contract's listable type " + listableType() + " is declared");
    }

    @TestFactory
    Stream<DynamicTest> thinWebhooksAreDeclaredPerType() {
        return perFixture(webhookFixtures(), fixture -> {
            if (adapter().classify(envelope(fixture), Json.parseObject(fixtureBody(fixture)))
                    instanceof Classification.Classified classified) {
                CapabilityChecks.assertThinnessDeclared(adapter(), classified);
            }
        });
    }

    @Test
    void credentialsNeverAppearInToString() {
        assertFalse(apiCredentials().toString().contains("secret-value"));
        assertNotEquals(-1, SECRET.toString().indexOf("***"));
    }

    /** Helper for subclasses: a header map in insertion order. */
    protected static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }
}
