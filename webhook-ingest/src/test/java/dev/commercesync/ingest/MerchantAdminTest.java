package dev.commercesync.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.testsupport.DevStackTestResource;
import dev.commercesync.testsupport.DevStackTestResource.SharedStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The merchants' admin API on the real PostgreSQL: each call, its validation and its refusals. */
@QuarkusTest
@WithTestResource(DevStackTestResource.class)
class MerchantAdminTest {
    private static final String ADMIN = "Bearer test-admin-token";

    private static RequestSpecification admin() {
        return given().header("Authorization", ADMIN).contentType("application/json");
    }

    /** A new merchant's id. */
    private static String merchant() {
        String id = "m-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("id", id, "display_name", "Merchant " + id))
                .post("/admin/merchants")
                .then()
                .statusCode(201)
                .body("id", equalTo(id))
                .body("stores", empty());
        return id;
    }

    /** A newly registered store of the platform: its store id. */
    private static String store(String platform) {
        return WebhookIngestTest.register(platform, "merchant-test-secret-0123");
    }

    private static Map<String, Object> ref(String platform, String storeId) {
        Map<String, Object> body = new HashMap<>();
        body.put("platform", platform);
        body.put("store_id", storeId);
        return body;
    }

    private static void attach(String merchant, String platform, String storeId) {
        admin().body(ref(platform, storeId))
                .post("/admin/merchants/" + merchant + "/stores")
                .then()
                .statusCode(200)
                .body("stores.store_id", hasItem(storeId));
    }

    @Test
    void createListShowAndDelete() {
        String id = merchant();

        admin().body(Map.of("id", id))
                .post("/admin/merchants")
                .then()
                .statusCode(409)
                .body("error", equalTo("merchant_exists"));
        admin().get("/admin/merchants")
                .then()
                .statusCode(200)
                .body("find { it.id == '" + id + "' }.display_name", equalTo("Merchant " + id))
                .body("find { it.id == '" + id + "' }.store_count", equalTo(0));
        admin().get("/admin/merchants/" + id)
                .then()
                .statusCode(200)
                .body("display_name", equalTo("Merchant " + id))
                .body("physical", nullValue())
                .body("links", empty());

        admin().delete("/admin/merchants/" + id).then().statusCode(204);
        admin().get("/admin/merchants/" + id).then().statusCode(404).body("error", equalTo("unknown_merchant"));
        admin().delete("/admin/merchants/" + id).then().statusCode(404).body("error", equalTo("unknown_merchant"));
    }

    @Test
    void merchantIdsAndNamesAreChecked() {
        for (String bad : new String[] {"Acme", "-acme", "a_b", "a".repeat(64), "", "acme/x"}) {
            admin().body(Map.of("id", bad))
                    .post("/admin/merchants")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_merchant"))
                    .body("message", containsString("lower-case letters, digits and '-'"));
        }
        admin().body(Map.of())
                .post("/admin/merchants")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_merchant"));
        admin().body(Map.of("id", "m-" + UUID.randomUUID().toString().substring(0, 8), "display_name", "n".repeat(201)))
                .post("/admin/merchants")
                .then()
                .statusCode(400)
                .body("message", containsString("display_name"));
        admin().post("/admin/merchants").then().statusCode(400);
    }

    @Test
    void aStoreJoinsOneMerchantAndAMerchantWithStoresIsNotDeleted() throws Exception {
        String acme = merchant();
        String other = merchant();
        String site = "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com/wp";
        String wooStore = WebhookIngestTest.registerAs("woocommerce", site, "merchant-test-secret-0123");

        attach(acme, "woocommerce", wooStore);
        attach(acme, "woocommerce", wooStore); // again: a no-op
        admin().body(ref("woocommerce", wooStore))
                .post("/admin/merchants/" + other + "/stores")
                .then()
                .statusCode(409)
                .body("error", equalTo("store_in_other_merchant"))
                .body("message", containsString(acme));
        admin().body(ref("woocommerce", "no-such-store.example.com"))
                .post("/admin/merchants/" + acme + "/stores")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_store"));
        admin().body(ref("woocommerce", wooStore))
                .post("/admin/merchants/no-such-merchant/stores")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_merchant"));
        admin().body(Map.of("platform", "woocommerce"))
                .post("/admin/merchants/" + acme + "/stores")
                .then()
                .statusCode(400)
                .body("message", containsString("store_id"));
        assertEquals(acme, merchantOfStore(wooStore), "the pool reads store.merchant_id");

        admin().delete("/admin/merchants/" + acme).then().statusCode(409).body("error", equalTo("merchant_has_stores"));

        // The store id has a slash: it travels as a query parameter.
        admin().queryParam("platform", "woocommerce")
                .queryParam("store_id", wooStore)
                .delete("/admin/merchants/" + acme + "/stores")
                .then()
                .statusCode(200)
                .body("stores", empty());
        admin().queryParam("platform", "woocommerce")
                .queryParam("store_id", wooStore)
                .delete("/admin/merchants/" + acme + "/stores")
                .then()
                .statusCode(400)
                .body("error", equalTo("store_not_in_merchant"));
        assertEquals(null, merchantOfStore(wooStore));
        attach(other, "woocommerce", wooStore);
        admin().delete("/admin/merchants/" + acme).then().statusCode(204);
    }

