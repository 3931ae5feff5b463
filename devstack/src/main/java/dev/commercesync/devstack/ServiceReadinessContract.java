package dev.commercesync.devstack;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

/**
 * What every commerce-sync service proves on the real stack: it starts, and its readiness includes a live check of the
 * Kafka broker. A service's test extends this with {@code @QuarkusTest @WithTestResource(DevStackTestResource.class)}.
 */
public abstract class ServiceReadinessContract {

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
    void exposesPrometheusMetrics() {
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
