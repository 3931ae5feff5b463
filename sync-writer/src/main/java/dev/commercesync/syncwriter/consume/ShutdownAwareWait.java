package dev.commercesync.syncwriter.consume;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The wait of a consumer whose record must not be given up while the infrastructure is away (BatchProcessor,
 * PrivacyConsumer): it ends early on shutdown, with the failure, so that the record stays uncommitted and is delivered
 * again after the restart.
 */
@ApplicationScoped
public class ShutdownAwareWait {
    private final Object wakeUp = new Object();
    private volatile boolean stopping;

    /** Waits {@code delay}; on shutdown or interruption throws {@code failure} instead. */
    void await(Duration delay, RuntimeException failure) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (wakeUp) {
            try {
                for (long left = delay.toMillis(); left > 0 && !stopping; ) {
                    wakeUp.wait(left);
                    left = (deadline - System.nanoTime()) / 1_000_000;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
        if (stopping) {
            throw failure;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }
}