    @Test
    void thePhysicalSourceIsOneOfTheMerchantsStores() {
        String id = merchant();
        String shop = store("shopify");
        Map<String, Object> body = ref("shopify", shop);
        body.put("mode", "LOCATION");
        body.put("location_id", "655441491");

        admin().body(body)
                .put("/admin/merchants/" + id + "/physical")
                .then()
                .statusCode(400)
                .body("error", equalTo("store_not_in_merchant"));
        attach(id, "shopify", shop);
        admin().body(body)
                .put("/admin/merchants/" + id + "/physical")
                .then()
                .statusCode(200)
                .body("physical.store_id", equalTo(shop))
                .body("physical.mode", equalTo("LOCATION"))
                .body("physical.location_id", equalTo("655441491"));

        body.put("mode", "SUM_OF_LOCATIONS");
        admin().body(body)
                .put("/admin/merchants/" + id + "/physical")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_physical"))
                .body("message", containsString("location_id"));
        body.put("mode", "nearest");
        admin().body(body)
                .put("/admin/merchants/" + id + "/physical")
                .then()
                .statusCode(400)
                .body("message", containsString("SUM_OF_LOCATIONS"));
        body.put("mode", "sum_of_locations");
        body.remove("location_id");
        admin().body(body)
                .put("/admin/merchants/" + id + "/physical")
                .then()
                .statusCode(200)
                .body("physical.mode", equalTo("SUM_OF_LOCATIONS"))
                .body("physical.location_id", nullValue());

        admin().queryParam("platform", "shopify")
                .queryParam("store_id", shop)
                .delete("/admin/merchants/" + id + "/stores")
                .then()
                .statusCode(409)
                .body("error", equalTo("physical_source"));
        admin().delete("/admin/merchants/" + id + "/physical")
                .then()
                .statusCode(200)
                .body("physical", nullValue());
        admin().queryParam("platform", "shopify")
                .queryParam("store_id", shop)
                .delete("/admin/merchants/" + id + "/stores")
                .then()
                .statusCode(200);
        admin().body(body)
                .put("/admin/merchants/no-such-merchant/physical")
                .then()
                .statusCode(404);
    }

    @Test
    void skuLinksArePutReplacedAndDeleted() {
        String id = merchant();
        String shop = store("shopify");
        Map<String, Object> link = ref("shopify", shop);
        link.put("item_id", "808950810");
        link.put("pool_sku", "TSHIRT-RED-M");

        admin().body(link)
                .put("/admin/merchants/" + id + "/links")
                .then()
                .statusCode(400)
                .body("error", equalTo("store_not_in_merchant"));
        attach(id, "shopify", shop);
        admin().body(link)
                .put("/admin/merchants/" + id + "/links")
                .then()
                .statusCode(200)
                .body("links[0].item_id", equalTo("808950810"))
                .body("links[0].pool_sku", equalTo("TSHIRT-RED-M"));
        link.put("pool_sku", "TSHIRT-RED-MEDIUM");
        admin().body(link)
                .put("/admin/merchants/" + id + "/links")
                .then()
                .statusCode(200)
                .body("links.size()", equalTo(1))
                .body("links[0].pool_sku", equalTo("TSHIRT-RED-MEDIUM"));

        for (String badSku : new String[] {"", " ", "s".repeat(256)}) {
            link.put("pool_sku", badSku);
            admin().body(link)
                    .put("/admin/merchants/" + id + "/links")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_link"))
                    .body("message", containsString("pool_sku"));
        }
        link.remove("item_id");
        link.put("pool_sku", "X");
        admin().body(link)
                .put("/admin/merchants/" + id + "/links")
                .then()
                .statusCode(400)
                .body("message", containsString("item_id"));

        RequestSpecification unlink = admin().queryParam("platform", "shopify")
                .queryParam("store_id", shop)
                .queryParam("item_id", "808950810");
        unlink.delete("/admin/merchants/" + id + "/links")
                .then()
                .statusCode(200)
                .body("links", empty());
        unlink.delete("/admin/merchants/" + id + "/links")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_link"));
    }

