package dev.commercesync.platforms.shopify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.schemas.canonical.EntityType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fetching by id is GraphQL only and maps to the canonical entity of the webhook example. {@code graphql/<fixture>.json}
 * holds each webhook example's data in the GraphQL Admin API's shape (the fields {@link ShopifyGraphqlShapes} selects:
 * gids, upper-case enums, money bags, tag lists); the canned server answers the client's queries from it, one node per
 * page of every nested connection, so that paging is exercised. Compared: the canonical entities without
 * platform_fields and without the fields GraphQL lacks (platforms/README.md, "Shopify API use").
 */
class ShopifyGraphqlFetchTest {
    private static final Pattern ROOT =
            Pattern.compile("\\b(order|product|customer|refund|fulfillment)\\(id: \\$id\\)");
    private static final ShopifyAdapter ADAPTER = new ShopifyAdapter();

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("orders_create", EntityType.ORDER, "820982911946154508", null),
                Arguments.of("products_create", EntityType.PRODUCT, "788032119674292922", null),
                Arguments.of("customers_create", EntityType.CUSTOMER, "706405506930370000", null),
                Arguments.of("refunds_create", EntityType.REFUND, "890088186047892319", "820982911946154508"),
                Arguments.of("fulfillments_create", EntityType.SHIPMENT, "123456", "820982911946154500"));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void fetchesByIdThroughGraphqlAndMapsAsTheWebhook(String fixture, EntityType type, String id, String order)
            throws Exception {
        JsonNode answer = Json.MAPPER.readTree(resource("graphql/" + fixture + ".json"));
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(graphqlFrom(answer));
            ApiResponse<Optional<JsonNode>> fetched = client(server).getById(type, id, order);

            assertTrue(fetched.quota().isPresent(), "the cost budget is reported");
            assertTrue(server.requests().stream()
                    .allMatch(r ->
                            r.method().equals("POST") && r.uri().getPath().equals("/admin/api/2026-04/graphql.json")));
            long nestedNodes = 0;
            for (JsonNode field : answer.path(answer.fieldNames().next())) {
                nestedNodes += Math.max(0, field.path("nodes").size() - 1);
            }
            assertEquals(1 + nestedNodes, server.requests().size(), "one query, then one per further page");
            JsonNode webhook = Json.MAPPER.readTree(resource(fixture + ".json"));
            assertEquals(
                    comparable(type, webhook), comparable(type, fetched.value().orElseThrow()));
        }
    }

    @Test
    void anUnknownIdAndAFulfillmentOfAnotherOrderAreEmpty() throws Exception {
        JsonNode answer = Json.MAPPER.readTree(resource("graphql/fulfillments_create.json"));
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(graphqlFrom(answer));
            assertTrue(
                    client(server).getById(EntityType.ORDER, "7", null).value().isEmpty());
            assertTrue(client(server)
                    .getById(EntityType.SHIPMENT, "123456", "1")
                    .value()
                    .isEmpty());
        }
    }

    @Test
    void accessScopesAreReadThroughGraphql() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"data\": {\"currentAppInstallation\": {\"accessScopes\": [{\"handle\": \"read_orders\"},"
                            + " {\"handle\": \"write_inventory\"}]}}}"));
            ApiConnection connection = new ApiConnection(
                    server.baseUrl(), new ApiCredentials.AccessToken("shpat_x"), Duration.ofSeconds(5));
            assertEquals(
                    Optional.of(java.util.Set.of("read_orders", "write_inventory")),
                    new ShopifyInstallFlow(ADAPTER).grantedScopes(connection));
            assertEquals("/admin/api/2026-04/graphql.json", server.last().uri().getPath());
            assertTrue(server.last().body().contains("currentAppInstallation"));
        }
    }

    private static PlatformApiClient client(CannedHttpServer server) {
        return ADAPTER.apiClient(
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("shpat_x"), Duration.ofSeconds(5)));
    }

    /**
     * Answers a by-id query from the fixture's node (null for another id), each nested connection one node a page
     * ({@code after} is the base64 of the last index returned).
     */
    private static com.sun.net.httpserver.HttpHandler graphqlFrom(JsonNode answer) {
        return exchange -> {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            String query = request.path("query").asText();
            Matcher root = ROOT.matcher(query);
            boolean byId = root.find();
            ObjectNode response = Json.MAPPER.createObjectNode();
            ObjectNode data = response.putObject("data");
            JsonNode node = byId ? answer.path(root.group(1)) : Json.MAPPER.missingNode();
            if (!node.isObject()
                    || !request.path("variables")
                            .path("id")
                            .asText()
                            .equals(node.path("id").asText())) {
                data.putNull(byId ? root.group(1) : "unexpected");
            } else {
                ObjectNode copy = node.deepCopy();
                String after = request.path("variables").path("after").asText(null);
                node.fields().forEachRemaining(field -> {
                    if (!field.getValue().has("nodes")) {
                        return;
                    }
                    if (!query.contains(field.getKey() + "(first:")) {
                        copy.remove(field.getKey());
                        return;
                    }
                    int start = after == null
                            ? 0
                            : Integer.parseInt(new String(Base64.getDecoder().decode(after), StandardCharsets.UTF_8))
                                    + 1;
                    JsonNode all = field.getValue().path("nodes");
                    ObjectNode page = copy.putObject(field.getKey());
                    ArrayNode nodes = page.putArray("nodes");
                    if (start < all.size()) {
                        nodes.add(all.get(start));
                    }
                    page.putObject("pageInfo")
                            .put("hasNextPage", start + 1 < all.size())
                            .put(
                                    "endCursor",
                                    Base64.getEncoder()
                                            .encodeToString(
                                                    Integer.toString(start).getBytes(StandardCharsets.UTF_8)));
                });
                data.set(root.group(1), copy);
            }
            response.putObject("extensions")
                    .putObject("cost")
                    .putObject("throttleStatus")
                    .put("maximumAvailable", 2000.0)
                    .put("currentlyAvailable", 1900.0)
                    .put("restoreRate", 100.0);
            CannedHttpServer.respond(exchange, 200, Map.of(), Json.encode(response));
        };
    }

    /** The canonical entity without platform_fields and the fields GraphQL lacks. */
    private static JsonNode comparable(EntityType type, JsonNode payload) throws Exception {
        Object mapped = ADAPTER.mapper(type).orElseThrow().map(payload, null);
        JsonNode entity = Json.MAPPER.readTree(mapped.toString());
        strip(entity, type);
        return entity;
    }

    private static void strip(JsonNode node, EntityType type) {
        if (node instanceof ObjectNode object) {
            object.remove("platform_fields");
            if (object.has("tracking")) { // a shipment: GraphQL's Fulfillment has no destination
                object.remove("shipping_address");
            }
            if (object.has("adjustments")) { // a refund: no processedAt, no restock
                object.remove(List.of("processed_at", "restock"));
            }
            if (type == EntityType.CUSTOMER) { // REST's currency of the last order; GraphQL's is amountSpent's
                object.remove("currency");
            }
            if (object.has("variant_ids")) { // an image: GraphQL lists an image's variants from the variants
                object.remove("variant_ids");
            }
        }
        node.forEach(child -> strip(child, type));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ShopifyGraphqlFetchTest.class.getResourceAsStream("/fixtures/shopify/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
