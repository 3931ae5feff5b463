package dev.commercesync.poller;

import dev.commercesync.devstack.DevStackTestResource;
import dev.commercesync.devstack.Endpoints;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The real stack, plus the store registry's schema: in a deployment webhook-ingest migrates {@code stores} (the
 * poller only reads it), so the tests run that migration themselves, with its own history in {@code stores} exactly
 * as the ingest would.
 */
public class PollerTestResource extends DevStackTestResource {

    /** A store whose own settings override its platform's ({@code StoreSettingsTest}). */
    static final String OVERRIDDEN_STORE = "overridden.myshopify.com";

    /**
     * The tests' narrower settings (the defaults are the adapters' capabilities): the fake WooCommerce store serves
     * orders and order topics only; one Shopify store has its own types and request cost.
     */
    static final Map<String, String> OVERRIDES = Map.of(
            "commercesync.poller.platform.\"woocommerce\".resources",
            "ORDER",
            "commercesync.poller.platform.\"woocommerce\".webhook-topics",
            "order.created,order.updated",
            "commercesync.poller.store.\"shopify/" + OVERRIDDEN_STORE + "\".resources",
            "PRODUCT,CUSTOMER",
            "commercesync.poller.store.\"shopify/" + OVERRIDDEN_STORE + "\".request-cost",
            "7");

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        Endpoints stack = SharedStack.endpoints();
        Flyway.configure(PollerTestResource.class.getClassLoader())
                .dataSource(stack.jdbcUrl(), stack.jdbcUser(), "")
                .schemas("stores")
                .locations("classpath:db/stores")
                .load()
                .migrate();
        Map<String, String> all = new HashMap<>(config);
        all.putAll(OVERRIDES);
        return all;
    }
}
