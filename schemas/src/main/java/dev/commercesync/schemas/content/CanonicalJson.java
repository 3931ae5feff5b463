package dev.commercesync.schemas.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * A readable JSON rendering of canonical records, for goldens and {@code synctl normalize}: field names as in the
 * schema, in schema order; decimals as exact strings ({@code "12.34"}, trailing zeros of the canonical scale
 * removed); timestamps as ISO-8601 UTC strings; enums as their symbol; maps with sorted keys. Unlike Avro's JSON
 * encoding it does not wrap union values or render decimals as bytes. The sync-writer stores the same rendering, with
 * decimals as exact JSON numbers, in the target's jsonb {@code data} column.
 */
public final class CanonicalJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** Writes only: the trees rendered here, never input from outside. */
    private static final ObjectMapper WRITER =
            JsonMapper.builder().nodeFactory(NODES).build();

    /** How decimals (money) are written. */
    public enum Decimals {
        /** {@code "12.34"}: readable and diff-stable, for goldens and the CLI. */
        STRINGS,
        /** {@code 12.340000}: exact JSON numbers, for stores that keep them exact (PostgreSQL jsonb). */
        NUMBERS
    }

    private CanonicalJson() {}

    public static JsonNode render(IndexedRecord record) {
        return render(record, Decimals.STRINGS);
    }

    public static JsonNode render(IndexedRecord record, Decimals decimals) {
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            object.set(field.name(), value(record.get(field.pos()), decimals));
        }
        return object;
    }

    /** Compact, decimals as exact numbers: the target database's form. */
    public static String renderCompact(IndexedRecord record) {
        try {
            return WRITER.writeValueAsString(render(record, Decimals.NUMBERS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree", e);
        }
    }

    /** Pretty-printed, newline-terminated. */
    public static String renderText(IndexedRecord record) {
        try {
            return WRITER.writerWithDefaultPrettyPrinter().writeValueAsString(render(record)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a canonical record", e);
        }
    }

    private static JsonNode value(Object value, Decimals decimals) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof IndexedRecord nested) {
            return render(nested, decimals);
        }
        if (value instanceof CharSequence text) {
            return NODES.textNode(text.toString());
        }
        if (value instanceof BigDecimal decimal) {
            return decimals == Decimals.NUMBERS ? NODES.numberNode(decimal) : NODES.textNode(plain(decimal));
        }
        if (value instanceof Instant instant) {
            return NODES.textNode(instant.toString());
        }
        if (value instanceof Enum<?> symbol) {
            return NODES.textNode(symbol.name());
        }
        if (value instanceof GenericEnumSymbol<?> symbol) {
            return NODES.textNode(symbol.toString());
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] raw = new byte[copy.remaining()];
            copy.get(raw);
            return NODES.textNode(Base64.getEncoder().encodeToString(raw));
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            new TreeMap<>(map).forEach((key, entry) -> object.set(key.toString(), value(entry, decimals)));
            return object;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(value(item, decimals)));
            return array;
        }
        return NODES.textNode(value.toString());
    }

    private static String plain(BigDecimal decimal) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
