package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiVersions;
import dev.commercesync.platforms.spi.EntityMapper;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Mappings declare the API versions they read ({@link EntityMapper#apiVersionsRead}); the raw envelope records the
 * version of its payload; {@link Normalization} refuses a payload of a version its mapping does not read.
 */
class MappingApiVersionsTest {
    private static final PlatformRegistry PLATFORMS = PlatformRegistry.loadInstalled();
    private static final Normalization NORMALIZATION = new Normalization(PLATFORMS);
    private static final Instant RECEIVED = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void everyMappingReadsEveryVersionItsAdapterMayBeConfiguredToCall() {
        List<String> gaps = new ArrayList<>();
        for (String name : PLATFORMS.names()) {
            PlatformAdapter adapter = PLATFORMS.get(name);
            List<String> callable = adapter.apiVersions().supported().stream()
                    .map(ApiVersions.ApiVersion::name)
                    .toList();
            for (EntityType type : EntityType.values()) {
                Optional<EntityMapper> mapper = adapter.mapper(type);
                if (mapper.isPresent() && !mapper.get().apiVersionsRead().containsAll(callable)) {
                    gaps.add(mapper.get().mappingVersion() + " reads "
                            + mapper.get().apiVersionsRead() + ", the client may call " + callable);
                }
            }
        }
        assertEquals(List.of(), gaps, "a store's own polls would be quarantined");
    }

    @Test
    void aShopifyWebhookRecordsTheApiVersionItNames() {
        RawEnvelope envelope = shopifyOrder("2026-01");
        assertEquals("2026-01", envelope.getApiVersion());

        Map<String, String> withoutVersion = shopifyHeaders("2026-01");
        withoutVersion.remove("X-Shopify-API-Version");
        RawEnvelope unnamed = RawEnvelopes.fromWebhook(
                PLATFORMS.get("shopify"),
                new WebhookRequest(withoutVersion, fixture("shopify", "orders_create.json")),
                RECEIVED);
        assertNull(unnamed.getApiVersion(), "a delivery that names no version leaves it unknown");
    }

    @Test
    void aPayloadOfAVersionItsMappingDoesNotReadIsQuarantinedWithTheReason() {
        NormalizationOutcome outcome = NORMALIZATION.normalize(shopifyOrder("2025-07"));

        NormalizationOutcome.Failed failed = assertInstanceOf(NormalizationOutcome.Failed.class, outcome);
        assertEquals(QuarantineErrorClass.UNSUPPORTED_API_VERSION, failed.errorClass());
        String mapping =
                PLATFORMS.get("shopify").mapper(EntityType.ORDER).orElseThrow().mappingVersion();
        assertEquals(
                "the payload is in shopify API version '2025-07', which mapping " + mapping
                        + " does not read (it reads 2026-01, 2026-04)",
                failed.reason());
        assertEquals(mapping, failed.mappingVersion());
        assertEquals(EntityType.ORDER, failed.entityType());
        assertEquals("820982911946154508", failed.entityId());
    }

    @Test
    void aVersionThatIsNoVersionNameIsNotRepeatedInTheReason() {
        NormalizationOutcome.Failed failed = assertInstanceOf(
                NormalizationOutcome.Failed.class, NORMALIZATION.normalize(shopifyOrder("2026-04\u001b[2J; rm")));
        assertEquals(QuarantineErrorClass.UNSUPPORTED_API_VERSION, failed.errorClass());
        assertTrue(failed.reason().contains("API version (not a version name),"), failed.reason());
        assertFalse(failed.reason().contains("rm"), failed.reason());
    }

    @Test
    void aVersionTheMappingReadsAndAnUnknownOneAreMappedAlike() {
        NormalizationOutcome read = NORMALIZATION.normalize(shopifyOrder("2026-01"));
        RawEnvelope unknown = shopifyOrder("2026-01");
        unknown.setApiVersion(null);
        NormalizationOutcome unknownOutcome = NORMALIZATION.normalize(unknown);

        var events = assertInstanceOf(NormalizationOutcome.Events.class, read);
        var unknownEvents = assertInstanceOf(NormalizationOutcome.Events.class, unknownOutcome);
        assertEquals(
                CanonicalJson.renderText(unknownEvents.canonicalEvents().get(0)),
                CanonicalJson.renderText(events.canonicalEvents().get(0)));
    }

    @Test
    void aDeletionCarriesNoPayloadToReadAndIsNotRefused() {
        Map<String, String> headers = shopifyHeaders("2025-07");
        headers.put("X-Shopify-Topic", "orders/delete");
        RawEnvelope deletion = RawEnvelopes.fromWebhook(
                PLATFORMS.get("shopify"),
                new WebhookRequest(headers, "{\"id\": 820982911946154508}".getBytes(StandardCharsets.UTF_8)),
                RECEIVED);

        assertInstanceOf(NormalizationOutcome.Events.class, NORMALIZATION.normalize(deletion));
    }

    @Test
    void aPolledEntityIsCheckedAgainstTheVersionItWasReadWith() throws IOException {
        JsonNode order = Json.MAPPER.readTree(fixture("woocommerce", "order.updated.json"));
        RawEnvelope current = RawEnvelopes.fromApi(
                "woocommerce", "woo.example.com", EntityType.ORDER, order, EventSource.POLL, RECEIVED, null, "wc/v3");
        RawEnvelope legacy = RawEnvelopes.fromApi(
                "woocommerce", "woo.example.com", EntityType.ORDER, order, EventSource.POLL, RECEIVED, null, "wc/v2");

        assertEquals("wc/v3", current.getApiVersion());
        assertInstanceOf(NormalizationOutcome.Events.class, NORMALIZATION.normalize(current));
        NormalizationOutcome.Failed failed =
                assertInstanceOf(NormalizationOutcome.Failed.class, NORMALIZATION.normalize(legacy));
        assertEquals(QuarantineErrorClass.UNSUPPORTED_API_VERSION, failed.errorClass());
        assertTrue(
                failed.reason().contains("'wc/v2'") && failed.reason().endsWith("(it reads wc/v3)"), failed.reason());
    }

    private static RawEnvelope shopifyOrder(String apiVersion) {
        return RawEnvelopes.fromWebhook(
                PLATFORMS.get("shopify"),
                new WebhookRequest(shopifyHeaders(apiVersion), fixture("shopify", "orders_create.json")),
                RECEIVED);
    }

    private static Map<String, String> shopifyHeaders(String apiVersion) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Shopify-Topic", "orders/create");
        headers.put("X-Shopify-Shop-Domain", "acme.myshopify.com");
        headers.put("X-Shopify-Event-Id", "evt-1");
        headers.put("X-Shopify-Webhook-Id", "delivery-1");
        headers.put("X-Shopify-API-Version", apiVersion);
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private static byte[] fixture(String platform, String file) {
        try (InputStream in = MappingApiVersionsTest.class
                .getClassLoader()
                .getResourceAsStream("fixtures/" + platform + "/" + file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
