package dev.commercesync.platforms.bigcommerce;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.PlatformAdapterContract;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

class BigCommerceAdapterContractTest extends PlatformAdapterContract {
    static final String STORE = "abc123";

    @Override
    protected String platformName() {
        return "bigcommerce";
    }

    @Override
    protected List<Fixture> fixtures() {
        return List.of(
                // Upsert webhooks are thin (fetch requests, BigCommerceThinWebhookTest); a delete maps as is.
                Fixture.webhook("store_product_deleted", EntityType.PRODUCT, Operation.DELETE, "205"),
                Fixture.polled("v2_order_with_products", "orders", STORE, EntityType.ORDER, "218"),
                Fixture.polled("v3_product.with_store_currency", "products", STORE, EntityType.PRODUCT, "174"),
                Fixture.polled("v3_product.get_product_174", "products", STORE, EntityType.PRODUCT, "174"),
                Fixture.polled("v3_customer.get_customers_item", "customers", STORE, EntityType.CUSTOMER, "1"),
                Fixture.polled("v2_shipment.get_shipment_11", "shipments", STORE, EntityType.SHIPMENT, "11"),
                Fixture.polled("v3_refund.with_order_currency", "refunds", STORE, EntityType.REFUND, "1"),
                Fixture.polled(
                        "v3_inventory_level.location_1_variant_74",
                        "inventory-levels",
                        STORE,
                        EntityType.INVENTORY_LEVEL,
                        "74@1"));
    }

    /** Standard Webhooks headers: an id derived from the body, the signing time, {@code v1,<base64 HMAC>}. */
    @Override
    protected Map<String, String> signatureHeaders(byte[] body, WebhookSecret secret, Instant signedAt) {
        return sign(body, secret, signedAt);
    }

    static Map<String, String> sign(byte[] body, WebhookSecret secret, Instant signedAt) {
        String id = "msg_" + sha256Prefix(body);
        String timestamp = Long.toString(signedAt.getEpochSecond());
        String signature =
                HmacSignatures.base64HmacSha256(secret, StandardWebhooksVerifier.signedContent(id, timestamp, body));
        return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", "v1," + signature);
    }

