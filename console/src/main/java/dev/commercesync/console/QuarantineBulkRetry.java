package dev.commercesync.console;

import dev.commercesync.console.BrowseViews.BulkRetry;
import dev.commercesync.console.BrowseViews.RecordOutcome;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.Quarantine;
import dev.commercesync.schemas.envelope.QuarantineErrorClass;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawRecordRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Retries a filtered set of the quarantine (through pipeline-kafka's {@link Quarantine}, like one retry): every record
 * of the set that waits (not re-submitted yet) is re-submitted; one that cannot be is answered as such, and the others
 * are still retried.
 */
@ApplicationScoped
public class QuarantineBulkRetry {
    private static final Logger LOG = Logger.getLogger(QuarantineBulkRetry.class);

    /**
     * Which quarantined records; a null field matches every value.
     *
     * @param errorClass a {@link QuarantineErrorClass} name
     */
    public record Filter(String platform, String store, String errorClass) {
        /** @throws IllegalArgumentException when the error class is none of {@link QuarantineErrorClass} */
        public Filter {
            platform = Filters.any(platform);
            store = Filters.any(store);
            errorClass = Filters.oneOf(QuarantineErrorClass.class, "error_class", errorClass);
        }

        public boolean isEmpty() {
            return platform == null && store == null && errorClass == null;
        }

        boolean matches(QuarantineRecord q) {
            return (platform == null || platform.equals(q.getPlatform()))
                    && (store == null || store.equals(q.getStore()))
                    && (errorClass == null
                            || errorClass.equals(q.getErrorClass().name()));
        }
    }

    private final ConsoleKafka kafka;

    public QuarantineBulkRetry(ConsoleKafka kafka) {
        this.kafka = kafka;
    }

    public BulkRetry retryAll(Filter filter) throws InterruptedException {
        try (PipelineKafka k = kafka.open()) {
            Quarantine quarantine = new Quarantine(k, kafka.topics());
            List<QuarantineRecord> matching =
                    quarantine.all().values().stream().filter(filter::matches).toList();
            List<RecordOutcome> results = new ArrayList<>();
            if (!matching.isEmpty()) {
                Map<String, RawRecordRef> resubmitted = quarantine.resubmissions(matching.stream()
                        .map(QuarantineRecord::getQuarantinedAt)
                        .min(Comparator.naturalOrder())
                        .orElseThrow());
                for (QuarantineRecord q : matching) {
                    if (resubmitted.containsKey(q.getQuarantineId())) {
                        continue;
                    }
                    try {
                        Quarantine.Resubmitted r = quarantine.retry(q);
                        results.add(new RecordOutcome(
                                q.getQuarantineId(), true, r.topic() + "/" + r.partition() + "@" + r.offset(), null));
                    } catch (Quarantine.NotRetryable e) {
                        results.add(new RecordOutcome(q.getQuarantineId(), false, null, e.getMessage()));
                    } catch (ExecutionException e) {
                        results.add(new RecordOutcome(
                                q.getQuarantineId(), false, null, "Kafka did not take the record: " + e.getCause()));
                    }
                }
            }
            BulkRetry bulk = BulkRetry.of(results);
            LOG.infof("bulk retry of the quarantine %s: %s", filter, bulk.summary("quarantined records"));
            return bulk;
        }
    }
}
