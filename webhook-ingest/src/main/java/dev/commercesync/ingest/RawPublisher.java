package dev.commercesync.ingest;

import dev.commercesync.schemas.envelope.RawEnvelope;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Produces raw envelopes to {@code commerce.raw.v1} (channel {@code raw-out}: acks=all, idempotent producer) and
 * reports only once Kafka acknowledged the record. The connector's producer span is a child of the caller's span (the
 * webhook request) and its W3C trace context goes into the record's headers (docs/observability.md).
 */
@ApplicationScoped
public class RawPublisher {

    /** Kafka did not acknowledge in time, or refused the record: the webhook must be retried by the platform. */
    public static final class NotStoredException extends Exception {
        NotStoredException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Emitter<RawEnvelope> emitter;

    public RawPublisher(@Channel("raw-out") Emitter<RawEnvelope> emitter) {
        this.emitter = emitter;
    }

    /** Blocks until the broker acknowledged the record (all in-sync replicas), or fails after {@code timeout}. */
    public void publish(String key, RawEnvelope envelope, Duration timeout) throws NotStoredException {
        publishAcked(emitter, key, envelope, timeout);
    }

    /** Sends one record on an emitter's channel and waits for the broker's acknowledgement (also PrivacyPublisher). */
    static <T> void publishAcked(Emitter<T> emitter, String key, T value, Duration timeout) throws NotStoredException {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<T> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .build())
                // Explicitly the caller's context: the connector may send on another thread.
                .addMetadata(TracingMetadata.withCurrent(Context.current()))
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NotStoredException("Kafka did not acknowledge within " + timeout, e);
        } catch (ExecutionException e) {
            throw new NotStoredException(
                    "Kafka refused the record: " + e.getCause().getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotStoredException("interrupted while waiting for Kafka", e);
        } catch (RuntimeException e) {
            // The emitter refuses messages when its buffer is full or the channel failed.
            throw new NotStoredException(
                    "the Kafka channel refused the record: " + e.getClass().getSimpleName(), e);
        }
    }
}
