package dev.commercesync.syncwriter.consume;

import dev.commercesync.kafka.AvroKafka;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import dev.commercesync.schemas.envelope.SyncErrorClass;
import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.SyncWriterMetrics;
import dev.commercesync.syncwriter.errors.ErrorClass;
import dev.commercesync.syncwriter.errors.TargetException;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Sends events the writer will not retry to commerce.sync-dlq.v1, keyed like the original record, and waits until
 * Kafka has them: the batch's offsets are committed only after that, so no dead letter is lost.
 */
@ApplicationScoped
public class DeadLetterPublisher {
    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    private final KafkaProducer<String, SpecificRecord> producer;
    private final SyncWriterMetrics metrics;

    public DeadLetterPublisher(
            SyncWriterConfig config,
            SyncWriterMetrics metrics,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.producer = AvroKafka.producer(
                config.kafkaBootstrapServers(), kafkaConfig, config.registryUrl(), "sync-writer-dlq");
        this.metrics = metrics;
    }

    /** A dead letter for a record that could not be decoded into a change (undecodable or invalid). */
    public static DeadLetter of(ConsumerRecord<String, byte[]> record, TargetException failure, String target) {
        return new DeadLetter(
                base(
                                new RecordPosition(record.topic(), record.partition(), record.offset(), record.key()),
                                failure,
                                target)
                        .setRawValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                        .build(),
                failure);
    }

    /** A dead letter for a decoded change the target refused. */
    public static DeadLetter of(CanonicalChange change, TargetException failure, String target) {
        var m = change.metadata();
        return new DeadLetter(
                base(change.position(), failure, target)
                        .setEventId(m.getEventId())
                        .setPlatform(m.getPlatform())
                        .setStore(m.getStore())
                        .setEntityType(m.getEntityType())
                        .setEntityId(m.getEntityId())
                        .setOperation(m.getOperation())
                        .setTraceContext(m.getTraceContext())
                        .build(),
                failure);
    }

    private static SyncDeadLetter.Builder base(RecordPosition position, TargetException failure, String target) {
        return SyncDeadLetter.newBuilder()
                .setDeadLetterId(UUID.randomUUID().toString())
                .setErrorClass(SyncErrorClass.valueOf(failure.errorClass().name()))
                .setReason(failure.getMessage() == null ? failure.errorClass().name() : failure.getMessage())
                .setExceptionClass(failure.rootExceptionClass())
                .setSqlState(failure.sqlState().orElse(null))
                .setTarget(target)
                .setSourceRef(new RawRecordRef(position.topic(), position.partition(), position.offset()))
                .setSourceKey(position.key())
                .setFailedAt(Instant.now())
                .setFailedBy("sync-writer");
    }

    /**
     * Publishes the dead letters and waits for Kafka's acknowledgements.
     *
     * <p>Retried (SmallRye Fault Tolerance): the serializer registers the dead-letter schema and its references with
     * the registry on first use, and a producer registering shared referenced types at the same moment can make that
     * fail once. A retry may re-send dead letters already acknowledged: the topic is at-least-once, by event id.
     *
     * @throws TargetException TRANSIENT when Kafka did not take them: the batch must not be committed
     */
    @Retry(maxRetries = 5, delay = 500, jitter = 200)
    public void publish(List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (DeadLetter deadLetter : deadLetters) {
            SyncDeadLetter record = deadLetter.record();
            LOG.warnf(
                    "dead-lettering %s-%d@%d (event %s): %s %s",
                    record.getSourceRef().getTopic(),
                    record.getSourceRef().getPartition(),
                    record.getSourceRef().getOffset(),
                    record.getEventId(),
                    record.getErrorClass(),
                    record.getReason());
            sends.add(producer.send(
                    new ProducerRecord<>(CommerceTopic.SYNC_DLQ.topicName(), record.getSourceKey(), record)));
        }
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            // The broker is away: the batch waits for it like for any other infrastructure (BatchProcessor).
            throw TargetException.of(ErrorClass.TRANSIENT, "dead letters were not acknowledged by Kafka", null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        }
        deadLetters.forEach(d -> metrics.deadLettered(d.failure().errorClass()));
    }

    @PreDestroy
    void close() {
        producer.close();
    }

    /** A dead-letter record and the failure it reports. */
    public record DeadLetter(SyncDeadLetter record, TargetException failure) {}
}
