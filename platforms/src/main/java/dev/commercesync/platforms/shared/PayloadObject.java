package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.schemas.canonical.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A JSON object of a platform payload, read with its path so that every mapping error names the field ({@code
 * line_items[2].price}). Ids are read as exact text (a numeric id above 2^53 keeps every digit), amounts as
 * BigDecimal from the JSON text, timestamps with {@link Timestamps}. JSON null and a missing field are the same:
 * absent. Error messages name the field and the problem, never the value.
 */
public final class PayloadObject {
    private final JsonNode node;
    private final String path;

    private PayloadObject(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The payload root (path of its fields: the bare field name). */
    public static PayloadObject root(JsonNode node) throws MappingException {
        if (node == null || !node.isObject()) {
            throw new MappingException(MappingException.Kind.MALFORMED_PAYLOAD, null, "payload is not an object", null);
        }
        return new PayloadObject(node, "");
    }

    public JsonNode node() {
        return node;
    }

    /** Path of this object in the payload ({@code line_items[2]}); empty for the root. */
    public String location() {
        return path;
    }

    /** Path of a field of this object. */
    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public boolean has(String field) {
        return present(node.get(field));
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    private Optional<JsonNode> value(String field) {
        JsonNode value = node.get(field);
        return present(value) ? Optional.of(value) : Optional.empty();
    }

    /** A string field (numbers and booleans are given as their JSON text); empty strings count as absent. */
    public Optional<String> text(String field) throws MappingException {
        Optional<JsonNode> value = value(field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        JsonNode v = value.get();
        if (v.isContainerNode()) {
            throw MappingException.field(path(field), "expected a scalar, found " + v.getNodeType());
        }
        String text = v.isNumber() ? numberText(v, field) : v.asText();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    public String requiredText(String field) throws MappingException {
        return text(field).orElseThrow(() -> MappingException.field(path(field), "required field is missing"));
    }

    /** An id (JSON number or string) as exact text. */
    public Optional<String> id(String field) throws MappingException {
        Optional<JsonNode> value = value(field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        JsonNode v = value.get();
        if (v.isIntegralNumber()) {
            return Optional.of(v.bigIntegerValue().toString());
        }
        if (v.isTextual() && !v.asText().isBlank()) {
            return Optional.of(v.asText().trim());
        }
        if (v.isTextual()) {
            return Optional.empty();
        }
        throw MappingException.field(path(field), "expected an integer or string id, found " + v.getNodeType());
    }

    public String requiredId(String field) throws MappingException {
        return id(field).orElseThrow(() -> MappingException.field(path(field), "required id is missing"));
    }

    /**
     * A decimal from a JSON number or numeric string, exactly as written. A numeric string longer than {@link
     * Json#MAX_NUMBER_LENGTH}, or a value with more than that many integer or fraction digits ({@code 1e999999999},
     * {@code 1e-999999999}: a few characters whose plain form is a gigabyte), is a mapping error: no canonical value
     * is that large or that fine, and arithmetic on it would not end.
     */
    public Optional<BigDecimal> decimal(String field) throws MappingException {
        Optional<JsonNode> value = value(field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        JsonNode v = value.get();
        if (v.isNumber()) {
            return Optional.of(bounded(v.decimalValue(), field));
        }
        if (v.isTextual()) {
            String text = v.asText().trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            if (text.length() > Json.MAX_NUMBER_LENGTH) {
                throw MappingException.field(
                        path(field), "number is longer than " + Json.MAX_NUMBER_LENGTH + " characters");
            }
            try {
                return Optional.of(bounded(new BigDecimal(text), field));
            } catch (NumberFormatException e) {
                throw MappingException.field(path(field), "not a decimal number");
            }
        }
        throw MappingException.field(path(field), "expected a decimal, found " + v.getNodeType());
    }

    /** The value, when its plain form has at most {@link Json#MAX_NUMBER_LENGTH} integer and fraction digits. */
    private BigDecimal bounded(BigDecimal value, String field) throws MappingException {
        if (value.scale() > Json.MAX_NUMBER_LENGTH || value.precision() - value.scale() > Json.MAX_NUMBER_LENGTH) {
            throw MappingException.field(
                    path(field), "number has more than " + Json.MAX_NUMBER_LENGTH + " integer or fraction digits");
        }
        return value;
    }

    public Optional<Money> money(String field, String currency) throws MappingException {
        Optional<BigDecimal> amount = decimal(field);
        return amount.isEmpty() ? Optional.empty() : Optional.of(Moneys.of(amount.get(), currency, path(field)));
    }

    public Money requiredMoney(String field, String currency) throws MappingException {
        return money(field, currency)
                .orElseThrow(() -> MappingException.field(path(field), "required amount is missing"));
    }

    /** A whole number; a fractional value is a mapping error (never rounded). */
    public Optional<Long> wholeNumber(String field) throws MappingException {
        Optional<BigDecimal> value = decimal(field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(value.get().longValueExact());
        } catch (ArithmeticException e) {
            throw MappingException.field(path(field), "not a whole number within 64 bits");
        }
    }

    public long requiredWholeNumber(String field) throws MappingException {
        return wholeNumber(field).orElseThrow(() -> MappingException.field(path(field), "required number is missing"));
    }

    public Optional<Integer> smallNumber(String field) throws MappingException {
        Optional<Long> value = wholeNumber(field);
        if (value.isPresent() && (value.get() > Integer.MAX_VALUE || value.get() < Integer.MIN_VALUE)) {
            throw MappingException.field(path(field), "number out of 32-bit range");
        }
        return value.map(Long::intValue);
    }

    public Optional<Boolean> bool(String field) throws MappingException {
        Optional<JsonNode> value = value(field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isBoolean()) {
            throw MappingException.field(
                    path(field), "expected a boolean, found " + value.get().getNodeType());
        }
        return Optional.of(value.get().booleanValue());
    }

    /** A timestamp with offset, converted to UTC. */
    public Optional<Instant> instant(String field) throws MappingException {
        Optional<String> text = text(field);
        return text.isEmpty() ? Optional.empty() : Optional.of(Timestamps.withOffset(text.get(), path(field)));
    }

    /** A timestamp the platform documents as UTC, with or without offset (WooCommerce {@code *_gmt}). */
    public Optional<Instant> utcInstant(String field) throws MappingException {
        Optional<String> text = text(field);
        return text.isEmpty() ? Optional.empty() : Optional.of(Timestamps.utcIfNoOffset(text.get(), path(field)));
    }

    public Optional<PayloadObject> object(String field) throws MappingException {
        Optional<JsonNode> value = value(field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isObject()) {
            throw MappingException.field(
                    path(field), "expected an object, found " + value.get().getNodeType());
        }
        return Optional.of(new PayloadObject(value.get(), path(field)));
    }

    public PayloadObject requiredObject(String field) throws MappingException {
        return object(field).orElseThrow(() -> MappingException.field(path(field), "required object is missing"));
    }

    /** The objects of an array field, each with its indexed path; an absent field is an empty list. */
    public List<PayloadObject> objects(String field) throws MappingException {
        Optional<JsonNode> value = value(field);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!value.get().isArray()) {
            throw MappingException.field(
                    path(field), "expected an array, found " + value.get().getNodeType());
        }
        List<PayloadObject> result = new ArrayList<>();
        int i = 0;
        for (JsonNode element : value.get()) {
            String elementPath = path(field) + "[" + i++ + "]";
            if (!element.isObject()) {
                throw MappingException.field(elementPath, "expected an object, found " + element.getNodeType());
            }
            result.add(new PayloadObject(element, elementPath));
        }
        return result;
    }

    /** The scalar elements of an array field as text; an absent field is an empty list. */
    public List<String> texts(String field) throws MappingException {
        Optional<JsonNode> value = value(field);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!value.get().isArray()) {
            throw MappingException.field(
                    path(field), "expected an array, found " + value.get().getNodeType());
        }
        List<String> result = new ArrayList<>();
        int i = 0;
        for (JsonNode element : value.get()) {
            if (element.isContainerNode() || element.isNull()) {
                throw MappingException.field(path(field) + "[" + i + "]", "expected a scalar");
            }
            result.add(element.isNumber() ? numberText(element, field) : element.asText());
            i++;
        }
        return result;
    }

    /**
     * The fields this mapper has no canonical home for, JSON-encoded, keyed by field name: the entity's
     * platform_fields. Null values are kept too ({@code "null"}), so nothing the platform sent is dropped.
     */
    public Map<String, String> unmappedFields(Set<String> mappedFields) {
        Map<String, String> result = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!mappedFields.contains(field.getKey())) {
                result.put(field.getKey(), Json.encode(field.getValue()));
            }
        }
        return result;
    }

    private String numberText(JsonNode number, String field) throws MappingException {
        return number.isIntegralNumber()
                ? number.bigIntegerValue().toString()
                : bounded(number.decimalValue(), field).toPlainString();
    }
}
