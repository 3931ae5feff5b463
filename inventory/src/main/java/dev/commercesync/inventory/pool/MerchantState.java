package dev.commercesync.inventory.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Per merchant (store {@code inventory-merchants}): pools to look at on the next tick, oversells, propagation. */
public class MerchantState {
    /** Most oversell records kept per merchant (oldest dropped). */
    public static final int MAX_OVERSELLS = 1000;
    /** Most propagation samples kept per merchant for the percentiles. */
    public static final int MAX_SAMPLES = 1000;

    public String merchant;
    public Set<String> dirty = new TreeSet<>();
    public List<Oversell> oversells = new ArrayList<>();
    public long oversellCount;
    public List<Long> propagationMillis = new ArrayList<>();
    public long propagationCount;
    public long propagationMaxMillis;

    public enum OversellKind {
        /** The selling channel had not confirmed a level without the units when the order was placed. */
        SAME_MOMENT_RACE,
        /** It had: it sold what it did not show (a bug, or a channel not honouring its level). */
        BEYOND_RACE
    }

    /**
     * @param units how many units were sold beyond the pool
     * @param order the order that took available below zero ({@code platform/store/order_id})
     * @param involved that order and the recent ones of other channels that took the last units
     * @param at when it was detected (wall clock millis)
     */
    public record Oversell(
            String merchant,
            String sku,
            long units,
            OversellKind kind,
            String order,
            String channel,
            long placedAt,
            List<String> involved,
            long availableAfter,
            long at) {}
}
