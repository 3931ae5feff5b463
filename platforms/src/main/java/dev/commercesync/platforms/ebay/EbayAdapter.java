package dev.commercesync.platforms.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
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
import dev.commercesync.platforms.spi.RateLimitProfile;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * eBay, a marketplace: a seller's orders come from the Fulfillment API, their shipments from its shipping
 * fulfillments, stock from the Inventory API ({@link EbayApiClient}); stock and shipments are written back ({@link
 * EbayWriteClient}). eBay pushes Notification API notifications ({@code {"metadata": {"topic", ...}, "notification":
 * {"notificationId", "eventDate", "publishDate", "publishAttemptCount", "data"}}}) signed with {@code
 * X-EBAY-SIGNATURE} ({@link EbayNotificationVerifier}), to an endpoint per application: the ingest's {@code
 * /webhooks/ebay/<store>} names the store ({@link WebhookRequest#PATH_STORE_HEADER}), and its {@code GET} answers the
 * marketplace account deletion endpoint's challenge ({@link #endpointChallengeResponse}).
 *
 * <p>Topics: {@code MARKETPLACE_ACCOUNT_DELETION} (an eBay user asked to have their data deleted; the notification
 * carries {@code data.userId}, {@code data.username} and {@code data.eiasToken}): a privacy topic ({@link
 * #privacyTopics}), published by the ingest as a {@code CUSTOMER_REDACT} of that buyer ({@link EbayAccountDeletions})
 * and never put on the raw topic. A record of it already on the raw topic (received before) still classifies as the
 * DELETE of the canonical customer named like the orders' buyer, a row that does not exist: eBay has no customer
 * resource. eBay sends it to the endpoint configured per application in the developer portal, not through a
 * subscription. {@code ORDER_CONFIRMATION} (a buyer completed checkout; one per line item, {@code data.orderId}): a
 * thin upsert of the order, which the poller fetches. The install subscribes the seller to it ({@link
 * EbayNotificationApi}); shipments and stock are polled. Dedup: {@code notificationId}.
 */
public final class EbayAdapter implements PlatformAdapter {
    public static final String NAME = "ebay";

    static final String ACCOUNT_DELETION = "MARKETPLACE_ACCOUNT_DELETION";
    static final String ORDER_CONFIRMATION = "ORDER_CONFIRMATION";

    /**
     * eBay limits calls per day, not per second, and reports no quota in responses: an application rate-limited by
     * eBay user id may make 20,000 calls a day per seller across all apps (developer.ebay.com, "API call limits";
     * application-limited apps share up to 1,500,000 a day). So the budget refills 20,000 a day, with a burst of one
     * hour's share; a 429 without Retry-After waits a minute.
     */
    static final RateLimitProfile RATE_LIMIT_PROFILE = new RateLimitProfile(
            "requests", 20_000.0 / 24, 20_000.0 / 86_400, Duration.ofSeconds(60), "none (daily call limits)");

    private final EbayNotificationVerifier verifier;
    private final EbayAccessTokens tokens = new EbayAccessTokens(Clock.systemUTC());
    private final EbayInstallFlow installFlow = new EbayInstallFlow();
    private final Map<EntityType, EntityMapper> mappers = new TreeMap<>();

    public EbayAdapter() {
        this(Clock.systemUTC());
    }

    EbayAdapter(Clock keyCacheClock) {
        this.verifier = new EbayNotificationVerifier(new EbayPublicKeys(keyCacheClock));
        for (EntityMapper mapper : List.of(
                new EbayOrderMapper(),
                new EbayShipmentMapper(),
                new EbayInventoryLevelMapper(),
                new EbayCustomerMapper())) {
            mappers.put(mapper.entityType(), mapper);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
        return verifier.verify(request, candidateSecrets);
    }

    @Override
    public WebhookDelivery describeDelivery(WebhookRequest request) {
        Optional<String> store = request.header(WebhookRequest.PATH_STORE_HEADER)
                .map(String::trim)
                .filter(s -> !s.isEmpty());
        Optional<String> topic = Optional.empty();
        Optional<String> notificationId = Optional.empty();
        Optional<String> deliveryId = Optional.empty();
        try {
            PayloadObject root = PayloadObject.root(Json.parseObject(request.body()));
            Optional<PayloadObject> metadata = root.object("metadata");
            if (metadata.isPresent()) {
                topic = metadata.get().text("topic");
            }
            Optional<PayloadObject> notification = root.object("notification");
            if (notification.isPresent()) {
                notificationId = notification.get().text("notificationId");
                Optional<String> attempt = notification.get().text("publishAttemptCount");
                deliveryId = notificationId.map(id -> id + "#" + attempt.orElse("1"));
            }
        } catch (MappingException e) {
            // not the shape of a notification: the delivery cannot be filed (no type); the ingest rejects it
        }
        return new WebhookDelivery(store, topic, deliveryId, notificationId, Map.of());
    }

    @Override
    public Optional<String> endpointChallengeResponse(Map<String, String> query, List<WebhookSecret> candidateSecrets) {
        String code = query.get("challenge_code");
        if (code == null || code.isEmpty() || code.length() > 1024) {
            return Optional.empty();
        }
        for (WebhookSecret candidate : candidateSecrets) {
            Optional<EbayStoreSecret> secret = EbayStoreSecret.parse(candidate);
            if (secret.isPresent()
                    && secret.get().verificationToken().isPresent()
                    && secret.get().endpoint().isPresent()) {
                String hash = EbayStoreSecret.challengeResponse(
                        code,
                        secret.get().verificationToken().get(),
                        secret.get().endpoint().get());
                return Optional.of(
                        Json.encode(JsonNodeFactory.instance.objectNode().put("challengeResponse", hash)));
            }
        }
        return Optional.empty();
    }

    @Override
    public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        if (envelope.getEntityType() != null) {
            return classifyFetched(envelope, payload);
        }
        PayloadObject root = PayloadObject.root(payload);
        String topic =
                envelope.getEventType() != null && !envelope.getEventType().isBlank()
                        ? envelope.getEventType()
                        : root.requiredObject("metadata").text("topic").orElse("");
        if (ORDER_CONFIRMATION.equals(topic)) {
            return orderConfirmation(envelope, root.requiredObject("notification"));
        }
        if (!ACCOUNT_DELETION.equals(topic)) {
            return new Classification.UnknownEventType(topic);
        }
        PayloadObject notification = root.requiredObject("notification");
        String buyer = EbayAccountDeletions.buyerId(notification.requiredObject("data"));
        Instant eventDate = notification.instant("eventDate").orElse(null);
        String eventId = envelope.getPlatformEventId() != null
                ? envelope.getPlatformEventId()
                : notification.requiredText("notificationId");
        return new Classification.Classified(
                EntityType.CUSTOMER,
                Operation.DELETE,
                buyer,
                null,
                eventDate,
                EventKeys.fromPlatformEventId(NAME, envelope.getStore(), eventId),
                PayloadKind.FULL);
    }

    /** A buyer completed checkout: the order, thin (the notification names it only); one per line item, deduplicated. */
    private static Classification orderConfirmation(RawEnvelope envelope, PayloadObject notification)
            throws MappingException {
        String orderId = notification.requiredObject("data").requiredId("orderId");
        String eventId = envelope.getPlatformEventId() != null
                ? envelope.getPlatformEventId()
                : notification.requiredText("notificationId");
        return new Classification.Classified(
                EntityType.ORDER,
                Operation.UPSERT,
                orderId,
                null,
                null,
                EventKeys.fromPlatformEventId(NAME, envelope.getStore(), eventId),
                PayloadKind.THIN);
    }

    /** A resource the poller fetched (entity type set): full state, keyed by its updated-at or the read. */
    private Classification classifyFetched(RawEnvelope envelope, JsonNode payload) throws MappingException {
        EntityType type = envelope.getEntityType();
        PayloadObject entity = PayloadObject.root(payload);
        String id;
        String parentId = null;
        Instant updatedAt;
        switch (type) {
            case ORDER -> {
                id = entity.requiredId("orderId");
                updatedAt = entity.instant("lastModifiedDate").orElse(null);
            }
            case SHIPMENT -> {
                id = entity.requiredId("fulfillmentId");
                parentId = entity.requiredId(EbayPayloads.ORDER_ANNOTATION);
                updatedAt = entity.instant("shippedDate").orElse(null);
            }
            case INVENTORY_LEVEL -> {
                // Inventory items have no updated-at: the version is the read itself (EventKeys.readAt).
                id = entity.requiredText("sku");
                return new Classification.Classified(
                        type,
                        Operation.UPSERT,
                        id,
                        null,
                        null,
                        EventKeys.readAt(NAME, envelope.getStore(), type, id, envelope.getReceivedAt()),
                        PayloadKind.FULL);
            }
            default -> {
                return new Classification.UnknownEventType(envelope.getEventType());
            }
        }
        return new Classification.Classified(
                type,
                Operation.UPSERT,
                id,
                parentId,
                updatedAt,
                EventKeys.computed(NAME, envelope.getStore(), type, id, updatedAt, Operation.UPSERT),
                PayloadKind.FULL);
    }

    @Override
    public Optional<EntityMapper> mapper(EntityType entityType) {
        return Optional.ofNullable(mappers.get(entityType));
    }

    @Override
    public Set<String> webhookTopics() {
        return Set.of(ACCOUNT_DELETION, ORDER_CONFIRMATION);
    }

    /**
     * The store's own endpoint, {@code /webhooks/ebay/<store>}: eBay's notifications do not name the seller, each
     * store's destination does.
     */
    @Override
    public java.net.URI webhookAddress(java.net.URI ingestUrl, String storeId) {
        return java.net.URI.create(ingestUrl.toString().replaceAll("/+$", "") + "/webhooks/" + NAME + "/"
                + EbayApiClient.pathSegment(storeId));
    }

    /** The marketplace account deletion, accepted for a disabled store too (docs/privacy.md). */
    @Override
    public Set<String> privacyTopics() {
        return EbayAccountDeletions.topics();
    }

    @Override
    public Optional<PrivacyRequest> privacyRequest(WebhookDelivery delivery, byte[] body, Instant receivedAt)
            throws MappingException {
        return EbayAccountDeletions.of(delivery, body, receivedAt);
    }

    /**
     * The Sell APIs' major version in every path ({@code /sell/fulfillment/v1/}, {@code /sell/inventory/v1/}): v1, the
     * only one eBay publishes; it follows eBay's releases without dated versions.
     */
    static final ApiVersions API_VERSIONS = ApiVersions.single("Sell API path /sell/<api>/<version>/", "v1");

    /** The API versions whose payloads this adapter's mappings read ({@code EntityMapper#apiVersionsRead}): its one. */
    static final List<String> MAPPINGS_READ = List.of(API_VERSIONS.defaultVersion());

    /** A seller's consent by eBay's authorization-code grant ({@link EbayInstallFlow}). */
    @Override
    public Optional<InstallFlow> installFlow() {
        return Optional.of(installFlow);
    }

    @Override
    public ApiVersions apiVersions() {
        return API_VERSIONS;
    }

    @Override
    public PlatformApiClient apiClient(ApiConnection connection) {
        return new EbayApiClient(connection, tokens, Clock.systemUTC());
    }

    /** Stock and shipments (EbayWriteClient); cancellations, statuses and prices are UNSUPPORTED. */
    @Override
    public PlatformWriteClient writeClient(ApiConnection connection) {
        return new EbayWriteClient(new EbayApiClient(connection, tokens, Clock.systemUTC()), Clock.systemUTC());
    }

    @Override
    public RateLimitProfile rateLimitProfile() {
        return RATE_LIMIT_PROFILE;
    }

    /**
     * Orders by {@code lastmodifieddate}, shipments by {@code shippedDate} through the orders modified since the
     * range's start; inventory levels only as a snapshot (inventory items have no updated-at). Products and refunds
     * are not listed in this version; customers have no resource. Order confirmations are thin. Subscriptions are kept
     * through the Notification API (a destination per store, a subscription per topic; the account deletion is the
     * developer portal's): for installed stores, whose credentials carry the app's client ({@link
     * EbayApiClient#managesSubscriptions}).
     */
    @Override
    public PlatformCapabilities capabilities() {
        return new PlatformCapabilities(
                EnumSet.of(EntityType.ORDER, EntityType.SHIPMENT),
                EnumSet.of(EntityType.INVENTORY_LEVEL),
                webhookTopics(),
                EnumSet.of(EntityType.ORDER),
                1,
                rateLimitProfile(),
                true,
                EbayWriteClient.KINDS);
    }
}
