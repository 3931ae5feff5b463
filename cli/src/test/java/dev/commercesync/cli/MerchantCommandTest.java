package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code synctl merchant ...} against a stand-in for webhook-ingest's {@code /admin/merchants}. */
class MerchantCommandTest {
    private static final String MERCHANT =
            """
            {"id": "acme", "display_name": "Acme",
             "physical": {"platform": "shopify", "store_id": "acme.myshopify.com", "mode": "LOCATION",
                          "location_id": "655441491"},
             "stores": [{"platform": "shopify", "store_id": "acme.myshopify.com",
                         "rule": {"safety_buffer": 2, "zero_at": 3, "percentage": 50, "max_listed": 40,
                                  "location_id": null}},
                        {"platform": "woocommerce", "store_id": "shop.example.com/wp", "rule": null}],
             "links": [{"platform": "woocommerce", "store_id": "shop.example.com/wp", "item_id": "41",
                        "pool_sku": "TSHIRT-RED-M"}],
             "created_at": "2026-12-06T20:00:00Z", "updated_at": "2026-12-06T21:00:00Z"}
            """;

    private StandInService ingest;
    private Path secrets;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        secrets = dir.resolve("local-secrets.properties");
        Files.writeString(secrets, "commercesync.admin.token=admin-tok\ncommercesync.internal.token=internal-tok\n");
        ingest = new StandInService("/admin/merchants", 200, MERCHANT);
    }

    @AfterEach
    void stop() {
        ingest.close();
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = Synctl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = ingest.url();
        all[args.length + 2] = "--secrets-file";
        all[args.length + 3] = secrets.toString();
        return cli.execute(all);
    }

    private int run(String... args) {
        return run(new StringWriter(), new StringWriter(), args);
    }

    /** Runs {@code words} (split at spaces) followed by {@code more}. */
    private int cli(String words, String... more) {
        String[] split = words.split(" ");
        String[] all = java.util.Arrays.copyOf(split, split.length + more.length);
        System.arraycopy(more, 0, all, split.length, more.length);
        return run(all);
    }

    private JsonNode sent() throws Exception {
        return Json.MAPPER.readTree(ingest.body.get());
    }

    @Test
    void createPostsTheIdAndNameWithTheAdminTokenAndPrintsTheMerchant() throws Exception {
        ingest.status = 201;
        StringWriter out = new StringWriter();

        assertEquals(0, run(out, new StringWriter(), "merchant", "create", "acme", "--name", "Acme"));

        assertEquals("POST", ingest.method.get());
        assertEquals("/admin/merchants", ingest.rawPath.get());
        assertEquals("Bearer admin-tok", ingest.authorization.get(), "the admin token, not the internal one");
        assertEquals("acme", sent().path("id").asText());
        assertEquals("Acme", sent().path("display_name").asText());
        String printed = out.toString();
        assertTrue(printed.contains("merchant acme \"Acme\""), printed);
        assertTrue(
                printed.contains("physical stock: shopify/acme.myshopify.com  LOCATION at location 655441491"),
                printed);
        assertTrue(printed.contains("rule: buffer 2, zero at 3, 50%, max 40"), printed);
        assertTrue(printed.contains("shop.example.com/wp  no rule"), printed);
        assertTrue(printed.contains("item 41 -> pool SKU TSHIRT-RED-M"), printed);
    }

    @Test
    void listPrintsATableAndShowTheMerchantOrItsJson() throws Exception {
        ingest.answer = "[{\"id\": \"acme\", \"display_name\": \"Acme\", \"store_count\": 2, \"link_count\": 1,"
                + " \"has_physical_source\": true, \"updated_at\": \"2026-12-06T21:00:00Z\"}]";
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, new StringWriter(), "merchant", "list"));
        assertEquals("GET", ingest.method.get());
        assertTrue(out.toString().matches("(?s).*acme\\s+2\\s+1\\s+set\\s+Acme.*"), out.toString());

        ingest.answer = MERCHANT;
        StringWriter json = new StringWriter();
        assertEquals(0, run(json, new StringWriter(), "merchant", "show", "acme", "--json"));
        assertEquals("/admin/merchants/acme", ingest.rawPath.get());
        assertEquals(2, Json.MAPPER.readTree(json.toString()).path("stores").size());
    }

    @Test
    void deleteSendsADeleteAndSaysDone() {
        ingest.status = 204;
        ingest.answer = "";
        StringWriter out = new StringWriter();

        assertEquals(0, run(out, new StringWriter(), "merchant", "delete", "acme"));

        assertEquals("DELETE", ingest.method.get());
        assertEquals("/admin/merchants/acme", ingest.rawPath.get());
        assertTrue(out.toString().contains("done"), out.toString());
    }

    @Test
    void attachAndDetachNameTheStoreInTheBodyAndInTheQuery() throws Exception {
        assertEquals(0, cli("merchant attach acme --platform woocommerce --store shop.example.com/wp"));
        assertEquals("POST", ingest.method.get());
        assertEquals("/admin/merchants/acme/stores", ingest.rawPath.get());
        assertEquals("shop.example.com/wp", sent().path("store_id").asText());
        assertEquals("woocommerce", sent().path("platform").asText());

        assertEquals(0, cli("merchant detach acme --platform woocommerce --store shop.example.com/wp"));
        assertEquals("DELETE", ingest.method.get());
        assertEquals("/admin/merchants/acme/stores", ingest.rawPath.get());
        assertEquals("platform=woocommerce&store_id=shop.example.com/wp", ingest.query.get());
    }

    @Test
    void physicalSetsOrClearsTheSource() throws Exception {
        assertEquals(
                0, cli("merchant physical acme --platform shopify --store acme.myshopify.com --mode sum_of_locations"));
        assertEquals("PUT", ingest.method.get());
        assertEquals("/admin/merchants/acme/physical", ingest.rawPath.get());
        assertEquals("SUM_OF_LOCATIONS", sent().path("mode").asText());
        assertTrue(sent().path("location_id").isMissingNode());

        assertEquals(0, cli("merchant physical acme --clear"));
        assertEquals("DELETE", ingest.method.get());
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "merchant", "physical", "acme"));
        assertTrue(err.toString().contains("--platform and --store are required"), err.toString());
    }

    @Test
    void linkAndUnlink() throws Exception {
        assertEquals(
                0,
                cli(
                        "merchant link acme --platform shopify --store acme.myshopify.com --item 808950810 --sku",
                        "TSHIRT RED M"));
        assertEquals("PUT", ingest.method.get());
        assertEquals("/admin/merchants/acme/links", ingest.rawPath.get());
        assertEquals("808950810", sent().path("item_id").asText());
        assertEquals("TSHIRT RED M", sent().path("pool_sku").asText());

        assertEquals(0, cli("merchant unlink acme --platform shopify --store acme.myshopify.com --item", "808 950"));
        assertEquals("DELETE", ingest.method.get());
        assertEquals("platform=shopify&store_id=acme.myshopify.com&item_id=808 950", ingest.query.get());
    }

    @Test
    void ruleSendsOnlyTheOptionsGivenAndDeleteRemovesIt() throws Exception {
        assertEquals(
                0,
                cli(
                        "merchant rule acme --platform shopify --store acme.myshopify.com --buffer 2 --percentage 50 --max 40"));
        assertEquals("PUT", ingest.method.get());
        assertEquals("/admin/merchants/acme/rules", ingest.rawPath.get());
        JsonNode rule = sent();
        assertEquals(2, rule.path("safety_buffer").asLong());
        assertEquals(50, rule.path("percentage").asInt());
        assertEquals(40, rule.path("max_listed").asLong());
        assertTrue(rule.path("zero_at").isMissingNode(), "not given: the service's default");

        assertEquals(0, cli("merchant rule acme --platform shopify --store acme.myshopify.com --delete"));
        assertEquals("DELETE", ingest.method.get());
        assertEquals("platform=shopify&store_id=acme.myshopify.com", ingest.query.get());
    }

    @Test
    void refusalsExitTwoWithTheMessageAndUnknownsOne() {
        ingest.status = 409;
        ingest.answer =
                "{\"error\": \"store_in_other_merchant\", \"message\": \"store shopify/x belongs to merchant other\"}";
        StringWriter err = new StringWriter();
        assertEquals(
                2, run(new StringWriter(), err, "merchant", "attach", "acme", "--platform", "shopify", "--store", "x"));
        assertTrue(err.toString().contains("belongs to merchant other"), err.toString());

        ingest.status = 404;
        ingest.answer = "{\"error\": \"unknown_merchant\", \"message\": \"no merchant nope\"}";
        err = new StringWriter();
        assertEquals(1, run(new StringWriter(), err, "merchant", "show", "nope"));
        assertTrue(err.toString().contains("no merchant nope"), err.toString());

        ingest.status = 401;
        ingest.answer = "{\"error\": \"unauthorized\"}";
        err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "merchant", "list"));
        assertTrue(err.toString().contains("COMMERCESYNC_ADMIN_TOKEN"), err.toString());
    }
}
