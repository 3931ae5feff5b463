package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synctl command send|status}: commands through the poller's REST endpoint (docs/commands.md). */
@Command(
        name = "command",
        mixinStandardHelpOptions = true,
        description = {
            "Send a command to a store, or show a command's status, through the poller's POST /commands and"
                    + " GET /commands/{id} (docs/commands.md). Needs the internal token (docs/auth.md)."
        },
        subcommands = {CommandCommand.Send.class, CommandCommand.Status.class})
final class CommandCommand {

    /** Where the poller is and the token it needs. */
    static final class PollerConnection {
        @Option(
                names = "--url",
                defaultValue = "${env:POLLER_URL:-http://127.0.0.1:8082}",
                description = "The poller's base URL (env POLLER_URL; default ${DEFAULT-VALUE}).")
        URI url;

        @Option(
                names = "--secrets-file",
                description = "Where the internal token is (property commercesync.internal.token), when the"
                        + " environment variable COMMERCESYNC_INTERNAL_TOKEN is not set; default: the local run's"
                        + " .synctl/local-secrets.properties.")
        Path secretsFile;

        /** Sends the request with the token; null (after saying why on {@code err}) when the poller is unreachable. */
        HttpResponse<String> send(HttpRequest.Builder request, PrintWriter err) {
            return ServiceCall.send(request, ServiceToken.INTERNAL, secretsFile, "the poller", url, err);
        }

        /** Reports a refusal (401/503 for the token, 400 for the command); true when the answer was one. */
        static boolean refused(HttpResponse<String> response, PrintWriter err) {
            return ServiceCall.refused(response, ServiceToken.INTERNAL, err);
        }
    }

    static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = {
                "Send one command: a JSON file in the plain shape of docs/commands.md (--file; - for stdin), or built"
                        + " from options (--platform, --store, --action). Options given override the file's fields.",
                "Prints the command id and its status URL. Exit codes: 0 accepted (202); 2 refused (invalid command,"
                        + " token) or the poller unreachable."
            })
    static final class Send implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PollerConnection poller;

        @Option(names = "--file", description = "The command as JSON (plain shape or Avro JSON); - reads stdin.")
        String file;

        @Option(names = "--platform", description = "Platform adapter name.")
        String platform;

        @Option(names = "--store", description = "Store identifier as the registry names it.")
        String store;

        @Option(
                names = "--action",
                description = "The action as JSON, e.g. '{\"type\": \"SetInventoryLevel\", \"item_id\": \"808950810\","
                        + " \"location_id\": \"655441491\", \"quantity\": 40}'.")
        String action;

        @Option(names = "--id", description = "The command_id (default: the file's, else a new UUID).")
        String id;

        @Option(
                names = "--deadline-in",
                converter = DurationArgument.class,
                description = "Deadline from now (15m, 1h) when the file names none; default 15m.")
        Duration deadlineIn;

        @Option(names = "--issuer", description = "Who sends it, for audit (default synctl).")
        String issuer;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ObjectNode body;
            if (file != null) {
                String text = file.equals("-")
                        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
                JsonNode parsed = parse(text);
                if (!parsed.isObject() || parsed.isEmpty()) {
                    err.println(file + " is not a JSON object");
                    return 2;
                }
                body = (ObjectNode) parsed;
            } else {
                body = Json.MAPPER.createObjectNode();
            }
            if (!body.has("metadata")) {
                put(body, "platform", platform);
                put(body, "store", store);
                put(body, "command_id", id);
                put(body, "issuer", issuer);
                if (action != null) {
                    JsonNode parsedAction = parse(action);
                    if (!parsedAction.isObject() || parsedAction.isEmpty()) {
                        err.println("--action is not a JSON object");
                        return 2;
                    }
                    body.set("action", parsedAction);
                }
                if (!body.hasNonNull("command_id")) {
                    body.put("command_id", UUID.randomUUID().toString());
                }
                if (!body.hasNonNull("issuer")) {
                    body.put("issuer", "synctl");
                }
                if (deadlineIn != null || !body.hasNonNull("deadline")) {
                    Duration in = deadlineIn != null ? deadlineIn : Duration.ofMinutes(15);
                    body.put("deadline", Instant.now().plus(in).toString());
                }
            }
            HttpResponse<String> response = poller.send(
                    HttpRequest.newBuilder(poller.url.resolve("/commands"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Json.encode(body))),
                    err);
            if (response == null || PollerConnection.refused(response, err)) {
                return 2;
            }
            if (response.statusCode() != 202) {
                err.println("unexpected answer HTTP " + response.statusCode());
                return 2;
            }
            JsonNode accepted = parse(response.body());
            out.printf(
                    "accepted %s (%s): %s%n",
                    accepted.path("command_id").asText(),
                    accepted.path("state").asText(),
                    response.headers().firstValue("Location").orElse(""));
            return 0;
        }

        private static void put(ObjectNode body, String field, String value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Show a command's journal state (GET /commands/{id}).",
                "Exit codes: 0 shown; 1 not in the journal (yet); 2 refused or the poller unreachable."
            })
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PollerConnection poller;

        @Parameters(index = "0", description = "The command_id.")
        String id;

        @Option(names = "--json", description = "Print the poller's JSON answer as is.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String path =
                    "/commands/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            HttpResponse<String> response =
                    poller.send(HttpRequest.newBuilder(poller.url.resolve(path)).GET(), err);
            if (response == null || PollerConnection.refused(response, err)) {
                return 2;
            }
            JsonNode status = parse(response.body());
            if (response.statusCode() == 404) {
                err.println(status.path("message").asText("command " + id + " is not in the journal"));
                return 1;
            }
            if (json) {
                out.println(status.toPrettyString());
                return 0;
            }
            out.printf(
                    "%s  %s  %s  %s%n",
                    status.path("command_id").asText(),
                    status.path("kind").asText(),
                    status.path("command_key").asText(),
                    status.path("state").asText());
            out.printf(
                    "attempts %d  deadline %s  received %s  completed %s  result published %s%n",
                    status.path("attempts").asInt(),
                    status.path("deadline").asText("-"),
                    status.path("received_at").asText("-"),
                    status.path("completed_at").asText("-"),
                    status.path("result_published").asBoolean());
            if (status.hasNonNull("reason") || status.hasNonNull("error")) {
                out.printf(
                        "reason %s  error %s: %s%n",
                        status.path("reason").asText("-"),
                        status.path("error_class").asText("-"),
                        status.path("error").asText("-"));
            }
            if (status.path("platform_request_ids").size() > 0) {
                out.println("platform request ids " + status.path("platform_request_ids"));
            }
            if (status.hasNonNull("resulting_state")) {
                out.println("resulting state " + status.path("resulting_state"));
            }
            return 0;
        }
    }
}