    @Test
    void channelRulesAreValidatedStoredAndDeleted() throws Exception {
        String id = merchant();
        String shop = store("shopify");
        attach(id, "shopify", shop);
        Map<String, Object> rule = ref("shopify", shop);
        rule.put("safety_buffer", 2);
        rule.put("zero_at", 3);
        rule.put("percentage", 50);
        rule.put("max_listed", 40);
        rule.put("location_id", "655441491");

        admin().body(rule)
                .put("/admin/merchants/" + id + "/rules")
                .then()
                .statusCode(200)
                .body("stores[0].rule.safety_buffer", equalTo(2))
                .body("stores[0].rule.zero_at", equalTo(3))
                .body("stores[0].rule.percentage", equalTo(50))
                .body("stores[0].rule.max_listed", equalTo(40))
                .body("stores[0].rule.location_id", equalTo("655441491"));
        var stack = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
                var st = c.prepareStatement(
                        "select r.safety_buffer, r.zero_at, r.percentage, r.max_listed"
                                + " from stores.channel_rule r join stores.store s on s.id = r.store_pk where s.store_id = ?")) {
            st.setString(1, shop);
            ResultSet rs = st.executeQuery();
            assertTrue(rs.next(), "the rule is a channel_rule row, as the pool reads it");
            assertEquals(2, rs.getLong(1));
            assertEquals(3, rs.getLong(2));
            assertEquals(50, rs.getInt(3));
            assertEquals(40, rs.getLong(4));
        }

        // Absent fields are the defaults: no buffer, 100 %, no zero-at, no maximum.
        admin().body(ref("shopify", shop))
                .put("/admin/merchants/" + id + "/rules")
                .then()
                .statusCode(200)
                .body("stores[0].rule.safety_buffer", equalTo(0))
                .body("stores[0].rule.percentage", equalTo(100))
                .body("stores[0].rule.zero_at", nullValue())
                .body("stores[0].rule.max_listed", nullValue());

        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                        "percentage", 101, "safety_buffer", -1, "zero_at", -1, "max_listed", -5)
                .entrySet()) {
            Map<String, Object> body = ref("shopify", shop);
            body.put(bad.getKey(), bad.getValue());
            admin().body(body)
                    .put("/admin/merchants/" + id + "/rules")
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_rule"))
                    .body("message", containsString(bad.getKey()));
        }
        Map<String, Object> notANumber = ref("shopify", shop);
        notANumber.put("percentage", "lots");
        admin().body(notANumber)
                .put("/admin/merchants/" + id + "/rules")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_json"))
                .body("message", containsString("percentage"))
                .body(not(containsString("lots")));
        admin().body("{\"platform\": \"shopify\", \"store_id\": ")
                .put("/admin/merchants/" + id + "/rules")
                .then()
                .statusCode(400)
                .body("error", equalTo("bad_request"));

        RequestSpecification unrule = admin().queryParam("platform", "shopify").queryParam("store_id", shop);
        unrule.delete("/admin/merchants/" + id + "/rules")
                .then()
                .statusCode(200)
                .body("stores[0].rule", nullValue());
        unrule.delete("/admin/merchants/" + id + "/rules")
                .then()
                .statusCode(404)
                .body("error", equalTo("unknown_rule"));
    }

    @Test
    void detachingAStoreDropsItsLinksAndRule() {
        String id = merchant();
        String shop = store("shopify");
        attach(id, "shopify", shop);
        Map<String, Object> link = ref("shopify", shop);
        link.put("item_id", "1");
        link.put("pool_sku", "SKU-1");
        admin().body(link).put("/admin/merchants/" + id + "/links").then().statusCode(200);
        admin().body(ref("shopify", shop))
                .put("/admin/merchants/" + id + "/rules")
                .then()
                .statusCode(200);

        admin().queryParam("platform", "shopify")
                .queryParam("store_id", shop)
                .delete("/admin/merchants/" + id + "/stores")
                .then()
                .statusCode(200)
                .body("links", empty());
        attach(id, "shopify", shop);
        admin().get("/admin/merchants/" + id).then().body("links", empty()).body("stores[0].rule", nullValue());
    }

    @Test
    void everyCallNeedsTheAdminToken() {
        String id = merchant();
        String[][] calls = {
            {"GET", "/admin/merchants"},
            {"POST", "/admin/merchants"},
            {"GET", "/admin/merchants/" + id},
            {"DELETE", "/admin/merchants/" + id},
            {"POST", "/admin/merchants/" + id + "/stores"},
            {"DELETE", "/admin/merchants/" + id + "/stores"},
            {"PUT", "/admin/merchants/" + id + "/physical"},
            {"DELETE", "/admin/merchants/" + id + "/physical"},
            {"PUT", "/admin/merchants/" + id + "/links"},
            {"DELETE", "/admin/merchants/" + id + "/links"},
            {"PUT", "/admin/merchants/" + id + "/rules"},
            {"DELETE", "/admin/merchants/" + id + "/rules"},
        };
        for (String[] call : calls) {
            for (String token : new String[] {null, "Bearer wrong-token", "Bearer test-internal-token"}) {
                RequestSpecification request =
                        given().contentType("application/json").body("{}");
                if (token != null) {
                    request = request.header("Authorization", token);
                }
                request.request(call[0], call[1]).then().statusCode(401).body("error", equalTo("unauthorized"));
            }
        }
        admin().get("/admin/merchants/" + id).then().statusCode(200);
    }

    private static String merchantOfStore(String storeId) throws Exception {
        var stack = SharedStack.endpoints();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), "");
                var st = c.prepareStatement("select merchant_id from stores.store where store_id = ?")) {
            st.setString(1, storeId);
            ResultSet rs = st.executeQuery();
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
