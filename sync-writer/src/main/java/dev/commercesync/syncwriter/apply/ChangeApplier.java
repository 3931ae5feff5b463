package dev.commercesync.syncwriter.apply;

import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.apply.TransactionalBatch.Outcome;
import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.syncwriter.errors.RetriableTargetException;
import dev.commercesync.syncwriter.errors.SqlErrorClassifier;
import dev.commercesync.syncwriter.target.TargetWriter;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Applies changes in one transaction to the configured target, retrying transient failures with exponential backoff
 * and jitter (SmallRye Fault Tolerance; tune with {@code dev.commercesync.syncwriter.apply.ChangeApplier/apply/Retry/…}).
 * A failure is classified before it leaves: {@link RetriableTargetException} once the retries are spent, otherwise a
 * {@link dev.commercesync.syncwriter.errors.PermanentTargetException}.
 */
@ApplicationScoped
public class ChangeApplier {
    private final TransactionalBatch batch;
    private final TargetWriter target;

    public ChangeApplier(TransactionalBatch batch, @Any Instance<TargetWriter> targets, SyncWriterConfig config) {
        this.batch = batch;
        List<TargetWriter> named = targets.stream()
                .filter(t -> t.name().equals(config.targetName()))
                .toList();
        if (named.size() != 1) {
            throw new IllegalStateException("syncwriter.target-name=" + config.targetName() + " matches " + named.size()
                    + " targets; known: "
                    + targets.stream().map(TargetWriter::name).toList());
        }
        this.target = named.get(0);
    }

    public String targetName() {
        return target.name();
    }

    @Retry(
            maxRetries = 6,
            delay = 200,
            jitter = 100,
            maxDuration = 60,
            durationUnit = ChronoUnit.SECONDS,
            retryOn = RetriableTargetException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public List<Outcome> apply(List<CanonicalChange> changes) {
        try {
            return batch.apply(target, changes);
        } catch (RuntimeException e) {
            throw SqlErrorClassifier.classify(e);
        }
    }
}
