package dev.commercesync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.Simulator;
import dev.commercesync.simulator.StoreSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ingest benchmark's load: signed order-created webhooks of the size asked for, rendered by the simulator's dialect
 * (the published figures' platform, bench/README.md).
 */
class IngestWorkloadTest {
    @Test
    void theSimulatorRendersSignedOrderWebhooksOfTheAskedSize() throws Exception {
        try (Simulator simulator = Simulator.start(0)) {
            for (String platform : List.of("shopify")) {
                SimulatedStore store = simulator.addStore(StoreSpec.builder(platform, "bench-ingest-" + platform)
                        .seed(7)
                        .catalog(40, 40)
                        .rateLimits(false)
                        .build());

                List<IngestLoad.SignedWebhook> pool = IngestWorkload.orderWebhooks(store, 20, 7000);

                assertEquals(20, pool.size(), platform);
                for (IngestLoad.SignedWebhook webhook : pool) {
                    int size = webhook.body().length;
                    assertTrue(size >= 6300 && size <= 7701, platform + ": a body of " + size + " bytes");
                }
            }
        }
    }
}
