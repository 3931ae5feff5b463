package dev.commercesync.syncwriter.consume;

import dev.commercesync.syncwriter.SyncWriterMetrics;
import dev.commercesync.syncwriter.apply.ChangeApplier;
import dev.commercesync.syncwriter.apply.TransactionalBatch.Outcome;
import dev.commercesync.syncwriter.consume.DeadLetterPublisher.DeadLetter;
import dev.commercesync.syncwriter.errors.ErrorClass;
import dev.commercesync.syncwriter.errors.PermanentTargetException;
import dev.commercesync.syncwriter.errors.TargetException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * One consumed batch: decode every record, apply the decodable ones in one transaction and, if that fails permanently,
 * again one by one so that a poison event is dead-lettered alone and the others are applied. Returns normally only when
 * every record is applied, a no-op, or durably dead-lettered; the consumer commits the offsets after that.
 *
 * <p>A retriable failure that outlives its retries, or an AUTH failure, is thrown: the batch is not committed and the
 * channel stops (readiness goes DOWN) rather than dead-lettering events that are fine.
 */
@ApplicationScoped
public class BatchProcessor {
    private static final Logger LOG = Logger.getLogger(BatchProcessor.class);

    private final CanonicalDecoder decoder;
    private final ChangeApplier applier;
    private final DeadLetterPublisher deadLetters;
    private final SyncWriterMetrics metrics;

    public BatchProcessor(
            CanonicalDecoder decoder,
            ChangeApplier applier,
            DeadLetterPublisher deadLetters,
            SyncWriterMetrics metrics) {
        this.decoder = decoder;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    public void process(Iterable<ConsumerRecord<String, byte[]>> records) {
        long start = System.nanoTime();
        List<CanonicalChange> changes = new ArrayList<>();
        List<DeadLetter> failed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                changes.add(decoder.decode(record));
            } catch (PermanentTargetException e) {
                failed.add(DeadLetterPublisher.of(record, stopUnlessDeadLetter(e), applier.targetName()));
            }
        }
        if (!changes.isEmpty()) {
            try {
                count(changes, applier.apply(changes));
            } catch (PermanentTargetException batchFailure) {
                LOG.infof(
                        "batch of %d failed permanently (%s); applying its events one by one",
                        changes.size(), batchFailure.errorClass());
                for (CanonicalChange change : changes) {
                    try {
                        count(List.of(change), applier.apply(List.of(change)));
                    } catch (PermanentTargetException e) {
                        failed.add(DeadLetterPublisher.of(change, stopUnlessDeadLetter(e), applier.targetName()));
                    }
                }
            }
        }
        deadLetters.publish(failed);
        metrics.batch(Duration.ofNanos(System.nanoTime() - start));
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
