package dev.commercesync.platforms.magento2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.commercesync.platforms.contract.CannedHttpServer;
import dev.commercesync.platforms.contract.PlatformAdapterContract;
import dev.commercesync.platforms.spi.ApiCredentials;
import dev.commercesync.platforms.spi.QuotaStatus;
import dev.commercesync.platforms.spi.WebhookRequest;
import dev.commercesync.platforms.spi.WebhookSecret;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

class Magento2AdapterContractTest extends PlatformAdapterContract {
    static final String STORE = "fb58963f-d2e7-4ab4-83da-b6ff15b8ebc0";

    /** One RSA key pair per contract secret (current, previous, wrong), generated once per JVM. */
    private static final Map<String, KeyPair> KEYS = new HashMap<>();

    static synchronized KeyPair keyPair(WebhookSecret secret) {
        return KEYS.computeIfAbsent(new String(secret.bytes(), StandardCharsets.UTF_8), s -> {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static WebhookSecret pem(KeyPair pair) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded());
        return WebhookSecret.of("-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
    }

    static String sign(byte[] body, KeyPair pair) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(pair.getPrivate());
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected String platformName() {
        return "magento2";
    }

    @Override
    protected List<Fixture> fixtures() {
        return List.of(
                Fixture.webhook(
                        "observer.catalog_product_save_commit_after.cloudevent",
                        EntityType.PRODUCT,
                        Operation.UPSERT,
                        "eventtest1"),
                Fixture.polled("order.rest_get_V1_orders_id", "orders", STORE, EntityType.ORDER, "3"),
                Fixture.polled("product.with_base_currency", "products", STORE, EntityType.PRODUCT, "MS-Champ-S"),
                Fixture.polled(
                        "product.rest_post_V1_products_response", "products", STORE, EntityType.PRODUCT, "MS-Champ-S"),
                Fixture.polled(
                        "source_item.central",
                        "source-items",
                        STORE,
                        EntityType.INVENTORY_LEVEL,
                        "new_product2@central"),
                Fixture.polled(
                        "customer.rest_post_V1_customers_response", "customers", STORE, EntityType.CUSTOMER, "2"),
                Fixture.polled(
                        "creditmemo.assembled_from_refund_tutorial", "creditmemos", STORE, EntityType.REFUND, "3"),
                Fixture.polled(
                        "shipment.assembled_from_shipment_tutorial", "shipments", STORE, EntityType.SHIPMENT, "3"));
    }

    /** Adobe signs with its private key: signature 1 with this secret's key pair, signature 2 with an unrelated one. */
    @Override
    protected Map<String, String> signatureHeaders(byte[] body, WebhookSecret secret, Instant signedAt) {
        return Map.of(
                "x-adobe-digital-signature-1", sign(body, keyPair(secret)),
                "x-adobe-digital-signature-2", sign(body, keyPair(WebhookSecret.of("adobe-other-key"))));
    }

    /** The published event's recipient (its Developer Console project's client id). */
    static final String RECIPIENT = "ca7b36f23be94dcb9d2ebb97f0276e3f";

    /** The published event's CloudEvent time, replaced by the signing time in signed requests. */
    static final String PUBLISHED_TIME = "2025-07-17T15:48:42.436Z";

    @Override
    protected WebhookSecret verificationSecret(WebhookSecret signingSecret) {
        return secret(RECIPIENT, pem(keyPair(signingSecret)));
    }

    /** A store's Adobe I/O Events secret: the recipient client id and the public key. */
    static WebhookSecret secret(String clientId, WebhookSecret pem) {
        return WebhookSecret.of(
                dev.commercesync.platforms.shared.Json.encode(dev.commercesync.platforms.shared.Json.MAPPER
                        .createObjectNode()
                        .put("client_id", clientId)
                        .put("public_key", new String(pem.bytes(), StandardCharsets.US_ASCII))));
    }

    /** Adobe's signed time is the CloudEvent's {@code time}, inside the body: the event happened at {@code at}. */
    @Override
    protected WebhookRequest signedRequest(Fixture fixture, byte[] body, WebhookSecret secret, Instant at)
            throws IOException {
        byte[] timed = new String(body, StandardCharsets.UTF_8)
                .replace(PUBLISHED_TIME, at.toString())
                .getBytes(StandardCharsets.UTF_8);
        return super.signedRequest(fixture, timed, secret, at);
    }

    @Override
    protected Optional<Duration> signatureTolerance() {
        return Optional.of(AdobeIoEventsVerifier.MAX_EVENT_AGE);
    }

    @Override
    protected MissingField missingRequiredField() {
        return new MissingField("order.rest_get_V1_orders_id", "order_currency_code", "order_currency_code");
    }

    @Override
    protected ApiCredentials apiCredentials() {
        return new ApiCredentials.AccessToken("magento-secret-value");
    }

    @Override
    protected EntityType listableType() {
        return EntityType.ORDER;
    }

    static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Map.of();
        }
        return Arrays.stream(raw.split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(
                        p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "",
                        (a, b) -> b));
    }

