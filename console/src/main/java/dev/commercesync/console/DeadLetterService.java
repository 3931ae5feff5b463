package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.BulkRetry;
import dev.commercesync.console.BrowseViews.DeadLetterDetail;
import dev.commercesync.console.BrowseViews.DeadLetterItem;
import dev.commercesync.console.BrowseViews.DeadLetterRetry;
import dev.commercesync.console.BrowseViews.RecordOutcome;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.kafka.Quarantine;
import dev.commercesync.kafka.SyncDeadLetters;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The sync-writer's dead letters ({@code commerce.sync-dlq.v1}) through pipeline-kafka's {@link SyncDeadLetters}, the
 * code behind {@code synctl dlq}: listed, shown, retried one by one or as a filtered set. A dead letter "waits" until
 * it is retried: its event is on the source topic again with the retry header (then the sync-writer applies it, or
 * dead-letters it again under a new id).
 */
@ApplicationScoped
public class DeadLetterService {
    private static final Logger LOG = Logger.getLogger(DeadLetterService.class);

    /**
     * Which dead letters; a null field matches every value.
     *
     * @param errorClass a {@link SyncErrorClass} name
     */
    public record Filter(String platform, String store, String errorClass) {
        /** @throws IllegalArgumentException when the error class is none of {@link SyncErrorClass} */
        public Filter {
            platform = Filters.any(platform);
            store = Filters.any(store);
            errorClass = Filters.oneOf(SyncErrorClass.class, "error_class", errorClass);
        }

        public boolean isEmpty() {
            return platform == null && store == null && errorClass == null;
        }

        boolean matches(SyncDeadLetter d) {
            return (platform == null || platform.equals(d.getPlatform()))
                    && (store == null || store.equals(d.getStore()))
                    && (errorClass == null
                            || errorClass.equals(d.getErrorClass().name()));
        }
    }

    private final ConsoleKafka kafka;

    public DeadLetterService(ConsoleKafka kafka) {
        this.kafka = kafka;
    }

    /** The dead letters of the filter, oldest first; without {@code includeRetried} only those waiting. */
    public List<DeadLetterItem> list(Filter filter, boolean includeRetried) {
        try (PipelineKafka k = kafka.open()) {
            return items(letters(k), filter, includeRetried);
        }
    }

    /** The dead letters waiting, per store ({@link PipelineRecords#storeKey}): the overview's count. */
    public Map<String, Long> waitingPerStore() {
        return list(new Filter(null, null, null), false).stream()
                .filter(d -> d.platform() != null && d.store() != null)
                .collect(Collectors.groupingBy(
                        d -> PipelineRecords.storeKey(d.platform(), d.store()), Collectors.counting()));
    }

    public Optional<DeadLetterDetail> show(String id) {
        try (PipelineKafka k = kafka.open()) {
            SyncDeadLetters letters = letters(k);
            Map<String, SyncDeadLetter> all = letters.all();
            SyncDeadLetter d = all.get(id);
            if (d == null) {
                return Optional.empty();
            }
            List<String> ofEvent = d.getEventId() == null
                    ? List.of(id)
                    : all.values().stream()
                            .filter(o -> d.getEventId().equals(o.getEventId()))
                            .map(SyncDeadLetter::getDeadLetterId)
                            .toList();
            RawRecordRef retried = letters.resubmissions(List.of(d)).get(id);
            return Optional.of(new DeadLetterDetail(
                    DeadLetterItem.of(d, ofEvent.size(), retried == null ? null : Quarantine.ref(retried)),
                    ofEvent,
                    d.getEventId() == null));
        }
    }

    /**
     * Retries one dead letter.
     *
     * @throws NoSuchElementException when there is no dead letter with this id
     * @throws SyncDeadLetters.NotRetryable when its event was undecodable or is no longer retained
     */
    public DeadLetterRetry retry(String id) throws InterruptedException, ExecutionException {
        try (PipelineKafka k = kafka.open()) {
            SyncDeadLetters.Resubmitted r = letters(k).retry(id);
            LOG.infof("dead letter %s re-submitted as %s", id, position(r));
            return new DeadLetterRetry(id, r.eventId(), r.origin(), position(r));
        }
    }

    /**
     * Retries every dead letter of the filter that waits, one by one: a record that cannot be retried is answered as
     * such and the others are still retried.
     */
    public BulkRetry retryAll(Filter filter) throws InterruptedException {
        try (PipelineKafka k = kafka.open()) {
            SyncDeadLetters letters = letters(k);
            Map<String, SyncDeadLetter> all = letters.all();
            List<RecordOutcome> results = new ArrayList<>();
            for (DeadLetterItem item : items(all, letters, filter, false)) {
                try {
                    SyncDeadLetters.Resubmitted r = letters.retry(all.get(item.id()));
                    results.add(new RecordOutcome(item.id(), true, position(r), null));
                } catch (SyncDeadLetters.NotRetryable e) {
                    results.add(new RecordOutcome(item.id(), false, null, e.getMessage()));
                } catch (ExecutionException e) {
                    results.add(new RecordOutcome(
                            item.id(), false, null, "Kafka did not take the record: " + e.getCause()));
                }
            }
            BulkRetry bulk = BulkRetry.of(results);
            LOG.infof("bulk retry of dead letters %s: %s", filter, bulk.summary("dead letters"));
            return bulk;
        }
    }

    private SyncDeadLetters letters(PipelineKafka k) {
        return new SyncDeadLetters(k, kafka.topic(CommerceTopic.SYNC_DLQ));
    }

    private static List<DeadLetterItem> items(SyncDeadLetters letters, Filter filter, boolean includeRetried) {
        return items(letters.all(), letters, filter, includeRetried);
    }

    private static List<DeadLetterItem> items(
            Map<String, SyncDeadLetter> all, SyncDeadLetters letters, Filter filter, boolean includeRetried) {
        List<SyncDeadLetter> matching = all.values().stream()
                .filter(filter::matches)
                .sorted(Comparator.comparing(SyncDeadLetter::getFailedAt))
                .toList();
        if (matching.isEmpty()) {
            return List.of();
        }
        Map<String, Long> perEvent = all.values().stream()
                .filter(d -> d.getEventId() != null)
                .collect(Collectors.groupingBy(SyncDeadLetter::getEventId, Collectors.counting()));
        Map<String, RawRecordRef> retried = letters.resubmissions(matching);
        return matching.stream()
                .map(d -> DeadLetterItem.of(
                        d,
                        d.getEventId() == null
                                ? 1
                                : perEvent.get(d.getEventId()).intValue(),
                        Optional.ofNullable(retried.get(d.getDeadLetterId()))
                                .map(Quarantine::ref)
                                .orElse(null)))
                .filter(d -> includeRetried || d.resubmittedAs() == null)
                .toList();
    }

    private static String position(SyncDeadLetters.Resubmitted r) {
        return r.topic() + "/" + r.partition() + "@" + r.offset();
    }
}
