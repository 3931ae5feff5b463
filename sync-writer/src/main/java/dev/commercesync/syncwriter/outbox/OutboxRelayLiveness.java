package dev.commercesync.syncwriter.outbox;

import dev.commercesync.syncwriter.SyncWriterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the outbox relay: DOWN when it has kept failing (restarting without relaying) for longer than
 * {@code syncwriter.outbox.unhealthy-after}. It restarts itself meanwhile; this is for the case it never recovers.
 */
@Liveness
@ApplicationScoped
public class OutboxRelayLiveness implements HealthCheck {
    private final OutboxRelay relay;
    private final Duration unhealthyAfter;

    public OutboxRelayLiveness(OutboxRelay relay, SyncWriterConfig config) {
        this.relay = relay;
        this.unhealthyAfter = config.outbox().unhealthyAfter();
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Outbox relay")
                .withData("state", relay.state().name());
        var since = relay.failingSince();
        if (since.isEmpty()) {
            return response.up().build();
        }
        Duration failing = Duration.between(since.get(), Instant.now());
        response.status(failing.compareTo(unhealthyAfter) <= 0).withData("failing-seconds", failing.toSeconds());
        relay.failure().ifPresent(f -> response.withData("failure", f));
        return response.build();
    }
}
