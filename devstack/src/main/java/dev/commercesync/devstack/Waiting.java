package dev.commercesync.devstack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition rather than for a time, in tests of the stack's services. */
public final class Waiting {
    private Waiting() {}

    /** Checks {@code condition} every 250 ms until it holds (true) or {@code timeout} has passed (false). */
    public static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(250);
        }
        return condition.getAsBoolean();
    }
}
