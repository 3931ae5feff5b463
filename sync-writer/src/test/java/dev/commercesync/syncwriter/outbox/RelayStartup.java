package dev.commercesync.syncwriter.outbox;

import io.quarkus.runtime.StartupEvent;

/** Runs an {@link OutboxRelay}'s start-up decision as the application's start-up does (RelaySwitchTest). */
public final class RelayStartup {
    private RelayStartup() {}

    public static void start(OutboxRelay relay) {
        relay.onStart(new StartupEvent());
    }
}
