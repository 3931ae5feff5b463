package dev.commercesync.stores;

/**
 * How much of a merchant's pooled available stock one channel (store) lists (table {@code channel_rule},
 * docs/inventory.md#configuring-a-merchant). Applied in this order:
 *
 * <ol>
 *   <li>{@code listed = available - safetyBuffer};
 *   <li>0 when the pool's {@code available <= zeroAt} (the pool's available, before the buffer);
 *   <li>{@code floor(listed * percentage / 100)};
 *   <li>at most {@code maxListed};
 *   <li>never below 0.
 * </ol>
 *
 * @param safetyBuffer units held back from this channel, {@code >= 0}
 * @param zeroAt list 0 when the pool's available is at or below this ({@code >= 0}); null: no such threshold
 * @param percentage the share of the rest listed, 0 to 100
 * @param maxListed at most this many listed ({@code >= 0}); null: no maximum
 * @param locationId the location a multi-location channel's writes go to; null: its only or default location
 */
public record ChannelRule(long safetyBuffer, Long zeroAt, int percentage, Long maxListed, String locationId) {

    /** A channel without a rule lists the pool's available stock as it is. */
    public static final ChannelRule DEFAULT = new ChannelRule(0, null, 100, null, null);

    /** Longest location id accepted (the platforms' ids are far shorter). */
    public static final int MAX_LOCATION_ID_LENGTH = 255;

    /** @throws IllegalArgumentException naming the field, for a value the table's checks would refuse */
    public ChannelRule {
        if (safetyBuffer < 0) {
            throw new IllegalArgumentException("safety_buffer must be 0 or more");
        }
        if (zeroAt != null && zeroAt < 0) {
            throw new IllegalArgumentException("zero_at must be 0 or more (or absent)");
        }
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("percentage must be between 0 and 100");
        }
        if (maxListed != null && maxListed < 0) {
            throw new IllegalArgumentException("max_listed must be 0 or more (or absent)");
        }
        if (locationId != null && (locationId.isBlank() || locationId.length() > MAX_LOCATION_ID_LENGTH)) {
            throw new IllegalArgumentException(
                    "location_id must be 1 to " + MAX_LOCATION_ID_LENGTH + " characters (or absent)");
        }
    }

    /**
     * The quantity this channel lists when the pool has {@code available} (which may be negative after an oversell).
     * Exact for every {@code long}: no step overflows.
     */
    public long listed(long available) {
        if (zeroAt != null && available <= zeroAt) {
            return 0;
        }
        // Every later step maps 0 to 0 and keeps a negative value at or below 0, which the last step makes 0: so a
        // buffer that takes everything ends at 0, and the subtraction cannot overflow.
        if (available <= safetyBuffer) {
            return 0;
        }
        long listed = available - safetyBuffer;
        // floor(listed * percentage / 100) without the overflow of listed * percentage (listed > 0 here).
        listed = listed / 100 * percentage + listed % 100 * percentage / 100;
        if (maxListed != null) {
            listed = Math.min(listed, maxListed);
        }
        return Math.max(listed, 0);
    }
}
