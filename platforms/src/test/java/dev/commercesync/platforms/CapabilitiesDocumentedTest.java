package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.platforms.spi.PlatformCapabilities;
import dev.commercesync.schemas.canonical.EntityType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Types per platform" table says what every registered adapter declares: the types listed by updated-at,
 * as a snapshot, and (by name) the ones not listable, each with its reason.
 */
class CapabilitiesDocumentedTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9]+)` \\| ([^|]*) \\| ([^|]*) \\| ([^|]*) \\|$");

    private record Row(Set<EntityType> byUpdatedAt, Set<EntityType> snapshot, String notListable) {}

    @Test
    void theReadmeTableIsWhatTheAdaptersDeclare() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Types per platform"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        Map<String, Row> documented = new TreeMap<>();
        for (String line : section.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                documented.put(m.group(1), new Row(types(m.group(2)), types(m.group(3)), m.group(4)));
            }
        }
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        assertEquals(registry.names(), java.util.List.copyOf(documented.keySet()), "one row per registered adapter");
        for (String name : registry.names()) {
            PlatformCapabilities declared = registry.get(name).capabilities();
            Row row = documented.get(name);
            assertEquals(declared.listedByUpdatedAt(), row.byUpdatedAt(), name + ": listed by updated-at");
            assertEquals(declared.listedAsSnapshot(), row.snapshot(), name + ": listed as snapshot");
            for (EntityType type : EntityType.values()) {
                assertEquals(
                        !declared.reconcilable(type),
                        row.notListable().contains(type.name() + ":"),
                        name + ": the not-listable column names exactly the other types, each with its reason (" + type
                                + ")");
            }
        }
    }

    private static Set<EntityType> types(String cell) {
        Set<EntityType> types = EnumSet.noneOf(EntityType.class);
        for (String name : cell.split(",")) {
            String trimmed = name.trim();
            if (!trimmed.isEmpty() && !trimmed.equals("—")) {
                types.add(EntityType.valueOf(trimmed));
            }
        }
        return types;
    }
}
