package dev.commercesync.inventory.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One merchant's pool of one SKU (store {@code inventory-pools}, key {@code merchant/sku}). Available is
 * {@code base − reserved on every channel but the physical source}; physical is {@code base + reserved on the source}
 * (the source's platform already took its own open orders off its level, which is what {@code base} follows).
 */
public class PoolState {
    public String merchant;
    public String sku;
    /** Whether a level of the physical source was seen: until then available is unknown and nothing is written. */
    public boolean baselined;

    public long base;
    /** When the first source level set {@code base} (the platform's time, millis). */
    public Long baselineAt;
    /** Open reservations (ordered − shipped − released) per channel {@code platform/store}. */
    public Map<String, Long> reserved = new TreeMap<>();
    /** The physical source's last known level per location ("" for none): its next level applies as a delta. */
    public Map<String, Long> sourceLevels = new TreeMap<>();
    /** Per channel {@code platform/store}: what it should list, what it shows, the write in flight. */
    public Map<String, ChannelState> channels = new TreeMap<>();
    /** Moves with every change of available. */
    public long revision;
    /** The last reservations, newest last (for the orders an oversell involves). */
    public List<Reservation> recent = new ArrayList<>();
    /** Order-caused changes of available whose propagation to the other channels is not confirmed yet. */
    public List<Propagation> propagating = new ArrayList<>();

    public PoolState() {}

    public PoolState(String merchant, String sku) {
        this.merchant = merchant;
        this.sku = sku;
    }

    public long reservedOn(String channel) {
        return reserved.getOrDefault(channel, 0L);
    }

    public long reservedTotal() {
        return reserved.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Available for sale across the channels; meaningful only once {@link #baselined}. */
    public long available(String sourceChannel) {
        return base - (reservedTotal() - reservedOn(sourceChannel));
    }

    /** Physical on hand: what the source counts plus what its own open orders took off its level. */
    public long physical(String sourceChannel) {
        return base + reservedOn(sourceChannel);
    }

    /** A channel's view of the pool. */
    public static class ChannelState {
        /** The channel's item for this SKU and the location its writes go to. */
        public String itemId;

        public String locationId;
        /** What the channel listed last (its own level events, our echoes, APPLIED results). */
        public Long lastKnown;
        /** What it should list: the rule applied to available (at the last tick). */
        public Long wanted;
        /** The last level the channel confirmed by an APPLIED result or an echo, and when (platform time). */
        public Long confirmedValue;

        public Long confirmedAt;
        /** The pool revision the last confirmed write carried; -1: none. */
        public long confirmedRevision = -1;
        /** The value of the last write sent; null after a failed one, so that it is sent again. */
        public Long lastWrittenWanted;

        public Inflight inflight;
        /** Since when it has shown something else than it should (wall clock millis); null: in step. */
        public Long behindSince;
        /** Sequence of the writes to it, part of each command id. */
        public long writeSeq;

        public long failures;
        public int failuresInARow;
        public String lastFailure;
        /** No write before this (wall clock millis) after failures in a row. */
        public Long retryAt;

        /**
         * The last write lost its compare-and-set (CONFLICT) on a channel other than the source: the next one is
         * unconditional, since the level it was compared with is stale and such a channel holds no stock of its own.
         */
        public boolean unconditional;

        /**
         * When (the order's platform time, millis) one of the channel's own orders last moved its level on the platform
         * (a sale, a cancellation, a restocking refund) since the last write was sent; null: none. What it shows is then
         * unknown (an event for it may never come, or come before the order, or before a write in flight applied), so
         * the next tick writes the pool's value unconditionally, even when that value did not change — unless a level
         * event of the channel at or after that time arrived with no write in flight. Never set on the source, whose
         * level is stock.
         */
        public Long movedByOwnOrderAt;
    }

    /** A SetInventoryLevel sent and not answered yet. */
    public record Inflight(String commandId, long quantity, Long expected, long revision, long since) {}

    /**
     * A reservation that lowered available.
     *
     * @param order {@code platform/store/order_id}
     * @param placedAt when the order was placed (platform time)
     */
    public record Reservation(String order, String channel, long units, long placedAt, long availableAfter) {}

    /** @param at the order's platform time, from which propagation is measured */
    public record Propagation(long revision, String channel, String order, long at) {}
}
