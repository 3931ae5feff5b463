package dev.commercesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code synctl merchant ...}: merchants, their stores, physical source, SKU links and channel rules through
 * webhook-ingest's {@code /admin/merchants} (docs/webhook-ingest.md#merchants, docs/inventory.md).
 */
@Command(
        name = "merchant",
        mixinStandardHelpOptions = true,
        description = {
            "Manage merchants: the stores they own (their sales channels, which share one stock pool per SKU), where"
                    + " their physical stock comes from, SKU link overrides and channel rules, through webhook-ingest's"
                    + " /admin/merchants (docs/inventory.md#configuring-a-merchant). Needs the admin token"
                    + " (docs/auth.md).",
            "Exit codes: 0 done; 1 the merchant, store, link or rule does not exist; 2 refused (invalid input, a"
                    + " conflict, the token) or webhook-ingest unreachable."
        },
        subcommands = {
            MerchantCommand.Create.class,
            MerchantCommand.ListMerchants.class,
            MerchantCommand.Show.class,
            MerchantCommand.Delete.class,
            MerchantCommand.Attach.class,
            MerchantCommand.Detach.class,
            MerchantCommand.Physical.class,
            MerchantCommand.Link.class,
            MerchantCommand.Unlink.class,
            MerchantCommand.Rule.class
        })
final class MerchantCommand {

    /** Where webhook-ingest is and the admin token its {@code /admin/*} needs. */
    static final class IngestAdmin {
        @Option(
                names = "--url",
                defaultValue = "${env:WEBHOOK_INGEST_URL:-http://127.0.0.1:8080}",
                description = "webhook-ingest's base URL (env WEBHOOK_INGEST_URL; default ${DEFAULT-VALUE}).")
        URI url;

        @Option(
                names = "--secrets-file",
                description = "Where the admin token is (property commercesync.admin.token), when the environment"
                        + " variable COMMERCESYNC_ADMIN_TOKEN is not set; default: the local run's"
                        + " .synctl/local-secrets.properties.")
        Path secretsFile;
    }

    /** One of the merchant's stores, as the store registry names it. */
    static final class StoreOptions {
        @Option(names = "--platform", required = true, description = "Platform adapter name.")
        String platform;

        @Option(names = "--store", required = true, description = "Store identifier as the registry names it.")
        String store;
    }

    /**
     * A call to webhook-ingest's admin API (by default {@code /admin/merchants}; {@code synctl stores} uses it for
     * {@code /admin/stores}): sends it, prints the answer, returns the exit code.
     */
    abstract static class AdminCall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        IngestAdmin ingest;

        @Option(names = "--json", description = "Print webhook-ingest's JSON answer as is.")
        boolean json;

        /**
         * @param path under /admin/merchants, e.g. "/acme/stores"
         * @param query query parameters (values URL-encoded here)
         * @param body null: none
         */
        int call(String method, String path, Map<String, String> query, ObjectNode body) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String queryString = query.isEmpty()
                    ? ""
                    : query.entrySet().stream()
                            .map(e -> e.getKey() + "=" + encode(e.getValue()))
                            .collect(Collectors.joining("&", "?", ""));
            HttpRequest.Builder request = HttpRequest.newBuilder(ingest.url.resolve(basePath() + path + queryString))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(Json.encode(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = ServiceCall.send(
                    request, ServiceToken.ADMIN, ingest.secretsFile, "webhook-ingest", ingest.url, err);
            if (response == null || ServiceCall.refused(response, ServiceToken.ADMIN, err)) {
                return 2;
            }
            JsonNode answer = CommandCommand.parse(response.body());
            if (response.statusCode() == 404) {
                err.println(answer.path("message").asText("not found"));
                return 1;
            }
            if (response.statusCode() >= 300) {
                err.println("unexpected answer HTTP " + response.statusCode());
                return 2;
            }
            if (json) {
                out.println(answer.toPrettyString());
            } else {
                print(answer, out);
            }
            return 0;
        }

        /** The admin API's collection this call is under. */
        String basePath() {
            return "/admin/merchants";
        }

        /** The answer for a person (without {@code --json}). */
        void print(JsonNode answer, PrintWriter out) {
            if (answer.isArray()) {
                printList(answer, out);
            } else if (answer.has("id")) {
                printMerchant(answer, out);
            } else {
                out.println("done");
            }
        }

        static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    /** A call about one merchant. */
    abstract static class MerchantCall extends AdminCall {
        @Parameters(index = "0", description = "Merchant id.")
        String id;

        /** @param sub under the merchant, e.g. "/stores" */
        String path(String sub) {
            return "/" + encode(id) + sub;
        }
    }

    /** A call about one of the merchant's stores. */
    abstract static class StoreCall extends MerchantCall {
        @Mixin
        StoreOptions store;

        ObjectNode storeBody() {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("platform", store.platform);
            body.put("store_id", store.store);
            return body;
        }

        Map<String, String> storeQuery() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("platform", store.platform);
            query.put("store_id", store.store);
            return query;
        }
    }

