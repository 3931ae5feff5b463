package dev.commercesync.platforms.shopify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiDeprecation;
import dev.commercesync.platforms.spi.ApiVersions;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.schemas.canonical.EntityType;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Shopify client calls the connection's API version and keeps Shopify's deprecation notices; the declaration. */
class ShopifyApiVersionTest {
    private final ShopifyAdapter adapter = new ShopifyAdapter();

    private PlatformApiClient client(CannedHttpServer server, String version) {
        return adapter.apiClient(
                new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("shpat_x"), Duration.ofSeconds(5))
                        .withApiVersion(version));
    }

    @Test
    void callsTheConnectionsVersionAndKeepsDeprecationNoticesOnce() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(ShopifyApiClient.DEPRECATED_REASON, "compareQuantity is removed in 2026-04"),
                    "{\"data\": {\"order\": null}}"));
            PlatformApiClient client = client(server, "2026-01");
            client.getById(EntityType.ORDER, "1", null);
            assertEquals("/admin/api/2026-01/graphql.json", server.last().uri().getPath());

            List<ApiDeprecation> notices = client.takeDeprecations();
            assertEquals(1, notices.size());
            assertEquals("compareQuantity is removed in 2026-04", notices.get(0).reason());
            assertEquals("/admin/api/2026-01/graphql.json", notices.get(0).path());
            assertEquals(List.of(), client.takeDeprecations(), "taken notices are forgotten");
        }
    }

    @Test
    void withoutAVersionTheDefaultIsCalledAndAnUnsupportedOneIsRefused() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(
                    exchange -> CannedHttpServer.respond(exchange, 200, Map.of(), "{\"data\": {\"order\": null}}"));
            client(server, null).getById(EntityType.ORDER, "1", null);
            assertEquals("/admin/api/2026-04/graphql.json", server.last().uri().getPath());
            assertTrue(client(server, null).takeDeprecations().isEmpty());
            assertThrows(IllegalArgumentException.class, () -> client(server, "2025-07"));
        }
    }

    @Test
    void theDeclarationResolvesAndWarnsBeforeAndAfterASunset() {
        ApiVersions versions = adapter.apiVersions();
        assertEquals("2026-04", versions.resolve("shopify", Optional.empty()).name());
        ApiVersions.ApiVersion old = versions.resolve("shopify", Optional.of("2026-01"));
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> versions.resolve("shopify", Optional.of("2025-07")));
        assertEquals(
                "API version 2025-07 is not supported by the shopify adapter; supported: [2026-01, 2026-04]",
                refused.getMessage());
        assertEquals(Optional.empty(), versions.sunsetWarning(old, LocalDate.parse("2026-10-01"), 90));
        assertEquals(
                Optional.of("API version 2026-01 reaches its sunset on 2027-01-01 (in 25 days); upgrade to 2026-04"),
                versions.sunsetWarning(old, LocalDate.parse("2026-12-07"), 90));
        assertEquals(
                Optional.of("API version 2026-01 reached its sunset on 2027-01-01; upgrade to 2026-04"),
                versions.sunsetWarning(old, LocalDate.parse("2027-01-02"), 90));
    }
}
