package dev.commercesync.platforms.amazon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.PlatformAdapterContract;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Amazon SP-API against the contract: polled orders (Orders API v2026-01-01 examples from Amazon's published models,
 * fixtures/amazon/README.md) and listed listing quantities (Listings Items API 2021-08-01), no HTTPS webhooks. The canned answers are searchOrders pages ({@code orders},
 * {@code pagination.nextToken}) and getOrder ({@code {"order": ...}}, 404 with an error list).
 */
class AmazonAdapterContractTest extends PlatformAdapterContract {
    static final String SELLER = "A2EUQ1WTGCTBG2";

    @Override
    protected String platformName() {
        return AmazonAdapter.NAME;
    }

    @Override
    protected boolean receivesHttpsWebhooks() {
        return false;
    }

    @Override
    protected List<Fixture> fixtures() {
        return List.of(
                Fixture.polled("order.get_order_example", "orders", SELLER, EntityType.ORDER, "202-1234567-8901234"),
                Fixture.polled(
                        "order.search_orders_example", "orders", SELLER, EntityType.ORDER, "123-4567890-1234567"),
                Fixture.polled(
                        "inventory_level.search_listings_items_example",
                        "listings_items",
                        SELLER,
                        EntityType.INVENTORY_LEVEL,
                        "GM-ZDPI-9B4E@ATVPDKIKX0DER"),
                Fixture.polled(
                        "inventory_level.get_listings_item_example",
                        "listings_items",
                        SELLER,
                        EntityType.INVENTORY_LEVEL,
                        "GM-ZDPI-9B4E@A2EUQ1WTGCTBG2"));
    }

    /** Amazon signs nothing the ingest could receive. */
    @Override
    protected Map<String, String> signatureHeaders(byte[] body, WebhookSecret secret, Instant signedAt) {
        return Map.of();
    }

    @Override
    protected boolean reportsQuota() {
        return false; // SP-API sends the rate (x-amzn-RateLimit-Limit), never the remaining quota
    }

    @Override
    protected MissingField missingRequiredField() {
        return new MissingField("order.get_order_example", "proceeds", "proceeds");
    }

    @Override
    protected ApiCredentials apiCredentials() {
        return new ApiCredentials.AccessToken("Atza|secret-value");
    }

    @Override
    protected EntityType listableType() {
        return EntityType.ORDER;
    }

    static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Map.of();
        }
        return Arrays.stream(raw.split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(
                        p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "",
                        (a, b) -> b));
    }

    static String page(List<String> ids, String updatedAt, String nextToken) {
        String orders = ids.stream()
                .map(id -> "{\"orderId\": \"" + id + "\", \"lastUpdatedTime\": \"" + updatedAt + "\"}")
                .collect(Collectors.joining(","));
        return "{\"orders\": [" + orders + "]"
                + (nextToken == null ? "" : ", \"pagination\": {\"nextToken\": \"" + nextToken + "\"}") + "}";
    }

    private static boolean isSearch(HttpExchange exchange) {
        return exchange.getRequestURI().getPath().equals(AmazonApiClient.SEARCH_ORDERS)
                && exchange.getRequestHeaders().getFirst("x-amz-access-token") != null;
    }

    @Override
    protected HttpHandler changedPages(List<List<String>> pagesOfIds) {
        return exchange -> {
            if (!isSearch(exchange)) {
                CannedHttpServer.respond(exchange, 404, Map.of(), "{\"errors\": []}");
                return;
            }
            String token = query(exchange).get("paginationToken");
            int page = token == null ? 0 : Integer.parseInt(token.substring("page-".length()));
            String next = page + 1 < pagesOfIds.size() ? "page-" + (page + 1) : null;
            CannedHttpServer.respond(exchange, 200, Map.of(), page(pagesOfIds.get(page), "2026-01-02T03:04:05Z", next));
        };
    }

    @Override
    protected HttpHandler rateLimited(long retryAfterSeconds) {
        return exchange -> CannedHttpServer.respond(
                exchange,
                429,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                "{\"errors\": [{\"code\": \"QuotaExceeded\", \"message\": \"You exceeded your quota for the"
                        + " requested resource.\", \"details\": \"\"}]}");
    }

    @Override
    protected HttpHandler pageReportingQuota() {
        return exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of("x-amzn-RateLimit-Limit", "0.0056"),
                page(List.of("1"), "2026-01-02T03:04:05Z", null));
    }

    @Override
    protected QuotaStatus reportedQuota() {
        return null; // SP-API reports no remaining quota
    }

    @Override
    protected HttpHandler entityById(String id, String body) {
        return exchange -> {
            if (exchange.getRequestURI().getPath().equals(AmazonApiClient.SEARCH_ORDERS + "/" + id)) {
                CannedHttpServer.respond(exchange, 200, Map.of(), "{\"order\": " + body + "}");
            } else {
                CannedHttpServer.respond(
                        exchange,
                        404,
                        Map.of(),
                        "{\"errors\": [{\"code\": \"NotFound\", \"message\": \"The resource specified does not"
                                + " exist.\"}]}");
            }
        };
    }

    /** lastUpdatedBefore is inclusive: [00:00:00, 01:00:00) is lastUpdatedAfter 00:00:00, lastUpdatedBefore 00:59:59. */
    private static boolean carriesTheRange(HttpExchange exchange) {
        Map<String, String> query = query(exchange);
        return isSearch(exchange)
                && "2026-01-01T00:00:00Z".equals(query.get("lastUpdatedAfter"))
                && "2026-01-01T00:59:59Z".equals(query.get("lastUpdatedBefore"));
    }

    @Override
    protected HttpHandler changeCount(long count) {
        return exchange -> {
            if (!carriesTheRange(exchange)) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"errors\": []}");
                return;
            }
            List<String> ids = java.util.stream.LongStream.rangeClosed(1, count)
                    .mapToObj(Long::toString)
                    .toList();
            CannedHttpServer.respond(exchange, 200, Map.of(), page(ids, "2026-01-01T00:30:00Z", null));
        };
    }

    @Override
    protected HttpHandler boundedPage(List<String> ids) {
        return exchange -> {
            if (!carriesTheRange(exchange)) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"errors\": []}");
                return;
            }
            CannedHttpServer.respond(exchange, 200, Map.of(), page(ids, "2026-01-01T00:30:00Z", null));
        };
    }
}
