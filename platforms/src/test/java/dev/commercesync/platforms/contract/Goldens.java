package dev.commercesync.platforms.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: the expected canonical output beside each fixture. Tests compare; only {@code -Dgolden.update=true}
 * (re)writes them, into the source tree, for review in the diff.
 */
public final class Goldens {
    private Goldens() {}

    public static boolean updating() {
        return Boolean.getBoolean("golden.update");
    }

    /** @param resource class-path resource, e.g. {@code fixtures/shopify/orders_create.golden.json} */
    public static void assertMatches(String resource, String actualJson) throws IOException {
        if (updating()) {
            String sourceDir = System.getProperty("fixtures.source.dir");
            if (sourceDir == null) {
                fail("golden.update needs fixtures.source.dir (set by the module's surefire configuration)");
            }
            Path target = Path.of(sourceDir).resolve(resource.substring("fixtures/".length()));
            Files.writeString(target, actualJson, StandardCharsets.UTF_8);
            return;
        }
        String expected;
        try (InputStream in = Goldens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                fail("missing golden " + resource + ": generate it with -Dgolden.update=true and review it");
                return;
            }
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode expectedTree = Json.MAPPER.readTree(expected);
        JsonNode actualTree = Json.MAPPER.readTree(actualJson);
        // Compare trees (exact numbers, field order irrelevant); show the texts for a readable diff.
        if (!expectedTree.equals(actualTree)) {
            assertEquals(expected.strip(), actualJson.strip(), "canonical output differs from " + resource);
        }
    }
}
