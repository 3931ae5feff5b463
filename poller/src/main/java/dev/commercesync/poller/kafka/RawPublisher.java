package dev.commercesync.poller.kafka;

import dev.commercesync.schemas.envelope.RawEnvelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Produces raw envelopes to {@code commerce.raw.v1} (channel {@code raw-out}: acks=all, idempotent producer) and
 * returns only once Kafka acknowledged every one of them, so a checkpoint is never advanced past an unstored record.
 */
@ApplicationScoped
public class RawPublisher {

    /** Kafka did not acknowledge every record in time, or refused one. Nothing may be considered stored. */
    public static final class NotStoredException extends Exception {
        public NotStoredException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Emitter<RawEnvelope> emitter;
    private final MeterRegistry meters;

    public RawPublisher(@Channel("raw-out") Emitter<RawEnvelope> emitter, MeterRegistry meters) {
        this.emitter = emitter;
        this.meters = meters;
    }

    /** Sends all envelopes under {@code key} (platform/store) and waits until Kafka acknowledged all of them. */
    public void publishAll(String key, List<RawEnvelope> envelopes, Duration timeout) throws NotStoredException {
        if (envelopes.isEmpty()) {
            return;
        }
        sendAll(emitter, key, envelopes, timeout);
        meters.counter(
                        "commercesync.poller.records.published",
                        "platform",
                        envelopes.get(0).getPlatform(),
                        "source",
                        envelopes.get(0).getSource().name().toLowerCase(java.util.Locale.ROOT))
                .increment(envelopes.size());
    }

    /** Sends all values under {@code key} on the emitter's channel and waits until Kafka acknowledged all of them. */
    public static <T> void sendAll(Emitter<T> emitter, String key, List<T> values, Duration timeout)
            throws NotStoredException {
        List<CompletableFuture<Void>> acks = new ArrayList<>(values.size());
        try {
            for (T value : values) {
                CompletableFuture<Void> acked = new CompletableFuture<>();
                acks.add(acked);
                emitter.send(Message.of(value)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(key)
                                .build())
                        .withAck(() -> {
                            acked.complete(null);
                            return CompletableFuture.completedFuture(null);
                        })
                        .withNack(failure -> {
                            acked.completeExceptionally(failure);
                            return CompletableFuture.completedFuture(null);
                        }));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NotStoredException(
                    "Kafka did not acknowledge " + values.size() + " records within " + timeout, e);
        } catch (ExecutionException e) {
            throw new NotStoredException(
                    "Kafka refused a record: " + e.getCause().getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotStoredException("interrupted while waiting for Kafka", e);
        } catch (RuntimeException e) {
            // The emitter refuses messages when its buffer is full or the channel failed.
            throw new NotStoredException(
                    "the Kafka channel refused a record: " + e.getClass().getSimpleName(), e);
        }
    }
}