    static void printList(JsonNode merchants, PrintWriter out) {
        out.printf("%-24s %6s %6s %-8s %s%n", "MERCHANT", "STORES", "LINKS", "PHYSICAL", "NAME");
        for (JsonNode m : merchants) {
            out.printf(
                    "%-24s %6d %6d %-8s %s%n",
                    m.path("id").asText(),
                    m.path("store_count").asInt(),
                    m.path("link_count").asInt(),
                    m.path("has_physical_source").asBoolean() ? "set" : "-",
                    m.path("display_name").asText(""));
        }
    }

    static void printMerchant(JsonNode m, PrintWriter out) {
        out.printf(
                "merchant %s%s  (updated %s)%n",
                m.path("id").asText(),
                m.hasNonNull("display_name") ? " \"" + m.path("display_name").asText() + "\"" : "",
                m.path("updated_at").asText("-"));
        JsonNode physical = m.path("physical");
        out.println(
                physical.isObject()
                        ? "physical stock: " + physical.path("platform").asText() + "/"
                                + physical.path("store_id").asText() + "  "
                                + physical.path("mode").asText()
                                + (physical.hasNonNull("location_id")
                                        ? " at location "
                                                + physical.path("location_id").asText()
                                        : "")
                        : "physical stock: no source set");
        out.println("stores:" + (m.path("stores").isEmpty() ? " none" : ""));
        for (JsonNode s : m.path("stores")) {
            out.printf(
                    "  %s/%s  %s%n",
                    s.path("platform").asText(), s.path("store_id").asText(), rule(s.path("rule")));
        }
        out.println("SKU links:" + (m.path("links").isEmpty() ? " none (items are pooled by their SKU)" : ""));
        for (JsonNode l : m.path("links")) {
            out.printf(
                    "  %s/%s  item %s -> pool SKU %s%n",
                    l.path("platform").asText(),
                    l.path("store_id").asText(),
                    l.path("item_id").asText(),
                    l.path("pool_sku").asText());
        }
    }

