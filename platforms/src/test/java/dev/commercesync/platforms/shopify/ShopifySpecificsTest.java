package dev.commercesync.platforms.shopify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.RateLimitedException;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.RefundEvent;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Shopify behaviour beyond the contract: currencies without/with 3 decimals, offsets, GraphQL throttling. */
class ShopifySpecificsTest {
    private final Normalization normalization = new Normalization(PlatformRegistry.loadInstalled());

    private static ObjectNode fixture(String name) throws IOException {
        try (InputStream in =
                ShopifySpecificsTest.class.getClassLoader().getResourceAsStream("fixtures/shopify/" + name + ".json")) {
            return (ObjectNode) Json.MAPPER.readTree(in);
        }
    }

    private NormalizationOutcome normalize(String topic, ObjectNode payload) throws IOException {
        return normalization.normalize(RawEnvelope.newBuilder()
                .setEnvelopeId("test")
                .setPlatform("shopify")
                .setStore("acme.myshopify.com")
                .setEventType(topic)
                .setSource(EventSource.WEBHOOK)
                .setBody(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(payload)))
                .setReceivedAt(Instant.EPOCH)
                .build());
    }

    /** Replaces every currency code in the payload (shop and presentment money, top level). */
    private static void setCurrency(com.fasterxml.jackson.databind.JsonNode node, String currency) {
        if (node instanceof ObjectNode object) {
            for (String field : java.util.List.of("currency", "currency_code", "presentment_currency")) {
                if (object.has(field) && object.get(field).isTextual()) {
                    object.put(field, currency);
                }
            }
        }
        node.forEach(child -> setCurrency(child, currency));
    }

    @Test
    void aYenOrderHasWholeAmountsAndUtcTimes() throws Exception {
        ObjectNode order = fixture("orders_create");
        setCurrency(order, "JPY");
        order.put("total_price", "40495");
        // The money set is what names the currency, so the mapper reads the amount there.
        ((ObjectNode) order.with("total_price_set").with("shop_money")).put("amount", "40495");
        order.put("created_at", "2022-01-01T09:00:00+09:00");
        Order mapped = ((OrderEvent) events(normalize("orders/create", order))).getOrder();
        assertEquals("JPY", mapped.getCurrency());
        assertEquals("JPY", mapped.getTotals().getTotal().getCurrency());
        assertEquals(0, mapped.getTotals().getTotal().getAmount().compareTo(new BigDecimal("40495")));
        assertEquals(Instant.parse("2022-01-01T00:00:00Z"), mapped.getCreatedAt());
        assertEquals("820982911946154508", mapped.getId(), "id above 2^53, exact");
    }

    @Test
    void aKuwaitiDinarRefundKeepsThreeDecimals() throws Exception {
        ObjectNode refund = fixture("refunds_create");
        setCurrency(refund, "KWD");
        ((ObjectNode) refund.withArray("transactions").get(0)).put("amount", "12.345");
        ((ObjectNode) refund.withArray("transactions").get(0)).put("currency", "KWD");
        Refund mapped = ((RefundEvent) events(normalize("refunds/create", refund))).getRefund();
        // 12.345 + 10.00 from the second transaction
        assertEquals(new BigDecimal("22.345000"), mapped.getAmount().getAmount());
        assertEquals("KWD", mapped.getAmount().getCurrency());
    }

    @Test
    void anOrderAdjustmentReportedNegativeIsPositiveCanonically() throws Exception {
        ObjectNode refund = fixture("refunds_create");
        ObjectNode adjustment = refund.withArray("order_adjustments").addObject();
        adjustment.put("id", 1);
        adjustment.put("kind", "shipping_refund");
        adjustment.put("amount", "-5.00");
        adjustment.put("tax_amount", "0.00");
        Refund mapped = ((RefundEvent) events(normalize("refunds/create", refund))).getRefund();
        assertEquals(
                new BigDecimal("5.000000"),
                mapped.getAdjustments().get(0).getAmount().getAmount());
    }

    @Test
    void aFractionalQuantityIsQuarantinedWithItsPath() throws Exception {
        ObjectNode order = fixture("orders_create");
        ((ObjectNode) order.withArray("line_items").get(1)).put("quantity", new BigDecimal("1.5"));
        NormalizationOutcome.Failed failed =
                assertInstanceOf(NormalizationOutcome.Failed.class, normalize("orders/create", order));
        assertEquals("line_items[1].quantity", failed.fieldPath());
        assertEquals("shopify/orders@1", failed.mappingVersion());
    }

    private static org.apache.avro.specific.SpecificRecord events(NormalizationOutcome outcome) {
        NormalizationOutcome.Events events =
                assertInstanceOf(NormalizationOutcome.Events.class, outcome, outcome::toString);
        CanonicalEvents.metadata(events.canonicalEvents().get(0));
        return events.canonicalEvents().get(0);
    }

    @Test
    void aThrottledGraphqlAnswerWaitsForTheBucketToRefill() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"errors\":[{\"message\":\"Throttled\",\"extensions\":{\"code\":\"THROTTLED\"}}],"
                            + "\"extensions\":{\"cost\":{\"requestedQueryCost\":502,\"actualQueryCost\":null,"
                            + "\"throttleStatus\":{\"maximumAvailable\":2000.0,\"currentlyAvailable\":102.0,"
                            + "\"restoreRate\":100.0}}}}"));
            var client = new ShopifyAdapter()
                    .apiClient(new ApiConnection(
                            server.baseUrl(), new ApiCredentials.AccessToken("t"), Duration.ofSeconds(5)));
            RateLimitedException e = assertThrows(
                    RateLimitedException.class,
                    () -> client.listChanged(new ListChangedRequest(EntityType.ORDER, Instant.EPOCH, null, 50)));
            assertEquals(Duration.ofSeconds(4), e.retryAfter());
            assertEquals(Optional.of(new QuotaStatus(102, 2000, 100)), e.quota());
            assertEquals("t", server.last().header("X-Shopify-Access-Token"));
        }
    }
}
