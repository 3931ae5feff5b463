package dev.commercesync.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every commerce-sync service proves on the real stack: it starts, its readiness includes a live check of the
 * Kafka broker, the health probes are open and everything else needs the internal bearer token (docs/auth.md). A
 * service's test extends this with {@code @QuarkusTest @WithTestResource(DevStackTestResource.class)}.
 */
public abstract class ServiceReadinessContract {
    /** The internal token every service's test profile sets ({@code %test.commercesync.internal.token}). */
    public static final String INTERNAL_TOKEN = "test-internal-token";

    /** The Authorization header value the tests send to internal endpoints. */
    public static final String INTERNAL_AUTH = "Bearer " + INTERNAL_TOKEN;

    /** The service's own internal endpoints (GET), besides metrics; each must refuse a request without the token. */
    protected List<String> internalPaths() {
        return List.of();
    }

    @Test
    void startsAndIsReadyAgainstTheRealBroker() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void exposesPrometheusMetricsToHoldersOfTheInternalToken() {
        given().header("Authorization", INTERNAL_AUTH).get("/q/metrics").then().statusCode(200);
    }

    @Test
    void healthProbesAreOpen() {
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready")) {
            given().get(path).then().statusCode(200);
        }
    }

    @Test
    void everythingElseRefusesRequestsWithoutTheInternalToken() {
        List<String> paths = new ArrayList<>(List.of("/q/metrics", "/no/such/path", "/q/health/../metrics"));
        paths.addAll(internalPaths());
        for (String path : paths) {
            given().urlEncodingEnabled(false)
                    .get(path)
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .body("error", equalTo("unauthorized"));
            given().header("Authorization", "Bearer not-" + INTERNAL_TOKEN)
                    .get(path)
                    .then()
                    .statusCode(401);
        }
    }
}
