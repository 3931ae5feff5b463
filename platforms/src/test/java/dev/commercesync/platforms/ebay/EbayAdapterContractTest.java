package dev.commercesync.platforms.ebay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.PlatformAdapterContract;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * eBay against the contract. Signatures: each of the contract's secrets stands for a Notification API (a tenant of
 * {@link EbayTestKeys}) that knows one EC key pair; a delivery is signed with that pair's private key and names its key
 * id, and the adapter fetches the public key by that id, as it does from eBay.
 */
class EbayAdapterContractTest extends PlatformAdapterContract {
    static final String STORE = "test-seller";

    private static EbayTestKeys keys;
    private static KeyPair current;
    private static KeyPair previous;
    private static KeyPair wrong;

    @BeforeAll
    static void startKeyServer() throws IOException {
        keys = new EbayTestKeys();
        current = keys.add("current", "kid-current");
        previous = keys.add("previous", "kid-previous");
        wrong = keys.add("wrong", "kid-wrong");
    }

    @AfterAll
    static void stopKeyServer() {
        keys.close();
    }

    @Override
    protected String platformName() {
        return "ebay";
    }

    @Override
    protected List<Fixture> fixtures() {
        return List.of(
                Fixture.webhook("marketplace_account_deletion", EntityType.CUSTOMER, Operation.DELETE, "test_user"),
                Fixture.polled("order.get_order", "orders", STORE, EntityType.ORDER, "05-08683-58193"),
                Fixture.polled(
                        "shipping_fulfillment.get_shipping_fulfillment",
                        "shipping_fulfillments",
                        STORE,
                        EntityType.SHIPMENT,
                        "9405509699937003457459"),
                Fixture.polled(
                        "inventory_item.get_inventory_item",
                        "inventory_items",
                        STORE,
                        EntityType.INVENTORY_LEVEL,
                        "MUG-BLUE-12OZ"));
    }

    private static String tenant(WebhookSecret secret) {
        return secret == SECRET ? "current" : secret == PREVIOUS_SECRET ? "previous" : "wrong";
    }

    @Override
    protected Map<String, String> signatureHeaders(byte[] body, WebhookSecret secret, Instant signedAt) {
        String tenant = tenant(secret);
        KeyPair pair = secret == SECRET ? current : secret == PREVIOUS_SECRET ? previous : wrong;
        return Map.of("X-EBAY-SIGNATURE", EbayTestKeys.signature(body, pair, "kid-" + tenant));
    }

    /** The store's secret: the Notification API that knows the signing key, and an application token. */
    @Override
    protected WebhookSecret verificationSecret(WebhookSecret signingSecret) {
        return keys.secret(tenant(signingSecret));
    }

    @Override
    protected boolean reportsQuota() {
        return false; // eBay's responses carry no quota (daily limits, reported by the Analytics API)
    }

    @Override
    protected MissingField missingRequiredField() {
        return new MissingField("order.get_order", "pricingSummary", "pricingSummary");
    }

    @Override
    protected ApiCredentials apiCredentials() {
        return new ApiCredentials.AccessToken("ebay-secret-value");
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

    static String ordersPage(List<String> ids, int offset, int total, boolean more) {
        String orders = ids.stream()
                .map(id -> "{\"orderId\": \"" + id + "\", \"lastModifiedDate\": \"2026-01-02T03:04:05.000Z\"}")
                .collect(Collectors.joining(","));
        return "{\"href\": \"https://api.ebay.com/sell/fulfillment/v1/order?offset=" + offset + "\", \"total\": "
                + total + ", \"limit\": 2, \"offset\": " + offset
                + (more
                        ? ", \"next\": \"https://api.ebay.com/sell/fulfillment/v1/order?offset=" + (offset + ids.size())
                                + "\""
                        : "")
                + ", \"orders\": [" + orders + "]}";
    }

    private static boolean isOrders(HttpExchange exchange) {
        return exchange.getRequestURI().getPath().equals("/sell/fulfillment/v1/order")
                && exchange.getRequestHeaders().getFirst("Authorization").equals("Bearer ebay-secret-value");
    }

    @Override
    protected HttpHandler changedPages(List<List<String>> pagesOfIds) {
        int total = pagesOfIds.stream().mapToInt(List::size).sum();
        return exchange -> {
            if (!isOrders(exchange)) {
                CannedHttpServer.respond(exchange, 404, Map.of(), "{}");
                return;
            }
            int offset = Integer.parseInt(query(exchange).getOrDefault("offset", "0"));
            int seen = 0;
            int page = 0;
            while (seen < offset) {
                seen += pagesOfIds.get(page++).size();
            }
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    ordersPage(pagesOfIds.get(page), offset, total, page < pagesOfIds.size() - 1));
        };
    }

    @Override
    protected HttpHandler rateLimited(long retryAfterSeconds) {
        return exchange -> CannedHttpServer.respond(
                exchange,
                429,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                "{\"errors\": [{\"errorId\": 2001, \"domain\": \"ACCESS\", \"category\": \"REQUEST\","
                        + " \"message\": \"Too many requests\"}]}");
    }

    @Override
    protected HttpHandler pageReportingQuota() {
        return exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), ordersPage(List.of("1"), 0, 1, false));
    }

    @Override
    protected QuotaStatus reportedQuota() {
        return new QuotaStatus(0, 0, 0); // unused: reportsQuota() is false
    }

    @Override
    protected HttpHandler entityById(String id, String body) {
        return exchange -> {
            boolean match = exchange.getRequestURI().getPath().equals("/sell/fulfillment/v1/order/" + id);
            CannedHttpServer.respond(
                    exchange,
                    match ? 200 : 404,
                    Map.of(),
                    match ? body : "{\"errors\": [{\"errorId\": 32100, \"message\": \"Invalid order ID\"}]}");
        };
    }

    /** eBay's bounds are inclusive: [00:00:00, 01:00:00) is [00:00:00.000Z..00:59:59.999Z]. */
    private static boolean carriesTheRange(Map<String, String> query) {
        return "lastmodifieddate:[2026-01-01T00:00:00.000Z..2026-01-01T00:59:59.999Z]".equals(query.get("filter"));
    }

    @Override
    protected HttpHandler changeCount(long count) {
        return exchange -> {
            Map<String, String> query = query(exchange);
            if (!isOrders(exchange) || !carriesTheRange(query) || !"1".equals(query.get("limit"))) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"errors\": []}");
                return;
            }
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    ordersPage(count == 0 ? List.of() : List.of("1"), 0, (int) count, count > 1));
        };
    }

    @Override
    protected HttpHandler boundedPage(List<String> ids) {
        return exchange -> {
            if (!isOrders(exchange) || !carriesTheRange(query(exchange))) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"errors\": []}");
                return;
            }
            CannedHttpServer.respond(exchange, 200, Map.of(), ordersPage(ids, 0, ids.size(), false));
        };
    }
}
