package dev.commercesync.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What a service answers about its stores' operations before it is killed, compared with what the restarted service
 * answers: every operation that had succeeded must still show that success (or a later one). The poller's {@code GET
 * /status/stores} and the reconciler's {@code GET /reconciliation/stores} are read from PostgreSQL (docs/poller.md,
 * docs/reconciler.md); a status held in memory would come back empty.
 */
final class StatusMemory {
    /** The services whose status must survive their restart, and the path that answers it. */
    static final Map<String, String> STATUS_PATHS =
            Map.of("poller", "/status/stores", "reconciler", "/reconciliation/stores");

    /** How often a wait for a first success reads the service's status. */
    private static final Duration POLL_EVERY = Duration.ofSeconds(5);

    private StatusMemory() {}

    /** Per operation (store, entity type, operation), its last success, from the service's status endpoint. */
    static Map<String, Instant> lastSuccesses(String module, String baseUrl, String authorization)
            throws IOException, InterruptedException {
        HttpResponse<String> response = ChaosRun.HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + STATUS_PATHS.get(module)))
                        .header("Authorization", authorization)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(module + " status: HTTP " + response.statusCode());
        }
        JsonNode body = ChaosRun.JSON.readTree(response.body());
        return module.equals("poller") ? pollerSuccesses(body) : reconcilerSuccesses(body);
    }

    /**
     * The service's successes, once it has at least one: a kill that finds nothing to remember proves nothing, so a
     * service with no success yet (the reconciler whose first pass failed while an earlier scenario had the poller
     * down) is given until {@code timeout} for its own retry to work. Asking for a pass instead would run it beside
     * the scheduler's retry, both paced by the same store's API budget.
     *
     * @throws IllegalStateException when none succeeded within {@code timeout}
     */
    static Map<String, Instant> awaitFirstSuccess(
            String module, String baseUrl, String authorization, Duration timeout, Consumer<String> out)
            throws IOException, InterruptedException {
        Map<String, Instant> successes = lastSuccesses(module, baseUrl, authorization);
        if (!successes.isEmpty()) {
            return successes;
        }
        out.accept(module + " has no successful operation yet; waiting up to " + timeout.toMinutes()
                + " min for its scheduled retry to work ...");
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = null;
        while (successes.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_EVERY.toMillis());
            try {
                successes = lastSuccesses(module, baseUrl, authorization);
                lastError = null;
            } catch (IOException e) {
                lastError = e.getMessage();
            }
        }
        if (successes.isEmpty()) {
            throw new IllegalStateException(module + " had no successful operation within " + timeout
                    + (lastError == null ? "" : " (last status read: " + lastError + ")")
                    + ": nothing it could forget across a kill");
        }
        out.accept(module + " has " + successes.size() + " successful operations");
        return successes;
    }

    /** {@code [{"platform", "store", "operations": [{"operation", "entity_type", "last_success_at"}]}]}. */
    static Map<String, Instant> pollerSuccesses(JsonNode stores) {
        Map<String, Instant> successes = new TreeMap<>();
        for (JsonNode store : stores) {
            for (JsonNode op : store.path("operations")) {
                if (op.hasNonNull("last_success_at")) {
                    successes.put(
                            store.path("platform").asText() + "/"
                                    + store.path("store").asText() + " "
                                    + op.path("operation").asText() + " "
                                    + op.path("entity_type").asText("-"),
                            Instant.parse(op.path("last_success_at").asText()));
                }
            }
        }
        return successes;
    }

    /** {@code {"<platform>/<store>": {"<TYPE>": {"lastSuccessAt"}}}}. */
    static Map<String, Instant> reconcilerSuccesses(JsonNode summaries) {
        Map<String, Instant> successes = new TreeMap<>();
        summaries.fields().forEachRemaining(store -> store.getValue().fields().forEachRemaining(type -> {
            if (type.getValue().hasNonNull("lastSuccessAt")) {
                successes.put(
                        store.getKey() + " RECONCILE " + type.getKey(),
                        Instant.parse(type.getValue().path("lastSuccessAt").asText()));
            }
        }));
        return successes;
    }

    /**
     * Null when every success {@code before} the restart is answered after it (the same instant or a later one), else
     * what was forgotten.
     */
    static String forgotten(String module, Map<String, Instant> before, Map<String, Instant> after) {
        if (before.isEmpty()) {
            return module + " answered no successful operation before the kill: nothing to show it keeps";
        }
        List<String> lost = new ArrayList<>();
        before.forEach((op, at) -> {
            Instant now = after.get(op);
            if (now == null || now.isBefore(at)) {
                lost.add(op + " (last success " + at + ", after the restart " + now + ")");
            }
        });
        return lost.isEmpty()
                ? null
                : module + " forgot " + lost.size() + " of " + before.size() + " operations' status on restart, e.g. "
                        + lost.get(0);
    }
}
