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
     * Asks the reconciler for one pass of a store now ({@code POST /reconciliation/run}, which answers when the pass
     * ended). Its scheduled passes are an hour apart per store: when its first one failed (the poller it asks was down
     * in an earlier scenario), it has no success to remember until one is asked for.
     */
    static void runReconciliation(String baseUrl, String authorization, String platform, String store)
            throws IOException, InterruptedException {
        String body = ChaosRun.JSON.writeValueAsString(Map.of("platform", platform, "store", store, "full", false));
        HttpResponse<String> response = ChaosRun.HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/reconciliation/run"))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        // The scheduler's own retry of a failed pass (PassSchedule) may run the same store's pass
                        // beside this one, both within the store's API budget: CI saw this pass take ~4.5 min.
                        .timeout(Duration.ofMinutes(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("reconciler run of " + platform + "/" + store + ": HTTP " + response.statusCode());
        }
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
