package dev.commercesync.platforms.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Money;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shared parsing rules every mapper relies on: exact money, UTC instants, exact ids. */
class MoneyTimeAndIdEdgeCasesTest {

    private static PayloadObject payload(String json) throws MappingException {
        return PayloadObject.root(Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void zeroDecimalCurrencyStaysWhole() throws Exception {
        Money yen = payload("{\"total\": \"1500\"}").requiredMoney("total", "jpy");
        assertEquals(0, yen.getAmount().compareTo(new BigDecimal("1500")));
        assertEquals("JPY", yen.getCurrency());
    }

    @Test
    void threeDecimalCurrencyKeepsEveryFils() throws Exception {
        Money dinar = payload("{\"total\": 12.345}").requiredMoney("total", "KWD");
        assertEquals(new BigDecimal("12.345000"), dinar.getAmount());
        Money fromText = payload("{\"total\": \"0.005\"}").requiredMoney("total", "KWD");
        assertEquals(new BigDecimal("0.005000"), fromText.getAmount());
    }

    @Test
    void aNumberThatADoubleCannotHoldIsExact() throws Exception {
        // 0.1 + 0.2 style: a double would give 0.30000000000000004.
        Money amount = payload("{\"a\": 0.3}").requiredMoney("a", "USD");
        assertEquals(new BigDecimal("0.300000"), amount.getAmount());
        Money large = payload("{\"a\": 123456789012345.67}").requiredMoney("a", "USD");
        assertEquals(new BigDecimal("123456789012345.670000"), large.getAmount());
    }

    @Test
    void negativeRefundAmountsFlipExactly() throws Exception {
        Money reported = payload("{\"total\": \"-10.005\"}").requiredMoney("total", "KWD");
        assertEquals(new BigDecimal("10.005000"), Moneys.negate(reported).getAmount());
    }

    @Test
    void moreDecimalsThanTheSchemaHoldsIsRefusedNotRounded() {
        MappingException e = assertThrows(MappingException.class, () -> payload("{\"price\": \"1.0000001\"}")
                .requiredMoney("price", "USD"));
        assertEquals("price", e.fieldPath());
    }

    @Test
    void aCurrencyThatIsNotAnIsoCodeIsRefused() {
        assertThrows(MappingException.class, () -> payload("{\"a\": \"1\"}").requiredMoney("a", "US$"));
    }

    @Test
    void offsetsAreConvertedToUtc() throws Exception {
        PayloadObject p = payload("{\"ny\": \"2021-12-31T19:00:00-05:00\", \"in\": \"2022-01-01T05:30:00+05:30\","
                + " \"z\": \"2022-01-01T00:00:00Z\", \"gmt\": \"2022-01-01T00:00:00\"}");
        Instant expected = Instant.parse("2022-01-01T00:00:00Z");
        assertEquals(expected, p.instant("ny").orElseThrow());
        assertEquals(expected, p.instant("in").orElseThrow());
        assertEquals(expected, p.instant("z").orElseThrow());
        assertEquals(expected, p.utcInstant("gmt").orElseThrow());
    }

    @Test
    void anOffsetLessTimeIsNotGuessedWhereAnOffsetIsRequired() {
        MappingException e = assertThrows(MappingException.class, () -> payload("{\"at\": \"2022-01-01T00:00:00\"}")
                .instant("at"));
        assertEquals("at", e.fieldPath());
    }

    @Test
    void idsBeyondTwoToThe53AreExact() throws Exception {
        PayloadObject p =
                payload("{\"id\": 9007199254740993, \"big\": 18446744073709551617, \"s\": \"820982911946154508\"}");
        assertEquals("9007199254740993", p.requiredId("id"));
        assertEquals("18446744073709551617", p.requiredId("big"));
        assertEquals("820982911946154508", p.requiredId("s"));
    }

    @Test
    void fractionalQuantitiesAreRefusedWithTheirPath() throws Exception {
        PayloadObject line = payload("{\"line_items\": [{\"quantity\": 1}, {\"quantity\": 1.5}]}")
                .objects("line_items")
                .get(1);
        MappingException e = assertThrows(MappingException.class, () -> line.requiredWholeNumber("quantity"));
        assertEquals("line_items[1].quantity", e.fieldPath());
    }

    @Test
    void eventIdsAreDeterministicNameBasedUuids() {
        String key = "woocommerce/example.com/order/727@2017-03-22T19:28:08Z";
        assertEquals(EventKeys.eventId(key), EventKeys.eventId(key));
        assertEquals(3, java.util.UUID.fromString(EventKeys.eventId(key)).version());
    }
}
