package dev.commercesync.inventory;

import dev.commercesync.stores.MerchantRegistry.MerchantView;
import java.util.Optional;

/** The merchants' configuration as the pool last read it. */
public interface MerchantConfigs {
    /**
     * The merchant of a store; empty: the store is in no merchant (its events are skipped).
     *
     * @throws NotLoaded before the configuration was read once: the record must wait, not be skipped
     */
    Optional<String> merchantOf(String platform, String store);

    /** @throws NotLoaded as {@link #merchantOf} */
    Optional<MerchantView> merchant(String id);

    /** The configuration was never read (PostgreSQL away at start-up): the stream thread is replaced and retries. */
    final class NotLoaded extends RuntimeException {
        public NotLoaded() {
            super("the merchants' configuration has not been read yet", null, false, false);
        }
    }
}
