package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.CommandWrites;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.shared.Timestamps;
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
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * BigCommerce. Webhooks are signed per Standard Webhooks ({@link StandardWebhooksVerifier}) and thin: {@code data}
 * names the entity ({@code {"type": "order", "id": 250}}), so every upsert webhook becomes a fetch request and the
 * mappers map the API resources the poller fetches (v2 orders and shipments, v3 catalog products, customers and
 * refunds, v3 inventory items at a location). The store is the hash in the payload's {@code producer} ({@code stores/{store_hash}}), the same hash as in
 * the API's base URL.
 *
 * <p>Dedup: the Standard Webhooks {@code webhook-id} (the same across retries of one event). Without it (deliveries
 * from before BigCommerce's Standard Webhooks signing), the payload {@code hash} with {@code created_at}: the hash alone
 * is a SHA-1 of the thin {@code data}, identical for two different updates of one entity, so it cannot stand alone.
 */
public final class BigCommerceAdapter implements PlatformAdapter {
    public static final String NAME = "bigcommerce";

    /** BigCommerce's documented default: 150 requests per 30 s window per store, shared by every app. */
    static final RateLimitProfile RATE_LIMIT_PROFILE = new RateLimitProfile(
            "requests",
            150,
            150.0 / 30.0,
            Duration.ofSeconds(15),
            "X-Rate-Limit-Requests-Left, X-Rate-Limit-Requests-Quota, X-Rate-Limit-Time-Window-Ms,"
                    + " X-Rate-Limit-Time-Reset-Ms");

    /** Scopes this adapter classifies, with what they mean. */
    private static final Map<String, Scope> SCOPES = scopes();

    private final StandardWebhooksVerifier verifier;
    private final Map<EntityType, EntityMapper> mappers = new TreeMap<>();

    public BigCommerceAdapter() {
        this(StandardWebhooksVerifier.DEFAULT_TOLERANCE);
    }

    /** @param timestampTolerance how far {@code webhook-timestamp} may be from now (default 5 minutes) */
    public BigCommerceAdapter(Duration timestampTolerance) {
        this.verifier = new StandardWebhooksVerifier(timestampTolerance);
        for (EntityMapper mapper : List.of(
                new BigCommerceOrderMapper(),
                new BigCommerceProductMapper(),
                new BigCommerceCustomerMapper(),
                new BigCommerceShipmentMapper(),
                new BigCommerceRefundMapper(),
                new BigCommerceInventoryLevelMapper())) {
            mappers.put(mapper.entityType(), mapper);
        }
    }

    /** What a scope means and how to read its ids from {@code data}. */
    private record Scope(EntityType type, Operation operation, IdReader id, IdReader parentId) {}

    /** Reads an id from the webhook's {@code data} object. */
    @FunctionalInterface
    private interface IdReader {
        String read(PayloadObject data) throws MappingException;
    }

    /** The id at this path inside {@code data}. */
    private static IdReader at(String... fields) {
        return data -> idAt(data, fields);
    }

    private static Map<String, Scope> scopes() {
        Map<String, Scope> s = new LinkedHashMap<>();
        IdReader dataId = at("id");
        for (String scope : List.of(
                "store/order/created",
                "store/order/updated",
                "store/order/statusUpdated",
                "store/order/archived",
                "store/order/message/created")) {
            // archived: the order still exists (GET returns it with is_deleted), so it is an upsert to ARCHIVED
            s.put(scope, new Scope(EntityType.ORDER, Operation.UPSERT, dataId, null));
        }
        s.put(
                "store/order/refund/created",
                new Scope(EntityType.REFUND, Operation.UPSERT, at("refund", "refund_id"), dataId));
        s.put("store/product/created", new Scope(EntityType.PRODUCT, Operation.UPSERT, dataId, null));
        s.put("store/product/updated", new Scope(EntityType.PRODUCT, Operation.UPSERT, dataId, null));
        s.put("store/product/deleted", new Scope(EntityType.PRODUCT, Operation.DELETE, dataId, null));
        // Inventory webhooks name the product (product-level stock) or variant whose stock changed, at no location:
        // the level fetched is the default location's (BigCommerceInventoryLevelMapper).
        IdReader productLevel = data -> BigCommerceInventoryLevelMapper.productLevelRequestId(
                idAt(data, "id"), BigCommerceInventoryLevelMapper.DEFAULT_LOCATION_ID);
        IdReader variantLevel = data -> BigCommerceInventoryLevelMapper.levelId(
                idAt(data, "inventory", "variant_id"), BigCommerceInventoryLevelMapper.DEFAULT_LOCATION_ID);
        IdReader product = at("inventory", "product_id");
        for (String scope : List.of("store/product/inventory/updated", "store/product/inventory/order/updated")) {
            s.put(scope, new Scope(EntityType.INVENTORY_LEVEL, Operation.UPSERT, productLevel, null));
        }
        for (String scope : List.of("store/sku/inventory/updated", "store/sku/inventory/order/updated")) {
            s.put(scope, new Scope(EntityType.INVENTORY_LEVEL, Operation.UPSERT, variantLevel, product));
        }
        s.put("store/customer/created", new Scope(EntityType.CUSTOMER, Operation.UPSERT, dataId, null));
        s.put("store/customer/updated", new Scope(EntityType.CUSTOMER, Operation.UPSERT, dataId, null));
        s.put("store/customer/deleted", new Scope(EntityType.CUSTOMER, Operation.DELETE, dataId, null));
        IdReader addressOwner = at("address", "customer_id");
        for (String scope : List.of(
                "store/customer/address/created", "store/customer/address/updated", "store/customer/address/deleted")) {
            // an address change changes the customer (addresses are part of the canonical Customer)
            s.put(scope, new Scope(EntityType.CUSTOMER, Operation.UPSERT, addressOwner, null));
        }
        IdReader orderId = at("orderId");
        s.put("store/shipment/created", new Scope(EntityType.SHIPMENT, Operation.UPSERT, dataId, orderId));
        s.put("store/shipment/updated", new Scope(EntityType.SHIPMENT, Operation.UPSERT, dataId, orderId));
        s.put("store/shipment/deleted", new Scope(EntityType.SHIPMENT, Operation.DELETE, dataId, orderId));
        return Map.copyOf(s);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A store hash ({@code producer: "stores/<hash>"}): short, letters, digits, '-' and '_'. */
    private static final Pattern STORE_HASH = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Every store's REST API is {@code https://api.bigcommerce.com/stores/<hash>/...}. */
    static final String API_HOST = "api.bigcommerce.com";

    private final BigCommerceInstallFlow installFlow = new BigCommerceInstallFlow(this);

    /** The single-click app's install (OAuth code grant) and its signed load and uninstall callbacks. */
    @Override
    public Optional<InstallFlow> installFlow() {
        return Optional.of(installFlow);
    }

    @Override
    public boolean isValidStoreId(String storeId) {
        return storeId != null && STORE_HASH.matcher(storeId).matches();
    }

    @Override
    public Optional<String> apiHostProblem(URI apiBaseUrl) {
        return API_HOST.equalsIgnoreCase(apiBaseUrl.getHost())
                ? Optional.empty()
                : Optional.of("must be on https://" + API_HOST);
    }

    @Override
    public VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
        return verifier.verify(request, candidateSecrets, clock);
    }

    @Override
    public WebhookDelivery describeDelivery(WebhookRequest request) {
        Optional<String> store = Optional.empty();
        Optional<String> scope = Optional.empty();
        try {
            JsonNode payload = Json.parseObject(request.body());
            store = storeHash(payload);
            scope = PayloadObject.root(payload).text("scope");
        } catch (MappingException e) {
            // not JSON: the delivery cannot be filed (empty store and type); the ingest rejects it
        }
        Optional<String> webhookId = request.header(StandardWebhooksVerifier.ID_HEADER)
                .map(String::trim)
                .filter(v -> !v.isEmpty());
        Map<String, String> keep = new TreeMap<>();
        webhookId.ifPresent(id -> keep.put(StandardWebhooksVerifier.ID_HEADER, id));
        request.header(StandardWebhooksVerifier.TIMESTAMP_HEADER)
                .ifPresent(ts -> keep.put(StandardWebhooksVerifier.TIMESTAMP_HEADER, ts));
        return new WebhookDelivery(store, scope, webhookId, webhookId, keep);
    }

    /** The store hash of {@code producer: "stores/{store_hash}"}. */
    static Optional<String> storeHash(JsonNode payload) {
        String producer = payload.path("producer").asText("");
        if (!producer.startsWith("stores/") || producer.length() == "stores/".length()) {
            return Optional.empty();
        }
        return Optional.of(producer.substring("stores/".length()));
    }

    @Override
    public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        if (envelope.getEntityType() != null) {
            return classifyFetched(envelope, payload);
        }
        PayloadObject root = PayloadObject.root(payload);
        // The envelope's event type is what the ingest filed (from the delivery); the payload's scope is the fallback.
        String scopeName =
                envelope.getEventType() != null && !envelope.getEventType().isBlank()
                        ? envelope.getEventType()
                        : root.text("scope").orElse("");
        Scope scope = SCOPES.get(scopeName);
        if (scope == null) {
            return new Classification.UnknownEventType(scopeName);
        }
        PayloadObject data = root.requiredObject("data");
        String id = scope.id().read(data);
        String parentId = scope.parentId() == null ? null : scope.parentId().read(data);
        Optional<Long> createdAt = root.wholeNumber("created_at");
        Optional<Instant> eventTime = createdAt.isEmpty()
                ? Optional.empty()
                : Optional.of(Timestamps.epochSeconds(createdAt.get(), root.path("created_at")));
        String dedupKey;
        if (envelope.getPlatformEventId() != null) {
            dedupKey = EventKeys.fromPlatformEventId(NAME, envelope.getStore(), envelope.getPlatformEventId());
        } else {
            String hash = root.requiredText("hash");
            dedupKey = EventKeys.fromPlatformEventId(
                    NAME,
                    envelope.getStore(),
                    hash + "@" + eventTime.map(Instant::getEpochSecond).orElse(0L));
        }
        boolean delete = scope.operation() == Operation.DELETE;
        return new Classification.Classified(
                scope.type(),
                scope.operation(),
                id,
                parentId,
                // Thin upserts carry no entity updated-at; a delete's event time is when the entity went away.
                delete ? eventTime.orElse(null) : null,
                dedupKey,
                delete ? PayloadKind.FULL : PayloadKind.THIN);
    }

    private static String idAt(PayloadObject data, String... fields) throws MappingException {
        PayloadObject object = data;
        for (int i = 0; i < fields.length - 1; i++) {
            object = object.requiredObject(fields[i]);
        }
        return object.requiredId(fields[fields.length - 1]);
    }

    /** A resource the poller fetched (entity type set by the poller): full state, keyed by its updated-at. */
    private Classification classifyFetched(RawEnvelope envelope, JsonNode payload) throws MappingException {
        EntityType type = envelope.getEntityType();
        PayloadObject entity = BigCommercePayloads.entity(payload);
        if (type == EntityType.INVENTORY_LEVEL) {
            // Inventory items have no updated-at: the version is the read itself (EventKeys.readAt).
            String id = BigCommerceInventoryLevelMapper.levelId(entity);
            return new Classification.Classified(
                    type,
                    Operation.UPSERT,
                    id,
                    null,
                    null,
                    EventKeys.readAt(NAME, envelope.getStore(), type, id, envelope.getReceivedAt()),
                    PayloadKind.FULL);
        }
        String id = entity.requiredId("id");
        String parentId = null;
        Instant updatedAt;
        switch (type) {
            case ORDER ->
                updatedAt = BigCommercePayloads.rfc2822(entity, "date_modified").orElse(null);
            case SHIPMENT -> {
                parentId = entity.requiredId("order_id");
                updatedAt = BigCommercePayloads.rfc2822(entity, "date_created").orElse(null);
            }
            case REFUND -> {
                parentId = entity.requiredId("order_id");
                updatedAt = entity.instant("created").orElse(null);
            }
            default -> updatedAt = entity.instant("date_modified").orElse(null);
        }
        String dedupKey = EventKeys.computed(NAME, envelope.getStore(), type, id, updatedAt, Operation.UPSERT);
        return new Classification.Classified(
                type, Operation.UPSERT, id, parentId, updatedAt, dedupKey, PayloadKind.FULL);
    }

    @Override
    public Optional<EntityMapper> mapper(EntityType entityType) {
        return Optional.ofNullable(mappers.get(entityType));
    }

    @Override
    public Set<String> webhookTopics() {
        return Set.copyOf(SCOPES.keySet());
    }

    static final ApiVersions API_VERSIONS =
            ApiVersions.single("per-resource path version: /v2/ (orders, shipments), /v3/ (the rest)", "v2+v3");

    /** The API versions whose payloads this adapter's mappings read ({@code EntityMapper#apiVersionsRead}): its one. */
    static final List<String> MAPPINGS_READ = List.of(API_VERSIONS.defaultVersion());

    /**
     * BigCommerce versions resources, not releases: orders and shipments are {@code /v2/}, catalog, inventory,
     * customers and webhooks {@code /v3/}. One combination, no announced end.
     */
    @Override
    public ApiVersions apiVersions() {
        return API_VERSIONS;
    }

    @Override
    public PlatformApiClient apiClient(ApiConnection connection) {
        return new BigCommerceApiClient(connection, Clock.systemUTC());
    }

    /** Applies every command kind through the REST API (BigCommerceWriteClient). */
    @Override
    public PlatformWriteClient writeClient(ApiConnection connection) {
        return new BigCommerceWriteClient(connection, Clock.systemUTC());
    }

    @Override
    public RateLimitProfile rateLimitProfile() {
        return RATE_LIMIT_PROFILE;
    }

    /**
     * Lists orders (v2 {@code min_date_modified}), products and customers ({@code date_modified:min}) and refunds
     * store-wide ({@code created:min}), shipments by {@code date_created} through the orders modified since the range's
     * start (one more request per shipped order); inventory levels have no updated-at in the Inventory API, so they are listed
     * only as a snapshot (BigCommerceApiClient). Every upsert webhook is thin: it names the entity, which is fetched.
     */
    /** The marker BigCommerce's payloads echo: a shipment's {@code comments}, where the writer names the command (the shipments the poller fetches carry them). */
    @Override
    public Optional<String> commandMarker(org.apache.avro.specific.SpecificRecord entity) {
        return CommandWrites.shipmentMarker(entity, "comments");
    }

    @Override
    public PlatformCapabilities capabilities() {
        Set<EntityType> thin = EnumSet.noneOf(EntityType.class);
        SCOPES.values().stream()
                .filter(scope -> scope.operation() != Operation.DELETE)
                .forEach(scope -> thin.add(scope.type()));
        return new PlatformCapabilities(
                EnumSet.of(
                        EntityType.ORDER,
                        EntityType.PRODUCT,
                        EntityType.CUSTOMER,
                        EntityType.REFUND,
                        EntityType.SHIPMENT),
                EnumSet.of(EntityType.INVENTORY_LEVEL),
                webhookTopics(),
                thin,
                1,
                rateLimitProfile(),
                true,
                BigCommerceWriteClient.KINDS);
    }
}
