package dev.commercesync.stores;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A store's row of {@code channel_rule}; as a value it is a {@link ChannelRule}. Changed through {@link MerchantRegistry}. */
@Entity
@Table(name = "channel_rule", schema = "stores")
public class ChannelRuleRow extends PanacheEntityBase {

    @Id
    @Column(name = "store_pk")
    public Long storePk;

    @Column(name = "safety_buffer", nullable = false)
    public long safetyBuffer;

    @Column(name = "zero_at")
    public Long zeroAt;

    @Column(nullable = false)
    public int percentage = 100;

    @Column(name = "max_listed")
    public Long maxListed;

    @Column(name = "location_id")
    public String locationId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public ChannelRule rule() {
        return new ChannelRule(safetyBuffer, zeroAt, percentage, maxListed, locationId);
    }
}
