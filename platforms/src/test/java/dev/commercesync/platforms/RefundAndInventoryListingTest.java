package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.bigcommerce.BigCommerceAdapter;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.magento2.Magento2Adapter;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shopify.ShopifyAdapter;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.platforms.woocommerce.WooCommerceAdapter;
import dev.commercesync.schemas.canonical.EntityType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Refunds and inventory levels listed by created-at / updated-at (what the poller backfills and the reconciler
 * compares), against canned answers shaped like the platforms' published examples.
 */
class RefundAndInventoryListingTest {
    private static final Instant SINCE = Instant.parse("2017-03-21T00:00:00Z");
    private static final Instant BEFORE = Instant.parse("2017-03-22T00:00:00Z");

    private static ApiConnection connection(CannedHttpServer server, ApiCredentials credentials) {
        return new ApiConnection(server.baseUrl(), credentials, Duration.ofSeconds(5));
    }

    @Test
    void wooCommerceListsRefundsStoreWideByCreationDateWithTheirOrder() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            // GET /wp-json/wc/v3/refunds, WooCommerce's documented example (parent_id: the order)
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of("X-WP-Total", "2", "X-WP-TotalPages", "2"),
                    "[{\"id\":726,\"parent_id\":124,\"date_created\":\"2017-03-21T17:07:11\","
                            + "\"date_created_gmt\":\"2017-03-21T20:07:11\",\"amount\":\"10.00\",\"reason\":\"\","
                            + "\"refunded_by\":1,\"refunded_payment\":false,\"meta_data\":[],\"line_items\":[]}]"));
            PlatformApiClient client = new WooCommerceAdapter()
                    .apiClient(connection(server, new ApiCredentials.KeyAndSecret("ck_1", "cs_1")));

            ChangedPage page = client.listChanged(new ListChangedRequest(EntityType.REFUND, SINCE, null, 1, BEFORE))
                    .value();

            assertEquals(
                    List.of(new ChangedEntity("726", Instant.parse("2017-03-21T20:07:11Z"), Optional.empty(), "124")),
                    page.entities());
            assertEquals(Optional.of("2"), page.nextPageCursor());
            String query = server.last().uri().getQuery();
            assertTrue(
                    server.last().uri().getPath().endsWith("/wp-json/wc/v3/refunds"),
                    server.last().uri()::toString);
            assertTrue(query.contains("after=2017-03-20T23:59:59"), query);
            assertTrue(query.contains("before=2017-03-22T00:00:00"), query);
            assertTrue(!query.contains("modified_"), query);
            assertTrue(query.contains("orderby=date"), query);

            assertEquals(
                    2,
                    client.countChanged(EntityType.REFUND, SINCE, BEFORE)
                            .value()
                            .count());
            assertTrue(server.last().uri().getQuery().contains("per_page=1"));
        }
    }

    /**
     * GET /v3/inventory/items (ItemResponse of BigCommerce's inventory.v3 reference): one item per variant with its
     * stock per location. Each (variant, location) becomes one level, in the shape of an item of GET
     * /v3/inventory/locations/{id}/items (what the by-id fetch returns, so the fingerprints of both agree), and the
     * listing follows meta.pagination.
     */
    @Test
    void bigCommerceListsEveryLevelOfEveryLocationAsASnapshot() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.handle(exchange -> {
                String query = exchange.getRequestURI().getQuery();
                queries.add(exchange.getRequestURI().getPath() + "?" + query);
                boolean first = query.contains("page=1");
                CannedHttpServer.respond(
                        exchange,
                        200,
                        Map.of(),
                        first
                                ? "{\"data\":[{\"identity\":{\"sku\":\"RE-130\",\"variant_id\":79,\"product_id\":120,"
                                        + "\"sku_id\":null},\"locations\":[{\"location_id\":1,\"location_code\":"
                                        + "\"BC-LOCATION-1\",\"location_name\":\"Default location\","
                                        + "\"available_to_sell\":10,\"total_inventory_onhand\":11,"
                                        + "\"location_enabled\":true,\"settings\":{\"safety_stock\":1,"
                                        + "\"is_in_stock\":true,\"warning_level\":1,\"bin_picking_number\":\"1\"}},"
                                        + "{\"location_id\":2,\"location_code\":\"WH-2\",\"location_name\":\"Warehouse\","
                                        + "\"available_to_sell\":3,\"total_inventory_onhand\":3,\"location_enabled\":true,"
                                        + "\"settings\":{\"safety_stock\":0,\"is_in_stock\":true,\"warning_level\":0}}]}],"
                                        + "\"meta\":{\"pagination\":{\"total\":2,\"count\":1,\"per_page\":1,"
                                        + "\"current_page\":1,\"total_pages\":2}}}"
                                : "{\"data\":[{\"identity\":{\"sku\":\"SM13\",\"variant_id\":74,\"product_id\":111},"
                                        + "\"locations\":[{\"location_id\":1,\"available_to_sell\":25,"
                                        + "\"total_inventory_onhand\":25,\"settings\":{\"safety_stock\":0,"
                                        + "\"is_in_stock\":true,\"warning_level\":5}}]}],\"meta\":{\"pagination\":"
                                        + "{\"total\":2,\"count\":1,\"per_page\":1,\"current_page\":2,\"total_pages\":2}}}");
            });
            PlatformApiClient client =
                    new BigCommerceAdapter().apiClient(connection(server, new ApiCredentials.AccessToken("t")));

            ChangedPage first =
                    client.listSnapshot(EntityType.INVENTORY_LEVEL, null, 1).value();
            ChangedPage second = client.listSnapshot(
                            EntityType.INVENTORY_LEVEL, first.nextPageCursor().orElseThrow(), 1)
                    .value();

            assertEquals(List.of("/v3/inventory/items?page=1&limit=1", "/v3/inventory/items?page=2&limit=1"), queries);
            assertEquals(
                    List.of("79@1", "79@2"),
                    first.entities().stream().map(ChangedEntity::id).toList());
            assertEquals(Optional.empty(), second.nextPageCursor());
            ChangedEntity level = second.entities().get(0);
            assertEquals("74@1", level.id());
            assertEquals(null, level.updatedAt(), "the Inventory API has no updated-at");
            // exactly the level the by-id fetch returns (fixture v3_inventory_level.location_1_variant_74.json)
            assertEquals(
                    Json.encode(Json.MAPPER.readTree(getClass()
                            .getResourceAsStream(
                                    "/fixtures/bigcommerce/v3_inventory_level.location_1_variant_74.json"))),
                    Json.encode(level.body().orElseThrow()));
            assertTrue(first.entities()
                    .get(1)
                    .body()
                    .orElseThrow()
                    .toString()
                    .contains("\"x_commercesync_location_id\":2"));
        }
    }

    /**
     * Adobe Commerce MSI source items have no updated_at: the snapshot walks GET /V1/inventory/source-items unfiltered
     * (sorted, so pages do not shift) while currentPage × pageSize < total_count, each item as the search returns it
     * (the by-id fetch is the same search filtered to one item). Answers: the published search response (fixture
     * source_items.rest_search_response.json), its total raised to 3, and a last page.
     */
    @Test
    void adobeCommerceListsEverySourceItemAsASnapshot() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            JsonNode published = Json.MAPPER.readTree(
                    getClass().getResourceAsStream("/fixtures/magento2/source_items.rest_search_response.json"));
            server.handle(exchange -> {
                boolean first = exchange.getRequestURI().getQuery().contains("searchCriteria[currentPage]=1");
                ObjectNode answer = published.deepCopy();
                answer.put("total_count", 3);
                if (!first) {
                    answer.putArray("items")
                            .addObject()
                            .put("sku", "24-MB01")
                            .put("source_code", "default")
                            .put("quantity", 0)
                            .put("status", 0);
                }
                CannedHttpServer.respond(exchange, 200, Map.of(), Json.encode(answer));
            });
            PlatformApiClient client =
                    new Magento2Adapter().apiClient(connection(server, new ApiCredentials.AccessToken("t")));

            ChangedPage first =
                    client.listSnapshot(EntityType.INVENTORY_LEVEL, null, 2).value();
            ChangedPage second = client.listSnapshot(
                            EntityType.INVENTORY_LEVEL, first.nextPageCursor().orElseThrow(), 2)
                    .value();

            assertEquals(
                    List.of("new_product2@central", "new_product2@east"),
                    first.entities().stream().map(ChangedEntity::id).toList());
            assertEquals(
                    Json.encode(published.path("items").get(1)),
                    Json.encode(first.entities().get(1).body().orElseThrow()));
            assertEquals(null, first.entities().get(0).updatedAt(), "source items have no updated_at");
            assertEquals(
                    List.of("24-MB01@default"),
                    second.entities().stream().map(ChangedEntity::id).toList());
            assertEquals(Optional.empty(), second.nextPageCursor(), "2 × 2 ≥ total_count 3: the last page");
            assertEquals(2, server.requests().size());
            for (CannedHttpServer.Recorded request : server.requests()) {
                assertEquals("/V1/inventory/source-items", request.uri().getPath());
                assertEquals("Bearer t", request.header("Authorization"));
                String query = request.uri().getQuery();
                assertTrue(query.contains("searchCriteria[pageSize]=2"), query);
                assertTrue(query.contains("searchCriteria[sortOrders][0][field]=sku"), query);
                assertTrue(!query.contains("filter_groups"), query);
            }
            assertTrue(server.requests().get(1).uri().getQuery().contains("searchCriteria[currentPage]=2"));
        }
    }

    @Test
    void snapshotListingIsRefusedForTypesListedByChange() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            PlatformApiClient client =
                    new BigCommerceAdapter().apiClient(connection(server, new ApiCredentials.AccessToken("t")));
            dev.commercesync.platforms.spi.PlatformApiException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.commercesync.platforms.spi.PlatformApiException.class,
                    () -> client.listSnapshot(EntityType.ORDER, null, 50));
            assertEquals(0, refused.httpStatus());
        }
    }

    @Test
    void bigCommerceRefundsNameTheirOrderForTheFetch() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"data\":[{\"id\":1,\"order_id\":100,\"user_id\":0,\"created\":\"2017-03-21T20:07:11+00:00\","
                            + "\"reason\":\"Customer return\",\"total_amount\":10,\"total_tax\":0,\"items\":[],"
                            + "\"payments\":[]}],\"meta\":{\"pagination\":{\"total\":1,\"count\":1,\"per_page\":50,"
                            + "\"current_page\":1,\"total_pages\":1}}}"));
            PlatformApiClient client =
                    new BigCommerceAdapter().apiClient(connection(server, new ApiCredentials.AccessToken("t")));

            ChangedPage page = client.listChanged(new ListChangedRequest(EntityType.REFUND, SINCE, null, 50, BEFORE))
                    .value();

            assertEquals(
                    List.of(new ChangedEntity("1", Instant.parse("2017-03-21T20:07:11Z"), Optional.empty(), "100")),
                    page.entities());
        }
    }

    @Test
    void shopifyFindsRefundsCreatedInTheRangeOnTheOrdersUpdatedSinceItsStart() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"data\":{\"orders\":{\"pageInfo\":{\"hasNextPage\":true,\"endCursor\":\"c1\"},\"nodes\":["
                            + "{\"legacyResourceId\":\"450789469\",\"updatedAt\":\"2017-03-23T10:00:00Z\","
                            + "\"refunds\":[{\"legacyResourceId\":\"509562969\",\"createdAt\":"
                            + "\"2017-03-21T10:00:00Z\"},{\"legacyResourceId\":\"509562970\",\"createdAt\":"
                            + "\"2017-03-23T10:00:00Z\"}]},"
                            + "{\"legacyResourceId\":\"450789470\",\"updatedAt\":\"2017-03-23T11:00:00Z\","
                            + "\"refunds\":[{\"legacyResourceId\":\"509562971\",\"createdAt\":"
                            + "\"2017-03-20T10:00:00Z\"}]}]}},"
                            + "\"extensions\":{\"cost\":{\"requestedQueryCost\":12,\"actualQueryCost\":6,"
                            + "\"throttleStatus\":{\"maximumAvailable\":2000.0,\"currentlyAvailable\":1994.0,"
                            + "\"restoreRate\":100.0}}}}"));
            PlatformApiClient client =
                    new ShopifyAdapter().apiClient(connection(server, new ApiCredentials.AccessToken("t")));

            ChangedPage page = client.listChanged(new ListChangedRequest(EntityType.REFUND, SINCE, null, 5, BEFORE))
                    .value();

            // only the refund created in [since, before); the order is its parent
            assertEquals(
                    List.of(new ChangedEntity(
                            "509562969", Instant.parse("2017-03-21T10:00:00Z"), Optional.empty(), "450789469")),
                    page.entities());
            assertEquals(Optional.of("c1"), page.nextPageCursor());
            String body = server.last().body();
            assertTrue(body.contains("refunds { legacyResourceId createdAt }"), body);
            assertTrue(body.contains("updated_at:>='2017-03-21T00:00:00Z'"), body);
            assertTrue(!body.contains("updated_at:<"), body); // the order may have changed after the range
        }
    }

    @Test
    void shopifyListsInventoryLevelsLocationByLocationThroughGraphql() throws Exception {
        String cost = ",\"extensions\":{\"cost\":{\"requestedQueryCost\":5,\"actualQueryCost\":5,"
                + "\"throttleStatus\":{\"maximumAvailable\":2000.0,\"currentlyAvailable\":1995.0,"
                + "\"restoreRate\":100.0}}}}";
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String answer;
                if (body.contains("locations(")) {
                    answer = "{\"data\":{\"locations\":{\"nodes\":[{\"legacyResourceId\":\"487838322\"},"
                            + "{\"legacyResourceId\":\"655441491\"}]}}";
                } else if (body.contains("gid://shopify/Location/487838322") && !body.contains("\"c1\"")) {
                    answer = "{\"data\":{\"location\":{\"inventoryLevels\":{\"pageInfo\":{\"hasNextPage\":true,"
                            + "\"endCursor\":\"c1\"},\"nodes\":[{\"id\":\"gid://shopify/InventoryLevel/487838322"
                            + "?inventory_item_id=39072856\",\"updatedAt\":\"2017-03-21T14:00:00Z\",\"quantities\":"
                            + "[{\"name\":\"available\",\"quantity\":27}],\"item\":{\"legacyResourceId\":"
                            + "\"39072856\",\"tracked\":true}}]}}}";
                } else if (body.contains("gid://shopify/Location/487838322")) {
                    answer = "{\"data\":{\"location\":{\"inventoryLevels\":{\"pageInfo\":{\"hasNextPage\":false,"
                            + "\"endCursor\":\"c2\"},\"nodes\":[{\"id\":\"gid://shopify/InventoryLevel/487838322"
                            + "?inventory_item_id=39072857\",\"updatedAt\":\"2017-03-21T15:00:00Z\",\"quantities\":"
                            + "[{\"name\":\"available\",\"quantity\":3}],\"item\":{\"legacyResourceId\":"
                            + "\"39072857\",\"tracked\":false}}]}}}";
                } else {
                    answer = "{\"data\":{\"location\":{\"inventoryLevels\":{\"pageInfo\":{\"hasNextPage\":false,"
                            + "\"endCursor\":\"c3\"},\"nodes\":[{\"id\":\"gid://shopify/InventoryLevel/655441491"
                            + "?inventory_item_id=808950810\",\"updatedAt\":\"2017-03-22T14:00:00Z\",\"quantities\":"
                            + "[{\"name\":\"available\",\"quantity\":1}],\"item\":{\"legacyResourceId\":"
                            + "\"808950810\",\"tracked\":true}}]}}}";
                }
                CannedHttpServer.respond(exchange, 200, Map.of(), answer + cost); // cost closes the answer
            });
            PlatformApiClient client =
                    new ShopifyAdapter().apiClient(connection(server, new ApiCredentials.AccessToken("t")));

            ChangedPage first = client.listChanged(new ListChangedRequest(EntityType.INVENTORY_LEVEL, SINCE, null, 1))
                    .value();
            assertEquals(1, first.entities().size());
            assertEquals("39072856@487838322", first.entities().get(0).id());
            assertEquals(
                    Instant.parse("2017-03-21T14:00:00Z"),
                    first.entities().get(0).updatedAt());
            // the webhooks' shape, which the mapper reads
            assertEquals(
                    Json.encode(Json.MAPPER.readTree(
                            "{\"inventory_item_id\":39072856,\"location_id\":487838322,\"available\":27,"
                                    + "\"updated_at\":\"2017-03-21T14:00:00Z\",\"admin_graphql_api_id\":"
                                    + "\"gid://shopify/InventoryLevel/487838322?inventory_item_id=39072856\"}")),
                    Json.encode(first.entities().get(0).body().orElseThrow()));
            assertEquals(Optional.of("487838322,655441491 c1"), first.nextPageCursor());
            String query = server.last().body();
            assertTrue(query.contains("updated_at:>='2017-03-21T00:00:00Z'"), query);
            assertTrue(query.contains("gid://shopify/Location/487838322"), query);
            assertTrue(query.contains("\"after\":null"), query);

            // the same location's next page, then the next location
            ChangedPage second = client.listChanged(new ListChangedRequest(
                            EntityType.INVENTORY_LEVEL,
                            SINCE,
                            first.nextPageCursor().orElseThrow(),
                            1))
                    .value();
            assertTrue(
                    server.last().body().contains("\"after\":\"c1\""),
                    server.last().body());
            assertTrue(
                    second.entities()
                            .get(0)
                            .body()
                            .orElseThrow()
                            .path("available")
                            .isNull(),
                    "an untracked item has no available quantity, as in its webhooks");
            assertEquals(Optional.of("655441491 "), second.nextPageCursor());

            // the upper bound is applied by the client
            ChangedPage third = client.listChanged(new ListChangedRequest(
                            EntityType.INVENTORY_LEVEL,
                            SINCE,
                            second.nextPageCursor().orElseThrow(),
                            1,
                            BEFORE))
                    .value();
            assertEquals(List.of(), third.entities());
            assertTrue(
                    server.last().body().contains("gid://shopify/Location/655441491"),
                    server.last().body());
            assertEquals(Optional.empty(), third.nextPageCursor());

            // a count walks the listing: [since, before) holds the two levels of the first location
            assertEquals(
                    2,
                    client.countChanged(EntityType.INVENTORY_LEVEL, SINCE, BEFORE)
                            .value()
                            .count());
        }
    }
}
