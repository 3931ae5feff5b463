package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synctl privacy ...}: the platforms' privacy requests the sync-writer recorded (its {@code /privacy/requests},
 * internal token; docs/privacy.md): their status and deadline, and a data request's export.
 */
@Command(
        name = "privacy",
        mixinStandardHelpOptions = true,
        description = {
            "The privacy requests (a customer's redaction or data request, a shop's redaction; which webhooks carry"
                    + " them is the platform adapter's) the sync-writer recorded: status and deadline, and the export of a data request (docs/privacy.md).",
            "Exit codes: 0 done (list: none open past its deadline); 1 a request is overdue, or no such data request;"
                    + " 2 refused (the token) or the sync-writer unreachable."
        },
        subcommands = {PrivacyCommand.ListRequests.class, PrivacyCommand.Export.class})
final class PrivacyCommand {

    /** The sync-writer's address and the internal token. */
    abstract static class WriterCall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--url",
                defaultValue = "${env:SYNC_WRITER_URL:-http://127.0.0.1:8084}",
                description = "The sync-writer's base URL (env SYNC_WRITER_URL; default ${DEFAULT-VALUE}).")
        URI url;

        @Option(
                names = "--secrets-file",
                description = "Where the internal token is (property commercesync.internal.token), when the"
                        + " environment variable COMMERCESYNC_INTERNAL_TOKEN is not set; default: the local run's"
                        + " .synctl/local-secrets.properties.")
        Path secretsFile;

        /** The answer, or null after saying why on stderr (unreachable, refused). */
        HttpResponse<String> get(String pathAndQuery) {
            PrintWriter err = spec.commandLine().getErr();
            HttpResponse<String> response = ServiceCall.send(
                    HttpRequest.newBuilder(url.resolve(pathAndQuery)).GET(),
                    ServiceToken.INTERNAL,
                    secretsFile,
                    "the sync-writer",
                    url,
                    err);
            if (response == null || ServiceCall.refused(response, ServiceToken.INTERNAL, err)) {
                return null;
            }
            return response;
        }

        /** {@code ?a=1&b=2} of the name/value pairs whose value is set; empty when none is. */
        static String query(String... namesAndValues) {
            StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
            for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
                if (namesAndValues[i + 1] != null) {
                    query.add(
                            namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
                }
            }
            return query.toString();
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the requests, newest first: kind, status (RECEIVED, DONE), received, due, done.")
    static final class ListRequests extends WriterCall {
        @Option(names = "--platform", description = "Only this platform's requests.")
        String platform;

        @Option(names = "--store", description = "Only this store's requests.")
        String store;

        @Option(names = "--json", description = "Print the sync-writer's JSON answer as is.")
        boolean json;

        @Override
        public Integer call() {
            HttpResponse<String> response = get("/privacy/requests" + query("platform", platform, "store", store));
            if (response == null) {
                return 2;
            }
            JsonNode requests = CommandCommand.parse(response.body());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(requests.toPrettyString());
            } else {
                out.printf(
                        "%-22s %-32s %-8s %-24s %-24s %-24s %s%n",
                        "KIND", "STORE", "STATUS", "RECEIVED", "DUE", "DONE", "REQUEST");
                for (JsonNode r : requests) {
                    out.printf(
                            "%-22s %-32s %-8s %-24s %-24s %-24s %s%n",
                            r.path("kind").asText(),
                            r.path("platform").asText() + "/" + r.path("store").asText(),
                            r.path("overdue").asBoolean()
                                    ? "OVERDUE"
                                    : r.path("status").asText(),
                            r.path("received_at").asText(),
                            r.path("due_at").asText(),
                            r.path("done_at").asText("-"),
                            r.path("request_id").asText());
                }
            }
            for (JsonNode r : requests) {
                if (r.path("overdue").asBoolean()) {
                    return 1;
                }
            }
            return 0;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Print what the target holds of a data request's customer (JSON), to send to the merchant.")
    static final class Export extends WriterCall {
        @Option(names = "--request-id", required = true, description = "The data request's id (synctl privacy list).")
        String requestId;

        @Override
        public Integer call() {
            HttpResponse<String> response = get("/privacy/requests/export" + query("request_id", requestId));
            if (response == null) {
                return 2;
            }
            if (response.statusCode() == 404) {
                spec.commandLine().getErr().println("no customer data request " + requestId);
                return 1;
            }
            spec.commandLine()
                    .getOut()
                    .println(CommandCommand.parse(response.body()).toPrettyString());
            return 0;
        }
    }
}
