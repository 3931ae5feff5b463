package dev.commercesync.inventory.pool;

import dev.commercesync.inventory.pool.MerchantState.OversellKind;

/** What the engine reports as it goes, for the metrics; every method does nothing by default. */
public interface PoolListener {
    PoolListener NONE = new PoolListener() {};

    default void commandSent(String channel) {}

    default void result(String status, String reason) {}

    default void oversell(OversellKind kind) {}

    default void propagated(long millis) {}

    /** A channel's lag: {@code behindSince} null when it is in step again (key {@code merchant/sku/channel}). */
    default void behind(String key, Long behindSince) {}
}
