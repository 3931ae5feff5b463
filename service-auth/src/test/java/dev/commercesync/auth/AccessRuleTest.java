package dev.commercesync.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commercesync.auth.AccessRule.Decision;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessRuleTest {
    private final AccessRule configured = new AccessRule(Optional.of("admin-secret"), Optional.of("internal-secret"));
    private final AccessRule unconfigured = new AccessRule(Optional.empty(), Optional.of("  "));

    @Test
    void healthAndWebhooksAreOpen() {
        for (AccessRule rule : new AccessRule[] {configured, unconfigured}) {
            assertEquals(Decision.ALLOW, rule.decide("/q/health", null));
            assertEquals(Decision.ALLOW, rule.decide("/q/health/ready", null));
            assertEquals(Decision.ALLOW, rule.decide("/webhooks/shopify", null));
        }
    }

    @Test
    void everythingElseNeedsTheInternalToken() {
        for (String path : new String[] {
            "/status/stores", "/platform-view/shopify/count", "/reconciliation/run", "/q/metrics", "/q/openapi",
            "/", "/nosuch", "/q/healthz", "/webhooksx", "/q/health-ui"
        }) {
            assertEquals(Decision.UNAUTHORIZED, configured.decide(path, null), path);
            assertEquals(Decision.UNAUTHORIZED, configured.decide(path, "Bearer wrong"), path);
            assertEquals(Decision.UNAUTHORIZED, configured.decide(path, "Bearer admin-secret"), path);
            assertEquals(Decision.UNAUTHORIZED, configured.decide(path, "Basic internal-secret"), path);
            assertEquals(Decision.ALLOW, configured.decide(path, "Bearer internal-secret"), path);
            assertEquals(Decision.ALLOW, configured.decide(path, "bearer  internal-secret "), path);
        }
    }

    @Test
    void theAdminApiNeedsTheAdminToken() {
        assertEquals(Decision.ALLOW, configured.decide("/admin/stores", "Bearer admin-secret"));
        assertEquals(Decision.UNAUTHORIZED, configured.decide("/admin/stores", "Bearer internal-secret"));
        assertEquals(Decision.UNAUTHORIZED, configured.decide("/admin", null));
    }

    @Test
    void withoutAConfiguredTokenTheEndpointIsOffNeverOpen() {
        assertEquals(Decision.NOT_CONFIGURED, unconfigured.decide("/admin/stores", "Bearer "));
        assertEquals(Decision.NOT_CONFIGURED, unconfigured.decide("/status/stores", null));
        assertEquals(Decision.NOT_CONFIGURED, unconfigured.decide("/q/metrics", "Bearer   "));
    }
}
