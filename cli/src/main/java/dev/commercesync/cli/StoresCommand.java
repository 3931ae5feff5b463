package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code synctl stores ...}: the store registry through webhook-ingest's {@code /admin/stores} (add, list, rotate,
 * credentials, disable, enable; admin token) and each store's operational state through the poller's {@code GET /status/stores}
 * (status; internal token). Secrets are read from files or stdin, never from the command line, and never printed.
 */
@Command(
        name = "stores",
        mixinStandardHelpOptions = true,
        description = {
            "Manage the stores whose webhooks are accepted (webhook-ingest's /admin/stores, admin token) and see what"
                    + " each store's sync is doing (the poller's /status/stores, internal token; docs/auth.md)."
                    + " Secrets are read from a file or stdin (--webhook-secret-file -), never from the command line.",
            "Exit codes: 0 done; 1 the store does not exist; 2 refused (invalid input, a conflict, the token) or the"
                    + " service unreachable."
        },
        subcommands = {
            StoresCommand.Add.class,
            StoresCommand.ListStores.class,
            StoresCommand.Rotate.class,
            StoresCommand.Credentials.class,
            StoresCommand.Disable.class,
            StoresCommand.Enable.class,
            StoresCommand.Status.class
        })
final class StoresCommand {

    /** A call to {@code /admin/stores}, printing stores as a table. */
    abstract static class StoresCall extends MerchantCommand.AdminCall {
        @Override
        String basePath() {
            return "/admin/stores";
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            if (answer.isArray()) {
                printStores(answer, out);
            } else if (answer.has("store_id")) {
                printStores(Json.MAPPER.createArrayNode().add(answer), out);
            } else {
                out.println("done");
            }
        }

        /** A secret from a file, or stdin for "-", without its trailing line break. */
        static String secret(String file) throws IOException {
            String text = file.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
            return text.strip();
        }
    }

    /** One store of a platform, as the registry names it. */
    abstract static class OneStore extends StoresCall {
        @Option(names = "--platform", required = true, description = "Platform adapter name.")
        String platform;

        @Option(names = "--store", required = true, description = "Store identifier as the registry names it.")
        String store;

        String platformPath(String action) {
            return "/" + encode(platform) + "/" + action;
        }

        ObjectNode ref() {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("store_id", store);
            return body;
        }
    }

