package dev.commercesync.simulator.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One product of a catalogue several stores share (the multichannel demo: one merchant selling the same things on
 * every store): each store makes its own product of it, with its platform's ids, the same SKU, title and price, and its
 * own starting stock.
 *
 * @param stock the store's available units at its location at the start
 */
public record CatalogItem(String sku, String title, BigDecimal price, int stock) {

    public CatalogItem {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(price, "price");
        if (stock < 0) {
            throw new IllegalArgumentException("stock must not be negative, was " + stock);
        }
    }

    /** The same item with another starting stock. */
    public CatalogItem withStock(int units) {
        return new CatalogItem(sku, title, price, units);
    }
}
