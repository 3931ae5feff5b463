package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.commercesync.platforms.spi.MappingException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * The one JSON configuration of the platform layer: numbers are read exactly (integers as long or BigInteger,
 * decimals as BigDecimal, never double, trailing zeros kept), and parse errors never quote the payload (they may
 * reach logs and quarantine records).
 *
 * <p>Every payload comes from outside (webhook bodies from anyone who can reach the ingest, API answers from the
 * platforms), so the reader's limits are set here, deliberately, for every adapter and API client at once (see
 * platforms/README.md, "Hostile input"). A document beyond them is a parse error: MALFORMED_PAYLOAD for a webhook
 * or fetched record, a SERVER failure for an API answer.
 */
public final class Json {

    /**
     * Largest document: 32 MiB. The ingest accepts webhook bodies up to 10 MB (a Shopify order with many lines is
     * several MB) and API pages are requested at most 250 entities at a time; 32 MiB keeps three times that room
     * while bounding the tree a single document can build (a parsed tree costs several times its text).
     */
    public static final long MAX_DOCUMENT_LENGTH = 32L * 1024 * 1024;

    /**
     * Longest string value: the document's size. A product description ({@code body_html}) can legitimately be most of
     * a payload, so only the document limit bounds it.
     */
    public static final int MAX_STRING_LENGTH = (int) MAX_DOCUMENT_LENGTH;

    /**
     * Deepest nesting: 200 levels. The deepest published payload nests 7 (a Magento order's {@code
     * extension_attributes.shipping_assignments[].shipping.address}; a Shopify order's {@code
     * line_items[].tax_lines[].price_set.shop_money} is 5); 200 is far beyond any platform's shape and keeps every
     * recursive walk of a tree (serialization, equality) shallow. Jackson's default is 1,000.
     */
    public static final int MAX_NESTING_DEPTH = 200;

    /**
     * Longest number, in characters: 100. The longest legitimate numbers are 20-digit ids (unsigned 64 bits) and
     * decimals of about 20 significant digits (PHP floats print at most 17); the canonical model holds at most 18
     * integer and 10 fraction digits. 100 leaves room and bounds the cost of exact (BigInteger/BigDecimal) parsing.
     * Numeric strings and exponents are bounded the same way when read ({@link PayloadObject#decimal}).
     */
    public static final int MAX_NUMBER_LENGTH = 100;

    /** Longest field name: 1,000 characters (platform field names are identifiers well under 100). */
    public static final int MAX_NAME_LENGTH = 1_000;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Two values for one key are ambiguous (which one did the sender mean, which one did a proxy check?):
            // a parse error, never a silent last-one-wins.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private Json() {}

    /**
     * Parses a payload that must be a JSON object.
     *
     * @throws MappingException of kind MALFORMED_PAYLOAD with the line and column of the error, never the content
     */
    public static JsonNode parseObject(byte[] body) throws MappingException {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new MappingException(
                    MappingException.Kind.MALFORMED_PAYLOAD, null, "body is not valid JSON" + where, null);
        } catch (IOException e) {
            throw new MappingException(MappingException.Kind.MALFORMED_PAYLOAD, null, "body is unreadable", null);
        }
        if (node == null || !node.isObject()) {
            throw new MappingException(
                    MappingException.Kind.MALFORMED_PAYLOAD,
                    null,
                    "body is not a JSON object (" + (node == null ? "empty" : node.getNodeType()) + ")",
                    null);
        }
        if (holdsUnpairedSurrogate(node)) {
            throw new MappingException(
                    MappingException.Kind.MALFORMED_PAYLOAD,
                    null,
                    "body holds a string with an unpaired UTF-16 surrogate (not Unicode text)",
                    null);
        }
        return node;
    }

    /**
     * Whether a field name or string value holds an unpaired surrogate ({@code "\\ud800"} is valid JSON syntax but no
     * Unicode text): it would reach Avro's UTF-8 as {@code ?}, silently changing the value.
     */
    private static boolean holdsUnpairedSurrogate(JsonNode root) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual() && unpairedSurrogate(node.textValue())) {
                return true;
            }
            if (node.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (unpairedSurrogate(field.getKey())) {
                        return true;
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return false;
    }

    private static boolean unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** A JSON value as compact JSON text (platform-fields values are JSON-encoded). */
    public static String encode(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
    }
}
