package dev.commercesync.poller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The poller's test stack plus the install flow's settings: the test app, and the address of the simulator the test
 * starts (a port chosen here and handed over as a system property: the test and this resource may live in different
 * class loaders, so no object is shared).
 */
public class InstallTestResource extends PollerTestResource {
    static final String CLIENT_ID = "test-app-client-id";
    static final String CLIENT_SECRET = "test-app-client-secret-0123456789";
    static final String WOO_APP_NAME = "commerce-sync test";
    static final String PUBLIC_URL = "https://sync.example.test";
    static final String EBAY_RU_NAME = "commerce_sync-test-RuName";
    static final String AMAZON_LWA_CLIENT_ID = "amzn1.application-oa2-client.test";
    static final String AMAZON_APPLICATION_ID = "amzn1.sp.solution.test-application";
    static final String SIMULATOR_PORT = "commercesync.test.install-simulator-port";

    @Override
    public Map<String, String> start() {
        Map<String, String> all = new HashMap<>(super.start());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty(SIMULATOR_PORT, Integer.toString(port));
        all.put("commercesync.install.public-url", PUBLIC_URL);
        all.put("commercesync.install.app.\"shopify\".client-id", CLIENT_ID);
        all.put("commercesync.install.app.\"shopify\".client-secret", CLIENT_SECRET);
        all.put("commercesync.install.app.\"bigcommerce\".client-id", CLIENT_ID);
        all.put("commercesync.install.app.\"bigcommerce\".client-secret", CLIENT_SECRET);
        all.put("commercesync.install.app.\"woocommerce\".client-id", WOO_APP_NAME);
        all.put("commercesync.install.app.\"woocommerce\".client-secret", CLIENT_SECRET);
        all.put("commercesync.install.app.\"magento2\".client-id", CLIENT_ID);
        all.put("commercesync.install.app.\"magento2\".client-secret", CLIENT_SECRET);
        all.put("commercesync.install.app.\"ebay\".client-id", CLIENT_ID);
        all.put("commercesync.install.app.\"ebay\".client-secret", CLIENT_SECRET);
        all.put("commercesync.install.app.\"ebay\".redirect-name", EBAY_RU_NAME);
        all.put("commercesync.install.app.\"amazon\".client-id", AMAZON_LWA_CLIENT_ID);
        all.put("commercesync.install.app.\"amazon\".client-secret", CLIENT_SECRET);
        all.put("commercesync.install.app.\"amazon\".application-id", AMAZON_APPLICATION_ID);
        // The simulated sellers have no usage plan here (rate limits off): nor has the poller's budget for them
        // (searchOrders' documented one allows a call every three minutes once its burst of 20 is spent).
        all.put("commercesync.poller.platform.\"amazon\".budget", "1000");
        all.put("commercesync.poller.platform.\"amazon\".refill-per-second", "100");
        all.put("commercesync.install.revocation-confirm-after", "PT1S");
        all.put("commercesync.install.store-url-template", "http://127.0.0.1:" + port + "/stores/{store}");
        // Amazon's sellers are reached as if at their region's SP-API host: the simulator records which.
        all.put(
                "commercesync.install.app.\"amazon\".store-url-template",
                "http://127.0.0.1:" + port + "/hosts/{host}/stores/{store}");
        return all;
    }
}
