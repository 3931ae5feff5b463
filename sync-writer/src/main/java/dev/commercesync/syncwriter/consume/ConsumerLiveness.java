package dev.commercesync.syncwriter.consume;

import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.errors.TargetException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the canonical consumer: DOWN when one batch has been in progress — retried while the infrastructure is
 * away, or blocked in the database — for longer than {@code syncwriter.consumer.unhealthy-after}. Shorter outages
 * leave it UP: the consumer waits them out by itself, and a restart would not help.
 */
@Liveness
@ApplicationScoped
public class ConsumerLiveness implements HealthCheck {
    private final Duration unhealthyAfter;
    private volatile Instant batchSince;
    private volatile int failedAttempts;
    private volatile String lastFailure;

    public ConsumerLiveness(SyncWriterConfig config) {
        this.unhealthyAfter = config.consumer().unhealthyAfter();
    }

    void batchStarted() {
        failedAttempts = 0;
        lastFailure = null;
        batchSince = Instant.now();
    }

    void attemptFailed(TargetException failure) {
        failedAttempts++;
        // Messages of target exceptions carry no entity data (TargetException's contract).
        lastFailure = failure.errorClass() + ": " + failure.getMessage();
    }

    void batchFinished() {
        batchSince = null;
    }

    @Override
    public HealthCheckResponse call() {
        Instant since = batchSince;
        var response = HealthCheckResponse.named("Canonical consumer");
        if (since == null) {
            return response.up().build();
        }
        Duration busy = Duration.between(since, Instant.now());
        response.status(busy.compareTo(unhealthyAfter) <= 0)
                .withData("batch-in-progress-seconds", busy.toSeconds())
                .withData("failed-attempts", failedAttempts);
        String failure = lastFailure;
        if (failure != null) {
            response.withData("last-failure", failure);
        }
        return response.build();
    }
}
