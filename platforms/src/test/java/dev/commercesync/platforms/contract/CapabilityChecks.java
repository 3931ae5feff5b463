package dev.commercesync.platforms.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.PlatformCapabilities;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.CancelReason;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks an adapter's {@link PlatformCapabilities} against what its API client does (used by {@link
 * PlatformAdapterContract}; {@code CapabilityChecksTest} proves each check fails on a wrong declaration).
 *
 * <p>Whether a client can list a type is read from what it does against a server answering every request with HTTP
 * 500: it can when it sends a request; it cannot when it refuses without one (IllegalArgumentException,
 * UnsupportedOperationException or a {@code PlatformApiException} with status 0, the SPI's "not on this platform").
 */
public final class CapabilityChecks {
    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");
    private static final WebhookSecret SECRET = WebhookSecret.of("contract-secret");

    private CapabilityChecks() {}

    /** How a listing call ended. */
    enum Listing {
        /** The client sent at least one request. */
        REQUESTED,
        /** The client refused the type without a request. */
        REFUSED
    }

    /** A call of the client whose request (or refusal) is observed. */
    @FunctionalInterface
    interface ListingCall {
        void call(PlatformApiClient client) throws PlatformApiException;
    }

    /**
     * Every type declared by updated-at is listed with {@code listChanged}, every other one refused; the same for
     * snapshot types and {@code listSnapshot}.
     */
    public static void assertListingsMatchTheClient(PlatformAdapter adapter, ApiCredentials credentials)
            throws IOException {
        PlatformCapabilities capabilities = adapter.capabilities();
        for (EntityType type : EntityType.values()) {
            Listing byUpdatedAt = attempt(
                    adapter, credentials, client -> client.listChanged(new ListChangedRequest(type, SINCE, null, 10)));
            Listing snapshot = attempt(adapter, credentials, client -> client.listSnapshot(type, null, 10));
            assertEquals(
                    capabilities.listedByUpdatedAt().contains(type) ? Listing.REQUESTED : Listing.REFUSED,
                    byUpdatedAt,
                    adapter.name() + " declares " + type
                            + (capabilities.listedByUpdatedAt().contains(type) ? "" : " not")
                            + " listable by updated-at; its client's listChanged does otherwise");
            assertEquals(
                    capabilities.listedAsSnapshot().contains(type) ? Listing.REQUESTED : Listing.REFUSED,
                    snapshot,
                    adapter.name() + " declares " + type
                            + (capabilities.listedAsSnapshot().contains(type) ? "" : " not")
                            + " listable as a snapshot; its client's listSnapshot does otherwise");
        }
    }

    /**
     * A platform declaring {@code subscriptionsThroughApi} has a client whose {@code registerWebhook} sends a request;
     * one declaring false has a client that refuses it without one (the poller then never asks).
     */
    public static void assertSubscriptionsMatchTheClient(PlatformAdapter adapter, ApiCredentials credentials)
            throws IOException {
        // a platform without webhook topics (Amazon: SQS/EventBridge only) is asked for a made-up one
        String topic = adapter.webhookTopics().stream().findFirst().orElse("orders/create");
        Listing register = attempt(
                adapter,
                credentials,
                client -> client.registerWebhook(
                        topic, URI.create("https://ingest.example.test/webhooks/" + adapter.name()), SECRET));
        boolean declared = adapter.capabilities().subscriptionsThroughApi();
        // where only some credentials can manage them (eBay: an install's), a client with others says so and refuses
        boolean managed = adapter.apiClient(
                        new ApiConnection(URI.create("https://127.0.0.1:9"), credentials, Duration.ofSeconds(5)))
                .managesSubscriptions();
        assertEquals(
                declared && managed ? Listing.REQUESTED : Listing.REFUSED,
                register,
                adapter.name() + " declares subscriptionsThroughApi " + declared + " (managed with these credentials: "
                        + managed + "); its client's registerWebhook does otherwise");
    }

    /**
     * Every command kind the platform declares is applied by its write client: against a server answering HTTP 500 the
     * client sends a request (or otherwise does not refuse the kind), and no more than it declares ({@link
     * PlatformWriteClient#applyCost}, at least one). Every other kind is answered {@code Rejected} with UNSUPPORTED,
     * without a request (the executor then reports it, never drops it).
     */
    public static void assertCommandKindsMatchTheWriteClient(PlatformAdapter adapter, ApiCredentials credentials)
            throws IOException {
        PlatformCapabilities capabilities = adapter.capabilities();
        for (CommandKind kind : CommandKind.values()) {
            Command command = sampleCommand(adapter.name(), kind);
            try (CannedHttpServer server = new CannedHttpServer()) {
                server.handle(exchange -> CannedHttpServer.respond(exchange, 500, Map.of(), "{}"));
                PlatformWriteClient client =
                        adapter.writeClient(new ApiConnection(server.baseUrl(), credentials, Duration.ofSeconds(5)));
                boolean unsupported = answersUnsupported(client, command);
                if (capabilities.supports(kind)) {
                    assertFalse(
                            unsupported,
                            adapter.name() + " declares " + kind + " but its write client answers UNSUPPORTED");
                    WriteCost declared = client.applyCost(command);
                    assertTrue(
                            declared.requests() >= Math.max(1, server.requests().size()),
                            adapter.name() + " declares " + declared + " for " + kind + " but sent "
                                    + server.requests().size() + " requests");
                    assertTrue(
                            client.readBackCost(command).requests() >= 1,
                            adapter.name() + " declares a read-back of " + kind + " without a request");
                } else {
                    assertTrue(
                            unsupported && server.requests().isEmpty(),
                            adapter.name() + " does not declare " + kind
                                    + " but its write client does not reject it as UNSUPPORTED without a request");
                }
            }
        }
    }

    private static boolean answersUnsupported(PlatformWriteClient client, Command command) {
        try {
            ApiResponse<WriteOutcome> answer = client.apply(command);
            return answer.value() instanceof WriteOutcome.Rejected rejected
                    && rejected.reason() == CommandResultReason.UNSUPPORTED;
        } catch (UnsupportedOperationException e) {
            return true;
        } catch (PlatformApiException e) {
            // The answer to the 500 (SERVER), or a refusal without a request (status 0).
            return e.httpStatus() == 0 && e.kind() == PlatformApiException.Kind.CLIENT;
        } catch (RuntimeException e) {
            // An unexpected answer to the 500: the client tried.
            return false;
        }
    }

    /** A valid command of the kind for a store of the platform, its deadline far ahead. */
    public static Command sampleCommand(String platform, CommandKind kind) {
        String store = "contract-store";
        Object action =
                switch (kind) {
                    case SET_INVENTORY_LEVEL -> new SetInventoryLevel("4001", "5001", 12L, null);
                    case CREATE_SHIPMENT ->
                        new CreateShipment(
                                "1001", List.of(new ShipmentLine("1101", 1L)), "UPS", "1Z999AA10123456784", null, true);
                    case CANCEL_ORDER -> new CancelOrder("1001", CancelReason.CUSTOMER, true, false);
                    case UPDATE_ORDER_STATUS -> new UpdateOrderStatus("1001", OrderStatus.PROCESSING);
                    case SET_PRICE -> new SetPrice("2001", "2101", new Money(new BigDecimal("19.990000"), "USD"), null);
                };
        String entityId =
                switch (kind) {
                    case SET_INVENTORY_LEVEL -> "4001@5001";
                    case SET_PRICE -> "2001";
                    default -> "1001";
                };
        return new Command(
                CommandMetadata.newBuilder()
                        .setCommandId("contract-" + kind.name().toLowerCase(Locale.ROOT))
                        .setPlatform(platform)
                        .setStore(store)
                        .setEntityType(kind.entityType())
                        .setEntityId(entityId)
                        .setCommandKey(EventKeys.entityKey(platform, store, kind.entityType(), entityId))
                        .setIssuedAt(SINCE)
                        .setDeadline(Instant.now().plus(Duration.ofHours(1)))
                        .build(),
                action);
    }

    /** The capabilities' topics and rate profile are the adapter's own; the request cost is positive. */
    public static void assertConsistentWithTheAdapter(PlatformAdapter adapter) {
        PlatformCapabilities capabilities = adapter.capabilities();
        assertEquals(adapter.webhookTopics(), capabilities.webhookTopics(), "webhook topics");
        assertEquals(adapter.rateLimitProfile(), capabilities.rateLimitProfile(), "rate limit profile");
        assertTrue(capabilities.requestCost() > 0, "request cost");
        assertFalse(capabilities.reconcilable().isEmpty(), adapter.name() + " lists no type at all");
    }

    /**
     * A webhook upsert's classification agrees with the declared thin types: THIN exactly for those types.
     *
     * @param classified the classification of a webhook delivery
     */
    public static void assertThinnessDeclared(PlatformAdapter adapter, Classification.Classified classified) {
        if (classified.operation() != Operation.UPSERT) {
            return;
        }
        boolean thin = classified.payloadKind() == Classification.PayloadKind.THIN;
        assertEquals(
                thin,
                adapter.capabilities().thinWebhookTypes().contains(classified.entityType()),
                adapter.name() + " classifies a " + classified.entityType() + " webhook as " + classified.payloadKind()
                        + " but declares its thin webhook types as "
                        + adapter.capabilities().thinWebhookTypes());
    }

    static Listing attempt(PlatformAdapter adapter, ApiCredentials credentials, ListingCall call) throws IOException {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(exchange, 500, Map.of(), "{}"));
            PlatformApiClient client =
                    adapter.apiClient(new ApiConnection(server.baseUrl(), credentials, Duration.ofSeconds(5))
                            .withStoreId("contract-store"));
            try {
                call.call(client);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                return refusedWithoutRequest(server, e);
            } catch (PlatformApiException e) {
                if (e.httpStatus() == 0 && server.requests().isEmpty()) {
                    return Listing.REFUSED;
                }
            } catch (RuntimeException e) {
                // An unexpected answer to the 500 (a client that reads on): it did send the request.
            }
            return server.requests().isEmpty() ? Listing.REFUSED : Listing.REQUESTED;
        }
    }

    private static Listing refusedWithoutRequest(CannedHttpServer server, RuntimeException e) {
        if (!server.requests().isEmpty()) {
            fail("the client sent a request, then refused the type: " + e);
        }
        return Listing.REFUSED;
    }
}
