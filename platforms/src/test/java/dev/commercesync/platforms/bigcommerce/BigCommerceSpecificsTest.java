package dev.commercesync.platforms.bigcommerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformApiException;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.platforms.spi.VerificationResult;
import dev.commercesync.platforms.spi.VerificationResult.RejectionReason;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.InventoryLevel;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.Product;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BigCommerce details the contract does not cover: Standard Webhooks specifics, dates, money, v2 paging, 429. */
class BigCommerceSpecificsTest {
    private static final Instant AT = Instant.parse("2026-01-15T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);
    private static final byte[] BODY = "{\"scope\":\"store/order/created\"}".getBytes(StandardCharsets.UTF_8);
    private static final Classification.Classified ANY = new Classification.Classified(
            EntityType.ORDER, Operation.UPSERT, "1", null, null, "k", Classification.PayloadKind.FULL);

    private final BigCommerceAdapter adapter = new BigCommerceAdapter();

    private VerificationResult verify(Map<String, String> headers, WebhookSecret... secrets) {
        return adapter.verifyWebhook(new WebhookRequest(headers, BODY), List.of(secrets), CLOCK);
    }

    @Test
    void aWhsecSecretIsBase64DecodedAsTheSpecSerializesIt() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = BigCommerceAdapterContractTest.sign(BODY, WebhookSecret.ofBytes(key), AT);
        WebhookSecret whsec = WebhookSecret.of("whsec_" + Base64.getEncoder().encodeToString(key));
        assertEquals(new VerificationResult.Verified(0), verify(headers, whsec));
    }

    @Test
    void anyOfSeveralSpaceDelimitedSignaturesMayMatch() {
        WebhookSecret secret = WebhookSecret.of("s3cret");
        Map<String, String> headers = new HashMap<>(BigCommerceAdapterContractTest.sign(BODY, secret, AT));
        String good = headers.get("webhook-signature");
        String other = BigCommerceAdapterContractTest.sign(BODY, WebhookSecret.of("old"), AT)
                .get("webhook-signature");
        headers.put("webhook-signature", other + " v1a,bm90LWNoZWNrZWQ= " + good);
        assertEquals(new VerificationResult.Verified(0), verify(headers, secret));
    }

    @Test
    void aTimestampTooFarInTheFutureIsRefusedToo() {
        WebhookSecret secret = WebhookSecret.of("s3cret");
        Map<String, String> headers = BigCommerceAdapterContractTest.sign(BODY, secret, AT.plusSeconds(301));
        VerificationResult.Rejected rejected =
                assertInstanceOf(VerificationResult.Rejected.class, verify(headers, secret));
        assertEquals(RejectionReason.TIMESTAMP_OUT_OF_TOLERANCE, rejected.reason());
        assertEquals(
                new VerificationResult.Verified(0),
                verify(BigCommerceAdapterContractTest.sign(BODY, secret, AT.minusSeconds(299)), secret));
    }

    @Test
    void theSignatureCoversIdAndTimestamp() {
        WebhookSecret secret = WebhookSecret.of("s3cret");
        Map<String, String> headers = new HashMap<>(BigCommerceAdapterContractTest.sign(BODY, secret, AT));
        headers.put("webhook-id", "msg_other");
        assertEquals(
                RejectionReason.SIGNATURE_MISMATCH,
                assertInstanceOf(VerificationResult.Rejected.class, verify(headers, secret))
                        .reason());
        headers.put("webhook-id", "msg.with.dots");
        assertEquals(
                RejectionReason.MALFORMED_HEADER,
                assertInstanceOf(VerificationResult.Rejected.class, verify(headers, secret))
                        .reason());
    }

    @Test
    void rejectionMessagesNeverQuoteHeaderValues() {
        Map<String, String> headers =
                new HashMap<>(BigCommerceAdapterContractTest.sign(BODY, WebhookSecret.of("s3cret"), AT));
        headers.put("webhook-signature", "v1,QUOTEME");
        VerificationResult.Rejected rejected =
                assertInstanceOf(VerificationResult.Rejected.class, verify(headers, WebhookSecret.of("s3cret")));
        assertTrue(!rejected.message().contains("QUOTEME"), rejected.message());
    }

