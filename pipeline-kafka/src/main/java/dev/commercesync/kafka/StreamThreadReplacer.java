package dev.commercesync.kafka;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * What happens to a stream thread that failed — the schema registry unreachable while decoding or serializing, a
 * broker error: its open transaction is aborted and it is replaced, so that its records are processed again from the
 * last committed offsets, exactly once. Nothing is quarantined for an infrastructure failure.
 *
 * <p>The replacement waits an exponential backoff (with jitter) first, on the failed thread, which keeps its partitions
 * meanwhile: a registry outage pauses the partitions instead of spinning through thread replacements and rebalances.
 * Every Kafka Streams service of commerce-sync (normalizer, inventory) installs one.
 */
public final class StreamThreadReplacer implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = Logger.getLogger(StreamThreadReplacer.class);

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Consumer<String> onReplace;
    private int failuresInARow;
    private long lastFailureNanos;

    /**
     * @param onReplace told the cause of each replacement ({@code registry} or {@code other}), for the service's metric
     */
    public StreamThreadReplacer(Duration initialBackoff, Duration maxBackoff, Consumer<String> onReplace) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.onReplace = onReplace;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        boolean registry = RegistryUnavailable.causedBy(exception);
        Duration delay = nextDelay();
        if (registry) {
            LOG.warnf(
                    "schema registry unavailable (%s); replacing the stream thread in %d ms, its records wait",
                    rootCause(exception), delay.toMillis());
        } else {
            LOG.errorf(
                    exception,
                    "Kafka Streams thread failed; replacing it in %d ms (its open transaction is aborted)",
                    delay.toMillis());
        }
        onReplace.accept(registry ? "registry" : "other");
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private synchronized Duration nextDelay() {
        long now = System.nanoTime();
        if (failuresInARow > 0
                && now - lastFailureNanos > maxBackoff.multipliedBy(2).toNanos()) {
            failuresInARow = 0; // a new outage, not the same one
        }
        lastFailureNanos = now;
        long capped = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(failuresInARow++, 30));
        return Duration.ofMillis(capped - ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
