package dev.commercesync.simulator.dialect;

import dev.commercesync.simulator.http.ApiAnswer;
import dev.commercesync.simulator.model.StoreWrites;
import dev.commercesync.simulator.model.WriteResult;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a dialect changes its store when a client writes: through the store, so that a write takes the lock generated
 * changes take, its webhooks go the way theirs go (delivery faults included), and the store counts what each write did.
 */
public interface StoreWriter {

    /**
     * Applies a write; when it changed the state, hands the webhooks the platform sends for it to delivery and counts
     * it against the request under way.
     */
    WriteResult apply(Function<StoreWrites, WriteResult> write);

    /** Reads through the write helpers (lookups by variant or SKU, units left to ship) under the same lock. */
    <T> T read(Function<StoreWrites, T> read);

    /**
     * A platform's idempotency key (Shopify's {@code @idempotent(key:)}): the first answer given for {@code key}, else
     * {@code answer}'s, remembered. The request's writes are counted under the key (not the body), so {@link
     * dev.commercesync.simulator.SimulatedStore#writesAppliedPerKey()} shows a key applied twice.
     */
    ApiAnswer idempotent(String key, Supplier<ApiAnswer> answer);
}