    @Test
    void v2DatesAreRfc2822AndConvertedToUtc() throws MappingException {
        PayloadObject o = PayloadObject.root(Json.parseObject(
                "{\"a\": \"Tue, 20 Nov 2012 00:00:00 +0000\", \"b\": \"Mon, 11 Mar 2019 15:17:25 -0500\", \"c\": \"\", \"d\": \"2019-03-11\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals(
                Instant.parse("2012-11-20T00:00:00Z"),
                BigCommercePayloads.rfc2822(o, "a").orElseThrow());
        assertEquals(
                Instant.parse("2019-03-11T20:17:25Z"),
                BigCommercePayloads.rfc2822(o, "b").orElseThrow());
        assertTrue(BigCommercePayloads.rfc2822(o, "c").isEmpty(), "v2's empty string is 'not set'");
        assertEquals(
                "d",
                assertThrows(MappingException.class, () -> BigCommercePayloads.rfc2822(o, "d"))
                        .fieldPath());
    }

    @Test
    void orderMoneyIsExactFromV2DecimalStrings() throws Exception {
        Order order = new BigCommerceOrderMapper()
                .map(Json.parseObject(BigCommerceThinWebhookTest.fixture("v2_order_with_products")), ANY);
        assertEquals(
                0,
                new BigDecimal("69.84").compareTo(order.getTotals().getTotal().getAmount()));
        assertEquals(
                0,
                new BigDecimal("62.6793")
                        .compareTo(order.getTotals().getSubtotal().getAmount()));
        assertEquals("USD", order.getCurrency());
        assertEquals(Instant.parse("2019-03-05T21:40:11Z"), order.getCreatedAt());
    }

    @Test
    void anOrderWhoseProductsAreStillALinkIsAMappingError() throws Exception {
        MappingException e = assertThrows(MappingException.class, () -> new BigCommerceOrderMapper()
                .map(Json.parseObject(BigCommerceThinWebhookTest.fixture("v2_order.get_order_218")), ANY));
        assertEquals("products", e.fieldPath());
    }

    @Test
    void aRefundWithoutTheOrdersCurrencyIsAMappingError() throws Exception {
        MappingException e = assertThrows(MappingException.class, () -> new BigCommerceRefundMapper()
                .map(Json.parseObject(BigCommerceThinWebhookTest.fixture("v3_refund.create_refund_response")), ANY));
        assertEquals("data." + BigCommercePayloads.CURRENCY_ANNOTATION, e.fieldPath());
    }

    @Test
    void productPricesWithoutCurrencyStayInPlatformFieldsExactly() throws Exception {
        Product product = new BigCommerceProductMapper()
                .map(Json.parseObject(BigCommerceThinWebhookTest.fixture("v3_product.get_product_174")), ANY);
        assertEquals(null, product.getVariants().get(0).getPrice());
        assertEquals("7.95", product.getPlatformFields().get("price"));
    }

    private static BigCommerceApiClient client(CannedHttpServer server) {
        return new BigCommerceApiClient(
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("tok-secret")), CLOCK);
    }

