package dev.commercesync.poller;

import java.util.concurrent.ThreadFactory;

/** The poller's background threads: daemons (they never hold the JVM at shutdown), named for thread dumps. */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Threads named {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
