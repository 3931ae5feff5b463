package dev.commercesync.syncwriter.consume;

import dev.commercesync.syncwriter.Backoff;
import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.SyncWriterMetrics;
import dev.commercesync.syncwriter.apply.ChangeApplier;
import dev.commercesync.syncwriter.apply.TransactionalBatch.Outcome;
import dev.commercesync.syncwriter.consume.DeadLetterPublisher.DeadLetter;
import dev.commercesync.syncwriter.errors.ErrorClass;
import dev.commercesync.syncwriter.errors.PermanentTargetException;
import dev.commercesync.syncwriter.errors.RetriableTargetException;
import dev.commercesync.syncwriter.errors.TargetException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * One consumed batch: decode every record, apply the decodable ones in one transaction and, if that fails permanently,
 * again one by one so that a poison event is dead-lettered alone and the others are applied. Returns normally only when
 * every record is applied, a no-op, or durably dead-lettered; the consumer commits the offsets after that.
 *
 * <p>Infrastructure trouble is never the events' fault: a transient failure (PostgreSQL down or hung, the pool out of
 * connections, the registry or the broker unreachable) that outlives {@link ChangeApplier}'s quick retries makes the
 * whole batch wait and start again, with exponential backoff and without limit, until it goes through. Meanwhile the
 * connector pauses the partitions and keeps the consumer in its group; {@link ConsumerLiveness} reports a batch stuck
 * for longer than {@code syncwriter.consumer.unhealthy-after}. Only AUTH failures are thrown: the channel stops.
 */
@ApplicationScoped
public class BatchProcessor {
    private static final Logger LOG = Logger.getLogger(BatchProcessor.class);

    private final CanonicalDecoder decoder;
    private final ChangeApplier applier;
    private final DeadLetterPublisher deadLetters;
    private final WriteStates writeStates;
    private final SyncWriterMetrics metrics;
    private final ConsumerLiveness liveness;
    private final Backoff backoff;
    private final ShutdownAwareWait pause;

    public BatchProcessor(
            CanonicalDecoder decoder,
            ChangeApplier applier,
            DeadLetterPublisher deadLetters,
            WriteStates writeStates,
            SyncWriterMetrics metrics,
            @Liveness ConsumerLiveness liveness,
            ShutdownAwareWait pause,
            SyncWriterConfig config) {
        this.decoder = decoder;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.writeStates = writeStates;
        this.metrics = metrics;
        this.liveness = liveness;
        this.pause = pause;
        this.backoff = new Backoff(
                config.consumer().initialBackoff(), config.consumer().maxBackoff());
    }

    public void process(Iterable<ConsumerRecord<String, byte[]>> records) {
        long start = System.nanoTime();
        liveness.batchStarted();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    processOnce(records);
                    break;
                } catch (RetriableTargetException e) {
                    liveness.attemptFailed(e);
                    Duration delay = backoff.delay(attempt);
                    LOG.warnf(
                            "batch waits for the infrastructure: %s %s (attempt %d failed; next in %d ms)",
                            e.errorClass(), e.getMessage(), attempt, delay.toMillis());
                    // On shutdown gives up with the failure, leaving the batch uncommitted.
                    pause.await(delay, e);
                }
            }
        } finally {
            liveness.batchFinished();
        }
        metrics.batch(Duration.ofNanos(System.nanoTime() - start));
    }

    private void processOnce(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<CanonicalChange> changes = new ArrayList<>();
        List<DeadLetter> failed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                changes.add(decoder.decode(record));
            } catch (PermanentTargetException e) {
                failed.add(DeadLetterPublisher.of(record, stopUnlessDeadLetter(e), applier.targetName()));
            }
        }
        List<CanonicalChange> applied = changes;
        Map<CanonicalChange, TargetException> deadLettered = new LinkedHashMap<>();
        if (!changes.isEmpty()) {
            try {
                count(changes, applier.apply(changes));
            } catch (PermanentTargetException batchFailure) {
                LOG.infof(
                        "batch of %d failed permanently (%s); applying its events one by one",
                        changes.size(), batchFailure.errorClass());
                applied = new ArrayList<>();
                for (CanonicalChange change : changes) {
                    try {
                        count(List.of(change), applier.apply(List.of(change)));
                        applied.add(change);
                    } catch (PermanentTargetException e) {
                        failed.add(DeadLetterPublisher.of(change, stopUnlessDeadLetter(e), applier.targetName()));
                        deadLettered.put(change, e);
                    }
                }
            }
        }
        deadLetters.publish(failed);
        // After the dead letters are durable: the operational state describes what happened, never what may not have.
        writeStates.applied(applied);
        deadLettered.forEach(writeStates::deadLettered);
    }

    private static TargetException stopUnlessDeadLetter(PermanentTargetException e) {
        if (e.errorClass().disposition() != ErrorClass.Disposition.DEAD_LETTER) {
            throw e;
        }
        return e;
    }

    private void count(List<CanonicalChange> changes, List<Outcome> outcomes) {
        for (int i = 0; i < changes.size(); i++) {
            var type = changes.get(i).metadata().getEntityType();
            switch (outcomes.get(i)) {
                case APPLIED -> metrics.applied(type);
                case STALE -> metrics.noop(type, "stale");
                case DUPLICATE -> metrics.noop(type, "duplicate");
            }
        }
    }
}
