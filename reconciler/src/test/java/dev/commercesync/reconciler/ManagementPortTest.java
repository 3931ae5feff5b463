package dev.commercesync.reconciler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.commercesync.devstack.DevStack;
import dev.commercesync.testsupport.DevStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented options of docs/auth.md, on a real service: health and metrics on their own port
 * ({@code quarkus.management.enabled=true}), and no internal token configured — the internal endpoints are then off
 * (503), never open, while the health probes still answer.
 *
 * <p>The one test profile left in the services' suites: {@code quarkus.management.enabled} and Micrometer's HTTP
 * binder are build-time properties, so only an application built with them shows their effect (test-support/README.md,
 * "No test profiles without need").
 */
@QuarkusTest
@TestProfile(ManagementPortTest.SeparatePortNoToken.class)
@WithTestResource(DevStackTestResource.class)
class ManagementPortTest {
    /** The profile and the test run in different class loaders: the port is shared through a system property. */
    static final int MANAGEMENT_PORT = managementPort();

    public static class SeparatePortNoToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.management.enabled", "true",
                    "quarkus.management.host", "127.0.0.1",
                    "quarkus.management.test-port", Integer.toString(managementPort()),
                    // Needed with the management interface (docs/auth.md): otherwise Micrometer registers its HTTP
                    // server meters for both servers with different tag keys and the second server never starts.
                    "quarkus.micrometer.binder.http-server.enabled", "false",
                    "commercesync.internal.token", "");
        }
    }

    static synchronized int managementPort() {
        String port = System.getProperty("commercesync.test.management-port");
        if (port == null) {
            try {
                port = Integer.toString(DevStack.freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty("commercesync.test.management-port", port);
        }
        return Integer.parseInt(port);
    }

    @Test
    void healthAndMetricsMoveToTheManagementPort() {
        given().port(MANAGEMENT_PORT).get("/q/health/ready").then().statusCode(200);
        given().port(MANAGEMENT_PORT).get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void withoutAnInternalTokenTheInternalEndpointsAreOffNeverOpen() {
        given().get("/reconciliation/stores").then().statusCode(503).body("error", equalTo("auth_not_configured"));
        given().port(MANAGEMENT_PORT)
                .get("/q/metrics")
                .then()
                .statusCode(503)
                .body("error", equalTo("auth_not_configured"));
    }
}
