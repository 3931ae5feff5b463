package dev.commercesync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.platforms.spi.WebhookSubscription;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.simulator.dialect.Dialects;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each platform adapter's real API client against its simulated store. */
class SimulatedApiTest {
    private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");
    private static final PlatformRegistry REGISTRY = PlatformRegistry.loadInstalled();
    private static Simulator simulator;

    @BeforeAll
    static void start() throws Exception {
        simulator = Simulator.start(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private static SimulatedStore store(String platform, String key, boolean rateLimits) {
        SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, key)
                .seed(7)
                .catalog(30, 15)
                .rateLimits(rateLimits)
                .build());
        store.step(80);
        return store;
    }

    private static PlatformApiClient client(SimulatedStore store) {
        return REGISTRY.get(store.platform()).apiClient(store.apiConnection());
    }

    /** Every platform with a simulator dialect. */
    static List<String> platforms() {
        return Dialects.names();
    }

    /** The platforms whose stores send webhooks (all but Amazon: its notifications go to SQS or EventBridge). */
    static List<String> platformsWithWebhooks() {
        return Dialects.names().stream()
                .filter(name -> Dialects.get(name).pushesWebhooks())
                .toList();
    }

    static List<String> platformsWithoutWebhooks() {
        return Dialects.names().stream()
                .filter(name -> !Dialects.get(name).pushesWebhooks())
                .toList();
    }

    /** The platforms whose store API manages webhook subscriptions, as their adapters declare. */
    static List<String> platformsWithWebhookApi() {
        return Dialects.names().stream()
                .filter(name -> REGISTRY.get(name).capabilities().subscriptionsThroughApi())
                .toList();
    }

