package dev.commercesync.console.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SeriesWindowTest {
    private static final Duration BUCKET = Duration.ofMinutes(5);
    private static final Duration KEPT = Duration.ofHours(6);

    @Test
    void shortAndIsoFormsAreRead() {
        assertEquals(Duration.ofHours(6), SeriesWindow.parse("6h", BUCKET, KEPT));
        assertEquals(Duration.ofMinutes(90), SeriesWindow.parse("90m", BUCKET, KEPT));
        assertEquals(Duration.ofHours(2), SeriesWindow.parse("PT2H", BUCKET, KEPT));
        assertEquals(Duration.ofMinutes(5), SeriesWindow.parse("5M", BUCKET, KEPT));
    }

    @Test
    void windowsThatDoNotFitAreRefusedWithAReason() {
        for (String bad : new String[] {"7h", "7m", "0h", "-PT1H", "six hours", "6", "", "6d"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SeriesWindow.parse(bad, BUCKET, KEPT), bad);
            assertEquals(true, e.getMessage().contains(bad.trim()) || bad.isBlank(), e.getMessage());
        }
    }

    @Test
    void durationsAreNamedShortly() {
        assertEquals("6h", SeriesWindow.human(Duration.ofHours(6)));
        assertEquals("90m", SeriesWindow.human(Duration.ofMinutes(90)));
        assertEquals("30s", SeriesWindow.human(Duration.ofSeconds(30)));
    }
}
