package dev.commercesync.platforms.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.commercesync.platforms.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Hostile variants of a published payload, for the contract's hostile-input cases: truncated and corrupted bytes,
 * invalid UTF-8, wrong types, huge and exotic numbers, deep nesting, huge strings, duplicated keys, nulls everywhere.
 * Every variant is a pure function of the original and a seed, so a failing case reproduces from its name.
 *
 * <p>Values that a {@link JsonNode} cannot carry (a number of 400 digits written as such, {@code -0}, a duplicated
 * key, 100,000 nested arrays) are written as raw JSON text: the tree holds a marker string where they go, and the
 * serialized marker is replaced by the raw text.
 */
final class HostileInputs {

    /** A hostile body and what was done to the published one; made when the case runs (some are megabytes). */
    record Case(String name, Supplier<byte[]> body) {}

    /** Raw JSON values that replace one value of the payload (or all of them). */
    static final List<String> HOSTILE_VALUES = List.of(
            "null",
            "true",
            "\"\"",
            "\"   \"",
            "\"x\"",
            "0",
            "-0",
            "-0.0",
            "-1",
            "0.1",
            "1e400",
            "-1e400",
            "1e-400",
            "1E999999999",
            "-1e-999999999",
            "1" + "0".repeat(399),
            "-" + "9".repeat(400),
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999.9999999",
            "1.0000000000000000000000000000001",
            "\"NaN\"",
            "\"-Infinity\"",
            "\"1e999999999\"",
            "\"1E-999999999\"",
            "\"-0\"",
            "\"" + "9".repeat(400) + "\"",
            "\"0x1F\"",
            "\"\\u0661\\u0662\"",
            "\"+999999999-12-31T23:59:59Z\"",
            "\"2026-13-45T25:61:61+99:99\"",
            "\"1970-01-01T00:00:00\"",
            "\"\\ud800\"",
            "\"\\u0000\"",
            "\"\\uffff\\ufffe\"",
            "{}",
            "[]",
            "[null]",
            "[[[]]]",
            "{\"\":null}",
            "[1e999999999]",
            "{\"amount\":\"1e999999999\",\"currency_code\":\"USD\"}",
            "\"" + "A".repeat(65_536) + "\"",
            "[".repeat(500) + "]".repeat(500));

    private static final String MARKER = "@@hostile-raw-";

    private HostileInputs() {}

