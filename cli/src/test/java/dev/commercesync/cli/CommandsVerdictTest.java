package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commands table shows, per store, how many ambiguous-then-applied commands had their echo recognised. */
class CommandsVerdictTest {

    private static CommandsVerdict.Row row(String platform, int ambiguousRecognisable, int ambiguousEchoed) {
        return new CommandsVerdict.Row(
                platform,
                "s",
                8,
                6,
                Map.of("NOT_FOUND", 1),
                1,
                0,
                2,
                4,
                ambiguousRecognisable,
                ambiguousEchoed,
                0,
                0,
                6,
                6,
                8,
                1,
                1,
                1);
    }

    @Test
    void theTableShowsTheAmbiguousEchoedOfTheRecognisable() {
        CommandsVerdict verdict = new CommandsVerdict(List.of(row("shopify", 2, 2), row("woocommerce", 1, 0)));
        String table = verdict.table();
        assertTrue(table.lines().limit(2).anyMatch(l -> l.contains("echoed")), table);
        String shopify = line(table, "shopify");
        String woo = line(table, "woocommerce");
        assertTrue(shopify.contains(" 4/6 ") && shopify.contains(" 2/2 "), shopify);
        assertTrue(woo.contains(" 0/1 "), woo);
        // Shown, not judged: the demo's verdict does not depend on a correlation.
        assertTrue(verdict.clean(), table);
    }

    private static String line(String table, String platform) {
        return table.lines().filter(l -> l.startsWith(platform)).findFirst().orElseThrow();
    }
}
