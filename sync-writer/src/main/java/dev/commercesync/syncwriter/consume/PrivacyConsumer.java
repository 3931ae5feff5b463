package dev.commercesync.syncwriter.consume;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.RegistryUnavailable;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.syncwriter.Backoff;
import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.SyncWriterMetrics;
import dev.commercesync.syncwriter.apply.ChangeApplier;
import dev.commercesync.syncwriter.errors.ErrorClass;
import dev.commercesync.syncwriter.errors.PermanentTargetException;
import dev.commercesync.syncwriter.errors.SqlErrorClassifier;
import dev.commercesync.syncwriter.errors.TargetException;
import dev.commercesync.syncwriter.target.postgres.PrivacyRequests;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code commerce.privacy.v1} (channel {@code privacy-in}, its own consumer group) one record at a time and has
 * {@link PrivacyRequests} record and carry out each request (docs/privacy.md). A request is never dead-lettered for a
 * failure of the database or the registry, nor dropped for any failure of its own: the record waits, retried with
 * backoff without limit, and its offset is committed only after the commit. Only a record that is not a privacy request
 * at all is dead-lettered (with its bytes).
 */
@ApplicationScoped
public class PrivacyConsumer {
    private static final Logger LOG = Logger.getLogger(PrivacyConsumer.class);

    private final PrivacyRequests requests;
    private final DeadLetterPublisher deadLetters;
    private final ChangeApplier applier;
    private final SyncWriterMetrics metrics;
    private final Deserializer<SpecificRecord> deserializer;
    private final Backoff backoff;
    private final ShutdownAwareWait pause;

    public PrivacyConsumer(
            PrivacyRequests requests,
            DeadLetterPublisher deadLetters,
            ChangeApplier applier,
            SyncWriterMetrics metrics,
            ShutdownAwareWait pause,
            SyncWriterConfig config) {
        this.requests = requests;
        this.metrics = metrics;
        this.pause = pause;
        this.deadLetters = deadLetters;
        this.applier = applier;
        this.deserializer = AvroSerdes.valueDeserializer(config.registryUrl());
        this.backoff = new Backoff(
                config.consumer().initialBackoff(), config.consumer().maxBackoff());
    }

    @Incoming("privacy-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecord<String, byte[]> record) {
        for (int attempt = 1; ; attempt++) {
            try {
                PrivacyRequest request = decode(record);
                if (request != null && requests.carryOut(request)) {
                    metrics.privacyRequest(request.getKind().name());
                }
                return;
            } catch (RuntimeException e) {
                TargetException failure = e instanceof TargetException t ? t : SqlErrorClassifier.classify(e);
                metrics.privacyRequestWaited(failure.errorClass());
                Duration delay = backoff.delay(attempt);
                boolean infrastructure = failure.errorClass().disposition() == ErrorClass.Disposition.RETRY;
                // A request must be carried out: anything else waits too, loudly, until it is fixed.
                String message = "privacy request at %s-%d@%d waits: %s %s (attempt %d failed; next in %d ms)";
                Object[] args = {
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    failure.errorClass(),
                    failure.getMessage(),
                    attempt,
                    delay.toMillis()
                };
                if (infrastructure) {
                    LOG.warnf(message, args);
                } else {
                    LOG.errorf(message, args);
                }
                // On shutdown gives up with the failure, leaving the record uncommitted.
                pause.await(delay, failure);
            }
        }
    }

    /** The request, or null after dead-lettering a record that is none. */
    private PrivacyRequest decode(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        Object decoded;
        try {
            decoded = value == null || value.length < 5 || value[0] != 0
                    ? null
                    : deserializer.deserialize(record.topic(), record.headers(), value);
        } catch (RuntimeException e) {
            if (RegistryUnavailable.causedBy(e)) {
                throw TargetException.of(ErrorClass.TRANSIENT, "schema registry unreachable", null, e);
            }
            decoded = null;
        }
        if (decoded instanceof PrivacyRequest request) {
            return request;
        }
        deadLetters.publish(List.of(DeadLetterPublisher.of(
                record,
                PermanentTargetException.undecodable("not a Confluent-framed PrivacyRequest", null),
                applier.targetName())));
        return null;
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }
}
