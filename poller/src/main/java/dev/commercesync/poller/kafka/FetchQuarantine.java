package dev.commercesync.poller.kafka;

import dev.commercesync.poller.kafka.RawPublisher.NotStoredException;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Produces the {@code FETCH_FAILED} quarantine records of thin webhooks the poller could not hydrate to {@code
 * commerce.quarantine.v1} (channel {@code quarantine-out}: acks=all, idempotent producer) and returns only once Kafka
 * acknowledged them, like {@link FetchDeadLetters}: the quarantine browser, {@code synctl quarantine} and the entity
 * trace show them, and a retry re-submits the thin webhook so that the normalizer asks for the fetch again.
 */
@ApplicationScoped
public class FetchQuarantine {
    private final Emitter<QuarantineRecord> emitter;
    private final MeterRegistry meters;

    public FetchQuarantine(@Channel("quarantine-out") Emitter<QuarantineRecord> emitter, MeterRegistry meters) {
        this.emitter = emitter;
        this.meters = meters;
    }

    /** @param key platform/store of the thin webhook */
    public void publish(String key, QuarantineRecord record, Duration timeout) throws NotStoredException {
        RawPublisher.sendAll(emitter, key, List.of(record), timeout);
        meters.counter("commercesync.poller.fetch.quarantined").increment();
    }
}
