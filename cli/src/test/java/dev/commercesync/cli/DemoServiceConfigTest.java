package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The services' configuration in a demo: what the simulated stores' call limits tell the poller. */
class DemoServiceConfigTest {

    @Test
    void theSimulatedEbayStoreIsPacedToItsBucketNotToCallsPerDay() {
        Map<String, String> config = DemoRun.serviceConfig();

        // The simulated eBay store has no daily limit, only a bucket of 200 calls refilled 2 a second.
        assertEquals("200", config.get("commercesync.poller.platform.\"ebay\".budget"));
        assertEquals("2", config.get("commercesync.poller.platform.\"ebay\".refill-per-second"));
        // The other simulated stores enforce their adapters' profiles: the poller paces to those.
        assertTrue(
                config.keySet().stream()
                        .filter(k -> k.startsWith("commercesync.poller.platform."))
                        .allMatch(k -> k.startsWith("commercesync.poller.platform.\"ebay\".")),
                config.toString());
    }
}
