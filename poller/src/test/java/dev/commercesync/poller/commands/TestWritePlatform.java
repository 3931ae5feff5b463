package dev.commercesync.poller.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
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
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WriteCost;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.platforms.woocommerce.WooCommerceAdapter;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A platform for the executor's tests, registered through the test class path's {@code META-INF/services}: everything
 * but writing is WooCommerce's; its writer applies {@code SET_INVENTORY_LEVEL} (only) to a {@link FakeWriteStore} at
 * the store's API base URL, following the {@link PlatformWriteClient} rules (429 → {@link RateLimitedException}, 401
 * → AUTH, 5xx → SERVER, timeout → TRANSPORT, 404 → REJECTED NOT_FOUND; read-back compares the item's value).
 */
public final class TestWritePlatform implements PlatformAdapter {
    public static final String NAME = "cmdtest";
    /** Short, so that "applied, then answered after the timeout" is quick. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    /** What the writer declares a write spends of the store's budget (WooCommerce's profile: 10 requests, 5/s). */
    static final double APPLY_UNITS = 3;

    private final WooCommerceAdapter woo = new WooCommerceAdapter();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> secrets, Clock clock) {
        return woo.verifyWebhook(request, secrets, clock);
    }

    @Override
    public WebhookDelivery describeDelivery(WebhookRequest request) {
        return woo.describeDelivery(request);
    }

    @Override
    public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        return woo.classify(envelope, payload);
    }

    @Override
    public Optional<EntityMapper> mapper(EntityType entityType) {
        return woo.mapper(entityType);
    }

    @Override
    public Set<String> webhookTopics() {
        return woo.webhookTopics();
    }

    @Override
    public PlatformApiClient apiClient(ApiConnection connection) {
        return woo.apiClient(connection);
    }

    @Override
    public RateLimitProfile rateLimitProfile() {
        return woo.rateLimitProfile();
    }

    @Override
    public PlatformCapabilities capabilities() {
        return woo.capabilities().withCommandKinds(Set.of(CommandKind.SET_INVENTORY_LEVEL));
    }

    @Override
    public PlatformWriteClient writeClient(ApiConnection connection) {
        return new PlatformWriteClient() {
            @Override
            public ApiResponse<WriteOutcome> apply(Command command) throws PlatformApiException {
                if (!(command.getAction() instanceof SetInventoryLevel set)) {
                    return new ApiResponse<>(
                            new WriteOutcome.Rejected(CommandResultReason.UNSUPPORTED, "not an inventory level"),
                            Optional.empty());
                }
                String body = Json.encode(Json.MAPPER
                        .createObjectNode()
                        .put("command_id", command.getMetadata().getCommandId())
                        .put("value", set.getQuantity()));
                HttpResponse<String> response = send(
                        "PUT",
                        HttpRequest.newBuilder(item(connection, command))
                                .PUT(HttpRequest.BodyPublishers.ofString(body)));
                if (response.statusCode() == 404) {
                    return new ApiResponse<>(
                            new WriteOutcome.Rejected(CommandResultReason.NOT_FOUND, response.body()),
                            Optional.empty());
                }
                return new ApiResponse<>(
                        new WriteOutcome.Applied(
                                response.body(), response.headers().firstValue("X-Request-Id")),
                        Optional.empty());
            }

            /** One PUT, charged APPLY_UNITS (not a listing's one unit: the executor must charge the declared cost). */
            @Override
            public WriteCost applyCost(Command command) {
                return new WriteCost(1, APPLY_UNITS);
            }

            @Override
            public WriteCost readBackCost(Command command) {
                return WriteCost.requests(1);
            }

            @Override
            public ApiResponse<ReadBack> readBack(Command command) throws PlatformApiException {
                SetInventoryLevel set = (SetInventoryLevel) command.getAction();
                HttpResponse<String> response = send(
                        "GET", HttpRequest.newBuilder(item(connection, command)).GET());
                if (response.statusCode() == 404) {
                    return new ApiResponse<>(ReadBack.notFound(), Optional.empty());
                }
                long value;
                try {
                    value = Json.MAPPER.readTree(response.body()).path("value").asLong();
                } catch (IOException e) {
                    throw new PlatformApiException(PlatformApiException.Kind.SERVER, 200, "unreadable answer");
                }
                return new ApiResponse<>(
                        value == set.getQuantity()
                                ? ReadBack.applied(response.body())
                                : ReadBack.notApplied(response.body()),
                        Optional.empty());
            }
        };
    }

    private static URI item(ApiConnection connection, Command command) {
        return URI.create(
                connection.baseUrl() + "/items/" + command.getMetadata().getEntityId());
    }

    /** Sends; 2xx and 404 are answers, everything else the SPI's exceptions. */
    private HttpResponse<String> send(String method, HttpRequest.Builder request) throws PlatformApiException {
        HttpResponse<String> response;
        try {
            response = http.send(
                    request.timeout(REQUEST_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PlatformApiException(
                    PlatformApiException.Kind.TRANSPORT,
                    0,
                    "test store " + method + ": " + e.getClass().getSimpleName(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformApiException(PlatformApiException.Kind.TRANSPORT, 0, "interrupted", e);
        }
        int status = response.statusCode();
        String what = "test store " + method + ": HTTP " + status;
        if (status == 429) {
            long seconds =
                    Long.parseLong(response.headers().firstValue("Retry-After").orElse("1"));
            throw new RateLimitedException(status, what, Duration.ofSeconds(seconds), Optional.empty());
        }
        if (status == 401 || status == 403) {
            throw new PlatformApiException(PlatformApiException.Kind.AUTH, status, what);
        }
        if (status >= 500) {
            throw new PlatformApiException(PlatformApiException.Kind.SERVER, status, what);
        }
        if (status >= 400 && status != 404) {
            throw new PlatformApiException(PlatformApiException.Kind.CLIENT, status, what);
        }
        return response;
    }
}
