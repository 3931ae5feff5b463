package dev.commercesync.stores;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * An explicit link: the stock of one item of one store belongs to the pool of {@code poolSku} instead of its own SKU.
 * Read and change it through {@link MerchantRegistry}.
 */
@Entity
@Table(name = "sku_link", schema = "stores")
@IdClass(SkuLink.Key.class)
public class SkuLink extends PanacheEntityBase {

    /** The primary key: store and item. */
    public record Key(Long storePk, String itemId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "store_pk")
    public Long storePk;

    /** The item part of the canonical InventoryLevel id (as SetInventoryLevel.item_id). */
    @Id
    @Column(name = "item_id")
    public String itemId;

    @Column(name = "pool_sku", nullable = false)
    public String poolSku;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
