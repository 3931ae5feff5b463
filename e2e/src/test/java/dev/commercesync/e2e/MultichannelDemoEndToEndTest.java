package dev.commercesync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.cli.MultichannelRun;
import dev.commercesync.cli.MultichannelVerdict;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.simulator.dialect.Dialects;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code synctl demo --scenario multichannel}, bounded and headless, on the real components: Kafka, the registry,
 * PostgreSQL, the services with the stock pool as built applications, one simulated store per platform selling the
 * same catalogue. No unit may be oversold beyond same-moment races, and every store must end showing its channel rule
 * applied to the pool's available.
 */
class MultichannelDemoEndToEndTest {
    private static final Path ROOT =
            Path.of(System.getProperty("commercesync.root", "..")).toAbsolutePath();

    @Test
    void noUnitIsOversoldBeyondRacesAndEveryChannelEqualsThePool() throws Exception {
        MultichannelRun.Result result = new MultichannelRun(line -> System.out.println("[e2e multichannel] " + line))
                .run(
                        new MultichannelRun.Options(
                                Duration.ofSeconds(30), 5, "none", 5, Duration.ofMinutes(3), Duration.ofSeconds(5), 20),
                        ROOT.resolve("e2e/target/demo-multichannel"));

        MultichannelVerdict verdict = result.verdict();
        String report = "\n" + verdict.table() + verdict.summary();
        System.out.print(report);
        // Every platform whose adapter maps products or levels (the pool learns a channel's items from them): every
        // simulated platform, the marketplaces through their listed stock (eBay's inventory items, Amazon's listings).
        assertEquals(
                MultichannelRun.channelPlatforms(PlatformRegistry.loadInstalled(), Dialects.names()),
                verdict.channels(),
                "a store of every platform whose catalogue the pool can learn is a channel" + report);
        assertEquals(
                new java.util.TreeSet<>(Dialects.names()),
                new java.util.TreeSet<>(verdict.channels()),
                "every simulated platform is a channel" + report);
        assertEquals(20, verdict.rows().size(), "every SKU of the catalogue is judged" + report);
        assertTrue(verdict.total(r -> r.tally().soldUnits()) > 0, "units were sold" + report);
        assertTrue(verdict.propagation().count() > 0, "the propagation of sales was measured" + report);
        assertEquals(0, verdict.total(MultichannelVerdict.Row::oversoldBeyondRaces), "oversold beyond races" + report);
        assertEquals(verdict.rows().size(), verdict.skusEqual(), "every channel equals its rule of the pool" + report);
        assertTrue(verdict.clean(), report);
    }
}
