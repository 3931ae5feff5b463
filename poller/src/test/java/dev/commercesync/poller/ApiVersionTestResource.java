package dev.commercesync.poller;

import java.util.HashMap;
import java.util.Map;

/**
 * The poller's test stack with one Shopify store ({@link #STORE_ID}) configured to call the API version given as the
 * resource's {@code version} argument, as an operator configures it ({@code
 * commercesync.poller.store."shopify/<store>".api-version}). Two arguments are two configurations: Quarkus restarts
 * the poller between the test classes that use them, as an operator restarts it after changing the setting.
 */
public class ApiVersionTestResource extends PollerTestResource {
    static final String STORE_KEY = "api-upgrade";
    static final String STORE_ID = STORE_KEY + ".myshopify.com";

    private String version;

    @Override
    public void init(Map<String, String> initArgs) {
        version = initArgs.get("version");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> all = new HashMap<>(super.start());
        all.put("commercesync.poller.store.\"shopify/" + STORE_ID + "\".api-version", version);
        return all;
    }
}
