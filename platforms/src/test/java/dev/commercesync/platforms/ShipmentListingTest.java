package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.bigcommerce.BigCommerceAdapter;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.shopify.ShopifyAdapter;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ChangedEntity;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.schemas.canonical.EntityType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Shipments listed by their version time through the orders that changed with them (neither platform lists them
 * store-wide), against canned answers shaped like the platforms' published examples.
 */
class ShipmentListingTest {

    private static ApiConnection connection(CannedHttpServer server) {
        return new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("t"), Duration.ofSeconds(5));
    }

    @Test
    void shopifyFindsFulfillmentsUpdatedInTheRangeOnTheOrdersUpdatedSinceItsStart() throws Exception {
        Instant since = Instant.parse("2021-12-31T00:00:00Z");
        Instant before = Instant.parse("2022-01-01T00:00:00Z");
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"data\":{\"orders\":{\"pageInfo\":{\"hasNextPage\":false,\"endCursor\":\"c1\"},\"nodes\":["
                            + "{\"legacyResourceId\":\"820982911946154508\",\"updatedAt\":\"2022-01-02T10:00:00Z\","
                            + "\"fulfillments\":[{\"legacyResourceId\":\"123456\",\"updatedAt\":"
                            + "\"2021-12-31T10:00:00Z\"},{\"legacyResourceId\":\"123457\",\"updatedAt\":"
                            + "\"2022-01-02T10:00:00Z\"}]},"
                            + "{\"legacyResourceId\":\"820982911946154509\",\"updatedAt\":\"2022-01-02T11:00:00Z\","
                            + "\"fulfillments\":[]}]}},"
                            + "\"extensions\":{\"cost\":{\"requestedQueryCost\":12,\"actualQueryCost\":6,"
                            + "\"throttleStatus\":{\"maximumAvailable\":2000.0,\"currentlyAvailable\":1994.0,"
                            + "\"restoreRate\":100.0}}}}"));
            PlatformApiClient client = new ShopifyAdapter().apiClient(connection(server));

            ChangedPage page = client.listChanged(new ListChangedRequest(EntityType.SHIPMENT, since, null, 5, before))
                    .value();

            // only the fulfillment updated in [since, before); its order is the parent the fetch by id needs
            assertEquals(
                    List.of(new ChangedEntity(
                            "123456", Instant.parse("2021-12-31T10:00:00Z"), Optional.empty(), "820982911946154508")),
                    page.entities());
            assertEquals(Optional.empty(), page.nextPageCursor());
            String body = server.last().body();
            assertTrue(body.contains("fulfillments { legacyResourceId updatedAt }"), body);
            assertTrue(body.contains("updated_at:>='2021-12-31T00:00:00Z'"), body);
            assertFalse(body.contains("updated_at:<"), body); // the order may have changed after the range
            assertEquals(
                    1,
                    client.countChanged(EntityType.SHIPMENT, since, before)
                            .value()
                            .count());
        }
    }

    /**
     * GET /v2/orders (modified since, no upper bound), then GET /v2/orders/{id}/shipments only for orders with
     * items_shipped; each shipment created in the range comes with its body (BigCommerce's v2 shipment example) and its
     * order, versioned by date_created.
     */
    @Test
    void bigCommerceFindsShipmentsCreatedInTheRangeOnTheShippedOrdersModifiedSinceItsStart() throws Exception {
        Instant since = Instant.parse("2019-03-13T00:00:00Z");
        Instant before = Instant.parse("2019-03-14T00:00:00Z");
        JsonNode example = Json.MAPPER.readTree(
                getClass().getResourceAsStream("/fixtures/bigcommerce/v2_shipment.get_shipment_11.json"));
        ObjectNode older = example.deepCopy();
        older.put("id", 10).put("date_created", "Tue, 12 Mar 2019 09:00:00 +0000");
        ArrayNode shipments = Json.MAPPER.createArrayNode().add(older).add(example);
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> {
                String path = exchange.getRequestURI().getPath();
                if (path.endsWith("/v2/orders")) {
                    CannedHttpServer.respond(
                            exchange,
                            200,
                            Map.of(),
                            "[{\"id\":227,\"date_modified\":\"Wed, 13 Mar 2019 10:00:00 +0000\",\"items_shipped\":0},"
                                    + "{\"id\":228,\"date_modified\":\"Wed, 13 Mar 2019 16:35:37 +0000\","
                                    + "\"items_shipped\":2}]");
                } else if (path.endsWith("/v2/orders/228/shipments")) {
                    CannedHttpServer.respond(exchange, 200, Map.of(), Json.encode(shipments));
                } else {
                    CannedHttpServer.respond(exchange, 204, Map.of(), "");
                }
            });
            PlatformApiClient client = new BigCommerceAdapter().apiClient(connection(server));

            ChangedPage page = client.listChanged(new ListChangedRequest(EntityType.SHIPMENT, since, null, 250, before))
                    .value();

            assertEquals(
                    List.of(new ChangedEntity(
                            "11", Instant.parse("2019-03-13T16:35:37Z"), Optional.of(example), "228")),
                    page.entities());
            assertEquals(Optional.empty(), page.nextPageCursor(), "fewer orders than the page holds: the last page");
            List<String> asked = server.requests().stream()
                    .map(r -> r.uri().getPath() + "?" + r.uri().getQuery())
                    .toList();
            assertEquals(2, asked.size(), "one request for the orders, one for the one shipped order: " + asked);
            assertTrue(asked.get(0).contains("min_date_modified=2019-03-13T00:00:00"), asked.get(0));
            assertFalse(asked.get(0).contains("max_date_modified"), asked.get(0)); // modified after the range too
            assertTrue(asked.get(0).contains("limit=50"), "at most 50 orders a page: " + asked.get(0));
            assertTrue(asked.get(1).startsWith("/v2/orders/228/shipments?"), asked.get(1));

            // a full page of orders has a successor
            ChangedPage full = client.listChanged(new ListChangedRequest(EntityType.SHIPMENT, since, null, 2, before))
                    .value();
            assertEquals(Optional.of("2"), full.nextPageCursor());
        }
    }
}
