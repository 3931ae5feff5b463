package dev.commercesync.syncwriter.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the outbox relay: DOWN while its engine is stopped on an error (until its restart); UP when running or
 * disabled here. {@link OutboxRelayLiveness} tells whether it keeps failing.
 */
@Readiness
@ApplicationScoped
public class OutboxRelayHealth implements HealthCheck {
    private final OutboxRelay relay;

    public OutboxRelayHealth(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        OutboxRelay.State state = relay.state();
        var response = HealthCheckResponse.named("Outbox relay")
                .status(state != OutboxRelay.State.FAILED)
                .withData("state", state.name());
        relay.failure().ifPresent(f -> response.withData("failure", f));
        return response.build();
    }
}
