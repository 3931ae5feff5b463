package dev.commercesync.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chaos suite's check that a restarted poller or reconciler still answers the status it had. */
class StatusMemoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

    @Test
    void readsThePollersOperationsThatSucceeded() throws Exception {
        var body = JSON.readTree(
                """
                [{"platform": "shopify", "store": "a.myshopify.com", "operations": [
                   {"operation": "POLL", "entity_type": "ORDER", "last_success_at": "2026-12-07T09:00:00Z"},
                   {"operation": "SUBSCRIBE", "entity_type": null, "last_success_at": "2026-12-07T09:00:01Z"},
                   {"operation": "HYDRATE", "entity_type": "ORDER", "last_success_at": null}]}]
                """);
        assertEquals(
                Map.of(
                        "shopify/a.myshopify.com POLL ORDER",
                        T,
                        "shopify/a.myshopify.com SUBSCRIBE -",
                        T.plusSeconds(1)),
                StatusMemory.pollerSuccesses(body));
    }

    @Test
    void readsTheReconcilersPassesThatSucceeded() throws Exception {
        var body = JSON.readTree(
                """
                {"woocommerce/shop": {"ORDER": {"lastSuccessAt": "2026-12-07T09:00:00Z"},
                                      "PRODUCT": {"lastSuccessAt": null}}}
                """);
        assertEquals(Map.of("woocommerce/shop RECONCILE ORDER", T), StatusMemory.reconcilerSuccesses(body));
    }

    @Test
    void aSuccessAnsweredAgainOrLaterIsKept() {
        assertNull(StatusMemory.forgotten(
                "poller", Map.of("a", T, "b", T), Map.of("a", T, "b", T.plusSeconds(5), "c", T)));
    }

    @Test
    void aSuccessMissingOrOlderAfterTheRestartIsForgotten() {
        String missing = StatusMemory.forgotten("poller", Map.of("a", T, "b", T), Map.of("a", T));
        assertNotNull(missing);
        assertTrue(missing.startsWith("poller forgot 1 of 2"), missing);
        String older = StatusMemory.forgotten("reconciler", Map.of("a", T), Map.of("a", T.minusSeconds(1)));
        assertTrue(older.startsWith("reconciler forgot 1 of 1"), older);
    }

    @Test
    void nothingBeforeTheKillProvesNothing() {
        assertNotNull(StatusMemory.forgotten("poller", Map.of(), Map.of()));
    }
}
