package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.commercesync.platforms.spi.MappingException;
import java.io.IOException;

/**
 * The one JSON configuration of the platform layer: numbers are read exactly (integers as long or BigInteger,
 * decimals as BigDecimal, never double, trailing zeros kept), and parse errors never quote the payload (they may
 * reach logs and quarantine records).
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
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
        return node;
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
