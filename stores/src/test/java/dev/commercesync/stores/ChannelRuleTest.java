package dev.commercesync.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ChannelRule#listed}: buffer, zero-at-N, percentage (floor), maximum, never below 0 — in that order. */
class ChannelRuleTest {

    private static Long nullable(String s) {
        return s == null ? null : Long.valueOf(s);
    }

    @ParameterizedTest(name = "buffer {0}, zero_at {1}, {2}%, max {3}: available {4} lists {5}")
    @CsvSource(
            nullValues = "-",
            textBlock =
                    """
            # buffer, zero_at, percentage, max, available, listed
            # The default lists the pool as it is, never below 0.
                 0,  -, 100,  -,   10, 10
                 0,  -, 100,  -,    0,  0
                 0,  -, 100,  -,   -3,  0
            # Safety buffer: held back; a buffer larger than the pool lists 0, not a negative number.
                 2,  -, 100,  -,   10,  8
                 2,  -, 100,  -,    2,  0
                 2,  -, 100,  -,    1,  0
            # Zero at N compares the pool's available (before the buffer): at N lists 0, above N the rest.
                 0,  3, 100,  -,    3,  0
                 0,  3, 100,  -,    4,  4
                 2,  3, 100,  -,    4,  2
                 0,  0, 100,  -,    0,  0
                 0,  0, 100,  -,    1,  1
            # Percentage of what the buffer leaves, rounded down.
                 0,  -,  50,  -,    5,  2
                 0,  -,  50,  -,    1,  0
                 0,  -,  33,  -,  100, 33
                 0,  -,  99,  -,    1,  0
                 0,  -,   0,  -, 1000,  0
                 4,  -,  50,  -,   10,  3
            # Maximum listed: applied after the percentage.
                 0,  -, 100,  5,   10,  5
                 0,  -, 100,  5,    3,  3
                 0,  -,  50,  5,    8,  4
                 0,  -,  50,  5,   20,  5
                 0,  -, 100,  0,   10,  0
            # All together: 100 - 10 = 90; 50% = 45; at most 40.
                10, 20,  50, 40,  100, 40
                10, 20,  50, 40,   20,  0
                10, 20,  50, 40,   21,  5
            """)
    void listsAvailableThroughTheRule(
            long buffer, String zeroAt, int percentage, String max, long available, long expected) {
        ChannelRule rule = new ChannelRule(buffer, nullable(zeroAt), percentage, nullable(max), null);

        assertEquals(expected, rule.listed(available));
    }

    @ParameterizedTest(name = "available {0}")
    @CsvSource({"9223372036854775807", "-9223372036854775808", "9223372036854775707"})
    void noStepOverflows(long available) {
        ChannelRule rule = new ChannelRule(1, null, 99, null, null);
        long listed = rule.listed(available);

        assertTrue(listed >= 0, "never negative: " + listed);
        if (available > 0) {
            // floor((available - 1) * 99 / 100), computed exactly
            long expected = java.math.BigInteger.valueOf(available - 1)
                    .multiply(java.math.BigInteger.valueOf(99))
                    .divide(java.math.BigInteger.valueOf(100))
                    .longValueExact();
            assertEquals(expected, listed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            nullValues = "-",
            textBlock =
                    """
            safety_buffer, -1,  -, 100,  -, -
            zero_at,        0, -1, 100,  -, -
            percentage,     0,  -, 101,  -, -
            percentage,     0,  -,  -1,  -, -
            max_listed,     0,  -, 100, -1, -
            location_id,    0,  -, 100,  -, ' '
            """)
    void refusesWhatTheTableRefusesNamingTheField(
            String field, long buffer, String zeroAt, int percentage, String max, String location) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ChannelRule(buffer, nullable(zeroAt), percentage, nullable(max), location));

        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void theDefaultListsThePoolUnchanged() {
        assertEquals(new ChannelRule(0, null, 100, null, null), ChannelRule.DEFAULT);
        assertEquals(7, ChannelRule.DEFAULT.listed(7));
    }
}