    @Override
    protected HttpHandler changedPages(List<List<String>> pagesOfIds) {
        int total = pagesOfIds.stream().mapToInt(List::size).sum();
        return exchange -> {
            Map<String, String> q = query(exchange);
            if (!exchange.getRequestURI().getPath().equals("/V1/orders")
                    || !"updated_at".equals(q.get("searchCriteria[filter_groups][0][filters][0][field]"))
                    || !"gteq".equals(q.get("searchCriteria[filter_groups][0][filters][0][condition_type]"))) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"message\": \"unexpected request\"}");
                return;
            }
            int page = Integer.parseInt(q.get("searchCriteria[currentPage]"));
            String items = pagesOfIds.get(page - 1).stream()
                    .map(id -> "{\"entity_id\": " + id + ", \"updated_at\": \"2026-01-02 03:04:05\"}")
                    .collect(Collectors.joining(","));
            CannedHttpServer.respond(
                    exchange,
                    200,
                    Map.of(),
                    "{\"items\": [" + items + "], \"search_criteria\": {}, \"total_count\": " + total + "}");
        };
    }

    @Override
    protected HttpHandler rateLimited(long retryAfterSeconds) {
        return exchange -> CannedHttpServer.respond(
                exchange, 429, Map.of("Retry-After", Long.toString(retryAfterSeconds)), "{\"message\": \"Too Many\"}");
    }

    @Override
    protected boolean reportsQuota() {
        return false;
    }

    @Override
    protected HttpHandler pageReportingQuota() {
        return exchange -> CannedHttpServer.respond(
                exchange,
                200,
                Map.of(),
                "{\"items\": [{\"entity_id\": 1, \"updated_at\": \"2026-01-02 03:04:05\"}], \"total_count\": 1}");
    }

    @Override
    protected QuotaStatus reportedQuota() {
        return null; // Adobe Commerce reports no quota
    }

    @Override
    protected HttpHandler entityById(String id, String body) {
        return exchange -> {
            if (exchange.getRequestURI().getPath().equals("/V1/orders/" + id)) {
                CannedHttpServer.respond(exchange, 200, Map.of(), body);
            } else {
                CannedHttpServer.respond(
                        exchange, 404, Map.of(), "{\"message\": \"The entity that was requested doesn't exist.\"}");
            }
        };
    }

    /** Two ANDed filter groups: updated_at gteq the start and lt the end, Magento's UTC "YYYY-MM-DD HH:MM:SS". */
    private static boolean carriesTheRange(HttpExchange exchange) {
        Map<String, String> q = query(exchange);
        return exchange.getRequestURI().getPath().equals("/V1/orders")
                && "updated_at".equals(q.get("searchCriteria[filter_groups][0][filters][0][field]"))
                && "2026-01-01 00:00:00".equals(q.get("searchCriteria[filter_groups][0][filters][0][value]"))
                && "gteq".equals(q.get("searchCriteria[filter_groups][0][filters][0][condition_type]"))
                && "updated_at".equals(q.get("searchCriteria[filter_groups][1][filters][0][field]"))
                && "2026-01-01 01:00:00".equals(q.get("searchCriteria[filter_groups][1][filters][0][value]"))
                && "lt".equals(q.get("searchCriteria[filter_groups][1][filters][0][condition_type]"));
    }

    @Override
    protected HttpHandler changeCount(long count) {
        return exchange -> {
            if (!carriesTheRange(exchange) || !"1".equals(query(exchange).get("searchCriteria[pageSize]"))) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"message\": \"unexpected request\"}");
                return;
            }
            String items = count == 0 ? "" : "{\"entity_id\": 1, \"updated_at\": \"2026-01-01 00:10:00\"}";
            CannedHttpServer.respond(
                    exchange, 200, Map.of(), "{\"items\": [" + items + "], \"total_count\": " + count + "}");
        };
    }

    @Override
    protected HttpHandler boundedPage(List<String> ids) {
        return exchange -> {
            if (!carriesTheRange(exchange)) {
                CannedHttpServer.respond(exchange, 400, Map.of(), "{\"message\": \"unexpected request\"}");
                return;
            }
            String items = ids.stream()
                    .map(id -> "{\"entity_id\": " + id + ", \"updated_at\": \"2026-01-01 00:10:00\"}")
                    .collect(Collectors.joining(","));
            CannedHttpServer.respond(
                    exchange, 200, Map.of(), "{\"items\": [" + items + "], \"total_count\": " + ids.size() + "}");
        };
    }
}
