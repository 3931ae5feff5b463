package dev.commercesync.platforms.woocommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.EventRoute;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.shared.SiteUrls;
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
import dev.commercesync.schemas.envelope.RawEnvelope;
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

/**
 * WooCommerce: webhooks signed with {@code X-WC-Webhook-Signature} (base64 HMAC-SHA256 of the body with the
 * webhook's secret), the site in {@code X-WC-Webhook-Source}, no stable event id ({@code X-WC-Webhook-Delivery-ID}
 * changes per delivery, so dedup keys are computed from the entity and its {@code date_modified_gmt}), full payloads
 * shaped like the REST API's; API: REST {@code /wp-json/wc/v3}.
 */
public final class WooCommerceAdapter implements PlatformAdapter {
    public static final String NAME = "woocommerce";

    static final String SIGNATURE_HEADER = "X-WC-Webhook-Signature";
    static final String SOURCE_HEADER = "X-WC-Webhook-Source";
    static final String TOPIC_HEADER = "X-WC-Webhook-Topic";
    static final String DELIVERY_ID_HEADER = "X-WC-Webhook-Delivery-ID";
    private static final List<String> KEPT_HEADERS = List.of(
            TOPIC_HEADER,
            SOURCE_HEADER,
            "X-WC-Webhook-Resource",
            "X-WC-Webhook-Event",
            "X-WC-Webhook-ID",
            DELIVERY_ID_HEADER,
            "User-Agent");

    private static final Map<String, EventRoute> ROUTES = routes();

    private final Map<EntityType, EntityMapper> mappers = Map.of(
            EntityType.ORDER, new WooOrderMapper(),
            EntityType.PRODUCT, new WooProductMapper(),
            EntityType.CUSTOMER, new WooCustomerMapper(),
            EntityType.REFUND, new WooRefundMapper());

    private static Map<String, EventRoute> routes() {
        Map<String, EventRoute> routes = new TreeMap<>();
        Map<String, EntityType> resources =
                Map.of("order", EntityType.ORDER, "product", EntityType.PRODUCT, "customer", EntityType.CUSTOMER);
        resources.forEach((resource, type) -> {
            routes.put(resource + ".created", EventRoute.upsert(type));
            routes.put(resource + ".updated", EventRoute.upsert(type));
            routes.put(resource + ".deleted", EventRoute.delete(type));
        });
        // Orders and products go to the trash and can be restored; customers are deleted for good.
        routes.put("order.restored", EventRoute.upsert(EntityType.ORDER));
        routes.put("product.restored", EventRoute.upsert(EntityType.PRODUCT));
        return Map.copyOf(routes);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
        // WooCommerce signs the body only, with no timestamp: the clock is not used.
        return HmacSignatures.verifyBase64Header(request, SIGNATURE_HEADER, request.body(), candidateSecrets);
    }

    @Override
    public WebhookDelivery describeDelivery(WebhookRequest request) {
        Map<String, String> kept = new TreeMap<>();
        for (String header : KEPT_HEADERS) {
            request.header(header).ifPresent(value -> kept.put(header.toLowerCase(Locale.ROOT), value));
        }
        return new WebhookDelivery(
                request.header(SOURCE_HEADER).flatMap(WooCommerceAdapter::storeOfSiteUrl),
                request.header(TOPIC_HEADER).map(String::trim),
                request.header(DELIVERY_ID_HEADER).map(String::trim),
                Optional.empty(),
                kept);
    }

    /**
     * The store id of a site URL ({@code https://Example.com/} → {@code example.com}; a WordPress in a subdirectory
     * keeps its path, {@code example.com/shop}). Scheme and trailing slash are dropped so that http/https and
     * slash variants of one site are one store.
     */
    static Optional<String> storeOfSiteUrl(String siteUrl) {
        return SiteUrls.storeId(siteUrl);
    }

    private final WooInstallFlow installFlow = new WooInstallFlow(this);

    /** REST API keys by WooCommerce's key generation endpoint ({@code /wc-auth/v1/authorize}). */
    @Override
    public Optional<InstallFlow> installFlow() {
        return Optional.of(installFlow);
    }

