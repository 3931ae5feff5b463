package dev.commercesync.platforms.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformCapabilities;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The contract's capability checks fail on a wrong declaration (each adapter's contract test shows they pass). */
class CapabilityChecksTest {
    private static final PlatformAdapter REAL = PlatformRegistry.loadInstalled().get("woocommerce");
    private static final ApiCredentials CREDENTIALS = new ApiCredentials.KeyAndSecret("ck_test", "cs_secret-value");

    @Test
    void theRealDeclarationPasses() throws Exception {
        CapabilityChecks.assertListingsMatchTheClient(REAL, CREDENTIALS);
        CapabilityChecks.assertConsistentWithTheAdapter(REAL);
        CapabilityChecks.assertCommandKindsMatchTheWriteClient(REAL, CREDENTIALS);
    }

    /** A command kind declared while the write client answers UNSUPPORTED (here: the default client) fails. */
    @Test
    void aDeclaredCommandKindTheWriteClientRejectsAsUnsupportedFails() {
        PlatformAdapter wrong = declaring(
                REAL,
                c -> c.withCommandKinds(EnumSet.of(CommandKind.SET_PRICE)),
                connection -> PlatformWriteClient.unsupported(REAL.name()));
        AssertionFailedError failure = assertThrows(
                AssertionFailedError.class,
                () -> CapabilityChecks.assertCommandKindsMatchTheWriteClient(wrong, CREDENTIALS));
        assertTrue(failure.getMessage().contains("declares SET_PRICE"), failure.getMessage());
    }

    /** A write client that sends a command of a kind the platform does not declare fails. */
    @Test
    void aCommandKindTheWriteClientAppliesButLeftUndeclaredFails() throws Exception {
        PlatformAdapter writes = declaring(REAL, c -> c.withCommandKinds(Set.of()), SendingWriteClient::new);
        assertThrows(
                AssertionFailedError.class,
                () -> CapabilityChecks.assertCommandKindsMatchTheWriteClient(writes, CREDENTIALS));
        PlatformAdapter declared = declaring(writes, c -> c.withCommandKinds(EnumSet.allOf(CommandKind.class)));
        CapabilityChecks.assertCommandKindsMatchTheWriteClient(declared, CREDENTIALS);
    }

    @Test
    void anUpdatedAtTypeTheClientCannotListFails() {
        PlatformAdapter wrong = declaring(c -> new PlatformCapabilities(
                with(c.listedByUpdatedAt(), EntityType.INVENTORY_LEVEL),
                c.listedAsSnapshot(),
                c.webhookTopics(),
                c.thinWebhookTypes(),
                c.requestCost(),
                c.rateLimitProfile(),
                c.subscriptionsThroughApi()));
        assertThrows(
                AssertionFailedError.class, () -> CapabilityChecks.assertListingsMatchTheClient(wrong, CREDENTIALS));
    }

    @Test
    void aSnapshotTypeTheClientCannotListFails() {
        PlatformAdapter wrong = declaring(c -> new PlatformCapabilities(
                c.listedByUpdatedAt(),
                EnumSet.of(EntityType.SHIPMENT),
                c.webhookTopics(),
                c.thinWebhookTypes(),
                c.requestCost(),
                c.rateLimitProfile(),
                c.subscriptionsThroughApi()));
        assertThrows(
                AssertionFailedError.class, () -> CapabilityChecks.assertListingsMatchTheClient(wrong, CREDENTIALS));
    }

    @Test
    void aListableTypeLeftUndeclaredFails() {
        Set<EntityType> fewer = EnumSet.copyOf(REAL.capabilities().listedByUpdatedAt());
        fewer.remove(EntityType.REFUND);
        PlatformAdapter wrong = declaring(c -> new PlatformCapabilities(
                fewer,
                c.listedAsSnapshot(),
                c.webhookTopics(),
                c.thinWebhookTypes(),
                c.requestCost(),
                c.rateLimitProfile(),
                c.subscriptionsThroughApi()));
        assertThrows(
                AssertionFailedError.class, () -> CapabilityChecks.assertListingsMatchTheClient(wrong, CREDENTIALS));
    }

    @Test
    void topicsOrProfileOtherThanTheAdaptersFail() {
        PlatformAdapter wrongTopics = declaring(c -> new PlatformCapabilities(
                c.listedByUpdatedAt(),
                c.listedAsSnapshot(),
                Set.of("order.created"),
                c.thinWebhookTypes(),
                c.requestCost(),
                c.rateLimitProfile(),
                c.subscriptionsThroughApi()));
        assertThrows(AssertionFailedError.class, () -> CapabilityChecks.assertConsistentWithTheAdapter(wrongTopics));
        PlatformAdapter wrongProfile = declaring(c -> new PlatformCapabilities(
                c.listedByUpdatedAt(),
                c.listedAsSnapshot(),
                c.webhookTopics(),
                c.thinWebhookTypes(),
                c.requestCost(),
                new RateLimitProfile("requests", 1, 1, Duration.ofSeconds(1), "none"),
                c.subscriptionsThroughApi()));
        assertThrows(AssertionFailedError.class, () -> CapabilityChecks.assertConsistentWithTheAdapter(wrongProfile));
    }

