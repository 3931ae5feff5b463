package dev.commercesync.poller;

import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.PlatformCapabilities;
import dev.commercesync.schemas.canonical.EntityType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Per-platform defaults come from the adapter's capabilities (the shipped configuration names no platform); a
 * platform's and a store's configured overrides win, in that order (PollerTestResource sets them).
 */
@QuarkusTest
@WithTestResource(PollerTestResource.class)
class StoreSettingsTest {
    @Inject
    StoreSettings settings;

    @Inject
    PlatformRegistry platforms;

    @Test
    void withoutConfigurationEveryPlatformGetsWhatItsAdapterDeclares() {
        for (String platform : platforms.names()) {
            if (platform.equals("woocommerce")) {
                continue; // overridden for the fake store of the other tests
            }
            PlatformCapabilities declared = platforms.get(platform).capabilities();
            StoreKey store = new StoreKey(platform, "any-store");
            assertEquals(List.copyOf(declared.listedByUpdatedAt()), settings.resources(store), platform);
            assertEquals(List.copyOf(declared.listedAsSnapshot()), settings.snapshotResources(store), platform);
            assertEquals(declared.webhookTopics(), settings.webhookTopics(store), platform);
            assertEquals(declared.requestCost(), settings.requestCost(store), platform);
            assertEquals(declared.rateLimitProfile().budget(), settings.budget(store), platform);
            assertEquals(declared.rateLimitProfile().refillPerSecond(), settings.refillPerSecond(store), platform);
        }
        // The shipped facts, as they were in configuration before: Shopify's listing query costs 50 points.
        assertEquals(50, settings.requestCost(new StoreKey("shopify", "any-store")));
    }

    @Test
    void aPlatformsOverrideWinsOverTheAdapter() {
        StoreKey store = new StoreKey("woocommerce", "any-store");
        assertEquals(List.of(EntityType.ORDER), settings.resources(store));
        assertEquals(Set.of("order.created", "order.updated"), settings.webhookTopics(store));
        assertEquals(
                platforms.get("woocommerce").capabilities().requestCost(),
                settings.requestCost(store),
                "what is not overridden stays the adapter's");
    }

    @Test
    void aStoresOverrideWinsOverItsPlatform() {
        StoreKey store = new StoreKey("shopify", PollerTestResource.OVERRIDDEN_STORE);
        assertEquals(List.of(EntityType.PRODUCT, EntityType.CUSTOMER), settings.resources(store));
        assertEquals(7, settings.requestCost(store));
        assertEquals(List.of(EntityType.INVENTORY_LEVEL), settings.snapshotResources(store));
        assertEquals(platforms.get("shopify").webhookTopics(), settings.webhookTopics(store));
    }

    @Test
    void thePlatformViewServesTheAdaptersListableTypes() {
        given().header("Authorization", INTERNAL_AUTH)
                .get("/platform-view/bigcommerce/capabilities")
                .then()
                .statusCode(200)
                .body(
                        "listed_by_updated_at",
                        containsInAnyOrder(platforms.get("bigcommerce").capabilities().listedByUpdatedAt().stream()
                                .map(Enum::name)
                                .toArray()))
                .body("listed_as_snapshot", contains("INVENTORY_LEVEL"))
                .body("listed_without_count", empty());
        // Amazon's searchOrders has no count: the reconciler lists its orders instead of counting buckets.
        given().header("Authorization", INTERNAL_AUTH)
                .get("/platform-view/amazon/capabilities")
                .then()
                .statusCode(200)
                .body("listed_without_count", contains("ORDER"));
        given().header("Authorization", INTERNAL_AUTH)
                .get("/platform-view/no-such-platform/capabilities")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_platform"));
    }
}
