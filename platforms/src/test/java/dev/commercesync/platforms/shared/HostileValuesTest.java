package dev.commercesync.platforms.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.commercesync.platforms.spi.MappingException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The findings of the contract's hostile-input cases, one value each, at the shared parts that now refuse them (see
 * platforms/README.md, "Hostile input").
 */
class HostileValuesTest {
    private static final Duration QUICKLY = Duration.ofSeconds(5);

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Before: BigDecimal.setScale/toPlainString of these allocated gigabytes (or never finished). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e999999999",
                "-1E999999999",
                "1e-999999999",
                "\"1e999999999\"",
                "\"1E-999999999\"",
                "1e101",
                "\"0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001\""
            })
    void aNumberBeyondAHundredDigitsIsAMappingError(String value) {
        assertTimeoutPreemptively(QUICKLY, () -> {
            PayloadObject payload = PayloadObject.root(Json.parseObject(utf8("{\"v\": " + value + "}")));
            MappingException money = assertThrows(MappingException.class, () -> payload.requiredMoney("v", "USD"));
            assertEquals("v", money.fieldPath());
            assertThrows(MappingException.class, () -> payload.wholeNumber("v"));
            if (!value.startsWith("\"")) {
                assertThrows(MappingException.class, () -> payload.text("v"));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"v\": \"\\ud800\"}", // unpaired high surrogate: Avro wrote it as '?'
                "{\"v\": \"a\\udc00b\"}",
                "{\"\\ud800\": 1}",
                "{\"v\": [\"ok\", {\"w\": \"\\udfff\"}]}",
                "{\"id\": 1, \"id\": 2}", // duplicate key
                "{\"v\": 12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901}"
            })
    void aBodyThatIsNoUnambiguousTextIsMalformed(String body) {
        MappingException e = assertThrows(MappingException.class, () -> Json.parseObject(utf8(body)));
        assertEquals(MappingException.Kind.MALFORMED_PAYLOAD, e.kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {Json.MAX_NESTING_DEPTH + 1, 100_000})
    void nestingBeyondTheLimitIsMalformed(int depth) {
        String body = "{\"v\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
        MappingException e = assertThrows(MappingException.class, () -> Json.parseObject(utf8(body)));
        assertEquals(MappingException.Kind.MALFORMED_PAYLOAD, e.kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"v\": \"\\ud83d\\ude00\"}", "{\"v\": \"😀\"}", "{\"v\": -0}", "{\"v\": 1e100}"})
    void validTextAndNumbersWithinTheLimitsParse(String body) throws MappingException {
        Json.parseObject(utf8(body));
    }

    /** Before: parsed, then Avro's timestamp encoding overflowed (ArithmeticException) when publishing the event. */
    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"})
    void aTimestampOutsideFourDigitYearsIsAMappingError(String text) {
        assertThrows(MappingException.class, () -> Timestamps.withOffset(text, "t"));
        assertThrows(MappingException.class, () -> Timestamps.utcIfNoOffset(text, "t"));
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MIN_VALUE, 253_402_300_800L})
    void epochSecondsOutsideFourDigitYearsAreAMappingError(long seconds) {
        assertThrows(MappingException.class, () -> Timestamps.epochSeconds(seconds, "created_at"));
    }

    /** Before: accepted, then Avro refused to encode the decimal (precision over the schema's) when publishing. */
    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999.9999999", "1234567890123", "-1e12"})
    void aWeightBeyondItsSchemasPrecisionIsAMappingError(String value) {
        assertThrows(MappingException.class, () -> Moneys.exact(new BigDecimal(value), 18, 6, "weight", "weight"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000000", "123456789012.5", "-1e6"})
    void aRateBeyondItsSchemasPrecisionIsAMappingError(String value) {
        assertThrows(MappingException.class, () -> Moneys.rate(new BigDecimal(value), "rate"));
    }
}
