package dev.commercesync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * footprint.md rendered from its template equals what the StringBuilder code it replaced wrote for the same results
 * (expected files in src/test/resources/footprint/, produced once by that code from {@link FootprintFixture}).
 */
class FootprintReportTest {

    @Test
    void markdownWithRssUnderLoadEqualsTheOldReport() throws IOException {
        assertEquals(expected("with-load.md"), report(FootprintFixture.load()).markdown(FootprintFixture.MACHINE));
    }

    @Test
    void markdownWithoutE2eResultsEqualsTheOldReport() throws IOException {
        assertEquals(expected("without-load.md"), report(null).markdown(FootprintFixture.MACHINE));
    }

    private static FootprintReport report(FootprintReport.UnderLoad load) {
        return new FootprintReport(
                FootprintFixture.COMMAND, 2, 3, FootprintFixture.SERVICES, FootprintFixture.results(), load);
    }

    private static String expected(String name) throws IOException {
        try (InputStream in = FootprintReportTest.class.getResourceAsStream("/footprint/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
