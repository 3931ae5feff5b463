package dev.commercesync.platforms.magento2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.ApiConnection;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ChangedPage;
import dev.commercesync.platforms.spi.Classification;
import dev.commercesync.platforms.spi.Classification.PayloadKind;
import dev.commercesync.platforms.spi.ListChangedRequest;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformApiClient;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Adobe Commerce customers, shipments, credit memos and source items saves beyond the contract: observer and plugin
 * events, money, API paths.
 */
class Magento2CustomersShipmentsRefundsTest {
    private final Magento2Adapter adapter = new Magento2Adapter();

    private static ObjectNode fixture(String name) throws IOException {
        try (InputStream in = Magento2CustomersShipmentsRefundsTest.class
                .getClassLoader()
                .getResourceAsStream("fixtures/magento2/" + name + ".json")) {
            return (ObjectNode) Json.MAPPER.readTree(in);
        }
    }

    /** An I/O Events CloudEvent of an observer event whose data.value is the given entity. */
    private static ObjectNode cloudEvent(String observer, ObjectNode value) {
        return commerceEvent("observer." + observer, value);
    }

    /** An I/O Events CloudEvent of a Commerce event ({@code observer.…} or {@code plugin.…}) with this data.value. */
    private static ObjectNode commerceEvent(String eventName, ObjectNode value) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("type", "com.adobe.commerce." + eventName);
        event.put("source", "urn:uuid:" + Magento2AdapterContractTest.STORE);
        event.put("id", "0e1a1cc8-0a8b-4b0f-8f0e-5a8a3c0b0001");
        event.put("event_id", "0e1a1cc8-0a8b-4b0f-8f0e-5a8a3c0b0001");
        event.putObject("data").put("key", "k").set("value", value);
        return event;
    }

    private Classification.Classified classifyWebhook(ObjectNode payload) throws Exception {
        return assertInstanceOf(Classification.Classified.class, adapter.classify(webhookEnvelope(payload), payload));
    }

    private static RawEnvelope webhookEnvelope(ObjectNode payload) throws IOException {
        return RawEnvelope.newBuilder()
                .setEnvelopeId("test")
                .setPlatform("magento2")
                .setStore(Magento2AdapterContractTest.STORE)
                .setEventType(payload.path("type").asText())
                .setPlatformEventId(payload.path("event_id").asText())
                .setSource(EventSource.WEBHOOK)
                .setBody(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(payload)))
                .setReceivedAt(Instant.EPOCH)
                .build();
    }

    @Test
    void observerEventsOfCustomersShipmentsAndCreditMemosAreClassified() throws Exception {
        ObjectNode customer = Json.MAPPER.createObjectNode().put("entity_id", 2).put("email", "jdoe@example.com");
        Classification.Classified c = classifyWebhook(cloudEvent("customer_save_commit_after", customer));
        assertEquals(EntityType.CUSTOMER, c.entityType());
        assertEquals(Operation.UPSERT, c.operation());
        assertEquals("2", c.entityId());
        assertEquals(PayloadKind.PARTIAL, c.payloadKind(), "the customer model carries no addresses: fetch");

        Classification.Classified deleted = classifyWebhook(cloudEvent("customer_delete_commit_after", customer));
        assertEquals(Operation.DELETE, deleted.operation());
        assertEquals(PayloadKind.FULL, deleted.payloadKind());

        ObjectNode shipment = Json.MAPPER.createObjectNode().put("entity_id", 3).put("order_id", 3);
        Classification.Classified s = classifyWebhook(cloudEvent("sales_order_shipment_save_after", shipment));
        assertEquals(EntityType.SHIPMENT, s.entityType());
        assertEquals("3", s.entityId());
        assertEquals("3", s.parentId());
        assertEquals(PayloadKind.PARTIAL, s.payloadKind());

        ObjectNode memo = Json.MAPPER.createObjectNode().put("entity_id", 3).put("order_id", 3);
        Classification.Classified r = classifyWebhook(cloudEvent("sales_order_creditmemo_save_commit_after", memo));
        assertEquals(EntityType.REFUND, r.entityType());
        assertEquals(PayloadKind.PARTIAL, r.payloadKind());
    }

    @Test
    void aSourceItemsSaveIsThinAndNamesTheItemItSaved() throws Exception {
        ObjectNode value = Json.MAPPER.createObjectNode();
        value.putArray("sourceItems")
                .addObject()
                .put("sku", "MS-Champ-S")
                .put("source_code", "central")
                .put("quantity", 12)
                .put("status", 1);
        Classification.Classified c = classifyWebhook(commerceEvent(Magento2Adapter.SOURCE_ITEMS_SAVE, value));
        assertEquals(EntityType.INVENTORY_LEVEL, c.entityType());
        assertEquals(Operation.UPSERT, c.operation());
        assertEquals("MS-Champ-S@central", c.entityId());
        assertEquals(
                PayloadKind.THIN,
                c.payloadKind(),
                "a source item has no version: a retried delivery must not overwrite a later save, so it is read");
        assertNull(c.sourceUpdatedAt());
        assertTrue(adapter.webhookTopics().contains("com.adobe.commerce." + Magento2Adapter.SOURCE_ITEMS_SAVE));
    }

    @Test
    void aSaveOfSeveralSourceItemsFailsWithTheReason() throws Exception {
        ObjectNode value = Json.MAPPER.createObjectNode();
        var items = value.putArray("sourceItems");
        items.addObject().put("sku", "a").put("source_code", "central").put("quantity", 1);
        items.addObject().put("sku", "b").put("source_code", "central").put("quantity", 2);
        ObjectNode event = commerceEvent(Magento2Adapter.SOURCE_ITEMS_SAVE, value);
        RawEnvelope envelope = webhookEnvelope(event);
        MappingException e = assertThrows(MappingException.class, () -> adapter.classify(envelope, event));
        assertEquals("data.value.sourceItems", e.fieldPath());
        assertTrue(e.reason().contains("2 source items"), e.reason());
    }

    @Test
    void aCreditMemoEventCarryingTheWholeMemoIsMappedAsIs() throws Exception {
        Classification.Classified r = classifyWebhook(
                cloudEvent("sales_order_creditmemo_save_after", fixture("creditmemo.assembled_from_refund_tutorial")));
        assertEquals(PayloadKind.FULL, r.payloadKind());
        assertEquals("3", r.entityId());
        assertEquals(Instant.parse("2017-08-21T23:05:11Z"), r.sourceUpdatedAt());
    }

    @Test
    void creditMemoAdjustmentsAreExactAndSigned() throws Exception {
        ObjectNode memo = fixture("creditmemo.assembled_from_refund_tutorial");
        memo.put("order_currency_code", "EUR");
        memo.put("grand_total", new BigDecimal("19.995"));
        memo.put("adjustment_positive", new BigDecimal("1.5"));
        memo.put("adjustment_negative", new BigDecimal("3.505"));
        Refund refund = new Magento2RefundMapper().map(memo, null);
        assertEquals(new BigDecimal("19.995000"), refund.getAmount().getAmount());
        assertEquals("EUR", refund.getAmount().getCurrency());
        assertEquals(2, refund.getAdjustments().size());
        assertEquals(
                new BigDecimal("1.500000"),
                refund.getAdjustments().get(0).getAmount().getAmount());
        assertEquals("adjustment_fee", refund.getAdjustments().get(1).getKind());
        assertEquals(
                new BigDecimal("-3.505000"),
                refund.getAdjustments().get(1).getAmount().getAmount());
        assertEquals("\"USD\"", refund.getPlatformFields().get("base_currency_code"));
    }

    @Test
    void badCreditMemosAndShipmentsFailWithTheFieldPath() throws Exception {
        ObjectNode memo = fixture("creditmemo.assembled_from_refund_tutorial");
        memo.remove("order_currency_code");
        MappingException noCurrency =
                assertThrows(MappingException.class, () -> new Magento2RefundMapper().map(memo, null));
        assertEquals("order_currency_code", noCurrency.fieldPath());

        ObjectNode fractional = fixture("creditmemo.assembled_from_refund_tutorial");
        ((ObjectNode) fractional.withArray("items").get(0)).put("qty", new BigDecimal("0.5"));
        MappingException qty =
                assertThrows(MappingException.class, () -> new Magento2RefundMapper().map(fractional, null));
        assertEquals("items[0].qty", qty.fieldPath());

        ObjectNode shipment = fixture("shipment.assembled_from_shipment_tutorial");
        ((ObjectNode) shipment.withArray("tracks").get(0)).remove("track_number");
        MappingException track =
                assertThrows(MappingException.class, () -> new Magento2ShipmentMapper().map(shipment, null));
        assertEquals("tracks[0].track_number", track.fieldPath());
    }

    @Test
    void aCustomerHasItsDefaultAddressAndUtcTimes() throws Exception {
        var customer = new Magento2CustomerMapper().map(fixture("customer.rest_post_V1_customers_response"), null);
        assertEquals("2", customer.getId());
        assertEquals("NY", customer.getDefaultAddress().getRegionCode());
        assertEquals(Instant.parse("2017-01-31T01:18:13Z"), customer.getCreatedAt());
        assertNull(customer.getAcceptsMarketing());
        assertEquals("43", customer.getPlatformFields().get("addresses[0].region.region_id"));
    }

    @Test
    void theApiFetchesAndListsCustomersShipmentsAndCreditMemos() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer()) {
            server.handle(exchange -> {
                String path = exchange.getRequestURI().getPath();
                switch (path) {
                    case "/V1/customers/2", "/V1/shipment/3", "/V1/creditmemo/3" ->
                        CannedHttpServer.respond(exchange, 200, Map.of(), "{\"entity_id\": 3, \"id\": 2}");
                    case "/V1/customers/search", "/V1/shipments", "/V1/creditmemos" ->
                        CannedHttpServer.respond(
                                exchange,
                                200,
                                Map.of(),
                                "{\"items\": [{\"id\": 2, \"entity_id\": 3, \"updated_at\": \"2026-01-02 03:04:05\"}],"
                                        + " \"total_count\": 1}");
                    default -> CannedHttpServer.respond(exchange, 404, Map.of(), "{\"message\": \"not found\"}");
                }
            });
            PlatformApiClient api = adapter.apiClient(
                    new ApiConnection(server.baseUrl(), new ApiCredentials.AccessToken("magento-secret-value")));
            assertTrue(api.getById(EntityType.CUSTOMER, "2", null).value().isPresent());
            assertTrue(api.getById(EntityType.SHIPMENT, "3", "3").value().isPresent());
            assertTrue(api.getById(EntityType.REFUND, "3", "3").value().isPresent());
            assertEquals(
                    Optional.empty(), api.getById(EntityType.REFUND, "4", null).value());
            Map<EntityType, String> expectedIds =
                    Map.of(EntityType.CUSTOMER, "2", EntityType.SHIPMENT, "3", EntityType.REFUND, "3");
            for (Map.Entry<EntityType, String> expected : expectedIds.entrySet()) {
                ApiResponse<ChangedPage> page = api.listChanged(
                        new ListChangedRequest(expected.getKey(), Instant.parse("2026-01-01T00:00:00Z"), null, 100));
                assertEquals(expected.getValue(), page.value().entities().get(0).id());
                assertEquals(
                        Instant.parse("2026-01-02T03:04:05Z"),
                        page.value().entities().get(0).updatedAt());
            }
        }
    }
}
