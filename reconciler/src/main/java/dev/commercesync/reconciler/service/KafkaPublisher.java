package dev.commercesync.reconciler.service;

import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
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
 * Produces repairs to {@code commerce.fetch-requests.v1} and findings to {@code commerce.reconciliation.v1}, both keyed
 * {@code platform/store}, and returns once Kafka acknowledged every record (a run reports only what is stored).
 */
@ApplicationScoped
public class KafkaPublisher {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<FetchRequest> fetchRequests;
    private final Emitter<ReconciliationFinding> findings;

    public KafkaPublisher(
            @Channel("fetch-requests-out") Emitter<FetchRequest> fetchRequests,
            @Channel("findings-out") Emitter<ReconciliationFinding> findings) {
        this.fetchRequests = fetchRequests;
        this.findings = findings;
    }

    public void publish(String key, List<FetchRequest> requests, List<ReconciliationFinding> found) {
        // The first record of each channel goes alone: concurrent first sends race to auto-register the schema with
        // the registry, and the losers fail serialization.
        if (!requests.isEmpty()) {
            await(List.of(send(fetchRequests, key, requests.get(0))));
        }
        if (!found.isEmpty()) {
            await(List.of(send(findings, key, found.get(0))));
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        requests.stream().skip(1).forEach(r -> acks.add(send(fetchRequests, key, r)));
        found.stream().skip(1).forEach(f -> acks.add(send(findings, key, f)));
        await(acks);
    }

    private static void await(List<CompletableFuture<Void>> acks) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not acknowledge the run's records: "
                            + e.getClass().getSimpleName(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    private static <T> CompletableFuture<Void> send(Emitter<T> emitter, String key, T value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
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
        return acked;
    }
}
