package dev.commercesync.stores;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A merchant (tenant): groups stores whose items share one stock pool per SKU (V2__merchants.sql). Read and change it
 * through {@link MerchantRegistry}, which keeps its rules.
 */
@Entity
@Table(name = "merchant", schema = "stores")
public class Merchant extends PanacheEntityBase {

    /** Where a merchant's physical on-hand stock is read from its physical store. */
    public enum PhysicalMode {
        /** The store's level at the physical location (or its only level on a single-location platform). */
        LOCATION,
        /** The sum of the store's levels over every location. */
        SUM_OF_LOCATIONS
    }

    @Id
    public String id;

    @Column(name = "display_name")
    public String displayName;

    /** {@link Store#id} of the store designated as the source of physical stock; null while none is. */
    @Column(name = "physical_store")
    public Long physicalStore;

    @Enumerated(EnumType.STRING)
    @Column(name = "physical_mode", nullable = false)
    public PhysicalMode physicalMode = PhysicalMode.LOCATION;

    @Column(name = "physical_location")
    public String physicalLocation;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Changes with every change of the merchant, its stores, SKU links or channel rules. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
