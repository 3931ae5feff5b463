package dev.commercesync.platforms.bigcommerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.InstallFlow;
import dev.commercesync.platforms.spi.InstallFlow.RejectedCallbackException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** BigCommerce's auth callback, scope rules and the signed_payload_jwt of its load and uninstall callbacks. */
class BigCommerceInstallFlowTest {
    private static final InstallFlow FLOW =
            new BigCommerceAdapter().installFlow().orElseThrow();
    private static final InstallFlow.App APP = new InstallFlow.App("app-client-id", "app-client-secret");
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static ObjectNode claims() {
        ObjectNode claims = Json.MAPPER.createObjectNode();
        claims.put("aud", APP.clientId());
        claims.put("iss", "bc");
        claims.put("iat", NOW.getEpochSecond() - 10);
        claims.put("nbf", NOW.getEpochSecond() - 15);
        claims.put("exp", NOW.getEpochSecond() + 900);
        claims.put("jti", "d4c4d0f3-d2d0-4bd7-a2e2-b2e2c2f2a2b2");
        claims.put("sub", "stores/z4zn3wo");
        claims.putObject("user").put("id", 9128).put("email", "user@example.com");
        claims.putObject("owner").put("id", 9128).put("email", "user@example.com");
        claims.put("url", "/");
        return claims;
    }

    private static String jwt(String alg, ObjectNode claims, String secret) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signed =
                b64.encodeToString(("{\"typ\":\"JWT\",\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                        + b64.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    private static InstallFlow.Notice notice(String kind, String jwt) throws RejectedCallbackException {
        return FLOW.verifyNotice(kind, Map.of("signed_payload_jwt", jwt), APP, CLOCK);
    }

    @Test
    void acceptsASignedLoadAndUninstall() throws Exception {
        String jwt = jwt("HS256", claims(), APP.clientSecret());
        assertEquals(new InstallFlow.Notice(InstallFlow.NoticeKind.LOAD, "z4zn3wo"), notice("load", jwt));
        assertEquals(new InstallFlow.Notice(InstallFlow.NoticeKind.UNINSTALL, "z4zn3wo"), notice("uninstall", jwt));
        ObjectNode audList = claims();
        audList.putArray("aud").add(APP.clientId());
        assertEquals(
                "z4zn3wo",
                notice("load", jwt("HS256", audList, APP.clientSecret())).storeId());
    }

    @Test
    void refusesWrongSecretTamperingOtherAppsExpiryAndOtherAlgorithms() throws Exception {
        assertThrows(RejectedCallbackException.class, () -> notice("uninstall", jwt("HS256", claims(), "other")));
        String jwt = jwt("HS256", claims(), APP.clientSecret());
        String[] parts = jwt.split("\\.");
        ObjectNode otherStore = claims().put("sub", "stores/victim");
        String swapped = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.MAPPER.writeValueAsBytes(otherStore))
                + "." + parts[2];
        assertThrows(RejectedCallbackException.class, () -> notice("uninstall", swapped));
        assertThrows(RejectedCallbackException.class, () -> notice("uninstall", parts[0] + "." + parts[1] + "."));
        assertThrows(
                RejectedCallbackException.class,
                () -> notice("uninstall", jwt("HS256", claims().put("aud", "another-app"), APP.clientSecret())));
        assertThrows(
                RejectedCallbackException.class,
                () -> notice("uninstall", jwt("HS256", claims().put("iss", "evil"), APP.clientSecret())));
        assertThrows(
                RejectedCallbackException.class,
                () -> notice(
                        "uninstall",
                        jwt("HS256", claims().put("exp", NOW.getEpochSecond() - 120), APP.clientSecret())));
        assertThrows(
                RejectedCallbackException.class,
                () -> notice(
                        "uninstall",
                        jwt("HS256", claims().put("nbf", NOW.getEpochSecond() + 600), APP.clientSecret())));
        ObjectNode noExpiry = claims();
        noExpiry.remove("exp");
        assertThrows(
                RejectedCallbackException.class, () -> notice("uninstall", jwt("HS256", noExpiry, APP.clientSecret())));
        // "none" and any other algorithm are refused even with a matching HMAC.
        assertThrows(
                RejectedCallbackException.class, () -> notice("uninstall", jwt("none", claims(), APP.clientSecret())));
        assertThrows(
                RejectedCallbackException.class, () -> notice("uninstall", jwt("HS512", claims(), APP.clientSecret())));
        assertThrows(RejectedCallbackException.class, () -> notice("remove_user", jwt));
        assertThrows(RejectedCallbackException.class, () -> notice("uninstall", "not-a-jwt"));
        assertThrows(
                RejectedCallbackException.class,
                () -> notice("uninstall", jwt("HS256", claims().put("sub", "stores/../x"), APP.clientSecret())));
    }

    @Test
    void theAuthCallbackNamesTheStoreByItsContextAndCarriesNoState() throws Exception {
        InstallFlow.Callback callback = FLOW.verifyCallback(
                Map.of(
                        "code", "qr6h3thvbvag2ffq",
                        "scope", "store_v2_orders store_v2_products",
                        "context", "stores/g5cd38",
                        "account_uuid", "6b4a2e8e-0000-4000-8000-000000000000"),
                APP,
                CLOCK,
                Duration.ofMinutes(5));
        assertEquals("g5cd38", callback.storeId());
        assertNull(callback.state());
        assertEquals("stores/g5cd38", callback.echo().get("context"));
        assertTrue(!FLOW.callbackCarriesState());
        for (String context : new String[] {"", "g5cd38", "stores/", "stores/a/b", "shops/g5cd38"}) {
            assertThrows(
                    RejectedCallbackException.class,
                    () -> FLOW.verifyCallback(
                            Map.of("code", "c", "scope", "s", "context", context), APP, CLOCK, Duration.ofMinutes(5)));
        }
        assertThrows(
                RejectedCallbackException.class,
                () -> FLOW.verifyCallback(Map.of("context", "stores/g5cd38"), APP, CLOCK, Duration.ofMinutes(5)));
    }

    @Test
    void modifyScopesCoverReadOnlyOnesAndTheInstallUrlIsBigCommerces() {
        assertEquals(
                Set.of(),
                FLOW.missingScopes(
                        Set.of("store_v2_orders", "store_v2_products", "store_v2_customers", "store_inventory"),
                        FLOW.defaultScopes()));
        assertEquals(
                Set.of("store_inventory"),
                FLOW.missingScopes(
                        Set.of(
                                "store_v2_orders",
                                "store_v2_products",
                                "store_v2_customers_read_only",
                                "store_inventory_read_only"),
                        FLOW.defaultScopes()));
        URI install = FLOW.authorizationUrl(
                FLOW.storeBaseUrl("g5cd38"),
                APP,
                Set.of("store_v2_orders"),
                URI.create("https://sync.example.com/install/bigcommerce/callback"),
                "");
        assertTrue(
                install.toString().startsWith("https://login.bigcommerce.com/app/app-client-id/install?"),
                install.toString());
        assertTrue(!install.toString().contains(APP.clientSecret()));
    }
}
