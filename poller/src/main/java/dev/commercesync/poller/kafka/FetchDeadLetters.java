package dev.commercesync.poller.kafka;

import dev.commercesync.poller.kafka.RawPublisher.NotStoredException;
import dev.commercesync.schemas.envelope.FetchDeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Produces fetch requests the poller cannot serve to {@code commerce.fetch-dlq.v1} (channel {@code fetch-dlq-out}:
 * acks=all, idempotent producer) and returns only once Kafka acknowledged them: a request is acknowledged after its
 * dead letter is stored, never acknowledged and forgotten.
 */
@ApplicationScoped
public class FetchDeadLetters {
    private final Emitter<FetchDeadLetter> emitter;
    private final MeterRegistry meters;

    public FetchDeadLetters(@Channel("fetch-dlq-out") Emitter<FetchDeadLetter> emitter, MeterRegistry meters) {
        this.emitter = emitter;
        this.meters = meters;
    }

    /** @param key platform/store of the request (null when it could not be decoded) */
    public void publish(String key, FetchDeadLetter deadLetter, Duration timeout) throws NotStoredException {
        RawPublisher.sendAll(emitter, key, List.of(deadLetter), timeout);
        meters.counter(
                        "commercesync.poller.fetch.dead.lettered",
                        "error_class",
                        deadLetter.getErrorClass().name().toLowerCase(Locale.ROOT))
                .increment();
    }
}
