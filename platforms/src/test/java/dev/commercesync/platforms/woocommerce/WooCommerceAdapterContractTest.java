package dev.commercesync.platforms.woocommerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.PlatformAdapterContract;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WooCommerceAdapterContractTest extends PlatformAdapterContract {

    @Override
    protected String platformName() {
        return "woocommerce";
    }

    @Override
    protected List<Fixture> fixtures() {
        return List.of(
                Fixture.webhook("order.created", EntityType.ORDER, Operation.UPSERT, "727"),
                Fixture.webhook("order.updated", EntityType.ORDER, Operation.UPSERT, "727"),
                Fixture.webhook("product.updated", EntityType.PRODUCT, Operation.UPSERT, "794"),
                Fixture.webhook("customer.updated", EntityType.CUSTOMER, Operation.UPSERT, "25"),
                Fixture.polled("order_refund.fetched", "refunds", "example.com", EntityType.REFUND, "726"));
    }

    @Override
    protected Map<String, String> signatureHeaders(byte[] body, WebhookSecret secret, Instant signedAt) {
        return Map.of("X-WC-Webhook-Signature", HmacSignatures.base64HmacSha256(secret, body));
    }

    @Override
    protected MissingField missingRequiredField() {
        return new MissingField("order.created", "currency", "currency");
    }

    @Override
    protected ApiCredentials apiCredentials() {
        return new ApiCredentials.KeyAndSecret("ck_test", "cs_secret-value");
    }

    @Override
    protected EntityType listableType() {
        return EntityType.ORDER;
    }

    @Override
    protected HttpHandler changedPages(List<List<String>> pagesOfIds) {
        return exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (!"true".equals(query.get("dates_are_gmt")) || query.get("modified_after") == null) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"code\":\"rest_invalid_param\"}");
                return;
            }
            int page = Integer.parseInt(query.getOrDefault("page", "1"));
            ArrayNode body = Json.MAPPER.createArrayNode();
            for (String id : pagesOfIds.get(page - 1)) {
                body.add(order(id));
            }
            int total = pagesOfIds.stream().mapToInt(List::size).sum();
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(
                            "X-WP-Total",
                            Integer.toString(total),
                            "X-WP-TotalPages",
                            Integer.toString(pagesOfIds.size())),
                    Json.encode(body));
        };
    }

    private static ObjectNode order(String id) {
        ObjectNode order = Json.MAPPER.createObjectNode();
        order.put("id", new java.math.BigInteger(id));
        order.put("date_modified_gmt", "2026-01-02T03:04:05");
        return order;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> result = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            result.put(
                    kv[0],
                    kv.length > 1 ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8) : "");
        }
        return result;
    }

    @Override
    protected HttpHandler rateLimited(long retryAfterSeconds) {
        return exchange -> CannedHttpServer.respond(
                exchange,
                429,
                Map.of(
                        "Retry-After",
                        Long.toString(retryAfterSeconds),
                        "RateLimit-Limit",
                        "25",
                        "RateLimit-Remaining",
                        "0"),
                "{\"code\":\"rate_limit_exceeded\"}");
    }

    @Override
    protected HttpHandler pageReportingQuota() {
        return exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of("X-WP-Total", "1", "X-WP-TotalPages", "1", "RateLimit-Limit", "25", "RateLimit-Remaining", "19"),
                "[" + Json.encode(order("1")) + "]");
    }

    @Override
    protected QuotaStatus reportedQuota() {
        return new QuotaStatus(19, 25, 0);
    }

    @Override
    protected HttpHandler entityById(String id, String body) {
        return exchange -> {
            if (exchange.getRequestURI().getPath().equals("/wp-json/wc/v3/orders/" + id)) {
                CannedHttpServer.respond(exchange, 200, Map.of(), body);
            } else {
                CannedHttpServer.respond(
                        exchange, 404, Map.of(), "{\"code\":\"woocommerce_rest_shop_order_invalid_id\"}");
            }
        };
    }

    @Test
    void theSiteUrlBecomesTheStore() {
        assertEquals(Optional.of("example.com"), WooCommerceAdapter.storeOfSiteUrl("https://Example.com/"));
        assertEquals(Optional.of("example.com/shop"), WooCommerceAdapter.storeOfSiteUrl("http://example.com/shop/"));
        assertEquals(Optional.empty(), WooCommerceAdapter.storeOfSiteUrl("not a url"));
    }

    @Test
    void aRefundAsPublishedNamesNoCurrencyAndIsQuarantinedWithThatPath() throws Exception {
        Fixture fetched = fixtures().get(4);
        RawEnvelope envelope = RawEnvelope.newBuilder(envelope(fetched))
                .setBody(ByteBuffer.wrap(getClass()
                        .getClassLoader()
                        .getResourceAsStream(resource("order_refund.rest_response.json"))
                        .readAllBytes()))
                .build();
        NormalizationOutcome.Failed failed =
                assertInstanceOf(NormalizationOutcome.Failed.class, normalization.normalize(envelope));
        assertEquals(QuarantineErrorClass.MAPPING_ERROR, failed.errorClass());
        assertEquals("currency", failed.fieldPath());
        assertEquals("woocommerce/refunds@1", failed.mappingVersion());
    }

    /** WordPress compares modified_after/before strictly: [00:00:00, 01:00:00) is after 23:59:59, before 01:00:00. */
    private static boolean carriesTheRange(Map<String, String> query) {
        return "true".equals(query.get("dates_are_gmt"))
                && "2025-12-31T23:59:59".equals(query.get("modified_after"))
                && "2026-01-01T01:00:00".equals(query.get("modified_before"));
    }

    @Override
    protected HttpHandler changeCount(long count) {
        return exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (!exchange.getRequestURI().getPath().equals("/wp-json/wc/v3/orders")
                    || !carriesTheRange(query)
                    || !"1".equals(query.get("per_page"))) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"code\":\"rest_invalid_param\"}");
                return;
            }
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of("X-WP-Total", Long.toString(count), "X-WP-TotalPages", Long.toString(count)),
                    count == 0 ? "[]" : "[{\"id\": 1}]");
        };
    }

    @Override
    protected HttpHandler boundedPage(List<String> ids) {
        return exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (!carriesTheRange(query)) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"code\":\"rest_invalid_param\"}");
                return;
            }
            ArrayNode body = Json.MAPPER.createArrayNode();
            ids.forEach(id -> body.add(order(id)));
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of("X-WP-Total", Integer.toString(ids.size()), "X-WP-TotalPages", "1"),
                    Json.encode(body));
        };
    }
}
