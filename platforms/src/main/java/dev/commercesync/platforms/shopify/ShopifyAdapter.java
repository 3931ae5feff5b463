package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.EventRoute;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiVersions;
import dev.commercesync.platforms.spi.Classification;
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
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Shopify: webhooks signed with {@code X-Shopify-Hmac-Sha256} (base64 HMAC-SHA256 of the raw body with the app's
 * client secret), the shop in {@code X-Shopify-Shop-Domain}, a stable {@code X-Shopify-Event-Id}, full REST-shaped
 * payloads; API: GraphQL Admin for listing changes and for writing commands ({@link ShopifyWriteClient}), REST for
 * fetch-by-id (same shape as webhooks) and webhook subscriptions.
 */
public final class ShopifyAdapter implements PlatformAdapter {
    public static final String NAME = "shopify";

    static final String HMAC_HEADER = "X-Shopify-Hmac-Sha256";
    static final String SHOP_DOMAIN_HEADER = "X-Shopify-Shop-Domain";
    static final String TOPIC_HEADER = "X-Shopify-Topic";
    static final String WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id";
    static final String EVENT_ID_HEADER = "X-Shopify-Event-Id";
    /** The Admin API version the delivery's payload is in (the app's webhook API version). */
    static final String API_VERSION_HEADER = "X-Shopify-API-Version";
    /** Headers kept in the raw envelope: what classification and support need, never the signature. */
    private static final List<String> KEPT_HEADERS = List.of(
            TOPIC_HEADER,
            SHOP_DOMAIN_HEADER,
            WEBHOOK_ID_HEADER,
            EVENT_ID_HEADER,
            API_VERSION_HEADER,
            "X-Shopify-Triggered-At",
            "X-Shopify-Name",
            "X-Shopify-Sub-Topic");

    static final Map<String, EventRoute> ROUTES = routes();

    private final Map<EntityType, EntityMapper> mappers = Map.of(
            EntityType.ORDER, new ShopifyOrderMapper(),
            EntityType.PRODUCT, new ShopifyProductMapper(),
            EntityType.INVENTORY_LEVEL, new ShopifyInventoryLevelMapper(),
            EntityType.CUSTOMER, new ShopifyCustomerMapper(),
            EntityType.SHIPMENT, new ShopifyFulfillmentMapper(),
            EntityType.REFUND, new ShopifyRefundMapper());

    private static Map<String, EventRoute> routes() {
        Map<String, EventRoute> routes = new TreeMap<>();
        for (String topic : List.of(
                "orders/create",
                "orders/updated",
                "orders/paid",
                "orders/cancelled",
                "orders/fulfilled",
                "orders/partially_fulfilled")) {
            routes.put(topic, EventRoute.upsert(EntityType.ORDER));
        }
        routes.put("orders/delete", EventRoute.delete(EntityType.ORDER));
        routes.put("products/create", EventRoute.upsert(EntityType.PRODUCT));
        routes.put("products/update", EventRoute.upsert(EntityType.PRODUCT));
        routes.put("products/delete", EventRoute.delete(EntityType.PRODUCT));
        routes.put("inventory_levels/connect", EventRoute.upsert(EntityType.INVENTORY_LEVEL));
        routes.put("inventory_levels/update", EventRoute.upsert(EntityType.INVENTORY_LEVEL));
        routes.put("inventory_levels/disconnect", EventRoute.delete(EntityType.INVENTORY_LEVEL));
        for (String topic : List.of("customers/create", "customers/update", "customers/enable", "customers/disable")) {
            routes.put(topic, EventRoute.upsert(EntityType.CUSTOMER));
        }
        routes.put("customers/delete", EventRoute.delete(EntityType.CUSTOMER));
        routes.put("fulfillments/create", EventRoute.upsert(EntityType.SHIPMENT));
        routes.put("fulfillments/update", EventRoute.upsert(EntityType.SHIPMENT));
        routes.put("refunds/create", EventRoute.upsert(EntityType.REFUND));
        return Map.copyOf(routes);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A shop's permanent domain: {@code <name>.myshopify.com}, lower case (X-Shopify-Shop-Domain). */
    private static final Pattern SHOP_DOMAIN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}\\.myshopify\\.com");