    @Test
    void aThinClassificationOfAnUndeclaredTypeFails() {
        Classification.Classified thin = new Classification.Classified(
                EntityType.ORDER, Operation.UPSERT, "1", null, null, "k", Classification.PayloadKind.THIN);
        assertThrows(AssertionFailedError.class, () -> CapabilityChecks.assertThinnessDeclared(REAL, thin));
        Classification.Classified full = new Classification.Classified(
                EntityType.ORDER, Operation.UPSERT, "1", null, null, "k", Classification.PayloadKind.FULL);
        PlatformAdapter declaredThin = declaring(c -> new PlatformCapabilities(
                c.listedByUpdatedAt(),
                c.listedAsSnapshot(),
                c.webhookTopics(),
                EnumSet.of(EntityType.ORDER),
                c.requestCost(),
                c.rateLimitProfile(),
                c.subscriptionsThroughApi()));
        assertThrows(AssertionFailedError.class, () -> CapabilityChecks.assertThinnessDeclared(declaredThin, full));
    }

    /** Subscriptions declared through the API where the client refuses them, or the other way round, fail. */
    @Test
    void subscriptionsDeclaredOtherwiseThanTheClientFail() throws Exception {
        CapabilityChecks.assertSubscriptionsMatchTheClient(REAL, CREDENTIALS);
        PlatformAdapter denied = declaring(REAL, c -> withSubscriptions(c, false));
        assertThrows(
                AssertionFailedError.class,
                () -> CapabilityChecks.assertSubscriptionsMatchTheClient(denied, CREDENTIALS));
        PlatformAdapter adobe = PlatformRegistry.loadInstalled().get("magento2");
        ApiCredentials token = new ApiCredentials.AccessToken("integration-token");
        CapabilityChecks.assertSubscriptionsMatchTheClient(adobe, token);
        PlatformAdapter claimed = declaring(adobe, c -> withSubscriptions(c, true));
        assertThrows(
                AssertionFailedError.class, () -> CapabilityChecks.assertSubscriptionsMatchTheClient(claimed, token));
    }

    /** Stands in for a writer: every call sends one request and reports the server's 500 as a SERVER failure. */
    private record SendingWriteClient(ApiConnection connection) implements PlatformWriteClient {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        @Override
        public ApiResponse<WriteOutcome> apply(Command command) throws PlatformApiException {
            throw send("POST");
        }

        @Override
        public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
            throw send("GET");
        }

        @Override
        public WriteCost applyCost(Command command) {
            return WriteCost.requests(1);
        }

        @Override
        public WriteCost readBackCost(Command command) {
            return WriteCost.requests(1);
        }

        private PlatformApiException send(String method) {
            HttpRequest request = HttpRequest.newBuilder(connection.baseUrl().resolve("/write"))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            try {
                int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                return new PlatformApiException(PlatformApiException.Kind.SERVER, status, method + " /write");
            } catch (IOException e) {
                return new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, method + " /write", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, method + " /write", e);
            }
        }
    }

    private static PlatformCapabilities withSubscriptions(PlatformCapabilities c, boolean throughApi) {
        return new PlatformCapabilities(
                c.listedByUpdatedAt(),
                c.listedAsSnapshot(),
                c.webhookTopics(),
                c.thinWebhookTypes(),
                c.requestCost(),
                c.rateLimitProfile(),
                throughApi);
    }

    private static Set<EntityType> with(Set<EntityType> types, EntityType more) {
        Set<EntityType> copy = EnumSet.copyOf(types);
        copy.add(more);
        return copy;
    }

    /** The real (WooCommerce) adapter with its capabilities changed. */
    private static PlatformAdapter declaring(UnaryOperator<PlatformCapabilities> change) {
        return declaring(REAL, change);
    }

    /** An adapter with its capabilities changed. */
    private static PlatformAdapter declaring(PlatformAdapter real, UnaryOperator<PlatformCapabilities> change) {
        return declaring(real, change, real::writeClient);
    }

    /** An adapter with its capabilities and its write client changed. */
    private static PlatformAdapter declaring(
            PlatformAdapter real,
            UnaryOperator<PlatformCapabilities> change,
            Function<ApiConnection, PlatformWriteClient> writer) {
        PlatformCapabilities declared = change.apply(real.capabilities());
        return new PlatformAdapter() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public VerificationResult verifyWebhook(
                    WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
                return real.verifyWebhook(request, candidateSecrets, clock);
            }

            @Override
            public WebhookDelivery describeDelivery(WebhookRequest request) {
                return real.describeDelivery(request);
            }

            @Override
            public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
                return real.classify(envelope, payload);
            }

            @Override
            public Optional<EntityMapper> mapper(EntityType entityType) {
                return real.mapper(entityType);
            }

            @Override
            public Set<String> webhookTopics() {
                return real.webhookTopics();
            }

            @Override
            public PlatformApiClient apiClient(ApiConnection connection) {
                return real.apiClient(connection);
            }

            @Override
            public PlatformWriteClient writeClient(ApiConnection connection) {
                return writer.apply(connection);
            }

            @Override
            public RateLimitProfile rateLimitProfile() {
                return real.rateLimitProfile();
            }

            @Override
            public PlatformCapabilities capabilities() {
                return declared;
            }
        };
    }
}
