package dev.commercesync.platforms.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.PlatformAdapterContract;
import dev.commercesync.platforms.shared.HmacSignatures;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

class ShopifyAdapterContractTest extends PlatformAdapterContract {

    @Override
    protected String platformName() {
        return "shopify";
    }

    @Override
    protected List<Fixture> fixtures() {
        return List.of(
                Fixture.webhook("orders_create", EntityType.ORDER, Operation.UPSERT, "820982911946154508"),
                Fixture.webhook("products_create", EntityType.PRODUCT, Operation.UPSERT, "788032119674292922"),
                // products_update.json's ids were rounded by its publisher's scraper (see its README entry).
                Fixture.webhook("products_update", EntityType.PRODUCT, Operation.UPSERT, "788032119674292900"),
                Fixture.webhook("refunds_create", EntityType.REFUND, Operation.UPSERT, "890088186047892319"),
                Fixture.webhook(
                        "inventory_levels_update",
                        EntityType.INVENTORY_LEVEL,
                        Operation.UPSERT,
                        "271878346596884000@24826418"),
                Fixture.webhook("customers_create", EntityType.CUSTOMER, Operation.UPSERT, "706405506930370000"),
                Fixture.webhook("fulfillments_create", EntityType.SHIPMENT, Operation.UPSERT, "123456"));
    }

    @Override
    protected Map<String, String> signatureHeaders(byte[] body, WebhookSecret secret, Instant signedAt) {
        return Map.of("X-Shopify-Hmac-Sha256", HmacSignatures.base64HmacSha256(secret, body));
    }

    @Override
    protected MissingField missingRequiredField() {
        return new MissingField("orders_create", "currency", "currency");
    }

    @Override
    protected ApiCredentials apiCredentials() {
        return new ApiCredentials.AccessToken("shpat_secret-value");
    }

    @Override
    protected EntityType listableType() {
        return EntityType.ORDER;
    }

    @Override
    protected HttpHandler changedPages(List<List<String>> pagesOfIds) {
        return exchange -> {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            JsonNode after = request.path("variables").path("after");
            int page = after.isNull() || after.isMissingNode()
                    ? 0
                    : Integer.parseInt(after.asText().substring("cursor-".length()));
            CannedHttpServer.respond(
                    exchange, 200, Map.of(), ordersPage(pagesOfIds.get(page), page, pagesOfIds.size()));
        };
    }

    private static String ordersPage(List<String> ids, int page, int pageCount) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode orders = root.putObject("data").putObject("orders");
        ObjectNode pageInfo = orders.putObject("pageInfo");
        pageInfo.put("hasNextPage", page + 1 < pageCount);
        pageInfo.put("endCursor", "cursor-" + (page + 1));
        ArrayNode nodes = orders.putArray("nodes");
        for (String id : ids) {
            nodes.addObject().put("legacyResourceId", id).put("updatedAt", "2026-01-02T03:04:05Z");
        }
        ObjectNode throttle = root.putObject("extensions").putObject("cost").putObject("throttleStatus");
        throttle.put("maximumAvailable", 2000.0)
                .put("currentlyAvailable", 1990.0)
                .put("restoreRate", 100.0);
        return Json.encode(root);
    }

    @Override
    protected HttpHandler rateLimited(long retryAfterSeconds) {
        return exchange -> CannedHttpServer.respond(
                exchange,
                429,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}");
    }

    @Override
    protected HttpHandler pageReportingQuota() {
        return exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), ordersPage(List.of("1"), 0, 1));
    }

    @Override
    protected QuotaStatus reportedQuota() {
        return new QuotaStatus(1990, 2000, 100);
    }

    /** GraphQL {@code order(id:)}: the order with the body's note, its connections empty; null for another id. */
    @Override
    protected HttpHandler entityById(String id, String body) {
        return exchange -> {
            if (!exchange.getRequestURI().getPath().equals(graphqlPath())) {
                CannedHttpServer.respond(exchange, 404, Map.of(), "{\"errors\":\"Not Found\"}");
                return;
            }
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            ObjectNode root = Json.MAPPER.createObjectNode();
            ObjectNode data = root.putObject("data");
            if (request.path("query").asText().contains("order(id: $id)")
                    && ("gid://shopify/Order/" + id)
                            .equals(request.path("variables").path("id").asText())) {
                ObjectNode order = data.putObject("order");
                order.put("id", "gid://shopify/Order/" + id);
                order.put("legacyResourceId", id);
                order.set("note", Json.MAPPER.readTree(body).path("note"));
                order.putArray("refunds");
                order.putArray("fulfillments");
                for (String connection : List.of("lineItems", "shippingLines", "discountApplications")) {
                    ObjectNode page = order.putObject(connection);
                    page.putArray("nodes");
                    page.putObject("pageInfo").put("hasNextPage", false).putNull("endCursor");
                }
            } else {
                data.putNull("order");
            }
            throttleStatus(root, 1990.0);
            CannedHttpServer.respond(exchange, 200, Map.of(), Json.encode(root));
        };
    }

    private static String graphqlPath() {
        return ShopifyApiClient.adminPath(ShopifyApiClient.API_VERSION, "graphql.json");
    }

    private static void throttleStatus(ObjectNode root, double available) {
        root.putObject("extensions")
                .putObject("cost")
                .putObject("throttleStatus")
                .put("maximumAvailable", 2000.0)
                .put("currentlyAvailable", available)
                .put("restoreRate", 100.0);
    }

    private static final String RANGE_SEARCH = "updated_at:>='2026-01-01T00:00:00Z' updated_at:<'2026-01-01T01:00:00Z'";

    @Override
    protected HttpHandler changeCount(long count) {
        return exchange -> {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            String query = request.path("query").asText();
            if (!query.contains("ordersCount(query: $query, limit: null)")
                    || !RANGE_SEARCH.equals(
                            request.path("variables").path("query").asText())) {
                CannedHttpServer.respond(exchange, 200, Map.of(), "{\"errors\": [{\"message\": \"unexpected\"}]}");
                return;
            }
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.putObject("data").putObject("ordersCount").put("count", count).put("precision", "EXACT");
            root.putObject("extensions")
                    .putObject("cost")
                    .putObject("throttleStatus")
                    .put("maximumAvailable", 2000.0)
                    .put("currentlyAvailable", 1999.0)
                    .put("restoreRate", 100.0);
            CannedHttpServer.respond(exchange, 200, Map.of(), Json.encode(root));
        };
    }

    @Override
    protected HttpHandler boundedPage(List<String> ids) {
        return exchange -> {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            if (!RANGE_SEARCH.equals(request.path("variables").path("query").asText())) {
                CannedHttpServer.respond(exchange, 200, Map.of(), "{\"errors\": [{\"message\": \"unexpected\"}]}");
                return;
            }
            CannedHttpServer.respond(exchange, 200, Map.of(), ordersPage(ids, 0, 1));
        };
    }

    @org.junit.jupiter.api.Test
    void anInexactCountIsRefused() {
        server().handle(exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                "{\"data\": {\"ordersCount\": {\"count\": 10000, \"precision\": \"AT_LEAST\"}}}"));
        org.junit.jupiter.api.Assertions.assertThrows(
                dev.commercesync.platforms.spi.PlatformApiException.class,
                () -> apiClient().countChanged(EntityType.ORDER, RANGE_FROM, RANGE_TO));
    }
}
