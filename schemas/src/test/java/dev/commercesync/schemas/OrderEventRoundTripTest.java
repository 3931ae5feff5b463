package dev.commercesync.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.EventSource;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.canonical.Order;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.OrderLineItem;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.OrderTotals;
import dev.commercesync.schemas.canonical.Refund;
import dev.commercesync.schemas.canonical.RefundAdjustment;
import dev.commercesync.schemas.canonical.RefundEvent;
import dev.commercesync.schemas.canonical.RefundLineItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Money and ids survive Avro binary encoding exactly, whatever the currency's minor unit. */
class OrderEventRoundTripTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void yenOrderWithNoMinorUnitRoundTripsExactly() throws IOException {
        OrderEvent written = orderEvent("JPY", "1500", "500", 3, List.of());

        OrderEvent read = roundTrip(written);

        assertEquals(
                written.getOrder().getLineItems().size(),
                read.getOrder().getLineItems().size());
        assertExactlyEqual(
                written.getOrder().getTotals().getTotal(),
                read.getOrder().getTotals().getTotal());
        assertExactlyEqual(
                written.getOrder().getLineItems().get(0).getUnitPrice(),
                read.getOrder().getLineItems().get(0).getUnitPrice());
    }

    @Test
    void dinarOrderWithThreeDecimalsAndANegativeRefundAdjustmentRoundTripsExactly() throws IOException {
        Refund refund = Refund.newBuilder()
                .setId("890088186047892319")
                .setOrderId("820982911946154508")
                .setAmount(money("KWD", "4.875"))
                .setAdjustments(List.of(RefundAdjustment.newBuilder()
                        .setKind("refund_discrepancy")
                        .setAmount(money("KWD", "-0.125"))
                        .build()))
                .build();
        OrderEvent written = orderEvent("KWD", "12.345", "4.115", 3, List.of(refund));

        OrderEvent read = roundTrip(written);

        assertExactlyEqual(
                written.getOrder().getTotals().getTotal(),
                read.getOrder().getTotals().getTotal());
        assertExactlyEqual(
                written.getOrder().getLineItems().get(0).getUnitPrice(),
                read.getOrder().getLineItems().get(0).getUnitPrice());
        Refund readRefund = read.getOrder().getRefunds().get(0);
        assertExactlyEqual(refund.getAmount(), readRefund.getAmount());
        assertExactlyEqual(
                refund.getAdjustments().get(0).getAmount(),
                readRefund.getAdjustments().get(0).getAmount());
        assertEquals(
                -1, readRefund.getAdjustments().get(0).getAmount().getAmount().signum());
    }

    @Test
    void refundEventWithANegativeAmountRoundTripsExactly() throws IOException {
        RefundEvent written = RefundEvent.newBuilder()
                .setMetadata(EventMetadata.newBuilder(meta(Operation.UPSERT))
                        .setEntityType(EntityType.REFUND)
                        .setEntityId("18446744073709551615")
                        .setEntityKey("shopify/acme.myshopify.com/refund/18446744073709551615")
                        .setSourceVersion("7")
                        .build())
                .setRefund(Refund.newBuilder()
                        .setId("18446744073709551615")
                        .setOrderId("820982911946154508")
                        .setAmount(money("USD", "-10.50"))
                        .setItems(List.of(RefundLineItem.newBuilder()
                                .setLineItemId("487817672276298554")
                                .setQuantity(1)
                                .setSubtotal(money("USD", "-10.50"))
                                .build()))
                        .build())
                .build();

        byte[] bytes = encode(written, RefundEvent.class);
        RefundEvent read = new SpecificDatumReader<>(RefundEvent.class)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertEquals("18446744073709551615", read.getRefund().getId());
        assertEquals("18446744073709551615", read.getMetadata().getEntityId());
        assertEquals("7", read.getMetadata().getSourceVersion());
        assertExactlyEqual(written.getRefund().getAmount(), read.getRefund().getAmount());
        assertEquals(
                0,
                new BigDecimal("-10.50").compareTo(read.getRefund().getAmount().getAmount()));
        assertEquals(6, read.getRefund().getAmount().getAmount().scale());
        assertExactlyEqual(
                written.getRefund().getItems().get(0).getSubtotal(),
                read.getRefund().getItems().get(0).getSubtotal());
        assertEquals(written.getMetadata(), read.getMetadata());
    }

    @Test
    void idsAbove2Pow53AndTimestampsStayExact() throws IOException {
        OrderEvent read = roundTrip(orderEvent("USD", "404.95", "89.99", 1, List.of()));

        assertEquals("820982911946154508", read.getOrder().getId());
        assertEquals(
                "shopify/acme.myshopify.com/order/820982911946154508",
                read.getMetadata().getEntityKey());
        assertEquals("487817672276298554", read.getOrder().getLineItems().get(0).getId());
        assertEquals(RECEIVED, read.getMetadata().getReceivedAt());
        assertEquals(Instant.parse("2022-01-01T00:00:00Z"), read.getOrder().getCreatedAt());
    }

    @Test
    void aDeleteCarriesMetadataAndNoOrder() throws IOException {
        OrderEvent delete = OrderEvent.newBuilder()
                .setMetadata(meta(Operation.DELETE))
                .setOrder(null)
                .build();

        OrderEvent read = roundTrip(delete);

        assertEquals(Operation.DELETE, read.getMetadata().getOperation());
        assertNull(read.getOrder());
    }

    @Test
    void moreDecimalsThanTheSchemaScaleAreRejectedNotRounded() {
        OrderEvent tooPrecise = orderEvent("USD", "0.0000001", "1", 1, List.of());

        AvroRuntimeException e = assertThrows(AvroRuntimeException.class, () -> encode(tooPrecise));
        assertTrue(e.getMessage().contains("without rounding"), e.getMessage());
    }

    /** Same value, and read back at the currency's own scale without losing a digit. */
    private static void assertExactlyEqual(Money written, Money read) {
        assertEquals(written.getCurrency(), read.getCurrency());
        assertEquals(0, written.getAmount().compareTo(read.getAmount()), () -> written + " vs " + read);
        int currencyDigits = Currency.getInstance(read.getCurrency()).getDefaultFractionDigits();
        assertEquals(written.getAmount(), read.getAmount().setScale(currencyDigits, RoundingMode.UNNECESSARY));
    }

    private static OrderEvent orderEvent(
            String currency, String total, String unitPrice, long quantity, List<Refund> refunds) {
        Order order = Order.newBuilder()
                .setId("820982911946154508")
                .setNumber("#9999")
                .setStatus(OrderStatus.PROCESSING)
                .setPlatformStatus("open")
                .setCurrency(currency)
                .setTotals(OrderTotals.newBuilder()
                        .setTotal(money(currency, total))
                        .setSubtotal(money(currency, total))
                        .build())
                .setLineItems(List.of(OrderLineItem.newBuilder()
                        .setId("487817672276298554")
                        .setSku("SKU2006-001")
                        .setName("Aviator sunglasses")
                        .setQuantity(quantity)
                        .setUnitPrice(money(currency, unitPrice))
                        .build()))
                .setRefunds(refunds)
                .setCreatedAt(Instant.parse("2022-01-01T00:00:00Z"))
                .setPlatformFields(Map.of("presentment_currency", "\"" + currency + "\"", "test", "true"))
                .build();
        return OrderEvent.newBuilder()
                .setMetadata(meta(Operation.UPSERT))
                .setOrder(order)
                .build();
    }

    private static EventMetadata meta(Operation operation) {
        return EventMetadata.newBuilder()
                .setEventId("3f1c1d7e-5e4b-5c8a-9f0e-1a2b3c4d5e6f")
                .setDedupKey("shopify/acme.myshopify.com/event/b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
                .setEntityKey("shopify/acme.myshopify.com/order/820982911946154508")
                .setPlatform("shopify")
                .setStore("acme.myshopify.com")
                .setEntityType(EntityType.ORDER)
                .setEntityId("820982911946154508")
                .setOperation(operation)
                .setSource(EventSource.WEBHOOK)
                .setSourceUpdatedAt(Instant.parse("2022-01-01T00:00:00Z"))
                .setMappingVersion("shopify/orders@1")
                .setReceivedAt(RECEIVED)
                .build();
    }

    private static Money money(String currency, String amount) {
        return new Money(new BigDecimal(amount), currency);
    }

    private static byte[] encode(OrderEvent event) throws IOException {
        return encode(event, OrderEvent.class);
    }

    private static <T> byte[] encode(T event, Class<T> type) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(type).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static OrderEvent roundTrip(OrderEvent event) throws IOException {
        byte[] bytes = encode(event);
        return new SpecificDatumReader<>(OrderEvent.class)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
