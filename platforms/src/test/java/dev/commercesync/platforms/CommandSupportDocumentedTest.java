package dev.commercesync.platforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.platforms.spi.PlatformCapabilities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * docs/commands.md's "Support per platform" table says what every registered adapter declares: one column per command
 * kind, a cell starting with {@code supported} exactly where the adapter's capabilities name the kind.
 */
class CommandSupportDocumentedTest {

    @Test
    void theTableIsWhatTheAdaptersDeclare() throws IOException {
        String doc = Files.readString(Path.of("../docs/commands.md"));
        String section = doc.substring(doc.indexOf("## Support per platform"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        List<String> rows =
                section.lines().filter(line -> line.startsWith("| ")).toList();

        List<String> header = cells(rows.get(0));
        assertEquals(
                Arrays.stream(CommandKind.values()).map(Enum::name).toList(),
                header.subList(1, header.size()),
                "one column per command kind, in CommandKind's order");
        Map<String, List<String>> documented = new TreeMap<>();
        for (String row : rows.subList(1, rows.size())) {
            List<String> cells = cells(row);
            if (cells.get(0).startsWith("`")) {
                documented.put(cells.get(0).replace("`", ""), cells.subList(1, cells.size()));
            }
        }
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        assertEquals(registry.names(), List.copyOf(documented.keySet()), "one row per registered adapter");
        for (String name : registry.names()) {
            PlatformCapabilities declared = registry.get(name).capabilities();
            List<String> cells = documented.get(name);
            for (CommandKind kind : CommandKind.values()) {
                assertEquals(
                        declared.supports(kind),
                        cells.get(kind.ordinal()).startsWith("supported"),
                        name + " " + kind + ": the cell says supported exactly when the adapter declares the kind");
            }
        }
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.lastIndexOf('|'));
        return Arrays.stream(inner.split("\\|")).map(String::trim).toList();
    }
}
