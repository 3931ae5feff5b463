package dev.commercesync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The traced services log JSON in the prod profile only: what {@link TracePropagationEndToEndTest} switches on
 * explicitly (its services run through synctl's LocalServices, which turns JSON off for people) is what a deployment
 * gets by default, and dev and test keep readable lines. Reads each service's application.properties.
 */
class ProdProfileLoggingTest {
    private static final Path ROOT =
            Path.of(System.getProperty("commercesync.root", "..")).toAbsolutePath();
    private static final String JSON = "quarkus.log.console.json.enabled";

    @Test
    void jsonConsoleLogsInTheProdProfileOnly() throws IOException {
        for (String module : List.of("webhook-ingest", "normalizer", "sync-writer")) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(
                    ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
                p.load(in);
            }
            assertEquals("false", p.getProperty(JSON), module + ": readable logs unless a profile says otherwise");
            assertEquals("true", p.getProperty("%prod." + JSON), module + ": JSON in prod");
            assertNull(p.getProperty("%dev." + JSON), module);
            assertNull(p.getProperty("%test." + JSON), module);
        }
    }
}
