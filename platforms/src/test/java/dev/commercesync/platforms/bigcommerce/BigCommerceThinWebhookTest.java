package dev.commercesync.platforms.bigcommerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.FetchReason;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BigCommerce's thin webhooks: classified from {@code data}, turned into fetch requests, deduplicated by webhook-id. */
class BigCommerceThinWebhookTest {
    private static final Instant AT = Instant.parse("2026-01-15T10:00:00Z");
    private static final WebhookSecret SECRET = WebhookSecret.of("bc-client-secret");

    private final PlatformAdapter adapter = PlatformRegistry.loadInstalled().get("bigcommerce");
    private final Normalization normalization = new Normalization(PlatformRegistry.loadInstalled());

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = BigCommerceThinWebhookTest.class
                .getClassLoader()
                .getResourceAsStream("fixtures/bigcommerce/" + name + ".json")) {
            return in.readAllBytes();
        }
    }

    private RawEnvelope envelope(String name) throws Exception {
        byte[] body = fixture(name);
        Map<String, String> headers = new HashMap<>(BigCommerceAdapterContractTest.sign(body, SECRET, AT));
        return RawEnvelopes.fromWebhook(adapter, new WebhookRequest(headers, body), AT);
    }

    @ParameterizedTest
    @CsvSource({
        "store_order_created, ORDER, 250, ",
        "store_order_refund_created, REFUND, 3, 250",
        "store_product_inventory_updated, INVENTORY_LEVEL, product:167@1, ",
        "store_sku_inventory_updated, INVENTORY_LEVEL, 509@1, 206",
        "store_product_updated, PRODUCT, 205, ",
        "store_shipment_created, SHIPMENT, 12, 251"
    })
    void aThinUpsertBecomesAFetchRequest(String name, EntityType type, String id, String parentId) throws Exception {
        RawEnvelope envelope = envelope(name);
        assertEquals("{store_hash}", envelope.getStore(), "store from producer, as published");
        Classification.Classified classified = assertInstanceOf(
                Classification.Classified.class, adapter.classify(envelope, Json.parseObject(fixture(name))));
        assertEquals(Classification.PayloadKind.THIN, classified.payloadKind());
        assertNull(classified.sourceUpdatedAt(), "a thin webhook does not know the entity's updated-at");
        NormalizationOutcome.FetchNeeded fetch =
                assertInstanceOf(NormalizationOutcome.FetchNeeded.class, normalization.normalize(envelope));
        assertEquals(type, fetch.entityType());
        assertEquals(List.of(id), fetch.entityIds());
        assertEquals(parentId, fetch.parentId());
        assertEquals(FetchReason.THIN_WEBHOOK, fetch.reason());
        assertEquals("bigcommerce/{store_hash}/event/" + envelope.getPlatformEventId(), fetch.dedupKey());
    }

    @Test
    void theWebhookIdIsTheDedupKeyAcrossRedeliveries() throws Exception {
        RawEnvelope first = envelope("store_order_created");
        RawEnvelope retry =
                RawEnvelope.newBuilder(first).setReceivedAt(AT.plusSeconds(300)).build();
        String a = ((NormalizationOutcome.FetchNeeded) normalization.normalize(first)).dedupKey();
        String b = ((NormalizationOutcome.FetchNeeded) normalization.normalize(retry)).dedupKey();
        assertEquals(a, b);
    }

    @Test
    void withoutWebhookIdTheHashAndEventTimeStandInAndDifferBetweenEvents() throws Exception {
        RawEnvelope created = RawEnvelope.newBuilder(envelope("store_order_created"))
                .setPlatformEventId(null)
                .build();
        Classification.Classified classified =
                (Classification.Classified) adapter.classify(created, Json.parseObject(fixture("store_order_created")));
        assertEquals(
                "bigcommerce/{store_hash}/event/dd70c0976e06b67aaf671e73f49dcb79230ebf9d@1561479335",
                classified.dedupKey());
        // same data hash, later event: a different key (the hash alone would swallow the second update)
        String later = new String(fixture("store_order_created"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("1561479335", "1561479999");
        Classification.Classified update =
                (Classification.Classified) adapter.classify(created, Json.parseObject(later.getBytes()));
        assertNotEquals(classified.dedupKey(), update.dedupKey());
    }

    @Test
    void aDeleteCarriesTheEventTimeAsSourceUpdatedAt() throws Exception {
        Classification.Classified deleted = (Classification.Classified)
                adapter.classify(envelope("store_product_deleted"), Json.parseObject(fixture("store_product_deleted")));
        assertEquals(Instant.ofEpochSecond(1561479233), deleted.sourceUpdatedAt());
        assertEquals(Classification.PayloadKind.FULL, deleted.payloadKind());
    }

    @Test
    void everyClassifiedScopeIsADeclaredTopic() {
        assertTrue(adapter.webhookTopics()
                .containsAll(List.of(
                        "store/order/created",
                        "store/order/refund/created",
                        "store/product/inventory/updated",
                        "store/sku/inventory/updated",
                        "store/product/updated",
                        "store/product/deleted",
                        "store/shipment/created")));
    }
}
