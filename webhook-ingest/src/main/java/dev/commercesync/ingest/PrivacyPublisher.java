package dev.commercesync.ingest;

import dev.commercesync.schemas.envelope.PrivacyRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Produces platforms' privacy requests to {@code commerce.privacy.v1} (channel {@code privacy-out}: acks=all, idempotent
 * producer), keyed by platform/store, and reports only once Kafka acknowledged the record (docs/privacy.md).
 */
@ApplicationScoped
public class PrivacyPublisher {
    private final Emitter<PrivacyRequest> emitter;

    public PrivacyPublisher(@Channel("privacy-out") Emitter<PrivacyRequest> emitter) {
        this.emitter = emitter;
    }

    public void publish(String key, PrivacyRequest request, Duration timeout) throws RawPublisher.NotStoredException {
        RawPublisher.publishAcked(emitter, key, request, timeout);
    }
}