    private static String rule(JsonNode rule) {
        if (!rule.isObject()) {
            return "no rule (lists the pool's available as it is)";
        }
        return "rule: buffer " + rule.path("safety_buffer").asLong()
                + ", zero at "
                + (rule.hasNonNull("zero_at") ? rule.path("zero_at").asText() : "-")
                + ", " + rule.path("percentage").asInt() + "%"
                + ", max "
                + (rule.hasNonNull("max_listed") ? rule.path("max_listed").asText() : "-")
                + (rule.hasNonNull("location_id")
                        ? ", location " + rule.path("location_id").asText()
                        : "");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a merchant.")
    static final class Create extends AdminCall {
        @Parameters(index = "0", description = "Merchant id: 1-63 of a-z, 0-9 and '-', not starting with '-'.")
        String id;

        @Option(names = "--name", description = "Display name.")
        String name;

        @Override
        public Integer call() {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("id", id);
            if (name != null) {
                body.put("display_name", name);
            }
            return call("POST", "", Map.of(), body);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List merchants.")
    static final class ListMerchants extends AdminCall {
        @Override
        public Integer call() {
            return call("GET", "", Map.of(), null);
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a merchant: its stores and their rules, physical source and SKU links.")
    static final class Show extends MerchantCall {
        @Override
        public Integer call() {
            return call("GET", path(""), Map.of(), null);
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a merchant that has no stores left.")
    static final class Delete extends MerchantCall {
        @Override
        public Integer call() {
            return call("DELETE", path(""), Map.of(), null);
        }
    }

    @Command(
            name = "attach",
            mixinStandardHelpOptions = true,
            description = "Attach a registered store to the merchant (a store belongs to one merchant at most).")
    static final class Attach extends StoreCall {
        @Override
        public Integer call() {
            return call("POST", path("/stores"), Map.of(), storeBody());
        }
    }

    @Command(
            name = "detach",
            mixinStandardHelpOptions = true,
            description = "Detach a store from the merchant; its SKU links and channel rule go with it.")
    static final class Detach extends StoreCall {
        @Override
        public Integer call() {
            return call("DELETE", path("/stores"), storeQuery(), null);
        }
    }

    @Command(
            name = "physical",
            mixinStandardHelpOptions = true,
            description = {
                "Designate the store whose stock is the merchant's physical on-hand stock: its level at --location"
                        + " (or its only level) with --mode location, the sum over its locations with --mode"
                        + " sum_of_locations. --clear: no store is the source any more."
            })
    static final class Physical extends MerchantCall {
        enum Mode {
            LOCATION,
            SUM_OF_LOCATIONS
        }

        @Option(names = "--platform", description = "Platform adapter name.")
        String platform;

        @Option(names = "--store", description = "Store identifier as the registry names it.")
        String store;

        @Option(names = "--mode", description = "${COMPLETION-CANDIDATES} (default LOCATION).")
        Mode mode;

        @Option(names = "--location", description = "The location (mode location); default: the store's only one.")
        String location;

        @Option(names = "--clear", description = "No store is the source of physical stock any more.")
        boolean clear;

        @Override
        public Integer call() {
            if (clear) {
                return call("DELETE", path("/physical"), Map.of(), null);
            }
            if (platform == null || store == null) {
                spec.commandLine().getErr().println("--platform and --store are required (or --clear)");
                return 2;
            }
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("platform", platform);
            body.put("store_id", store);
            if (mode != null) {
                body.put("mode", mode.name());
            }
            if (location != null) {
                body.put("location_id", location);
            }
            return call("PUT", path("/physical"), Map.of(), body);
        }
    }

    @Command(
            name = "link",
            mixinStandardHelpOptions = true,
            description = "Pool one item of one of the merchant's stores under another SKU than its own.")
    static final class Link extends StoreCall {
        @Option(
                names = "--item",
                required = true,
                description = "The item as SetInventoryLevel.item_id names it (docs/commands.md).")
        String item;

        @Option(names = "--sku", required = true, description = "The pool SKU its stock belongs to.")
        String sku;

        @Override
        public Integer call() {
            ObjectNode body = storeBody();
            body.put("item_id", item);
            body.put("pool_sku", sku);
            return call("PUT", path("/links"), Map.of(), body);
        }
    }

    @Command(
            name = "unlink",
            mixinStandardHelpOptions = true,
            description = "Remove an item's link: it is pooled by its own SKU again.")
    static final class Unlink extends StoreCall {
        @Option(names = "--item", required = true, description = "The linked item.")
        String item;

        @Override
        public Integer call() {
            Map<String, String> query = storeQuery();
            query.put("item_id", item);
            return call("DELETE", path("/links"), query, null);
        }
    }

    @Command(
            name = "rule",
            mixinStandardHelpOptions = true,
            description = {
                "Set (replace) a channel's rule, or remove it with --delete. listed = available - buffer; 0 when"
                        + " available <= zero-at; floor(listed * percentage / 100); at most max; never below 0."
                        + " Options not given take the defaults: buffer 0, percentage 100, no zero-at, no max."
            })
    static final class Rule extends StoreCall {
        @Option(names = "--buffer", description = "Safety buffer: units held back from this channel.")
        Long buffer;

        @Option(names = "--zero-at", description = "List 0 when the pool's available is at or below this.")
        Long zeroAt;

        @Option(names = "--percentage", description = "Share of the rest listed, 0-100.")
        Integer percentage;

        @Option(names = "--max", description = "At most this many listed.")
        Long max;

        @Option(names = "--location", description = "The location this channel's writes go to.")
        String location;

        @Option(names = "--delete", description = "Remove the rule: the channel lists the pool's available as is.")
        boolean delete;

        @Override
        public Integer call() {
            if (delete) {
                return call("DELETE", path("/rules"), storeQuery(), null);
            }
            ObjectNode body = storeBody();
            putIfSet(body, "safety_buffer", buffer);
            putIfSet(body, "zero_at", zeroAt);
            putIfSet(body, "percentage", percentage == null ? null : percentage.longValue());
            putIfSet(body, "max_listed", max);
            if (location != null) {
                body.put("location_id", location);
            }
            return call("PUT", path("/rules"), Map.of(), body);
        }

        private static void putIfSet(ObjectNode body, String field, Long value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }
}
