package dev.commercesync.platforms.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiVersions;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.Classification.PayloadKind;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformCapabilities;
import dev.commercesync.platforms.spi.PlatformWriteClient;
import dev.commercesync.platforms.spi.QueuedNotifications;
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon Selling Partner API (SP-API), one seller account per store (the store id is the seller id, Amazon's merchant
 * token). Orders are polled through the Orders API v2026-01-01 ({@link AmazonApiClient}) and mapped from its order
 * shape ({@link AmazonOrderMapper}); listing quantities are listed through the Listings Items API ({@code
 * searchListingsItems}) as inventory levels ({@link AmazonInventoryLevelMapper}, {@link AmazonListings}); commands are
 * written through the Orders API v0 ({@code confirmShipment}) and the Listings Items API ({@code patchListingsItem}),
 * see {@link AmazonWriteClient}.
 *
 * <p>No webhooks: SP-API delivers notifications only to Amazon SQS queues or EventBridge, never to an HTTPS endpoint,
 * so {@link #verifyWebhook} refuses every delivery and the adapter declares no webhook topics; Amazon stores are
 * polled (docs: platforms/README.md, "Types per platform"). The ingest's queue consumer reads ORDER_CHANGE
 * notifications from the application's SQS queue ({@link #queuedNotifications()}, docs/amazon-notifications.md).
 */
public final class AmazonAdapter implements PlatformAdapter {
    public static final String NAME = "amazon";

    /**
     * The store's one bucket, in searchOrders requests (the scarcest operation and the one every poll spends): rate
     * 0.0056/s, burst 20. Other operations are charged in proportion ({@link AmazonOperation}). SP-API sends no
     * Retry-After with a 429: wait one refill of the operation's bucket ({@link AmazonOperation#refillWait()}).
     */
    static final RateLimitProfile RATE_LIMIT_PROFILE = new RateLimitProfile(
            "searchOrders requests",
            AmazonOperation.SEARCH_ORDERS.burst(),
            AmazonOperation.SEARCH_ORDERS.ratePerSecond(),
            AmazonOperation.SEARCH_ORDERS.refillWait(),
            "x-amzn-RateLimit-Limit (rate only; SP-API reports no remaining quota)");

    /** A seller id (merchant token): upper-case letters and digits, e.g. A2EUQ1WTGCTBG2. */
    private static final Pattern SELLER_ID = Pattern.compile("[A-Z0-9]{8,20}");

    /** SP-API regional endpoints and their sandboxes. */
    private static final Pattern API_HOST = Pattern.compile("(sandbox\\.)?sellingpartnerapi-(na|eu|fe)\\.amazon\\.com");

    private final AmazonOrderMapper orders = new AmazonOrderMapper();
    private final AmazonInventoryLevelMapper levels = new AmazonInventoryLevelMapper();
    private final AmazonNotifications notifications = new AmazonNotifications();
    private final LwaAccessTokens tokens = new LwaAccessTokens(Clock.systemUTC());
    private final AmazonInstallFlow installFlow = new AmazonInstallFlow(this);

    /** A seller's consent by the SP-API website authorization workflow ({@link AmazonInstallFlow}). */
    @Override
    public Optional<InstallFlow> installFlow() {
        return Optional.of(installFlow);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isValidStoreId(String storeId) {
        return storeId != null && SELLER_ID.matcher(storeId).matches();
    }

    @Override
    public Optional<String> apiHostProblem(URI apiBaseUrl) {
        String host = apiBaseUrl.getHost() == null ? "" : apiBaseUrl.getHost();
        return API_HOST.matcher(host).matches()
                ? Optional.empty()
                : Optional.of("must be an SP-API regional endpoint, https://sellingpartnerapi-{na,eu,fe}.amazon.com");
    }

    /** Amazon never sends HTTPS webhooks: whatever arrives at the ingest under this platform is not Amazon's. */
    @Override
    public VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
        return new VerificationResult.Rejected(
                VerificationResult.RejectionReason.MISSING_HEADER,
                "Amazon SP-API sends no HTTPS webhooks (notifications go to Amazon SQS or EventBridge)");
    }

    /** Names no store and no event type, so the ingest refuses the delivery before anything else. */
    @Override
    public WebhookDelivery describeDelivery(WebhookRequest request) {
        return new WebhookDelivery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    /**
     * A polled order (entity type set by the poller), keyed by its {@code lastUpdatedTime}; a listed listing's quantity
     * ({@link AmazonListings}), keyed by its read; a queued notification (no entity type) as {@link
     * AmazonNotifications} reads it: ORDER_CHANGE is a thin order upsert, other types unknown.
     */
    @Override
    public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        if (envelope.getEntityType() == null) {
            return AmazonNotifications.classify(envelope, payload);
        }
        if (envelope.getEntityType() == EntityType.INVENTORY_LEVEL) {
            // A listing's quantity has no updated-at: the version is the read itself (EventKeys.readAt).
            PayloadObject listing = PayloadObject.root(payload);
            String id = AmazonListings.levelId(
                    listing.requiredText("sku"), listing.requiredText(AmazonListings.MARKETPLACE_ANNOTATION));
            return new Classification.Classified(
                    EntityType.INVENTORY_LEVEL,
                    Operation.UPSERT,
                    id,
                    null,
                    null,
                    EventKeys.readAt(
                            NAME, envelope.getStore(), EntityType.INVENTORY_LEVEL, id, envelope.getReceivedAt()),
                    PayloadKind.FULL);
        }
        if (envelope.getEntityType() != EntityType.ORDER) {
            return new Classification.UnknownEventType(envelope.getEventType() == null ? "" : envelope.getEventType());
        }
        PayloadObject order = PayloadObject.root(payload);
        String id = order.requiredText("orderId");
        Instant updatedAt = order.instant("lastUpdatedTime").orElse(null);
        return new Classification.Classified(
                EntityType.ORDER,
                Operation.UPSERT,
                id,
                null,
                updatedAt,
                EventKeys.computed(NAME, envelope.getStore(), EntityType.ORDER, id, updatedAt, Operation.UPSERT),
                PayloadKind.FULL);
    }

    /** SP-API notifications from the application's SQS queue ({@link AmazonNotifications}). */
    @Override
    public Optional<QueuedNotifications> queuedNotifications() {
        return Optional.of(notifications);
    }

    @Override
    public Optional<EntityMapper> mapper(EntityType entityType) {
        return switch (entityType) {
            case ORDER -> Optional.of(orders);
            case INVENTORY_LEVEL -> Optional.of(levels);
            default -> Optional.empty();
        };
    }

    @Override
    public Set<String> webhookTopics() {
        return Set.of();
    }

    /**
     * The Orders API version in every orders path ({@code /orders/<version>/orders}): v2026-01-01 only; v0 is not
     * read (its {@code getOrders} needs restricted data tokens for addresses, and Amazon is migrating sellers off it).
     */
    static final ApiVersions API_VERSIONS = ApiVersions.single("Orders API path /orders/<version>/", "2026-01-01");

    /** The API versions whose payloads this adapter's mappings read ({@code EntityMapper#apiVersionsRead}): its one. */
    static final List<String> MAPPINGS_READ = List.of(API_VERSIONS.defaultVersion());

    @Override
    public ApiVersions apiVersions() {
        return API_VERSIONS;
    }

    @Override
    public PlatformApiClient apiClient(ApiConnection connection) {
        return new AmazonApiClient(connection, tokens, Clock.systemUTC());
    }

    @Override
    public PlatformWriteClient writeClient(ApiConnection connection) {
        return new AmazonWriteClient(new AmazonApiClient(connection, tokens, Clock.systemUTC()), Clock.systemUTC());
    }

    @Override
    public RateLimitProfile rateLimitProfile() {
        return RATE_LIMIT_PROFILE;
    }

    /**
     * Orders by updated-at (searchOrders), without a count: searchOrders answers pages and a next token, no total, and
     * the Orders API has no count operation, so the reconciler lists the window's orders once per pass rather than
     * counting buckets, each of which would be a listing at searchOrders' 0.0056 requests a second. No webhook topics
     * and no subscriptions through the API (SQS/EventBridge destinations are not HTTPS webhooks); shipments through
     * confirmShipment and listing quantities through patchListingsItem ({@link AmazonWriteClient#KINDS}). Listing
     * quantities are read as a snapshot (searchListingsItems, {@link AmazonApiClient#listSnapshot}): a sale changes a
     * quantity without any updated-at the API filters by.
     */
    @Override
    public PlatformCapabilities capabilities() {
        return new PlatformCapabilities(
                EnumSet.of(EntityType.ORDER),
                EnumSet.of(EntityType.INVENTORY_LEVEL),
                webhookTopics(),
                EnumSet.noneOf(EntityType.class),
                1,
                rateLimitProfile(),
                false,
                AmazonWriteClient.KINDS,
                EnumSet.of(EntityType.ORDER));
    }
}
