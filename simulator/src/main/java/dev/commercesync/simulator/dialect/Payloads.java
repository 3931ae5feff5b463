package dev.commercesync.simulator.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.simulator.http.ApiAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Helpers the dialects share to render payloads: the platforms' published examples as templates (see {@code
 * templates/README.md}), their date formats, and deterministic ids.
 */
final class Payloads {
    /** {@code 2026-01-15T09:59:58+00:00} (Shopify REST, BigCommerce v3 catalog). */
    static final DateTimeFormatter ISO_OFFSET =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    /** {@code 2026-01-15T09:59:58} (WooCommerce, site time zone UTC, and its {@code _gmt} twins). */
    static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    /** RFC 2822 {@code Tue, 05 Mar 2019 21:40:11 +0000} (BigCommerce v2). */
    static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    private static final Map<String, JsonNode> TEMPLATES = new ConcurrentHashMap<>();

    private Payloads() {}

    /** A fresh copy of a template ({@code shopify/orders_create.json}). */
    static ObjectNode template(String name) {
        JsonNode template = TEMPLATES.computeIfAbsent(name, Payloads::load);
        return (ObjectNode) template.deepCopy();
    }

    /** A fresh copy of a template that is a JSON array. */
    static com.fasterxml.jackson.databind.node.ArrayNode templateArray(String name) {
        JsonNode template = TEMPLATES.computeIfAbsent(name, Payloads::load);
        return (com.fasterxml.jackson.databind.node.ArrayNode) template.deepCopy();
    }

    private static JsonNode load(String name) {
        String resource = "/dev/commercesync/simulator/templates/" + name;
        try (InputStream in = Payloads.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template " + resource + " is missing");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("template " + resource + " is unreadable", e);
        }
    }

    static String iso(Instant at) {
        return ISO_OFFSET.format(at);
    }

    static String local(Instant at) {
        return LOCAL.format(at);
    }

    static String rfc2822(Instant at) {
        return RFC_2822.format(at);
    }

    static String money(BigDecimal amount) {
        return amount.setScale(2).toPlainString();
    }

    /** BigCommerce v2 writes money with four decimals. */
    static String money4(BigDecimal amount) {
        return amount.setScale(4).toPlainString();
    }

    static long id(String id) {
        return Long.parseLong(id);
    }

    /** A name-based UUID: the same seed gives the same id in every run. */
    static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String sha1Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(JsonNode body) {
        return Json.encode(body).getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    /** A request's body when it is a JSON object; empty when it is not JSON or not an object. */
    static java.util.Optional<JsonNode> jsonObject(dev.commercesync.simulator.http.ApiRequest request) {
        try {
            JsonNode body = Json.MAPPER.readTree(request.body());
            return body == null || !body.isObject() ? java.util.Optional.empty() : java.util.Optional.of(body);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The carrier a platform's carrier code names, as the simulator's shipments name carriers ({@code ups} → {@code
     * UPS}); empty for a code it does not know.
     */
    static java.util.Optional<String> carrierOf(String code) {
        return java.util.Optional.ofNullable(
                switch (code.toLowerCase(Locale.ROOT)) {
                    case "ups" -> "UPS";
                    case "usps" -> "USPS";
                    case "fedex" -> "FedEx";
                    case "dhl" -> "DHL Express";
                    default -> null;
                });
    }

    static ApiAnswer error(int status, String field, String message) {
        ObjectNode body = object();
        body.put(field, message);
        return ApiAnswer.json(status, body);
    }

    static String tokenFor(String prefix, String storeKey) {
        return prefix
                + sha1Hex(("commerce-sync simulator " + storeKey).getBytes(StandardCharsets.UTF_8))
                        .substring(0, 32);
    }
}