    /**
     * The types each platform lists by updated-at or created-at (what the poller polls and the reconciler compares),
     * as its adapter declares them.
     */
    private static List<EntityType> listable(String platform) {
        return List.copyOf(REGISTRY.get(platform).capabilities().listedByUpdatedAt());
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void listsEveryChangedEntityOnceOverSeveralPages(String platform) throws Exception {
        SimulatedStore store = store(platform, platform + "-list", false);
        PlatformApiClient client = client(store);
        StoreSnapshot truth = store.snapshot();
        for (EntityType type : listable(platform)) {
            List<String> ids = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                ApiResponse<ChangedPage> page = client.listChanged(new ListChangedRequest(type, LONG_AGO, cursor, 7));
                page.value().entities().forEach(e -> ids.add(e.id()));
                for (ChangedEntity entity : page.value().entities()) {
                    assertEquals(
                            truth.find(type, entity.id()).orElseThrow().updatedAt(),
                            entity.updatedAt(),
                            type + " " + entity.id() + " updated-at");
                    if (entity.body().isEmpty()) { // named only: fetched by id (through its parent, if it has one)
                        assertTrue(
                                client.getById(type, entity.id(), entity.parentId())
                                        .value()
                                        .isPresent(),
                                type + " " + entity.id() + " fetched by id under " + entity.parentId());
                    }
                }
                cursor = page.value().nextPageCursor().orElse(null);
                pages++;
            } while (cursor != null && pages < 100);
            if (truth.count(type) > 14) {
                assertTrue(pages > 2, type + " should need several pages, took " + pages);
            }
            assertEquals(ids.size(), new HashSet<>(ids).size(), type + " ids listed twice: " + ids);
            assertEquals(
                    truth.of(type).stream().map(StoreSnapshot.EntityVersion::id).collect(Collectors.toSet()),
                    new HashSet<>(ids),
                    type + " listing");
        }
        // since a point in time: only what changed at or after it
        StoreSnapshot.EntityVersion newest = truth.of(EntityType.ORDER).stream()
                .max((a, b) -> a.updatedAt().compareTo(b.updatedAt()))
                .orElseThrow();
        List<ChangedEntity> recent = client.listChanged(new ListChangedRequest(
                        EntityType.ORDER, newest.updatedAt().minusSeconds(1), null, 50))
                .value()
                .entities();
        assertFalse(recent.isEmpty());
        assertTrue(recent.size() < truth.count(EntityType.ORDER), "a later since lists fewer orders");
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void getsByIdInTheShapeTheMappersRead(String platform) throws Exception {
        SimulatedStore store = store(platform, platform + "-get", false);
        PlatformApiClient client = client(store);
        Normalization normalization = new Normalization(REGISTRY);
        StoreSnapshot truth = store.snapshot();
        // Every type the adapter lists and maps: WooCommerce keeps stock on the product and has no shipments; Amazon
        // lists orders; eBay orders, shipments and stock levels (its customer mapping reads account deletions only).
        List<EntityType> types = REGISTRY.get(platform).capabilities().reconcilable().stream()
                .filter(type -> REGISTRY.get(platform).mapper(type).isPresent())
                .sorted()
                .toList();
        assertTrue(types.contains(EntityType.ORDER), "every platform maps orders");
        for (EntityType type : types) {
            List<StoreSnapshot.EntityVersion> entities = truth.of(type);
            assertFalse(entities.isEmpty(), "the store has " + type + "s");
            for (StoreSnapshot.EntityVersion entity : entities.subList(0, Math.min(3, entities.size()))) {
                Optional<JsonNode> body =
                        client.getById(type, entity.id(), entity.parentId()).value();
                assertTrue(body.isPresent(), type + " " + entity.id() + " by id");
                NormalizationOutcome outcome = normalization.normalize(polled(store, type, body.get()));
                NormalizationOutcome.Events events =
                        assertInstanceOf(NormalizationOutcome.Events.class, outcome, type + " normalizes: " + outcome);
                assertFalse(events.canonicalEvents().isEmpty());
                assertTrue(
                        events.canonicalEvents().get(0).toString().contains(entity.id()),
                        "the event names " + type + " " + entity.id());
            }
        }
        assertTrue(client.getById(EntityType.ORDER, "999999999", null).value().isEmpty(), "unknown id → empty");
    }

    /**
     * Shopify's fetch by id is GraphQL only ({@code order(id:)} …, nested connections paged) and maps, for every type,
     * to the same canonical entity as the store's REST answer, whose shape is its webhooks': all but platform_fields
     * (GraphQL names fewer extras) and the fields GraphQL lacks (platforms/README.md: a refund's processed_at and
     * restock, a fulfillment's destination).
     */
    @Test
    void shopifyFetchesByIdThroughGraphqlAndMapsAsTheRestShape() throws Exception {
        SimulatedStore store = store("shopify", "shopify-graphql-get", false);
        store.step(200); // refunds and shipments too
        PlatformApiClient client = client(store);
        Normalization normalization = new Normalization(REGISTRY);
        StoreSnapshot truth = store.snapshot();
        Map<EntityType, String> restPaths = Map.of(
                EntityType.ORDER, "orders/%s.json",
                EntityType.PRODUCT, "products/%s.json",
                EntityType.CUSTOMER, "customers/%s.json",
                EntityType.REFUND, "orders/%2$s/refunds/%1$s.json",
                EntityType.SHIPMENT, "orders/%2$s/fulfillments/%1$s.json");
        int before = store.requestedPaths().size();
        int compared = 0;
        for (EntityType type : List.of(
                EntityType.ORDER, EntityType.PRODUCT, EntityType.CUSTOMER, EntityType.REFUND, EntityType.SHIPMENT)) {
            List<StoreSnapshot.EntityVersion> entities = truth.of(type);
            assertFalse(entities.isEmpty(), "the store has " + type + "s");
            for (StoreSnapshot.EntityVersion entity : entities.subList(0, Math.min(5, entities.size()))) {
                JsonNode fetched = client.getById(type, entity.id(), entity.parentId())
                        .value()
                        .orElseThrow();
                List<String> paths = store.requestedPaths();
                assertTrue(
                        paths.subList(Math.min(before, paths.size()), paths.size()).stream()
                                .allMatch(path -> path.endsWith("/graphql.json")),
                        "only GraphQL requests: " + paths);
                JsonNode rest = restGet(store, String.format(restPaths.get(type), entity.id(), entity.parentId()));
                assertEquals(
                        comparable(
                                normalization,
                                store,
                                type,
                                rest.path(rest.fieldNames().next())),
                        comparable(normalization, store, type, fetched),
                        type + " " + entity.id() + " maps alike from REST and GraphQL");
                before = store.requestedPaths().size(); // after the REST request just made
                compared++;
            }
        }
        assertTrue(compared >= 5);
        assertTrue(client.getById(EntityType.PRODUCT, "999999999", null).value().isEmpty(), "unknown id → empty");
        assertTrue(
                client.getById(
                                EntityType.SHIPMENT,
                                truth.of(EntityType.SHIPMENT).get(0).id(),
                                "1")
                        .value()
                        .isEmpty(),
                "a fulfillment of another order → empty");
    }

    private static JsonNode restGet(SimulatedStore store, String resource) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(store.apiBaseUrl().toString().replaceAll("/+$", "")
                                                + "/admin/api/2026-04/" + resource))
                                .header(
                                        "X-Shopify-Access-Token",
                                        ((dev.commercesync.platforms.spi.ApiCredentials.AccessToken)
                                                        store.credentials())
                                                .token())
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), resource);
        return Json.MAPPER.readTree(response.body());
    }

    /** The canonical entity mapped from a payload, without platform_fields and the fields GraphQL lacks. */
    private static JsonNode comparable(
            Normalization normalization, SimulatedStore store, EntityType type, JsonNode body) throws Exception {
        NormalizationOutcome.Events events =
                assertInstanceOf(NormalizationOutcome.Events.class, normalization.normalize(polled(store, type, body)));
        JsonNode event = Json.MAPPER.readTree(events.canonicalEvents().get(0).toString());
        JsonNode entity = event.path(java.util.stream.StreamSupport.stream(
                        java.util.Spliterators.spliteratorUnknownSize(event.fieldNames(), 0), false)
                .filter(name -> !name.equals("metadata"))
                .findFirst()
                .orElseThrow());
        strip(entity);
        return entity;
    }

    private static void strip(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            object.remove("platform_fields");
            if (object.has("tracking")) { // a shipment
                object.remove("shipping_address");
            }
            if (object.has("adjustments")) { // a refund
                object.remove(List.of("processed_at", "restock"));
            }
        }
        node.forEach(SimulatedApiTest::strip);
    }

    /** The platforms whose adapters declare types listed only as snapshots (BigCommerce, Adobe Commerce levels). */
    static List<String> platformsWithSnapshots() {
        return Dialects.names().stream()
                .filter(name ->
                        !REGISTRY.get(name).capabilities().listedAsSnapshot().isEmpty())
                .toList();
    }

    /**
     * Types without updated-at (each one the adapter declares {@code listedAsSnapshot}): the snapshot listing names
     * every entity of the store once, under the id the platform gives it, in the shape of its fetch by id (so the
     * poller's content fingerprints of both agree), and levels with the store's stock.
     */
    @ParameterizedTest
    @MethodSource("platformsWithSnapshots")
    void snapshotListsEveryEntityInTheShapeOfItsFetch(String platform) throws Exception {
        SimulatedStore store = store(platform, platform + "-snapshot", false);
        PlatformApiClient client = client(store);
        Normalization normalization = new Normalization(REGISTRY);
        StoreSnapshot truth = store.snapshot();
        for (EntityType type : REGISTRY.get(platform).capabilities().listedAsSnapshot()) {
            List<ChangedEntity> listedEntities = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                ChangedPage page = client.listSnapshot(type, cursor, 7).value();
                listedEntities.addAll(page.entities());
                cursor = page.nextPageCursor().orElse(null);
                pages++;
            } while (cursor != null && pages < 100);
            assertTrue(truth.count(type) > 14, type + ": enough for several pages");
            assertTrue(pages > 2, type + ": several pages, took " + pages);
            assertEquals(
                    truth.of(type).stream().map(StoreSnapshot.EntityVersion::id).collect(Collectors.toSet()),
                    listedEntities.stream().map(ChangedEntity::id).collect(Collectors.toSet()),
                    type + " ids");
            assertEquals(truth.count(type), listedEntities.size(), type + ": each once");
            for (ChangedEntity entity : listedEntities.subList(0, 5)) {
                assertEquals(null, entity.updatedAt(), entity.id() + ": a snapshot has no updated-at");
                JsonNode fetched =
                        client.getById(type, entity.id(), null).value().orElseThrow();
                org.apache.avro.specific.SpecificRecord listed =
                        canonical(normalization, store, type, entity.body().orElseThrow());
                assertEquals(
                        dev.commercesync.schemas.content.ContentFingerprint.of(
                                canonical(normalization, store, type, fetched)),
                        dev.commercesync.schemas.content.ContentFingerprint.of(listed),
                        entity.id() + ": listed and fetched map to the same content");
                if (listed instanceof dev.commercesync.schemas.canonical.InventoryLevel level) {
                    // the stock the platform shows: available where it has it (BigCommerce), else on hand (MSI)
                    Long stock = level.getAvailable() != null ? level.getAvailable() : level.getOnHand();
                    assertEquals(
                            Long.valueOf(
                                    truth.find(type, entity.id()).orElseThrow().available()),
                            stock,
                            entity.id() + " stock");
                }
            }
        }
    }

    private static org.apache.avro.specific.SpecificRecord canonical(
            Normalization normalization, SimulatedStore store, EntityType type, JsonNode body) {
        NormalizationOutcome.Events events =
                assertInstanceOf(NormalizationOutcome.Events.class, normalization.normalize(polled(store, type, body)));
        return dev.commercesync.schemas.content.CanonicalEvents.entity(
                events.canonicalEvents().get(0));
    }

    /** A polled raw record as the poller wraps one. */
    static RawEnvelope polled(SimulatedStore store, EntityType type, JsonNode body) {
        return RawEnvelope.newBuilder()
                .setEnvelopeId(UUID.randomUUID().toString())
                .setPlatform(store.platform())
                .setStore(store.storeId())
                .setEventType(type.name().toLowerCase())
                .setEntityType(type)
                .setSource(EventSource.POLL)
                .setDeliveryId(null)
                .setPlatformEventId(null)
                .setHeaders(Map.of())
                .setContentType("application/json")
                .setBody(ByteBuffer.wrap(Json.encode(body).getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(Instant.now())
                .setCorrelationId(null)
                .setTraceContext(null)
                .build();
    }

    @ParameterizedTest
    @MethodSource("platformsWithWebhookApi")
    void registersListsAndDeletesWebhooks(String platform) throws Exception {
        SimulatedStore store = store(platform, platform + "-hooks", false);
        PlatformApiClient client = client(store);
        PlatformAdapter adapter = REGISTRY.get(platform);
        URI address = URI.create("http://127.0.0.1:8080/webhooks/" + platform);
        if (!client.managesSubscriptions()) {
            // the simulated store's credentials cannot (eBay: a bare user token, no app client to manage the app's
            // destinations; an installed seller's are EbayNotificationApiTest's): refused before any request
            int before = store.requestedPaths().size();
            PlatformApiException refused =
                    org.junit.jupiter.api.Assertions.assertThrows(PlatformApiException.class, client::listWebhooks);
            assertEquals(PlatformApiException.Kind.CLIENT, refused.kind());
            assertEquals(0, refused.httpStatus());
            assertEquals(before, store.requestedPaths().size(), "no request");
            return;
        }
        Set<String> topics = new HashSet<>(store.topics());
        assertTrue(adapter.webhookTopics().containsAll(topics), "the adapter classifies every simulated topic");
        List<String> created = new ArrayList<>();
        for (String topic : topics) {
            WebhookSubscription subscription = client.registerWebhook(topic, address, WebhookSecret.of("s3cret"))
                    .value();
            assertEquals(topic, subscription.topic());
            assertEquals(address, subscription.address());
            assertTrue(subscription.active());
            created.add(subscription.id());
        }
        List<WebhookSubscription> listed = client.listWebhooks().value();
        assertEquals(
                new HashSet<>(created),
                listed.stream().map(WebhookSubscription::id).collect(Collectors.toSet()));
        client.deleteWebhook(created.get(0));
        client.deleteWebhook("424242"); // deleting one that does not exist is not an error
        assertEquals(created.size() - 1, client.listWebhooks().value().size());
    }

    static List<String> platformsWithoutWebhookApi() {
        return Dialects.names().stream()
                .filter(name -> !REGISTRY.get(name).capabilities().subscriptionsThroughApi())
                .toList();
    }

    /** Adobe I/O Events registrations are the Developer Console's: the adapter's client refuses, the store has none. */
    @ParameterizedTest
    @MethodSource("platformsWithoutWebhookApi")
    void webhookRegistrationsAreNotTheStoreApis(String platform) throws Exception {
        SimulatedStore store = store(platform, platform + "-no-hooks", false);
        PlatformApiException refused = org.junit.jupiter.api.Assertions.assertThrows(
                PlatformApiException.class, () -> client(store).listWebhooks());
        assertEquals(PlatformApiException.Kind.CLIENT, refused.kind());
    }

    /**
     * Adobe Commerce's searchCriteria: pageSize above 300 is refused (2.4.7's maximum_page_size), a currentPage past
     * the end answers the last page again, total_count counts the matches.
     */
    @Test
    void adobeCommerceSearchCriteriaPaging() throws Exception {
        SimulatedStore store = store("magento2", "magento2-paging", false);
        String token = ((dev.commercesync.platforms.spi.ApiCredentials.AccessToken) store.credentials()).token();
        java.util.function.Function<String, HttpResponse<String>> get = query -> {
            try {
                return HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(store.apiBaseUrl() + "/V1/orders?" + query))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        assertEquals(
                400,
                get.apply("searchCriteria[pageSize]=301&searchCriteria[currentPage]=1")
                        .statusCode());
        int orders = store.snapshot().count(EntityType.ORDER);
        int lastPage = (orders + 4) / 5;
        JsonNode last =
                Json.MAPPER.readTree(get.apply("searchCriteria[pageSize]=5&searchCriteria[currentPage]=" + lastPage)
                        .body());
        JsonNode past = Json.MAPPER.readTree(
                get.apply("searchCriteria[pageSize]=5&searchCriteria[currentPage]=" + (lastPage + 3))
                        .body());
        assertEquals(orders, past.path("total_count").asInt());
        assertEquals(last.path("items"), past.path("items"), "a page past the end is the last page again");
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void answers429WithAWaitWhenTheBudgetIsSpent(String platform) throws Exception {
        SimulatedStore store = store(platform, platform + "-limits", true);
        PlatformApiClient client = client(store);
        String orderId = store.snapshot().of(EntityType.ORDER).get(0).id();
        RateLimitedException limited = null;
        for (int i = 0; i < 400 && limited == null; i++) {
            try {
                client.getById(EntityType.ORDER, orderId, null);
            } catch (RateLimitedException e) {
                limited = e;
            }
        }
        assertNotNull(limited, platform + " never refused");
        // Shopify's fetch is GraphQL, which throttles with HTTP 200 and THROTTLED
        assertEquals(platform.equals("shopify") ? 200 : 429, limited.httpStatus());
        assertTrue(limited.retryAfter().toMillis() > 0, "a wait is named: " + limited.retryAfter());
        assertTrue(store.stats().apiRateLimited() > 0);
    }

    @Test
    void amazonRefusesTheTwentyFirstSearchButNotAnotherOperation() throws Exception {
        SimulatedStore store = store("amazon", "amazon-usage-plans", true);
        PlatformApiClient client = client(store);
        ListChangedRequest search = new ListChangedRequest(EntityType.ORDER, LONG_AGO, null, 100);
        for (int i = 0; i < 20; i++) {
            client.listChanged(search); // searchOrders: burst 20, then one per ~179 s (rate 0.0056)
        }
        RateLimitedException limited = assertThrows(RateLimitedException.class, () -> client.listChanged(search));
        assertTrue(limited.storeBudgetSpent(), "the store's budget is searchOrders'");
        String orderId = store.snapshot().of(EntityType.ORDER).get(0).id();
        assertTrue(client.getById(EntityType.ORDER, orderId, null).value().isPresent(), "getOrder has its own bucket");
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void boundedListingsAndCountsMatchTheState(String platform) throws Exception {
        Clock ticking = new Clock() {
            private final java.util.concurrent.atomic.AtomicLong seconds = new java.util.concurrent.atomic.AtomicLong();

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() { // every reading one second later: changes spread over many seconds
                return Instant.parse("2026-03-01T00:00:00Z").plusSeconds(seconds.incrementAndGet());
            }
        };
        SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, platform + "-bounded")
                .seed(13)
                .clock(ticking)
                .rateLimits(false)
                .build());
        store.step(120);
        PlatformApiClient client = client(store);
        Instant from = Instant.parse("2026-03-01T00:01:00Z");
        Instant to = Instant.parse("2026-03-01T00:03:00Z");
        for (EntityType type : listable(platform)) {
            Set<String> expected = store.snapshot().of(type).stream()
                    .filter(e -> !e.updatedAt().isBefore(from) && e.updatedAt().isBefore(to))
                    .map(StoreSnapshot.EntityVersion::id)
                    .collect(Collectors.toSet());
            if (type == EntityType.ORDER || type == EntityType.PRODUCT) {
                assertFalse(expected.isEmpty(), "the window holds " + type + "s");
            }
            Set<String> listed = new HashSet<>();
            ListChangedRequest request = new ListChangedRequest(type, from, null, 5, to);
            while (request != null) {
                ChangedPage page = client.listChanged(request).value();
                page.entities().forEach(e -> listed.add(e.id()));
                request = page.nextPageCursor().map(request::atPage).orElse(null);
            }
            assertEquals(expected, listed, type + " in [from, to)");
            assertEquals(
                    expected.size(),
                    client.countChanged(type, from, to).value().count(),
                    type + " count in [from, to)");
        }
    }

    @Test
    void shopifyGraphqlIsThrottledByQueryCost() throws Exception {
        SimulatedStore store = store("shopify", "shopify-cost", true);
        store.step(900); // enough orders that a 250-node page costs what it asks
        PlatformApiClient client = client(store);
        RateLimitedException throttled = null;
        for (int i = 0; i < 100 && throttled == null; i++) {
            try {
                ApiResponse<ChangedPage> page =
                        client.listChanged(new ListChangedRequest(EntityType.ORDER, LONG_AGO, null, 250));
                assertTrue(page.quota().isPresent(), "throttleStatus is reported");
                assertEquals(2000, page.quota().get().limit());
            } catch (RateLimitedException e) {
                throttled = e;
            }
        }
        assertNotNull(throttled, "250-node queries spend the 2,000-point bucket");
        assertEquals(200, throttled.httpStatus(), "GraphQL throttles with HTTP 200 and THROTTLED");
        assertTrue(throttled.retryAfter().toMillis() > 0);
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        SimulatedStore store = store("bigcommerce", "bc-auth", false);
        PlatformApiClient client = REGISTRY.get("bigcommerce")
                .apiClient(new dev.commercesync.platforms.spi.ApiConnection(
                        store.apiBaseUrl(), new dev.commercesync.platforms.spi.ApiCredentials.AccessToken("wrong")));
        try {
            client.listWebhooks();
            fail("wrong token accepted");
        } catch (PlatformApiException e) {
            assertEquals(PlatformApiException.Kind.AUTH, e.kind());
        }
    }

    @Test
    void stateEndpointShowsEveryEntityVersion() throws Exception {
        SimulatedStore store = store("woocommerce", "woo-state", false);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_sim/state?store=woo-state"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode stores = Json.MAPPER.readTree(response.body()).path("stores");
        assertEquals(1, stores.size());
        JsonNode orders = stores.get(0).path("entities").path("ORDER");
        StoreSnapshot truth = store.snapshot();
        assertEquals(truth.count(EntityType.ORDER), orders.size());
        JsonNode first = orders.get(0);
        StoreSnapshot.EntityVersion expected =
                truth.find(EntityType.ORDER, first.path("id").asText()).orElseThrow();
        assertEquals(expected.version(), first.path("version").asLong());
        assertEquals(expected.updatedAt().toString(), first.path("updated_at").asText());
        assertEquals(
                80,
                stores.get(0).path("stats").path("changes").properties().stream()
                        .mapToLong(e -> e.getValue().asLong())
                        .sum());
    }
}