    @Override
    public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        Optional<EventRoute> route = route(envelope);
        if (route.isEmpty()) {
            return new Classification.UnknownEventType(envelope.getEventType());
        }
        EntityType type = route.get().entityType();
        PayloadObject root = PayloadObject.root(payload);
        String entityId = root.requiredId("id");
        String parentId = type == EntityType.REFUND ? WooRefundMapper.orderId(root) : null;
        // Refunds are immutable: their creation time is their version. Delete notifications carry only the id.
        Instant updatedAt = type == EntityType.REFUND
                ? root.utcInstant("date_created_gmt").orElse(null)
                : root.utcInstant("date_modified_gmt").orElse(null);
        return route.get().fullPayload(envelope, entityId, parentId, updatedAt);
    }

    private static Optional<EventRoute> route(RawEnvelope envelope) {
        return EventRoute.of(envelope, ROUTES, WooApiClient::entityTypeOfResource);
    }

    @Override
    public Optional<EntityMapper> mapper(EntityType entityType) {
        return Optional.ofNullable(mappers.get(entityType));
    }

    @Override
    public Set<String> webhookTopics() {
        return new TreeSet<>(ROUTES.keySet());
    }

    static final ApiVersions API_VERSIONS = ApiVersions.single("REST namespace /wp-json/wc/<version>/", "wc/v3");

    /** The API versions whose payloads this adapter's mappings read ({@code EntityMapper#apiVersionsRead}): its one. */
    static final List<String> MAPPINGS_READ = List.of(API_VERSIONS.defaultVersion());

    /** The WooCommerce REST API namespace {@code /wp-json/wc/v3/}; no announced end. */
    @Override
    public ApiVersions apiVersions() {
        return API_VERSIONS;
    }

    @Override
    public PlatformApiClient apiClient(ApiConnection connection) {
        return new WooApiClient(connection, rateLimitProfile(), Clock.systemUTC());
    }

    /** Every command kind, through REST v3 ({@link WooWriteClient}: what each kind does and does not do). */
    @Override
    public PlatformWriteClient writeClient(ApiConnection connection) {
        return new WooWriteClient(
                new WooApiClient(connection, rateLimitProfile(), Clock.systemUTC()), Clock.systemUTC());
    }

    /**
     * WooCommerce is self-hosted and its REST API documents no limit; this is a polite default for a shared host.
     * Where a limiter answers (WooCommerce's Store API limiter, host proxies), {@code RateLimit-*} headers and
     * Retry-After are read.
     */
    @Override
    public RateLimitProfile rateLimitProfile() {
        return new RateLimitProfile(
                "requests",
                10,
                5,
                Duration.ofSeconds(10),
                "RateLimit-Limit, RateLimit-Remaining, Retry-After (when a limiter sends them)");
    }

    /**
     * Lists orders, products and customers by {@code modified_after} and refunds store-wide by creation date
     * (WooApiClient); inventory lives in products (no inventory-level entity). Webhooks carry whole entities. Applies
     * every command kind (WooWriteClient).
     */
    @Override
    public PlatformCapabilities capabilities() {
        return new PlatformCapabilities(
                EnumSet.of(EntityType.ORDER, EntityType.PRODUCT, EntityType.CUSTOMER, EntityType.REFUND),
                Set.of(),
                webhookTopics(),
                Set.of(),
                1,
                rateLimitProfile(),
                true,
                WooWriteClient.KINDS);
    }

    /**
     * WooCommerce's product payloads name no currency: the mapper keeps the prices verbatim in the product's
     * platform_fields, where the fields the writer sets ({@code regular_price}, with a compare-at price also {@code
     * sale_price}) show, as its read-back checks them. A variation's price does not show in its product's events.
     */
    @Override
    public boolean showsPrice(Product product, SetPrice price) {
        String variant = price.getVariantId();
        return product.getId().equals(price.getProductId())
                && (variant == null || variant.equals(price.getProductId()))
                && WooWriteClient.priceFields(price).entrySet().stream()
                        .allMatch(field -> CommandWrites.platformFieldIsAmount(
                                product.getPlatformFields(), field.getKey(), field.getValue()));
    }
}