    @Test
    void v2OrdersArePagedUntilAShortPage() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> {
                int page = Integer.parseInt(
                        BigCommerceAdapterContractTest.query(exchange).get("page"));
                String body =
                        switch (page) {
                            case 1 ->
                                "[{\"id\": 1, \"date_modified\": \"Thu, 01 Jan 2026 00:00:01 +0000\"},"
                                        + " {\"id\": 2, \"date_modified\": \"Thu, 01 Jan 2026 00:00:02 +0000\"}]";
                            case 2 ->
                                "[{\"id\": 9007199254740993, \"date_modified\": \"Thu, 01 Jan 2026 00:00:03 +0000\"}]";
                            default -> "";
                        };
                CannedHttpServer.respond(exchange, page > 2 ? 204 : 200, Map.of(), body);
            });
            BigCommerceApiClient client = client(server);
            ApiResponse<ChangedPage> first = client.listChanged(
                    new ListChangedRequest(EntityType.ORDER, Instant.parse("2026-01-01T00:00:00Z"), null, 2));
            assertEquals("2", first.value().nextPageCursor().orElseThrow());
            ApiResponse<ChangedPage> second = client.listChanged(
                    new ListChangedRequest(EntityType.ORDER, Instant.parse("2026-01-01T00:00:00Z"), "2", 2));
            assertEquals("9007199254740993", second.value().entities().get(0).id());
            assertTrue(second.value().nextPageCursor().isEmpty());
            assertEquals(
                    Instant.parse("2026-01-01T00:00:03Z"),
                    second.value().entities().get(0).updatedAt());
            assertEquals("tok-secret", server.requests().get(0).header("X-Auth-Token"));
            assertTrue(server.requests().get(0).uri().getRawQuery().contains("min_date_modified="));
        }
    }

    @Test
    void a429WithoutRetryAfterWaitsForTheWindowReset() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    429,
                    Map.of(
                            "X-Rate-Limit-Time-Reset-Ms",
                            "12345",
                            "X-Rate-Limit-Requests-Left",
                            "0",
                            "X-Rate-Limit-Requests-Quota",
                            "150"),
                    "{}"));
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> client(server)
                    .listChanged(new ListChangedRequest(
                            EntityType.CUSTOMER, Instant.parse("2026-01-01T00:00:00Z"), null, 10)));
            assertEquals(Duration.ofMillis(12345), e.retryAfter());
            assertEquals(0, e.quota().orElseThrow().remaining());
        }
    }

    @Test
    void getOrderAssemblesItsProductsAndProductsCarryTheStoreCurrency() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> {
                String path = exchange.getRequestURI().getPath();
                switch (path) {
                    case "/v2/orders/218" ->
                        CannedHttpServer.respond(
                                exchange,
                                200,
                                Map.of(),
                                "{\"id\": 218, \"products\": {\"resource\": \"/orders/218/products\"}}");
                    case "/v2/orders/218/products" ->
                        CannedHttpServer.respond(
                                exchange, 200, Map.of(), "[{\"id\": 65, \"price_ex_tax\": \"55.9900\"}]");
                    case "/v2/store" -> CannedHttpServer.respond(exchange, 200, Map.of(), "{\"currency\": \"EUR\"}");
                    case "/v3/catalog/products/174" ->
                        CannedHttpServer.respond(
                                exchange, 200, Map.of(), "{\"data\": {\"id\": 174, \"price\": 7.95}, \"meta\": {}}");
                    default -> CannedHttpServer.respond(exchange, 404, Map.of(), "{}");
                }
            });
            BigCommerceApiClient client = client(server);
            var order = client.getById(EntityType.ORDER, "218", null).value().orElseThrow();
            assertEquals(
                    "55.9900",
                    order.path("products").path(0).path("price_ex_tax").asText());
            var product =
                    client.getById(EntityType.PRODUCT, "174", null).value().orElseThrow();
            assertEquals(
                    "EUR", product.path(BigCommercePayloads.CURRENCY_ANNOTATION).asText());
            assertEquals(new BigDecimal("7.95"), product.path("price").decimalValue());
            assertTrue(client.getById(EntityType.ORDER, "219", null).value().isEmpty());
        }
    }

    /** The published "Get location stock" answer, for variant 74 at location 1 or product 111 at location 1. */
    private static void answerLocationStock(CannedHttpServer server) {
        server.handle(exchange -> {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = BigCommerceAdapterContractTest.query(exchange);
            boolean known = "74".equals(query.get("variant_id:in")) || "111".equals(query.get("product_id:in"));
            try {
                if (!path.equals("/v3/inventory/locations/1/items")) {
                    CannedHttpServer.respond(exchange, 404, Map.of(), "{\"status\": 404}");
                } else if (known) {
                    CannedHttpServer.respond(
                            exchange,
                            200,
                            Map.of(),
                            new String(
                                    BigCommerceThinWebhookTest.fixture(
                                            "v3_inventory_location_items.get_location_stock_74"),
                                    StandardCharsets.UTF_8));
                } else {
                    CannedHttpServer.respond(exchange, 200, Map.of(), "{\"data\": [], \"meta\": {}}");
                }
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        });
    }

    @Test
    void anInventoryLevelIsFetchedAtItsLocationAndMapsEndToEnd() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            answerLocationStock(server);
            BigCommerceApiClient client = client(server);
            JsonNode level = client.getById(EntityType.INVENTORY_LEVEL, "74@1", null)
                    .value()
                    .orElseThrow();
            // exactly what the poller files: the published item plus the location asked for (the assembled fixture)
            assertEquals(
                    Json.encode(Json.parseObject(
                            BigCommerceThinWebhookTest.fixture("v3_inventory_level.location_1_variant_74"))),
                    Json.encode(level));
            // a product-level webhook's request id answers the product's single item
            assertEquals(
                    Json.encode(level),
                    Json.encode(client.getById(EntityType.INVENTORY_LEVEL, "product:111@1", null)
                            .value()
                            .orElseThrow()));
            assertTrue(client.getById(EntityType.INVENTORY_LEVEL, "75@1", null)
                    .value()
                    .isEmpty());
            assertTrue(
                    client.getById(EntityType.INVENTORY_LEVEL, "74@2", null)
                            .value()
                            .isEmpty(),
                    "unknown location");
            assertEquals(
                    "/v3/inventory/locations/1/items",
                    server.requests().get(0).uri().getPath());
            assertThrows(
                    PlatformApiException.class,
                    () -> client.getById(EntityType.INVENTORY_LEVEL, "74", null),
                    "a level id names its location");
            assertThrows(
                    PlatformApiException.class, () -> client.getById(EntityType.INVENTORY_LEVEL, "74@1/../x", null));

            RawEnvelope fetched = RawEnvelopes.fromApi(
                    "bigcommerce", "abc123", EntityType.INVENTORY_LEVEL, level, EventSource.POLL, AT, null);
            NormalizationOutcome.Events events = assertInstanceOf(
                    NormalizationOutcome.Events.class,
                    new Normalization(PlatformRegistry.loadInstalled()).normalize(fetched));
            InventoryLevelEvent event =
                    (InventoryLevelEvent) events.canonicalEvents().get(0);
            InventoryLevel mapped = event.getInventoryLevel();
            assertEquals("74@1", mapped.getId());
            assertEquals(25L, mapped.getAvailable());
            assertEquals(25L, mapped.getOnHand());
            assertEquals("SM13", mapped.getSku());
            assertEquals("111", mapped.getProductId());
            assertEquals("1", mapped.getLocationId());
        }
    }

    /**
     * A level without an updated-at that returns to an earlier stock (25, 0, 25) is three reads, three events: keyed by
     * content, the third shared the first's dedup key (and event id), so the normalizer and the sync-writer dropped it
     * and the target kept 0, repairs included. A redelivery of one read still deduplicates.
     */
    @Test
    void aLevelReadAgainWithAnEarlierStockIsANewEvent() throws Exception {
        var adapter = PlatformRegistry.loadInstalled().get("bigcommerce");
        List<String> keys = new ArrayList<>();
        int[] stock = {25, 0, 25};
        for (int i = 0; i < stock.length; i++) {
            var level = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                    BigCommerceThinWebhookTest.fixture("v3_inventory_level.location_1_variant_74"));
            level.put("available_to_sell", stock[i]).put("total_inventory_onhand", stock[i]);
            RawEnvelope read = RawEnvelopes.fromApi(
                    "bigcommerce",
                    "abc123",
                    EntityType.INVENTORY_LEVEL,
                    level,
                    EventSource.POLL,
                    AT.plusSeconds(i),
                    null);
            keys.add(assertInstanceOf(Classification.Classified.class, adapter.classify(read, level))
                    .dedupKey());
            assertEquals(
                    keys.get(i),
                    assertInstanceOf(Classification.Classified.class, adapter.classify(read, level))
                            .dedupKey(),
                    "a redelivered read deduplicates");
        }
        assertEquals(3, Set.copyOf(keys).size(), "every read is a new event: " + keys);
    }

    @Test
    void aProductTrackedPerVariantHasNoProductLevelToFetch() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"data\": [{\"identity\": {\"variant_id\": 1}}, {\"identity\": {\"variant_id\": 2}}]}"));
            PlatformApiException e = assertThrows(PlatformApiException.class, () -> client(server)
                    .getById(EntityType.INVENTORY_LEVEL, "product:5@1", null));
            assertEquals(PlatformApiException.Kind.CLIENT, e.kind());
        }
    }

    @Test
    void anInventoryItemWithoutVariantIdIsAMappingErrorWithItsPath() throws Exception {
        MappingException e = assertThrows(MappingException.class, () -> new BigCommerceInventoryLevelMapper()
                .map(
                        Json.parseObject(("{\"identity\": {\"sku\": \"SM13\"}, \"available_to_sell\": 1,"
                                        + " \"x_commercesync_location_id\": 1}")
                                .getBytes(StandardCharsets.UTF_8)),
                        ANY));
        assertEquals("identity.variant_id", e.fieldPath());
    }

    @Test
    void webhooksAreRegisteredListedAndDeletedThroughV3Hooks() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> {
                String method = exchange.getRequestMethod();
                String hook = "{\"id\": 20172984, \"scope\": \"store/order/updated\", \"destination\":"
                        + " \"https://ingest.example.com/webhooks/bigcommerce\", \"is_active\": true}";
                if (method.equals("POST")) {
                    CannedHttpServer.respond(exchange, 200, Map.of(), "{\"data\": " + hook + "}");
                } else if (method.equals("GET")) {
                    CannedHttpServer.respond(
                            exchange,
                            200,
                            Map.of(),
                            "{\"data\": [" + hook + "], \"meta\":"
                                    + " {\"pagination\": {\"current_page\": 1, \"total_pages\": 1}}}");
                } else {
                    CannedHttpServer.respond(exchange, 204, Map.of(), "");
                }
            });
            BigCommerceApiClient client = client(server);
            var created = client.registerWebhook(
                            "store/order/updated",
                            java.net.URI.create("https://ingest.example.com/webhooks/bigcommerce"),
                            WebhookSecret.of("unused"))
                    .value();
            assertEquals("20172984", created.id());
            assertTrue(server.requests().get(0).body().contains("\"scope\":\"store/order/updated\""));
            assertEquals(List.of(created), client.listWebhooks().value());
            client.deleteWebhook("20172984");
            assertEquals("/v3/hooks/20172984", server.requests().get(2).uri().getPath());
        }
    }
}