    static void printStores(JsonNode stores, PrintWriter out) {
        out.printf("%-14s %-40s %-17s %-11s %s%n", "PLATFORM", "STORE", "ENABLED", "API CREDS", "NAME");
        for (JsonNode s : stores) {
            out.printf(
                    "%-14s %-40s %-17s %-11s %s%n",
                    s.path("platform").asText(),
                    s.path("store_id").asText(),
                    // an uninstalled store says so: "NO (uninstalled)"
                    s.path("enabled").asBoolean()
                            ? "yes"
                            : s.hasNonNull("disabled_reason")
                                    ? "NO (" + s.path("disabled_reason").asText() + ")"
                                    : "NO",
                    s.path("has_api_credentials").asBoolean() ? "set" : "-",
                    s.path("display_name").asText(""));
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Register a store with its webhook secret and, optionally, API credentials and base URL.")
    static final class Add extends OneStore {
        @Option(
                names = "--webhook-secret-file",
                required = true,
                description = "File holding the webhook signing secret; - reads stdin.")
        String webhookSecretFile;

        @Option(
                names = "--api-credentials-file",
                description = "File holding the store's API credentials (the adapter's format); - reads stdin.")
        String apiCredentialsFile;

        @Option(names = "--api-base-url", description = "The store's API base URL (validated by webhook-ingest).")
        URI apiBaseUrl;

        @Option(names = "--name", description = "Display name.")
        String name;

        @Override
        public Integer call() throws IOException {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("platform", platform);
            body.put("store_id", store);
            if (name != null) {
                body.put("display_name", name);
            }
            if (apiBaseUrl != null) {
                body.put("api_base_url", apiBaseUrl.toString());
            }
            body.put("webhook_secret", secret(webhookSecretFile));
            if (apiCredentialsFile != null) {
                body.put("api_credentials", secret(apiCredentialsFile));
            }
            return call("POST", "", Map.of(), body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List stores (never their secrets).")
    static final class ListStores extends StoresCall {
        @Override
        public Integer call() {
            return call("GET", "", Map.of(), null);
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Rotate a store's webhook secret: the new one is current at once, the previous one stays"
                    + " valid for the grace period so deliveries signed before the switch still verify.")
    static final class Rotate extends OneStore {
        @Option(
                names = "--webhook-secret-file",
                required = true,
                description = "File holding the new webhook secret; - reads stdin.")
        String webhookSecretFile;

        @Option(
                names = "--grace",
                converter = DurationArgument.class,
                description = "How long the previous secret stays valid (24h, PT30M; default 24h, at most what"
                        + " webhook-ingest allows).")
        Duration grace;

        @Override
        public Integer call() throws IOException {
            ObjectNode body = ref();
            body.put("webhook_secret", secret(webhookSecretFile));
            if (grace != null) {
                body.put("grace_period", grace.toString());
            }
            return call("POST", platformPath("secret-rotations"), Map.of(), body);
        }
    }

    @Command(
            name = "credentials",
            mixinStandardHelpOptions = true,
            description = {
                "Replace a store's API credentials (a revoked or expired token): the poller uses the new ones at its"
                        + " next call, so a store waiting for a person because its credentials were refused is polled"
                        + " again. Then retry the thin webhooks that could not be hydrated meanwhile: synctl"
                        + " quarantine list --error-class FETCH_FAILED, synctl quarantine retry <id>.",
                "The credentials are read from a prompt (not echoed) on a terminal, else from stdin: a token, or the"
                        + " adapter's JSON ({\"key\": ..., \"secret\": ...}). Never from the command line."
            })
    static final class Credentials extends StoresCall {
        @Parameters(index = "0", description = "Platform adapter name.")
        String platform;

        @Parameters(index = "1", description = "Store identifier as the registry names it.")
        String store;

        @Override
        public Integer call() throws IOException {
            String credentials = readCredentials();
            if (credentials.isEmpty()) {
                spec.commandLine().getErr().println("no API credentials given (a prompt or stdin)");
                return 2;
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("store_id", store);
            body.put("api_credentials", credentials);
            return call("POST", "/" + encode(platform) + "/api-credentials", Map.of(), body);
        }

        /** From a prompt without echo on a terminal; else stdin (a pipe, a file). */
        private String readCredentials() throws IOException {
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("API credentials of %s/%s: ", platform, store);
                return typed == null ? "" : new String(typed).strip();
            }
            return secret("-");
        }
    }

    @Command(
            name = "disable",
            mixinStandardHelpOptions = true,
            description = "Disable a store: its webhooks are answered 404 until it is enabled again.")
    static final class Disable extends OneStore {
        @Override
        public Integer call() {
            return call("POST", platformPath("disable"), Map.of(), ref());
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled store.")
    static final class Enable extends OneStore {
        @Override
        public Integer call() {
            return call("POST", platformPath("enable"), Map.of(), ref());
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Each store's sync: OK, RETRYING or NEEDS_ATTENTION (waiting for a person), stores that need"
                        + " attention first, and with --store every operation (poll, hydrate, subscribe, command) per"
                        + " entity type with its failure class, since when, and the last error. From the poller's"
                        + " operational state in PostgreSQL (docs/poller.md#operational-state).",
                "Exit codes: 0 every store OK; 1 some store is not OK (or --store names none); 2 the poller refused"
                        + " or is unreachable."
            })
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommandCommand.PollerConnection poller;

        @Option(names = "--platform", description = "Only this platform's stores.")
        String platform;

        @Option(names = "--store", description = "Only this store, with every operation.")
        String store;

        @Option(names = "--json", description = "Print the poller's JSON answer (filtered) as is.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HttpResponse<String> response = poller.send(
                    HttpRequest.newBuilder(poller.url.resolve("/status/stores")).GET(), err);
            if (response == null || CommandCommand.PollerConnection.refused(response, err)) {
                return 2;
            }
            JsonNode all = CommandCommand.parse(response.body());
            var shown = Json.MAPPER.createArrayNode();
            all.forEach(s -> {
                if ((platform == null || platform.equals(s.path("platform").asText()))
                        && (store == null || store.equals(s.path("store").asText()))) {
                    shown.add(s);
                }
            });
            List<JsonNode> sorted = new ArrayList<>();
            shown.forEach(sorted::add);
            sorted.sort(Comparator.comparingInt(StoresCommand::severity)
                    .reversed()
                    .thenComparing(s -> s.path("platform").asText())
                    .thenComparing(s -> s.path("store").asText()));
            if (json) {
                var array = Json.MAPPER.createArrayNode();
                sorted.forEach(array::add);
                out.println(array.toPrettyString());
            } else {
                printStatus(sorted, store != null, out);
            }
            if (store != null && sorted.isEmpty()) {
                err.println("no such store: " + store);
                return 1;
            }
            return sorted.stream().allMatch(s -> severity(s) == 0) ? 0 : 1;
        }
    }

    /** 2 waiting for a person, 1 retrying, 0 OK: needs attention first. */
    static int severity(JsonNode store) {
        if (store.path("waiting_for_person").asBoolean()
                || "NEEDS_ATTENTION".equals(store.path("state").asText())) {
            return 2;
        }
        return "OK".equals(store.path("state").asText()) ? 0 : 1;
    }

    static void printStatus(List<JsonNode> stores, boolean operations, PrintWriter out) {
        out.printf("%-16s %-14s %-40s %-8s %s%n", "STATE", "PLATFORM", "STORE", "ENABLED", "LAST ERROR");
        for (JsonNode s : stores) {
            JsonNode e = s.path("last_error");
            out.printf(
                    "%-16s %-14s %-40s %-8s %s%n",
                    s.path("state").asText(),
                    s.path("platform").asText(),
                    s.path("store").asText(),
                    s.path("enabled").asBoolean() ? "yes" : "NO",
                    e.isObject()
                            ? e.path("error_class").asText() + ": "
                                    + e.path("message").asText()
                            : "-");
            if (operations) {
                out.printf(
                        "  %-10s %-16s %-19s %-22s %-12s %s%n",
                        "OPERATION", "ENTITY", "STATE", "SINCE", "CLASS", "LAST ERROR");
                for (JsonNode op : s.path("operations")) {
                    out.printf(
                            "  %-10s %-16s %-19s %-22s %-12s %s%n",
                            op.path("operation").asText(),
                            op.path("entity_type").asText("-"),
                            op.path("state").asText(),
                            op.path("since").asText("-"),
                            op.path("error_class").asText("-"),
                            op.path("last_error").asText("-"));
                }
            }
        }
    }
}
