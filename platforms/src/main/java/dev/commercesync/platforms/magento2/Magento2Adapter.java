package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.CommandWrites;
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
 * Adobe Commerce (Magento 2) through Adobe I/O Events and the Commerce REST API.
 *
 * <p>Webhooks are I/O Events deliveries (CloudEvents 1.0 JSON) signed with RSA-SHA256 ({@link AdobeIoEventsVerifier};
 * the candidate secrets are the PEM public keys). The store is the event provider id of the CloudEvent {@code
 * source} ({@code urn:uuid:<provider id>}): every Commerce instance registers its own I/O event provider, whereas the
 * {@code recipient_client_id} names the receiving Developer Console project, which may serve several instances. The
 * dedup key is the I/O event id ({@code x-adobe-event-id}, equal to the payload's {@code event_id}).
 *
 * <p>Observer events carry the fields the subscription chose ({@code data.value}). A product or order event that
 * carries what its mapper needs (product: sku and name; order: entity_id, order_currency_code, grand_total,
 * created_at) is FULL and mapped as is; otherwise it is PARTIAL and becomes a fetch request. The MSI source items save
 * (plugin event) is THIN: the item is read as it is now. Polled REST resources (orders, products, MSI source items)
 * are FULL.
 */
public final class Magento2Adapter implements PlatformAdapter {
    public static final String NAME = "magento2";

    static final String EVENT_ID_HEADER = "x-adobe-event-id";
    static final String EVENT_CODE_HEADER = "x-adobe-event-code";
    static final String DELIVERY_ID_HEADER = "x-adobe-delivery-id";
    static final String RETRY_COUNT_HEADER = "x-adobe-retry-count";

    /**
     * Adobe Commerce documents no REST rate limit of its own (Cloud fronts it with Fastly, which answers 429 with
     * Retry-After when throttling); this default keeps a poller from hammering a merchant's shop. No quota headers.
     */
    static final RateLimitProfile RATE_LIMIT_PROFILE =
            new RateLimitProfile("requests", 20, 10.0, Duration.ofSeconds(10), "none (Retry-After on 429 only)");

    /**
     * The plugin event of {@code Magento\InventoryApi\Api\SourceItemsSaveInterface::execute}: {@code data.value} holds
     * its argument, {@code sourceItems} (sku, source_code, quantity, status). It carries no version, and a delivery the
     * I/O Events service retries may arrive after a later save: the adapter classifies it THIN, so the poller reads
     * the item as it is now and the read's time versions it, as for polled and reconciled source items.
     */
    static final String SOURCE_ITEMS_SAVE = "plugin.magento.inventory_api.api.source_items_save.execute";

    private static final String EVENT_TYPE_PREFIX = "com.adobe.commerce.";

    /** What each mapper needs of an observer event's {@code data.value} to map it without a fetch. */
    private static final Map<EntityType, List<String>> REQUIRED = Map.of(
            EntityType.ORDER, List.of("entity_id", "order_currency_code", "grand_total", "created_at"),
            EntityType.PRODUCT, List.of("sku", "name"),
            // the customer model carries no addresses: a save event is mapped as is only if the subscription adds them
            EntityType.CUSTOMER, List.of("email", "firstname", "lastname", "addresses", "created_at", "updated_at"),
            EntityType.SHIPMENT, List.of("entity_id", "order_id", "items", "tracks", "created_at"),
            EntityType.REFUND, List.of("entity_id", "order_id", "order_currency_code", "grand_total", "items"));

    /**
     * Event names (after {@code com.adobe.commerce.}) this adapter classifies: Magento's observer (model) events {@code
     * <event prefix>_save_after}, {@code _save_commit_after}, {@code _delete_after}, {@code _delete_commit_after} of
     * the product, order ({@code sales_order}), customer, shipment ({@code sales_order_shipment}) and credit memo
     * ({@code sales_order_creditmemo}) models, and the plugin event of MSI's {@code SourceItemsSaveInterface::execute}
     * (every source item save, from the admin, the REST API or an import): source items have no model event and no
     * updated_at, so that event is thin ({@link #SOURCE_ITEMS_SAVE}).
     */
    private static final Map<String, EventMeaning> EVENTS = Map.ofEntries(
            Map.entry(
                    "observer.catalog_product_save_commit_after",
                    new EventMeaning(EntityType.PRODUCT, Operation.UPSERT)),
            Map.entry("observer.catalog_product_save_after", new EventMeaning(EntityType.PRODUCT, Operation.UPSERT)),
            Map.entry(
                    "observer.catalog_product_delete_commit_after",
                    new EventMeaning(EntityType.PRODUCT, Operation.DELETE)),
            Map.entry("observer.catalog_product_delete_after", new EventMeaning(EntityType.PRODUCT, Operation.DELETE)),
            Map.entry("observer.sales_order_save_commit_after", new EventMeaning(EntityType.ORDER, Operation.UPSERT)),
            Map.entry("observer.sales_order_save_after", new EventMeaning(EntityType.ORDER, Operation.UPSERT)),
            Map.entry("observer.sales_order_place_after", new EventMeaning(EntityType.ORDER, Operation.UPSERT)),
            Map.entry("observer.customer_save_commit_after", new EventMeaning(EntityType.CUSTOMER, Operation.UPSERT)),
            Map.entry("observer.customer_save_after", new EventMeaning(EntityType.CUSTOMER, Operation.UPSERT)),
            Map.entry("observer.customer_delete_commit_after", new EventMeaning(EntityType.CUSTOMER, Operation.DELETE)),
            Map.entry("observer.customer_delete_after", new EventMeaning(EntityType.CUSTOMER, Operation.DELETE)),
            Map.entry(
                    "observer.sales_order_shipment_save_commit_after",
                    new EventMeaning(EntityType.SHIPMENT, Operation.UPSERT)),
            Map.entry(
                    "observer.sales_order_shipment_save_after",
                    new EventMeaning(EntityType.SHIPMENT, Operation.UPSERT)),
            Map.entry(
                    "observer.sales_order_creditmemo_save_commit_after",
                    new EventMeaning(EntityType.REFUND, Operation.UPSERT)),
            Map.entry(
                    "observer.sales_order_creditmemo_save_after",
                    new EventMeaning(EntityType.REFUND, Operation.UPSERT)),
            Map.entry(SOURCE_ITEMS_SAVE, new EventMeaning(EntityType.INVENTORY_LEVEL, Operation.UPSERT)));

    private record EventMeaning(EntityType type, Operation operation) {}

    private final AdobeIoEventsVerifier verifier = new AdobeIoEventsVerifier();
    private final Map<EntityType, EntityMapper> mappers = new TreeMap<>();

    public Magento2Adapter() {
        for (EntityMapper mapper : List.of(
                new Magento2OrderMapper(),
                new Magento2ProductMapper(),
                new Magento2SourceItemMapper(),
                new Magento2CustomerMapper(),
                new Magento2ShipmentMapper(),
                new Magento2RefundMapper())) {
            mappers.put(mapper.entityType(), mapper);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @param candidateSecrets {@code {"client_id": <Developer Console project client id>, "public_key": <PEM>}} each
     * @param clock the CloudEvent time must be recent ({@link AdobeIoEventsVerifier})
     */
    @Override
    public VerificationResult verifyWebhook(WebhookRequest request, List<WebhookSecret> candidateSecrets, Clock clock) {
        return verifier.verify(request, candidateSecrets, clock);
    }

    @Override
    public WebhookDelivery describeDelivery(WebhookRequest request) {
        Optional<String> store = Optional.empty();
        Optional<String> type = Optional.empty();
        Optional<String> payloadEventId = Optional.empty();
        try {
            JsonNode payload = Json.parseObject(request.body());
            store = provider(payload);
            PayloadObject root = PayloadObject.root(payload);
            type = root.text("type");
            payloadEventId = root.text("event_id");
        } catch (MappingException e) {
            // not JSON: no store, no type; the ingest rejects the delivery
        }
        Optional<String> eventId = header(request, EVENT_ID_HEADER).or(() -> Optional.empty());
        if (eventId.isEmpty()) {
            eventId = payloadEventId;
        }
        Map<String, String> keep = new TreeMap<>();
        for (String name : List.of(EVENT_ID_HEADER, EVENT_CODE_HEADER, DELIVERY_ID_HEADER, RETRY_COUNT_HEADER)) {
            header(request, name).ifPresent(value -> keep.put(name, value));
        }
        if (type.isEmpty()) {
            type = header(request, EVENT_CODE_HEADER);
        }
        return new WebhookDelivery(store, type, header(request, DELIVERY_ID_HEADER), eventId, keep);
    }

    private static Optional<String> header(WebhookRequest request, String name) {
        return request.header(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The event provider id of the CloudEvent {@code source} ({@code urn:uuid:<id>}, or the bare value). */
    static Optional<String> provider(JsonNode payload) {
        String source = payload.path("source").asText("").trim();
        if (source.startsWith("urn:uuid:")) {
            source = source.substring("urn:uuid:".length());
        }
        return source.isEmpty() ? Optional.empty() : Optional.of(source);
    }

    /**
     * The event name of an I/O event type, {@code observer.<name>} or {@code plugin.<name>}, from {@code
     * com.adobe.commerce.observer.<name>} (or an event code with another prefix before {@code observer.}/{@code
     * plugin.}).
     */
    static Optional<String> eventName(String eventType) {
        if (eventType == null) {
            return Optional.empty();
        }
        int at = Math.max(eventType.lastIndexOf("observer."), eventType.indexOf("plugin."));
        return at < 0 ? Optional.empty() : Optional.of(eventType.substring(at));
    }

    @Override
    public Classification classify(RawEnvelope envelope, JsonNode payload) throws MappingException {
        if (envelope.getEntityType() != null) {
            return classifyFetched(envelope, payload);
        }
        PayloadObject root = PayloadObject.root(payload);
        String eventType =
                envelope.getEventType() != null && !envelope.getEventType().isBlank()
                        ? envelope.getEventType()
                        : root.text("type").orElse("");
        EventMeaning meaning = eventName(eventType).map(EVENTS::get).orElse(null);
        if (meaning == null) {
            return new Classification.UnknownEventType(eventType);
        }
        PayloadObject value = Magento2Payloads.entity(payload);
        if (meaning.type() == EntityType.INVENTORY_LEVEL) {
            return classifySourceItemsSave(envelope, value);
        }
        String id = entityId(meaning.type(), value);
        String parentId = parentId(meaning.type(), value);
        Instant updatedAt = value.utcInstant("updated_at").orElse(null);
        // describeDelivery filed the I/O event id (x-adobe-event-id, else the payload's event_id) on the envelope.
        String eventId = envelope.getPlatformEventId();
        String dedupKey = eventId != null
                ? EventKeys.fromPlatformEventId(NAME, envelope.getStore(), eventId)
                : EventKeys.computed(NAME, envelope.getStore(), meaning.type(), id, updatedAt, meaning.operation());
        PayloadKind kind;
        if (meaning.operation() == Operation.DELETE) {
            kind = PayloadKind.FULL;
        } else {
            kind = REQUIRED.get(meaning.type()).stream().allMatch(value::has) ? PayloadKind.FULL : PayloadKind.PARTIAL;
        }
        return new Classification.Classified(
                meaning.type(), meaning.operation(), id, parentId, updatedAt, dedupKey, kind);
    }

    /**
     * A source items save names the item it saved: THIN, fetched by {@code <sku>@<source_code>}. A save of several
     * items at once (an import) is one event the pipeline cannot split: it is quarantined with that reason, and the
     * reconciler's snapshot comparison of source items brings those items in.
     */
    private static Classification classifySourceItemsSave(RawEnvelope envelope, PayloadObject value)
            throws MappingException {
        List<PayloadObject> items = value.objects("sourceItems");
        if (items.size() != 1) {
            throw MappingException.field(
                    "data.value.sourceItems",
                    "a save of " + items.size() + " source items (one is mapped per event; the reconciler's snapshot"
                            + " of source items compares the rest)");
        }
        String id = Magento2SourceItemMapper.levelId(items.get(0));
        String eventId = envelope.getPlatformEventId();
        String dedupKey = eventId != null
                ? EventKeys.fromPlatformEventId(NAME, envelope.getStore(), eventId)
                : EventKeys.readAt(NAME, envelope.getStore(), EntityType.INVENTORY_LEVEL, id, envelope.getReceivedAt());
        return new Classification.Classified(
                EntityType.INVENTORY_LEVEL, Operation.UPSERT, id, null, null, dedupKey, PayloadKind.THIN);
    }

    /** The canonical id: the SKU of a product, the customer's id, otherwise {@code entity_id}. */
    private static String entityId(EntityType type, PayloadObject entity) throws MappingException {
        return switch (type) {
            case PRODUCT -> entity.requiredText("sku");
            case CUSTOMER -> Magento2CustomerMapper.customerId(entity);
            default -> entity.requiredId("entity_id");
        };
    }

    /** Shipments and credit memos belong to an order ({@code order_id}), when the payload names it. */
    private static String parentId(EntityType type, PayloadObject entity) throws MappingException {
        return type == EntityType.SHIPMENT || type == EntityType.REFUND
                ? entity.id("order_id").orElse(null)
                : null;
    }

    private static Classification classifyFetched(RawEnvelope envelope, JsonNode payload) throws MappingException {
        EntityType type = envelope.getEntityType();
        PayloadObject entity = Magento2Payloads.entity(payload);
        String id;
        Instant updatedAt;
        switch (type) {
            case ORDER, PRODUCT, CUSTOMER, SHIPMENT, REFUND -> {
                id = entityId(type, entity);
                updatedAt = entity.utcInstant("updated_at").orElse(null);
            }
            case INVENTORY_LEVEL -> {
                id = Magento2SourceItemMapper.levelId(entity);
                updatedAt = null; // source items have no updated_at
            }
            default -> {
                return new Classification.UnknownEventType(envelope.getEventType());
            }
        }
        String dedupKey = updatedAt == null
                // Source items have no updated_at: the version is the read itself (a quantity may return to an
                // earlier value, which must not deduplicate against the earlier read).
                ? EventKeys.readAt(NAME, envelope.getStore(), type, id, envelope.getReceivedAt())
                : EventKeys.computed(NAME, envelope.getStore(), type, id, updatedAt, Operation.UPSERT);
        return new Classification.Classified(
                type, Operation.UPSERT, id, parentId(type, entity), updatedAt, dedupKey, PayloadKind.FULL);
    }

    @Override
    public Optional<EntityMapper> mapper(EntityType entityType) {
        return Optional.ofNullable(mappers.get(entityType));
    }

    @Override
    public Set<String> webhookTopics() {
        Set<String> topics = new java.util.TreeSet<>();
        EVENTS.keySet().forEach(name -> topics.add(EVENT_TYPE_PREFIX + name));
        return Set.copyOf(topics);
    }

    private final Magento2InstallFlow installFlow = new Magento2InstallFlow(this, Clock.systemUTC());

    /** An integration's activation (OAuth 1.0a token exchange) or its pasted values ({@link Magento2InstallFlow}). */
    @Override
    public Optional<InstallFlow> installFlow() {
        return Optional.of(installFlow);
    }

    static final ApiVersions API_VERSIONS = ApiVersions.single("REST path /rest/<store view>/V1/", "V1");

    /** The API versions whose payloads this adapter's mappings read ({@code EntityMapper#apiVersionsRead}): its one. */
    static final List<String> MAPPINGS_READ = List.of(API_VERSIONS.defaultVersion());

    /** Adobe Commerce's REST API {@code /rest/<store view>/V1/}: one version, following the store's release. */
    @Override
    public ApiVersions apiVersions() {
        return API_VERSIONS;
    }

    @Override
    public PlatformApiClient apiClient(ApiConnection connection) {
        return new Magento2ApiClient(connection, Clock.systemUTC());
    }

    /** Every command kind, through the REST API ({@link Magento2WriteClient}: what each kind does and does not do). */
    @Override
    public PlatformWriteClient writeClient(ApiConnection connection) {
        return new Magento2WriteClient(new Magento2ApiClient(connection, Clock.systemUTC()), Clock.systemUTC());
    }

    @Override
    public RateLimitProfile rateLimitProfile() {
        return RATE_LIMIT_PROFILE;
    }

    /**
     * Lists orders, products, customers, shipments and credit memos by {@code updated_at} (searchCriteria,
     * Magento2ApiClient); MSI source items have no updated-at and are listed as a snapshot (reconciled by content).
     * Observer events carry the entity (partial ones are fetched); source items saves are thin ({@link
     * #SOURCE_ITEMS_SAVE}). Applies every command kind (Magento2WriteClient; some statuses of UPDATE_ORDER_STATUS are
     * rejected as UNSUPPORTED).
     */
    /** The marker Adobe Commerce's payloads echo: a shipment's {@code comments}, one of which the writer adds naming the command. */
    @Override
    public Optional<String> commandMarker(org.apache.avro.specific.SpecificRecord entity) {
        return CommandWrites.shipmentMarker(entity, "comments");
    }

    @Override
    public PlatformCapabilities capabilities() {
        return new PlatformCapabilities(
                EnumSet.of(
                        EntityType.ORDER,
                        EntityType.PRODUCT,
                        EntityType.CUSTOMER,
                        EntityType.SHIPMENT,
                        EntityType.REFUND),
                EnumSet.of(EntityType.INVENTORY_LEVEL),
                webhookTopics(),
                Set.of(EntityType.INVENTORY_LEVEL),
                1,
                rateLimitProfile(),
                false,
                Magento2WriteClient.KINDS);
    }
}
