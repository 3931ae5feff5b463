package dev.commercesync.syncwriter;

import static dev.commercesync.syncwriter.CanonicalEvents.order;
import static dev.commercesync.testsupport.ServiceReadinessContract.INTERNAL_AUTH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.devstack.StackFaults;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.NormalizationOutcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.Address;
import dev.commercesync.schemas.canonical.Customer;
import dev.commercesync.schemas.canonical.CustomerEvent;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.OrderCustomer;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.Shipment;
import dev.commercesync.schemas.canonical.ShipmentEvent;
import dev.commercesync.schemas.canonical.ShipmentStatus;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import dev.commercesync.testsupport.KafkaTestClient;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Privacy requests on the real broker, registry and PostgreSQL: a customer and their orders applied to the target,
 * then the request as webhook-ingest publishes it (built by the Shopify or eBay adapter from the documented webhook
 * body) on {@code commerce.privacy.v1}; the target loses the personal data, the request is recorded done, and neither
 * a late webhook nor a replay of the customer's events brings the data back.
 */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class PrivacyRedactionTest {
    private static final String EMAIL = "jane.roe@example.com";
    private static KafkaProducer<String, SpecificRecord> producer;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void topicsAndProducer() throws Exception {
        TestKafka.createTopics();
        producer = TestKafka.avroProducer();
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void customersRedactRemovesTheCustomersPersonalDataAndALateOrReplayedEventDoesNotRestoreIt() throws Exception {
        String store = CanonicalEvents.newStore();
        CustomerEvent jane = customer(store, "501", 1, EMAIL, "Jane", "Roe");
        CustomerEvent other = customer(store, "502", 1, "someone.else@example.com", "Sam", "Else");
        OrderEvent janesOrder = orderOf(store, "9001", 1, "501", jane.getCustomer());
        OrderEvent guestOrder = orderOf(store, "9002", 1, null, jane.getCustomer()); // named only by orders_to_redact
        OrderEvent othersOrder = orderOf(store, "9003", 1, "502", other.getCustomer());
        ShipmentEvent janesShipment = shipment(store, "77", "9001");
        send(jane, other, janesOrder, guestOrder, othersOrder, janesShipment);
        TestKafka.awaitProcessed(dataSource, jane, other, janesOrder, guestOrder, othersOrder, janesShipment);
        assertTrue(text("SELECT data::text FROM target.customers WHERE entity_key = ?", key(jane))
                .contains(EMAIL));

        PrivacyRequest redact = shopifyRequest(
                store,
                "customers/redact",
                "{\"shop_id\": 954889, \"shop_domain\": \"" + store + "\", \"customer\": {\"id\": 501, \"email\": \""
                        + EMAIL + "\", \"phone\": \"555-625-1199\"}, \"orders_to_redact\": [9001, 9002]}");
        sendPrivacy(redact);
        awaitDone(redact);

        assertRedacted(store, jane, janesOrder, guestOrder, janesShipment);
        assertEquals("someone.else@example.com", column("target.customers", key(other), "email"));
        assertTrue(text("SELECT data::text FROM target.orders WHERE entity_key = ?", key(othersOrder))
                .contains("someone.else@example.com"));
        Map<String, Object> request = requestRow(redact.getRequestId());
        assertEquals("CUSTOMER_REDACT", request.get("kind"));
        assertEquals(4, request.get("rows_affected"), "the customer, two orders and the shipment");
        assertFalse(request.toString().contains(EMAIL), "the record holds no personal data");

        // A late customers/update webhook (newer version), a replay of the order after a mapping fix (same version,
        // new mapping version, other content) and the same privacy request again (Shopify redelivers).
        CustomerEvent lateUpdate = customer(store, "501", 5, EMAIL, "Jane", "Roe");
        OrderEvent replayed = orderOf(store, "9001", 1, "501", lateUpdate.getCustomer());
        replayed.getMetadata().setMappingVersion("shopify/orders@2");
        replayed.getOrder().setNote("re-mapped");
        send(lateUpdate, replayed);
        sendPrivacy(redact);
        TestKafka.awaitProcessed(dataSource, lateUpdate, replayed);
        Object doneAt = requestRow(redact.getRequestId()).get("done_at");

        assertEquals(
                lateUpdate.getMetadata().getEventId(),
                column("target.customers", key(jane), "event_id"),
                "the late update was applied");
        assertEquals(
                "shopify/orders@2",
                column("target.orders", key(janesOrder), "mapping_version"),
                "the replay was applied");
        assertRedacted(store, jane, janesOrder, guestOrder, janesShipment);
        // The next request of the store (same partition) recorded: the redelivery before it was consumed, a no-op.
        PrivacyRequest next =
                shopifyRequest(store, "shop/redact", "{\"shop_id\": 954889, \"shop_domain\": \"" + store + "\"}");
        sendPrivacy(next);
        awaitDone(next);
        assertEquals(
                1L,
                count(
                        "SELECT count(*) FROM syncwriter.privacy_requests WHERE store = ? AND kind = 'CUSTOMER_REDACT'",
                        store));
        assertEquals(doneAt, requestRow(redact.getRequestId()).get("done_at"), "carried out once");

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/privacy/requests")
                .then()
                .statusCode(200)
                .body("find { it.request_id == '" + redact.getRequestId() + "' }.status", equalTo("DONE"))
                .body("find { it.request_id == '" + redact.getRequestId() + "' }.overdue", equalTo(false))
                .body("find { it.request_id == '" + redact.getRequestId() + "' }", hasKey("due_at"));
        given().get("/privacy/requests").then().statusCode(401);
    }

    /**
     * eBay: orders as the eBay adapter maps them from the Fulfillment API (the buyer is their {@code username}), then
     * the marketplace account deletion of that buyer as the ingest builds it from eBay's notification. The buyer's
     * orders and their shipment lose the personal data, another buyer's order keeps it, and a later poll of the order
     * is masked again.
     */
    @Test
    void anEbayAccountDeletionMasksTheBuyersOrdersAndShipmentsInTheTarget() throws Exception {
        String seller = "seller-" + UUID.randomUUID().toString().substring(0, 8);
        OrderEvent janesOrder = ebayOrder(seller, "05-11111-11111", "jane_roe_1", EMAIL, 1);
        OrderEvent janesOtherOrder = ebayOrder(seller, "05-22222-22222", "jane_roe_1", EMAIL, 2);
        OrderEvent othersOrder = ebayOrder(seller, "05-33333-33333", "sam_else_2", "someone.else@example.com", 1);
        // eBay's shipping fulfillments carry no address; a canonical shipment of the store with one shows that the
        // writer's rule (shipments of the buyer's orders) holds for eBay rows too.
        ShipmentEvent janesShipment = shipment(seller, "9405509699937003457459", "05-11111-11111");
        janesShipment.getMetadata().setPlatform("ebay");
        janesShipment.getMetadata().setEntityKey("ebay/" + seller + "/shipment/9405509699937003457459");
        send(janesOrder, janesOtherOrder, othersOrder, janesShipment);
        TestKafka.awaitProcessed(dataSource, janesOrder, janesOtherOrder, othersOrder, janesShipment);
        assertEquals("jane_roe_1", text("SELECT customer_id FROM target.orders WHERE entity_key = ?", key(janesOrder)));
        assertTrue(text("SELECT data::text FROM target.orders WHERE entity_key = ?", key(janesOrder))
                .contains(EMAIL));

        PrivacyRequest deletion = ebayAccountDeletion(seller, "jane_roe_1");
        sendPrivacy(deletion);
        awaitDone(deletion);

        assertEbayBuyerRedacted(seller);
        assertEquals("jane_roe_1", text("SELECT customer_id FROM target.orders WHERE entity_key = ?", key(janesOrder)));
        assertTrue(text("SELECT data::text FROM target.orders WHERE entity_key = ?", key(othersOrder))
                .contains("someone.else@example.com"));
        Map<String, Object> request = requestRow(deletion.getRequestId());
        assertEquals("ebay", request.get("platform"));
        assertEquals("CUSTOMER_REDACT", request.get("kind"));
        assertEquals(3, request.get("rows_affected"), "the buyer's two orders and the shipment");
        assertFalse(request.toString().contains("jane_roe_1"), "the record holds no username");

        // The poller reads the order again, modified later (a status change): masked again on apply.
        OrderEvent repolled = ebayOrder(seller, "05-11111-11111", "jane_roe_1", EMAIL, 9);
        send(repolled);
        TestKafka.awaitProcessed(dataSource, repolled);
        assertEquals(
                repolled.getMetadata().getEventId(),
                column("target.orders", key(janesOrder), "event_id"),
                "the later poll was applied");
        assertEbayBuyerRedacted(seller);
    }

    private void assertEbayBuyerRedacted(String seller) throws Exception {
        for (String table : List.of("target.orders", "target.shipments")) {
            for (String personal : List.of(EMAIL, "Jane", "Roe", "555-0501")) {
                assertEquals(
                        0L,
                        count(
                                "SELECT count(*) FROM " + table + " WHERE store = ? AND strpos(data::text, ?) > 0",
                                seller,
                                personal),
                        table + " still holds " + personal);
            }
        }
    }

    @Test
    void shopRedactRemovesTheStoresDataAndEventsReceivedBeforeItDoNotBringItBack() throws Exception {
        String store = CanonicalEvents.newStore();
        CustomerEvent buyer = customer(store, "601", 1, "buyer@example.com", "Bo", "Buyer");
        OrderEvent placed = orderOf(store, "7001", 1, "601", buyer.getCustomer());
        OrderEvent receivedBeforeTheRedaction = orderOf(store, "7001", 9, "601", buyer.getCustomer());
        send(placed, buyer);
        TestKafka.awaitProcessed(dataSource, placed, buyer);

        PrivacyRequest redact =
                shopifyRequest(store, "shop/redact", "{\"shop_id\": 954889, \"shop_domain\": \"" + store + "\"}");
        sendPrivacy(redact);
        awaitDone(redact);
        assertEquals(0L, count("SELECT count(*) FROM target.orders WHERE store = ?", store));
        assertEquals(0L, count("SELECT count(*) FROM target.customers WHERE store = ?", store));
        assertEquals(0L, count("SELECT count(*) FROM target.order_lines WHERE order_key LIKE ?", "%" + store + "%"));

        // A replay of the raw topic, or a webhook delayed in the pipeline: received before the shop redaction.
        OrderEvent afterReinstall = orderOf(store, "7002", 2, null, null);
        afterReinstall.getMetadata().setReceivedAt(Instant.now().plusSeconds(1));
        send(receivedBeforeTheRedaction, afterReinstall);
        TestKafka.awaitProcessed(dataSource, receivedBeforeTheRedaction, afterReinstall);
        assertEquals(
                List.of("7002"),
                texts("SELECT entity_id FROM target.orders WHERE store = ?", store),
                "only what was received after the redaction (a reinstalled store's new data)");
    }

    @Test
    void aDataRequestIsRecordedWithItsDeadlineAndExportsWhatTheTargetHoldsOfTheCustomer() throws Exception {
        String store = CanonicalEvents.newStore();
        CustomerEvent jane = customer(store, "801", 1, EMAIL, "Jane", "Roe");
        OrderEvent janesOrder = orderOf(store, "8001", 1, "801", jane.getCustomer());
        send(jane, janesOrder);
        TestKafka.awaitProcessed(dataSource, jane, janesOrder);

        PrivacyRequest request = shopifyRequest(
                store,
                "customers/data_request",
                "{\"shop_id\": 954889, \"shop_domain\": \"" + store + "\", \"orders_requested\": [8001],"
                        + " \"customer\": {\"id\": 801, \"email\": \"" + EMAIL + "\", \"phone\": \"555-625-1199\"},"
                        + " \"data_request\": {\"id\": 9999}}");
        sendPrivacy(request);
        KafkaTestClient.await(
                "the data request recorded",
                Duration.ofSeconds(60),
                () -> count(
                        "SELECT count(*) FROM syncwriter.privacy_requests WHERE request_id = ?",
                        request.getRequestId()),
                n -> n == 1);

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/privacy/requests")
                .then()
                .statusCode(200)
                .body("[0].kind", equalTo("CUSTOMER_DATA_REQUEST"))
                .body("[0].status", equalTo("RECEIVED"))
                .body("[0].due_at", equalTo(request.getDueAt().toString()));
        assertEquals(Duration.ofDays(30), Duration.between(request.getReceivedAt(), request.getDueAt()));
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("request_id", request.getRequestId())
                .get("/privacy/requests/export")
                .then()
                .statusCode(200)
                .body("entities", hasKey(key(jane)))
                .body("entities", hasKey(key(janesOrder)));
        assertEquals(EMAIL, column("target.customers", key(jane), "email"), "a data request changes nothing");

        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("request_id", request.getRequestId())
                .post("/privacy/requests/exported")
                .then()
                .statusCode(204);
        given().header("Authorization", INTERNAL_AUTH)
                .queryParam("store", store)
                .get("/privacy/requests")
                .then()
                .body("[0].status", equalTo("DONE"));
    }

    @Test
    void aRedactionWaitsWhilePostgresqlIsAwayAndIsNeitherLostNorDeadLettered() throws Exception {
        String store = CanonicalEvents.newStore();
        CustomerEvent jane = customer(store, "901", 1, EMAIL, "Jane", "Roe");
        send(jane);
        TestKafka.awaitProcessed(dataSource, jane);
        PrivacyRequest redact = shopifyRequest(
                store,
                "customers/redact",
                "{\"shop_id\": 954889, \"shop_domain\": \"" + store + "\", \"customer\": {\"id\": 901},"
                        + " \"orders_to_redact\": []}");
        double waitsBefore = privacyWaits();

        try (StackFaults.Fault hung = SharedStack.faults().pausePostgres()) {
            sendPrivacy(redact);
            KafkaTestClient.await(
                    "the request waiting for PostgreSQL",
                    Duration.ofSeconds(90),
                    () -> privacyWaits(),
                    n -> n > waitsBefore);
        }

        awaitDone(redact);
        assertNull(column("target.customers", key(jane), "email"));
        assertTrue(
                TestKafka.read(
                                CommerceTopic.SYNC_DLQ.topicName(),
                                SyncDeadLetter.class,
                                (SyncDeadLetter d) -> d.getSourceKey() != null
                                        && d.getSourceKey().contains(store),
                                found -> true,
                                Duration.ofSeconds(2))
                        .isEmpty(),
                "the request was not dead-lettered");
    }

    /** Failed attempts at privacy requests so far, read from the service's own meter registry. */
    private double privacyWaits() {
        return meters.find("commercesync.syncwriter.privacy.waits").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private void assertRedacted(
            String store, CustomerEvent customer, OrderEvent order, OrderEvent guestOrder, ShipmentEvent shipment)
            throws Exception {
        assertNull(column("target.customers", key(customer), "email"));
        assertNull(column("target.customers", key(customer), "first_name"));
        assertNull(column("target.customers", key(customer), "last_name"));
        for (String table : List.of("target.customers", "target.orders", "target.shipments")) {
            for (String personal : List.of(EMAIL, "Jane", "Roe", "555-0501")) {
                assertEquals(
                        0L,
                        count(
                                "SELECT count(*) FROM " + table + " WHERE store = ? AND strpos(data::text, ?) > 0",
                                store,
                                personal),
                        table + " still holds " + personal);
            }
        }
        assertEquals("501", text("SELECT customer_id FROM target.orders WHERE entity_key = ?", key(order)));
        assertEquals("9002", text("SELECT data ->> 'id' FROM target.orders WHERE entity_key = ?", key(guestOrder)));
        assertEquals("9001", column("target.shipments", key(shipment), "order_id"));
    }

    // --- the request as the ingest builds it ---

    private static PrivacyRequest shopifyRequest(String store, String topic, String body) throws Exception {
        WebhookDelivery delivery = new WebhookDelivery(
                Optional.of(store),
                Optional.of(topic),
                Optional.of(UUID.randomUUID().toString()),
                Optional.of(UUID.randomUUID().toString()),
                Map.of());
        return PlatformRegistry.loadInstalled()
                .find("shopify")
                .orElseThrow()
                .privacyRequest(delivery, body.getBytes(StandardCharsets.UTF_8), Instant.now())
                .orElseThrow();
    }

    /** eBay's marketplace account deletion of {@code username}, as the ingest reads it (eBay's documented shape). */
    private static PrivacyRequest ebayAccountDeletion(String seller, String username) throws Exception {
        byte[] body = ("{\"metadata\":{\"topic\":\"MARKETPLACE_ACCOUNT_DELETION\",\"schemaVersion\":\"1.0\","
                        + "\"deprecated\":false},\"notification\":{\"notificationId\":\"" + UUID.randomUUID()
                        + "\",\"eventDate\":\"2026-12-07T09:59:59.000Z\",\"publishDate\":\"2026-12-07T10:00:00.000Z\","
                        + "\"publishAttemptCount\":1,\"data\":{\"username\":\"" + username + "\",\"userId\":"
                        + "\"ma8vp1jySJC\",\"eiasToken\":\"nY+sHZ2PrBmdj6wVnY+sEZ2PrA2dj6wJnY+gAZGEpwmdj6x9nY+seQ==\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        PlatformAdapter ebay = PlatformRegistry.loadInstalled().find("ebay").orElseThrow();
        WebhookRequest delivery = new WebhookRequest(Map.of(WebhookRequest.PATH_STORE_HEADER, seller), body);
        return ebay.privacyRequest(ebay.describeDelivery(delivery), body, Instant.now())
                .orElseThrow();
    }

    /**
     * A Fulfillment API order of {@code username} (the documented Order fields the mapper reads), modified at {@code
     * T0 + minutes}, normalized by the eBay adapter as the normalizer does.
     */
    private static OrderEvent ebayOrder(String seller, String orderId, String username, String email, int minutes)
            throws Exception {
        String contact = "{\"fullName\": \"Jane Roe\", \"contactAddress\": {\"addressLine1\": \"1 Roe Lane\","
                + " \"city\": \"San Jose\", \"stateOrProvince\": \"CA\", \"postalCode\": \"95125\","
                + " \"countryCode\": \"US\"}, \"primaryPhone\": {\"phoneNumber\": \"555-0501\"}, \"email\": \""
                + email + "\"}";
        if (!EMAIL.equals(email)) {
            contact = contact.replace("Jane Roe", "Sam Else")
                    .replace("Roe Lane", "Else Lane")
                    .replace("0501", "0502");
        }
        String order = "{\"orderId\": \"" + orderId + "\", \"creationDate\": \"" + CanonicalEvents.T0
                + "\", \"lastModifiedDate\": \"" + CanonicalEvents.T0.plusSeconds(60L * minutes)
                + "\", \"orderFulfillmentStatus\": \"NOT_STARTED\", \"orderPaymentStatus\": \"PAID\","
                + " \"buyer\": {\"username\": \"" + username + "\", \"buyerRegistrationAddress\": " + contact
                + "}, \"pricingSummary\": {\"total\": {\"value\": \"19.98\", \"currency\": \"USD\"}},"
                + " \"fulfillmentStartInstructions\": [{\"shippingStep\": {\"shipTo\": " + contact
                + ", \"shippingCarrierCode\": \"USPS\", \"shippingServiceCode\": \"USPSPriority\"}}],"
                + " \"lineItems\": [{\"lineItemId\": \"10001\", \"title\": \"Mug\", \"quantity\": 2,"
                + " \"lineItemCost\": {\"value\": \"19.98\", \"currency\": \"USD\"}}]}";
        NormalizationOutcome outcome = new Normalization(PlatformRegistry.loadInstalled())
                .normalize(RawEnvelopes.fromApi(
                        "ebay",
                        seller,
                        EntityType.ORDER,
                        Json.parseObject(order.getBytes(StandardCharsets.UTF_8)),
                        EventSource.POLL,
                        Instant.now(),
                        null,
                        "v1"));
        NormalizationOutcome.Events events =
                assertInstanceOf(NormalizationOutcome.Events.class, outcome, outcome.toString());
        return (OrderEvent) events.canonicalEvents().get(0);
    }

    private static void sendPrivacy(PrivacyRequest request) {
        KafkaTestClient.acked(producer.send(new ProducerRecord<>(
                CommerceTopic.PRIVACY.topicName(), request.getPlatform() + "/" + request.getStore(), request)));
    }

    private void awaitDone(PrivacyRequest request) {
        KafkaTestClient.await(
                "privacy request " + request.getKind() + " done",
                Duration.ofSeconds(60),
                () -> count(
                        "SELECT count(*) FROM syncwriter.privacy_requests WHERE request_id = ? AND done_at IS NOT NULL",
                        request.getRequestId()),
                n -> n == 1);
    }

    // --- canonical events with personal data ---

    private static Address address(String first, String last, String phone) {
        return Address.newBuilder()
                .setFirstName(first)
                .setLastName(last)
                .setAddress1("1 " + last + " Lane")
                .setCity("Ottawa")
                .setCountryCode("CA")
                .setPhone(phone)
                .build();
    }

    private static CustomerEvent customer(
            String store, String id, int minutes, String email, String first, String last) {
        Instant updatedAt = CanonicalEvents.T0.plusSeconds(60L * minutes);
        String phone = "555-0" + id;
        Customer customer = Customer.newBuilder()
                .setId(id)
                .setEmail(email)
                .setPhone(phone)
                .setFirstName(first)
                .setLastName(last)
                .setDefaultAddress(address(first, last, phone))
                .setAddresses(List.of(address(first, last, phone)))
                .setUpdatedAt(updatedAt)
                .build();
        return new CustomerEvent(
                CanonicalEvents.metadata(store, EntityType.CUSTOMER, id, Operation.UPSERT, updatedAt, null), customer);
    }

    /** An order placed by {@code who} as customer {@code customerId} (null: a guest checkout), or by nobody. */
    private static OrderEvent orderOf(String store, String id, int minutes, String customerId, Customer who) {
        OrderEvent event = order(store, id, minutes, "USD", "A");
        if (who != null) {
            event.getOrder()
                    .setCustomer(OrderCustomer.newBuilder()
                            .setId(customerId)
                            .setEmail(who.getEmail())
                            .setPhone(who.getPhone())
                            .setFirstName(who.getFirstName())
                            .setLastName(who.getLastName())
                            .setIsGuest(customerId == null)
                            .build());
            event.getOrder().setBillingAddress(who.getDefaultAddress());
            event.getOrder().setShippingAddress(who.getDefaultAddress());
        }
        return event;
    }

    private static ShipmentEvent shipment(String store, String id, String orderId) {
        Instant updatedAt = CanonicalEvents.T0.plusSeconds(120);
        return new ShipmentEvent(
                CanonicalEvents.metadata(store, EntityType.SHIPMENT, id, Operation.UPSERT, updatedAt, null),
                Shipment.newBuilder()
                        .setId(id)
                        .setOrderId(orderId)
                        .setStatus(ShipmentStatus.SHIPPED)
                        .setShippingAddress(address("Jane", "Roe", "555-0501"))
                        .setUpdatedAt(updatedAt)
                        .build());
    }

    private static void send(SpecificRecord... events) {
        TestKafka.send(producer, events);
    }

    private static String key(SpecificRecord event) {
        return ((dev.commercesync.schemas.canonical.EventMetadata) event.get(0)).getEntityKey();
    }

    // --- the target ---

    private Object column(String table, String entityKey, String column) throws Exception {
        return single("SELECT " + column + " FROM " + table + " WHERE entity_key = ?", entityKey);
    }

    private String text(String sql, String parameter) throws Exception {
        Object value = single(sql, parameter);
        return value == null ? null : value.toString();
    }

    private long count(String sql, String... parameters) throws Exception {
        return ((Number) single(sql, parameters)).longValue();
    }

    private Object single(String sql, String... parameters) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "a row for " + sql);
                return rs.getObject(1);
            }
        }
    }

    private List<String> texts(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                List<String> result = new java.util.ArrayList<>();
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
                return result;
            }
        }
    }

    private Map<String, Object> requestRow(String requestId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT * FROM syncwriter.privacy_requests WHERE request_id = ?")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        }
    }
}
