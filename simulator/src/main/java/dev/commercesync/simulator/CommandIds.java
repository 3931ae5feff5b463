package dev.commercesync.simulator;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.simulator.dialect.Dialects;
import dev.commercesync.simulator.dialect.PlatformDialect;
import dev.commercesync.simulator.model.InventoryLevel;
import dev.commercesync.simulator.model.Product;

/**
 * How a platform's commands name a simulated product's stock and price (its canonical ids): the item and location of
 * {@code SetInventoryLevel}, the product and variant of {@code SetPrice} (docs/commands.md, per platform). For the
 * drivers that send commands to simulated stores (the writers' tests, the demo).
 *
 * @param location null where the platform has no locations (WooCommerce)
 * @param variantId null where a product is priced as a whole
 */
public record CommandIds(String stockItem, String location, String productId, String variantId) {

    /** The ids of the product's stock and price in the store's platform (its dialect says how they are named). */
    public static CommandIds of(SimulatedStore store, Product product) {
        PlatformDialect dialect = Dialects.get(store.platform());
        String[] stock = dialect.stockIds(levelOf(store, product));
        String[] price = dialect.priceIds(product);
        return new CommandIds(stock[0], stock[1], price[0], price[1]);
    }

    /** The product's inventory level in the store. */
    public static InventoryLevel levelOf(SimulatedStore store, Product product) {
        return store.state().all(EntityType.INVENTORY_LEVEL).stream()
                .map(InventoryLevel.class::cast)
                .filter(l -> l.productId().equals(product.id()))
                .findFirst()
                .orElseThrow();
    }

    /** The canonical inventory level id: {@code <item>@<location>}, or the item where there are no locations. */
    public String levelId() {
        return location == null ? stockItem : stockItem + "@" + location;
    }
}