    private static String sha256Prefix(byte[] body) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(body))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Optional<Duration> signatureTolerance() {
        return Optional.of(Duration.ofMinutes(5));
    }

    @Override
    protected MissingField missingRequiredField() {
        return new MissingField("v2_order_with_products", "default_currency_code", "default_currency_code");
    }

    @Override
    protected ApiCredentials apiCredentials() {
        return new ApiCredentials.AccessToken("bc-secret-value");
    }

    /** Customers: a v3 listing with {@code meta.pagination}. v2 orders are paged in BigCommerceApiClientTest. */
    @Override
    protected EntityType listableType() {
        return EntityType.CUSTOMER;
    }

    static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Map.of();
        }
        return java.util.Arrays.stream(raw.split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(
                        p -> java.net.URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> p.length > 1 ? java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "",
                        (a, b) -> b));
    }

    static String customersPage(List<String> ids, int page, int totalPages, int total) {
        String data = ids.stream()
                .map(id -> "{\"id\": " + id + ", \"email\": \"c" + id + "@example.com\", \"date_modified\":"
                        + " \"2026-01-02T03:04:05Z\"}")
                .collect(Collectors.joining(","));
        return "{\"data\": [" + data + "], \"meta\": {\"pagination\": {\"total\": " + total + ", \"count\": "
                + ids.size() + ", \"per_page\": 2, \"current_page\": " + page + ", \"total_pages\": " + totalPages
                + "}}}";
    }

    @Override
    protected HttpHandler changedPages(List<List<String>> pagesOfIds) {
        int total = pagesOfIds.stream().mapToInt(List::size).sum();
        return exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/v3/customers")) {
                CannedHttpServer.respond(exchange, 404, Map.of(), "{}");
                return;
            }
            int page = Integer.parseInt(query(exchange).getOrDefault("page", "1"));
            CannedHttpServer.respond(
                    exchange, 200, Map.of(), customersPage(pagesOfIds.get(page - 1), page, pagesOfIds.size(), total));
        };
    }

    @Override
    protected HttpHandler rateLimited(long retryAfterSeconds) {
        return exchange -> CannedHttpServer.respond(
                exchange,
                429,
                Map.of(
                        "Retry-After", Long.toString(retryAfterSeconds),
                        "X-Rate-Limit-Time-Window-Ms", "30000",
                        "X-Rate-Limit-Time-Reset-Ms", "15000",
                        "X-Rate-Limit-Requests-Quota", "150",
                        "X-Rate-Limit-Requests-Left", "0"),
                "{\"status\": 429, \"title\": \"Too many requests\"}");
    }

    @Override
    protected HttpHandler pageReportingQuota() {
        return exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(
                        "X-Rate-Limit-Time-Window-Ms", "30000",
                        "X-Rate-Limit-Time-Reset-Ms", "15000",
                        "X-Rate-Limit-Requests-Quota", "150",
                        "X-Rate-Limit-Requests-Left", "35"),
                customersPage(List.of("1"), 1, 1, 1));
    }

    @Override
    protected QuotaStatus reportedQuota() {
        return new QuotaStatus(35, 150, 0);
    }

    @Override
    protected HttpHandler entityById(String id, String body) {
        return exchange -> {
            boolean match = exchange.getRequestURI().getPath().equals("/v3/customers")
                    && id.equals(query(exchange).get("id:in"));
            CannedHttpServer.respond(
                    exchange, 200, Map.of(), "{\"data\": [" + (match ? body : "") + "], \"meta\": {}}");
        };
    }

    /** BigCommerce's min/max are inclusive: [00:00:00, 01:00:00) is min 00:00:00, max 00:59:59. */
    private static boolean carriesTheRange(Map<String, String> query) {
        return Instant.parse("2026-01-01T00:00:00Z").equals(parse(query.get("date_modified:min")))
                && Instant.parse("2026-01-01T00:59:59Z").equals(parse(query.get("date_modified:max")));
    }

    private static Instant parse(String value) {
        return value == null ? null : java.time.OffsetDateTime.parse(value).toInstant();
    }

    @Override
    protected HttpHandler changeCount(long count) {
        return exchange -> {
            Map<String, String> query = query(exchange);
            if (!exchange.getRequestURI().getPath().equals("/v3/customers")
                    || !carriesTheRange(query)
                    || !"1".equals(query.get("limit"))) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"status\": 400}");
                return;
            }
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of("X-Rate-Limit-Requests-Quota", "150", "X-Rate-Limit-Requests-Left", "149"),
                    customersPage(count == 0 ? List.of() : List.of("1"), 1, (int) count, (int) count));
        };
    }

    @Override
    protected HttpHandler boundedPage(List<String> ids) {
        return exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/v3/customers") || !carriesTheRange(query(exchange))) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"status\": 400}");
                return;
            }
            CannedHttpServer.respond(exchange, 200, Map.of(), customersPage(ids, 1, 1, ids.size()));
        };
    }

    @org.junit.jupiter.api.Test
    void ordersAreCountedThroughTheV2CountEndpoint() throws Exception {
        server().handle(exchange -> {
            Map<String, String> query = query(exchange);
            boolean ok = exchange.getRequestURI().getPath().equals("/v2/orders/count")
                    && Instant.parse("2026-01-01T00:00:00Z").equals(parse(query.get("min_date_modified")))
                    && Instant.parse("2026-01-01T00:59:59Z").equals(parse(query.get("max_date_modified")));
            CannedHttpServer.respond(
                    exchange, ok ? 200 : 400, Map.of(), ok ? "{\"statuses\": [], \"count\": 12}" : "{}");
        });
        org.junit.jupiter.api.Assertions.assertEquals(
                new dev.commercesync.platforms.spi.ChangeCount(12, 1),
                apiClient().countChanged(EntityType.ORDER, RANGE_FROM, RANGE_TO).value());
    }
}
