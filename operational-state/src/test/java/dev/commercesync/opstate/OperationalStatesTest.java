package dev.commercesync.opstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What an error message looks like once stored (the SQL is tested by the services, on the real PostgreSQL). */
class OperationalStatesTest {

    @Test
    void aStoredMessageIsOneBoundedLineWithSecretLookingPartsMasked() {
        String stored = OperationalStates.safe("GET https://shop.example/wp-json/wc/v3/orders?consumer_key=ck_1"
                + "&consumer_secret=cs_2&page=3: HTTP 401\nAuthorization: Bearer abc.def " + "x".repeat(1000));

        assertFalse(stored.contains("ck_1") || stored.contains("cs_2") || stored.contains("abc.def"), stored);
        assertTrue(stored.contains("consumer_key=***&consumer_secret=***&page=3: HTTP 401"), stored);
        assertFalse(stored.contains("\n"));
        assertEquals(OperationalStates.MAX_ERROR_LENGTH, stored.length());
        assertEquals("(no message)", OperationalStates.safe(null));
    }

    /** A PostgreSQL outage never fails the work an outcome describes: the write is dropped, logged and counted. */
    @Test
    void aWriteWhilePostgresIsAwayIsCountedNotThrown() {
        AgroalDataSource away = (AgroalDataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {AgroalDataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("Connection refused (injected)");
                });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OperationalStates states = new OperationalStates(away, "poller", meters);
        OperationalStates.Subject subject = new OperationalStates.Subject("woocommerce", "s", "ORDER", Operation.POLL);

        states.succeeded(subject);
        states.failed(subject, ErrorClass.TRANSIENT, "HTTP 503", true);

        assertEquals(
                2.0,
                meters.get("commercesync.operational.state.write.failures")
                        .tag("operation", "poll")
                        .counter()
                        .count());
    }
}