    @Override
    public boolean isValidStoreId(String storeId) {
        return storeId != null && SHOP_DOMAIN.matcher(storeId).matches();
    }

    /** The Admin API answers at the shop's own {@code https://<name>.myshopify.com}. */
    @Override
    public Optional<String> apiHostProblem(URI apiBaseUrl) {
        String host = apiBaseUrl.getHost() == null ? "" : apiBaseUrl.getHost().toLowerCase(Locale.ROOT);
        return SHOP_DOMAIN.matcher(host).matches()
                ? Optional.empty()
                : Optional.of("must be the shop's https://<shop>.myshopify.com address");
    }

    @Override
    public VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
        // Shopify signs the raw body only; there is no signed timestamp, so the clock is not used.
        return HmacSignatures.verifyBase64Header(request, HMAC_HEADER, request.body(), candidateSecrets);
    }

    @Override
    public WebhookDelivery describeDelivery(WebhookRequest request) {
        Map<String, String> kept = new TreeMap<>();
        for (String header : KEPT_HEADERS) {
            request.header(header).ifPresent(value -> kept.put(header.toLowerCase(Locale.ROOT), value));
        }
        return new WebhookDelivery(
                request.header(SHOP_DOMAIN_HEADER).map(String::trim).map(s -> s.toLowerCase(Locale.ROOT)),
                request.header(TOPIC_HEADER).map(String::trim),
                request.header(WEBHOOK_ID_HEADER).map(String::trim),
                request.header(EVENT_ID_HEADER).map(String::trim),
                kept,
                request.header(API_VERSION_HEADER).map(String::trim).filter(v -> !v.isEmpty()));
    }

    @Override
    public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        Optional<EventRoute> route = route(envelope);
        if (route.isEmpty()) {
            return new Classification.UnknownEventType(envelope.getEventType());
        }
        EntityType type = route.get().entityType();
        PayloadObject root = PayloadObject.root(payload);
        String entityId =
                type == EntityType.INVENTORY_LEVEL ? ShopifyInventoryLevelMapper.levelId(root) : root.requiredId("id");
        String parentId = type == EntityType.REFUND || type == EntityType.SHIPMENT
                ? root.id("order_id").orElse(null)
                : null;
        // Refunds are immutable and carry no updated_at: their creation is their version.
        Instant updatedAt = type == EntityType.REFUND
                ? root.instant("created_at").orElse(null)
                : root.instant("updated_at").orElse(null);
        return route.get().fullPayload(envelope, entityId, parentId, updatedAt);
    }

    /** Webhook topics from the table; polled records by the entity type the poller set. */
    private static Optional<EventRoute> route(RawEnvelope envelope) {
        return EventRoute.of(envelope, ROUTES, ShopifyApiClient::entityTypeOfResource);
    }

    @Override
    public Optional<EntityMapper> mapper(EntityType entityType) {
        return Optional.ofNullable(mappers.get(entityType));
    }

    @Override
    public Set<String> webhookTopics() {
        return new TreeSet<>(ROUTES.keySet());
    }

    private final ShopifyInstallFlow installFlow = new ShopifyInstallFlow(this);

    /** The app install by Shopify's OAuth authorization-code grant, and {@code app/uninstalled}. */
    @Override
    public Optional<InstallFlow> installFlow() {
        return Optional.of(installFlow);
    }

    /** The mandatory compliance webhooks: customers/redact, customers/data_request, shop/redact. */
    @Override
    public Set<String> privacyTopics() {
        return ShopifyPrivacyRequests.topics();
    }

    @Override
    public Optional<PrivacyRequest> privacyRequest(WebhookDelivery delivery, byte[] body, Instant receivedAt)
            throws MappingException {
        return ShopifyPrivacyRequests.of(delivery, body, receivedAt);
    }

    static final ApiVersions API_VERSIONS = new ApiVersions(
            "dated Admin API release in the path /admin/api/<version>/",
            java.util.List.of(
                    ApiVersions.ApiVersion.until("2026-01", java.time.LocalDate.parse("2027-01-01")),
                    ApiVersions.ApiVersion.until("2026-04", java.time.LocalDate.parse("2027-04-01"))),
            "2026-04");

    /**
     * The Admin API versions whose payloads this adapter's mappings read ({@code EntityMapper#apiVersionsRead}), oldest
     * first: those its fixtures (2026-04) and the simulator's webhooks (2026-01) prove. A webhook subscribed on another
     * version (the app's webhook API version) is quarantined until a mapping is checked against it and listed here.
     */
    static final List<String> MAPPINGS_READ = List.of("2026-01", "2026-04");

    /**
     * Dated Admin API releases, in every path ({@code /admin/api/<version>/}); Shopify serves each for at least 12
     * months after its release and answers calls using what a later release removes with {@code
     * X-Shopify-API-Deprecated-Reason}. Supported: the releases the client and writer are tested against; 2026-04
     * made {@code changeFromQuantity} mandatory in {@code inventorySetQuantities}, which the writer always sends.
     */
    @Override
    public ApiVersions apiVersions() {
        return API_VERSIONS;
    }

    @Override
    public PlatformApiClient apiClient(ApiConnection connection) {
        return new ShopifyApiClient(connection, rateLimitProfile(), Clock.systemUTC());
    }

    /** Applies every command kind through the GraphQL Admin API (ShopifyWriteClient). */
    /** What a GraphQL query of connections (a listing page) costs, about: points of the bucket. */
    static final double LISTING_POINTS = 50;

    @Override
    public PlatformWriteClient writeClient(ApiConnection connection) {
        return new ShopifyWriteClient(connection, rateLimitProfile(), Clock.systemUTC());
    }

    /**
     * GraphQL Admin API, Standard plan: 100 cost points restored per second; the live bucket (maximumAvailable,
     * currentlyAvailable, restoreRate) is read from every response's {@code extensions.cost.throttleStatus}.
     */
    @Override
    public RateLimitProfile rateLimitProfile() {
        return new RateLimitProfile(
                "cost points",
                2000,
                100,
                Duration.ofSeconds(2),
                "extensions.cost.throttleStatus (GraphQL), X-Shopify-Shop-Api-Call-Limit and Retry-After (REST)");
    }

    /**
     * Lists orders, products and customers by {@code updatedAt} (GraphQL), refunds and shipments (fulfillments)
     * through the orders updated since the range's start, inventory levels by REST {@code updated_at_min} per location
     * (ShopifyApiClient). Webhooks carry whole entities. A GraphQL listing query costs about {@value #LISTING_POINTS}
     * points, not one request; a command's requests cost what ShopifyWriteClient declares.
     */
    @Override
    public PlatformCapabilities capabilities() {
        return new PlatformCapabilities(
                EnumSet.of(
                        EntityType.ORDER,
                        EntityType.PRODUCT,
                        EntityType.CUSTOMER,
                        EntityType.REFUND,
                        EntityType.SHIPMENT,
                        EntityType.INVENTORY_LEVEL),
                Set.of(),
                webhookTopics(),
                Set.of(),
                LISTING_POINTS,
                rateLimitProfile(),
                true,
                ShopifyWriteClient.KINDS);
    }

    /**
     * Shopify's product payloads name no currency: the mapper keeps a variant's price verbatim in its platform_fields
     * ({@code price}), where the written price shows.
     */
    @Override
    public boolean showsPrice(Product product, SetPrice price) {
        return PlatformAdapter.pricedVariants(product, price).stream()
                .anyMatch(variant -> CommandWrites.platformFieldIsAmount(
                        variant.getPlatformFields(), "price", price.getPrice().getAmount()));
    }
}