    /** The seeded random variants of one published payload. */
    static List<Case> random(byte[] original, long seed, int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long caseSeed = seed + i;
            cases.add(mutate(original, new Random(caseSeed), caseSeed));
        }
        return cases;
    }

    private static Case mutate(byte[] original, Random random, long seed) {
        JsonNode tree = parse(original);
        int kind = random.nextInt(10);
        String what;
        byte[] body;
        switch (kind) {
            case 0 -> {
                int at = random.nextInt(original.length);
                what = "truncated at byte " + at;
                body = java.util.Arrays.copyOf(original, at);
            }
            case 1 -> {
                byte[] copy = original.clone();
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                what = flips + " random bytes";
                body = copy;
            }
            case 2 -> {
                byte[][] invalid = {
                    {(byte) 0xC3, 0x28},
                    {(byte) 0xFF},
                    {(byte) 0xC0, (byte) 0xAF},
                    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                    {(byte) 0x80}
                };
                byte[] bad = invalid[random.nextInt(invalid.length)];
                int at = insideAString(original, random);
                what = "invalid UTF-8 at byte " + at;
                body = splice(original, at, bad);
            }
            case 3 -> {
                String value = HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size()));
                List<Slot> slots = slots(tree);
                Slot slot = slots.get(random.nextInt(slots.size()));
                what = slot.path() + " = " + abbreviate(value);
                body = withRaw(tree, slot.path(), value);
            }
            case 4, 5 -> {
                // two and more values at once: mappers read several fields before failing
                List<Slot> slots = slots(tree);
                int n = 2 + random.nextInt(6);
                Map<String, String> replacements = new LinkedHashMap<>();
                for (int j = 0; j < n; j++) {
                    replacements.put(
                            slots.get(random.nextInt(slots.size())).path(),
                            HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size())));
                }
                what = n + " values: " + abbreviate(replacements.keySet().toString());
                body = withRaw(tree, replacements);
            }
            case 6 -> {
                List<Slot> fields = objectFieldSlots(tree);
                Slot slot = fields.get(random.nextInt(fields.size()));
                ((ObjectNode) slot.parent()).remove(slot.field());
                what = "without " + slot.path();
                body = write(tree);
            }
            case 7 -> {
                List<Slot> fields = objectFieldSlots(tree);
                Slot slot = fields.get(random.nextInt(fields.size()));
                String value = HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size()));
                what = "duplicated key " + slot.path() + " = " + abbreviate(value);
                body = withDuplicateKey(tree, slot, value);
            }
            case 8 -> {
                String value = List.of("null", "\"1e999999999\"", "1e-999999999", "{}", "[]", "\"\"")
                        .get(random.nextInt(6));
                what = "every scalar = " + value;
                body = everyScalar(tree, value);
            }
            default -> {
                String value = HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size()));
                what = "every top-level field = " + abbreviate(value);
                Map<String, String> replacements = new LinkedHashMap<>();
                objectFieldSlots(tree).stream()
                        .filter(s -> s.parent() == tree)
                        .forEach(s -> replacements.put(s.path(), value));
                body = withRaw(tree, replacements);
            }
        }
        byte[] mutated = body;
        return new Case("seed " + seed + ": " + what, () -> mutated);
    }

    /** The expensive variants, run once per platform (on its first fixture): sizes at and beyond the limits. */
    static List<Case> extremes(byte[] original) {
        JsonNode tree = parse(original);
        String first = objectFieldSlots(tree).get(0).path();
        String deepArrays = "[".repeat(100_000) + "]".repeat(100_000);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("100k nested arrays as the body", () -> utf8(deepArrays)));
        cases.add(new Case(
                "100k nested objects as the body", () -> utf8("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))));
        cases.add(new Case("100k nested arrays in " + first, () -> withRaw(tree, first, deepArrays)));
        cases.add(new Case("nulls everywhere", () -> everyScalar(tree, "null")));
        cases.add(new Case("every scalar 1e999999999", () -> everyScalar(tree, "1e999999999")));
        cases.add(new Case("every scalar a 400-digit integer", () -> everyScalar(tree, "1" + "0".repeat(399))));
        cases.add(new Case(
                "every scalar a 5,000-character string", () -> everyScalar(tree, "\"" + "7".repeat(5_000) + "\"")));
        cases.add(new Case(
                "every scalar a 1,000-digit decimal string",
                () -> everyScalar(tree, "\"0." + "1".repeat(1_000) + "\"")));
        cases.add(new Case(
                "a 9 MB string in " + first, () -> withRaw(tree, first, "\"" + "x".repeat(9 * 1024 * 1024) + "\"")));
        cases.add(new Case(
                "a 9 MB numeric string in " + first,
                () -> withRaw(tree, first, "\"" + "9".repeat(9 * 1024 * 1024) + "\"")));
        cases.add(new Case(
                "a 100,000-element array in " + first, () -> withRaw(tree, first, "[" + "1,".repeat(99_999) + "1]")));
        cases.add(new Case(
                "100,000 duplicated keys in " + first,
                () -> withRaw(tree, first, "{" + "\"k\":1,".repeat(99_999) + "\"k\":1}")));
        cases.add(new Case(
                "the body padded beyond the document limit", () -> pad(original, (int) Json.MAX_DOCUMENT_LENGTH + 1)));
        for (String body : List.of("", " ", "null", "[]", "\"text\"", "1e400", "{", "{}", "\uFEFF{}", "{}{}", "{}]")) {
            cases.add(new Case("body " + (body.isEmpty() ? "(empty)" : body), () -> utf8(body)));
        }
        return cases;
    }

    // ---- tree surgery ----

    /** A value's place: a field of an object or an element of an array. */
    record Slot(JsonNode parent, String field, int index, String path) {
        void set(JsonNode value) {
            if (parent instanceof ObjectNode object) {
                object.set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, "", slots);
        return slots;
    }

    private static List<Slot> objectFieldSlots(JsonNode root) {
        return slots(root).stream().filter(s -> s.field() != null).toList();
    }

    private static void collect(JsonNode node, String path, List<Slot> slots) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                slots.add(new Slot(node, field.getKey(), -1, fieldPath));
                collect(field.getValue(), fieldPath, slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String elementPath = path + "[" + i + "]";
                slots.add(new Slot(node, null, i, elementPath));
                collect(node.get(i), elementPath, slots);
            }
        }
    }

    private static byte[] withRaw(JsonNode tree, String path, String raw) {
        return withRaw(tree, Map.of(path, raw));
    }

    /**
     * The tree with the value at each path replaced by raw JSON text (the tree itself is left unchanged). A path
     * inside an earlier replacement no longer exists and is skipped.
     */
    private static byte[] withRaw(JsonNode tree, Map<String, String> replacements) {
        JsonNode copy = tree.deepCopy();
        Map<String, String> raw = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            Slot slot = slots(copy).stream()
                    .filter(s -> s.path().equals(replacement.getKey()))
                    .findFirst()
                    .orElse(null);
            if (slot != null) {
                String marker = MARKER + n++ + "@@";
                slot.set(TextNode.valueOf(marker));
                raw.put("\"" + marker + "\"", replacement.getValue());
            }
        }
        String text = new String(write(copy), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> r : raw.entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        return utf8(text);
    }

    private static byte[] withDuplicateKey(JsonNode tree, Slot slot, String raw) {
        JsonNode copy = tree.deepCopy();
        Slot target = slots(copy).stream()
                .filter(s -> s.path().equals(slot.path()))
                .findFirst()
                .orElseThrow();
        ObjectNode parent = (ObjectNode) target.parent();
        // A uniquely named field, renamed to the duplicated name in the text (a tree cannot hold two equal keys).
        String twin = MARKER + "twin@@";
        String marker = MARKER + "dup@@";
        parent.set(twin, TextNode.valueOf(marker));
        String text = new String(write(copy), StandardCharsets.UTF_8)
                .replace("\"" + twin + "\"", Json.encode(TextNode.valueOf(slot.field())))
                .replace("\"" + marker + "\"", raw);
        return utf8(text);
    }

    private static byte[] everyScalar(JsonNode tree, String raw) {
        String marker = MARKER + "all@@";
        JsonNode copy = tree.deepCopy();
        replaceScalars(copy, TextNode.valueOf(marker));
        return utf8(new String(write(copy), StandardCharsets.UTF_8).replace("\"" + marker + "\"", raw));
    }

    private static void replaceScalars(JsonNode node, JsonNode with) {
        for (Slot slot : slots(node)) {
            JsonNode value = slot.parent() instanceof ObjectNode o
                    ? o.get(slot.field())
                    : slot.parent().get(slot.index());
            if (value != null && !value.isContainerNode()) {
                slot.set(with);
            }
        }
    }

    // ---- bytes ----

    /** A position just after the opening quote of a random string value (or anywhere, if there is none). */
    private static int insideAString(byte[] body, Random random) {
        List<Integer> quotes = new ArrayList<>();
        for (int i = 0; i < body.length - 1; i++) {
            if (body[i] == ':' && body[i + 1] == '"') {
                quotes.add(i + 2);
            }
        }
        return quotes.isEmpty() ? random.nextInt(body.length) : quotes.get(random.nextInt(quotes.size()));
    }

    private static byte[] splice(byte[] body, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + inserted.length);
        out.write(body, 0, at);
        out.writeBytes(inserted);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    /** The body followed by whitespace up to {@code size} bytes: valid JSON larger than the document limit. */
    private static byte[] pad(byte[] body, int size) {
        byte[] padded = java.util.Arrays.copyOf(body, Math.max(size, body.length));
        java.util.Arrays.fill(padded, body.length, padded.length, (byte) ' ');
        return padded;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            return tree == null ? JsonNodeFactory.instance.objectNode() : tree;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(JsonNode tree) {
        try {
            return Json.MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 40) + "…(" + text.length() + " chars)";
    }
}
