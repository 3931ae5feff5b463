package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description = {
            "Run a reconciliation pass of one store now (the reconciler's POST /reconciliation/run) and print the"
                    + " findings, the repairs requested and the platform API calls spent.",
            "Exit codes: 0 no drift; 1 drift found (repairs were requested); 2 bad arguments, reconciler unreachable,"
                    + " or the pass failed."
        })
final class ReconcileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--platform",
            required = true,
            description = "Platform adapter name, as the store was registered with.")
    String platform;

    @Option(names = "--store", required = true, description = "Store identifier as the registry names it.")
    String store;

    @Option(
            names = "--entity",
            description =
                    "One entity type (order, product, customer, ...); default: the reconciler's configured types.")
    String entity;

    @Option(names = "--full", description = "List every bucket instead of comparing counts (finds what counts hide).")
    boolean full;

    @Option(
            names = "--url",
            defaultValue = "${env:RECONCILER_URL:-http://127.0.0.1:8085}",
            description = "The reconciler's base URL (env RECONCILER_URL; default ${DEFAULT-VALUE}).")
    URI url;

    @Option(
            names = "--secrets-file",
            description = "Where the internal token is (property commercesync.internal.token), when the environment"
                    + " variable COMMERCESYNC_INTERNAL_TOKEN is not set; default: the local run's"
                    + " .synctl/local-secrets.properties.")
    Path secretsFile;

    @Option(names = "--json", description = "Print the reconciler's JSON report as is.")
    boolean json;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for the pass (default 600).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("platform", platform);
        body.put("store", store);
        if (entity != null) {
            body.put("entity_type", entity);
        }
        body.put("full", full);
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/reconciliation/run"))
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .header("Content-Type", "application/json");
        InternalToken.find(secretsFile).ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            request.POST(HttpRequest.BodyPublishers.ofString(Json.encode(body)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("cannot reach the reconciler at " + url + ": "
                    + e.getClass().getSimpleName());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        JsonNode report;
        try {
            report = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            err.println("the reconciler answered HTTP " + response.statusCode() + " without JSON");
            return 2;
        }
        if (response.statusCode() == 401
                || response.statusCode() == 503 && report.has("error") && !report.has("types")) {
            err.println("refused (HTTP " + response.statusCode() + ", "
                    + report.path("error").asText()
                    + "): set COMMERCESYNC_INTERNAL_TOKEN or --secrets-file (docs/auth.md)");
            return 2;
        }
        if (response.statusCode() == 400 || response.statusCode() == 404) {
            err.println("rejected: " + report.path("error").asText());
            return 2;
        }
        if (json) {
            out.println(report.toPrettyString());
        } else {
            print(report, out);
        }
        if (response.statusCode() != 200) {
            err.println("the pass failed (HTTP " + response.statusCode() + ")");
            return 2;
        }
        boolean drift = false;
        for (JsonNode type : report.path("types")) {
            drift |= type.path("findings").size() > 0;
        }
        return drift ? 1 : 0;
    }

    private static void print(JsonNode report, PrintWriter out) {
        out.printf(
                "run %s  %s/%s  %s  window %s .. %s%n",
                report.path("run_id").asText(),
                report.path("platform").asText(),
                report.path("store").asText(),
                report.path("full").asBoolean() ? "full" : "by counts",
                report.path("window_from").asText(),
                report.path("window_to").asText());
        for (JsonNode type : report.path("types")) {
            out.printf(
                    "%n%s: %d findings, %d platform API calls (%d counts, %d list pages), %d buckets compared,"
                            + " %d listed, %d fetch requests, %d repairs verified%n",
                    type.path("entity_type").asText(),
                    type.path("findings").size(),
                    type.path("api_calls").asInt(),
                    type.path("count_calls").asInt(),
                    type.path("list_calls").asInt(),
                    type.path("buckets_compared").asInt(),
                    type.path("buckets_listed").asInt(),
                    type.path("fetch_requests").asInt(),
                    type.path("verified_repairs").asInt());
            if (type.hasNonNull("error")) {
                out.println("  error: " + type.path("error").asText());
            }
            for (JsonNode f : type.path("findings")) {
                out.printf(
                        "  %-9s %-24s %-27s platform %-24s target %-24s passes %d%n",
                        f.path("kind").asText(),
                        f.path("entity_id").asText(),
                        f.path("repair").asText(),
                        f.path("platform_updated_at").asText("-"),
                        f.path("target_updated_at").asText("-"),
                        f.path("consecutive_passes").asInt());
            }
        }
        out.printf("%ntotal platform API calls: %d%n", report.path("api_calls").asInt());
    }
}
