package dev.commercesync.poller;

import dev.commercesync.simulator.Simulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The poller's test stack plus a simulator whose stores the install flow reaches, and the test app's settings. */
public class InstallTestResource extends PollerTestResource {
    static final String CLIENT_ID = "test-app-client-id";
    static final String CLIENT_SECRET = "test-app-client-secret-0123456789";
    static final String PUBLIC_URL = "https://sync.example.test";

    static volatile Simulator simulator;

    @Override
    public Map<String, String> start() {
        Map<String, String> all = new HashMap<>(super.start());
        try {
            simulator = Simulator.start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.put("commercesync.install.public-url", PUBLIC_URL);
        all.put("commercesync.install.app.\"shopify\".client-id", CLIENT_ID);
        all.put("commercesync.install.app.\"shopify\".client-secret", CLIENT_SECRET);
        all.put(
                "commercesync.install.store-url-template",
                simulator.baseUrl().toString().replaceAll("/+$", "") + "/stores/{store}");
        return all;
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        super.stop();
    }
}
