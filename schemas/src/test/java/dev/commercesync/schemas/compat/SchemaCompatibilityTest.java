package dev.commercesync.schemas.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.schemas.CommerceTopic;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The build's BACKWARD compatibility gate: the schemas in src/main/avro must read everything written with the last
 * released schemas in src/released/avro. The other tests prove the gate catches what it must.
 */
class SchemaCompatibilityTest {

    static final Path CURRENT = Path.of(System.getProperty("schemas.current.dir", "src/main/avro"));
    static final Path RELEASED = Path.of(System.getProperty("schemas.released.dir", "src/released/avro"));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void currentSchemasAreBackwardCompatibleWithTheReleasedOnes() {
        SchemaSet released = SchemaSet.load(RELEASED);
        SchemaSet current = SchemaSet.load(CURRENT);
        assertFalse(released.isEmpty(), "no released schemas found under " + RELEASED.toAbsolutePath());

        List<String> problems = BackwardCompatibilityChecker.check(released, current);

        assertTrue(
                problems.isEmpty(),
                () -> "The schemas in " + CURRENT + " cannot read data written with the released schemas in "
                        + RELEASED + " (BACKWARD compatibility):\n  " + String.join("\n  ", problems)
                        + "\nMake the change compatible (see schemas/README.md, 'How to evolve a schema'),"
                        + " or publish it as a new topic version.");
    }

    /**
     * The topics platform teams produce or consume — canonical events, commands, command results — are contracts from
     * their first day: their record types have a released baseline, so the gate above checks every change to them.
     */
    @Test
    void theCanonicalAndCommandTopicsHaveAReleasedBaseline() {
        SchemaSet released = SchemaSet.load(RELEASED);
        List<String> unreleased = Arrays.stream(CommerceTopic.values())
                .filter(topic -> topic.isCanonical()
                        || topic == CommerceTopic.COMMANDS
                        || topic == CommerceTopic.COMMAND_RESULTS)
                .map(topic -> topic.valueSchema().getFullName())
                .filter(name -> !released.types().containsKey(name))
                .toList();

        assertEquals(List.of(), unreleased, "record types of public topics missing under " + RELEASED);
    }

    @Test
    void aRequiredFieldAddedToACommandActionIsReported() {
        List<String> problems = checkReleasedWithChange("command/Command.avsc", command -> {
            ArrayNode actions = (ArrayNode) fields(command).get(1).get("type");
            fields(actions.get(0)).add(field("unit", "\"string\"", null));
        });

        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("dev.commercesync.schemas.command.SetInventoryLevel:")
                                && p.contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                                && p.contains("unit")),
                problems::toString);
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("dev.commercesync.schemas.command.Command:")),
                () -> "the topic record embedding the action must be reported too: " + problems);
    }

    @Test
    void addingARequiredFieldWithoutDefaultIsReported() {
        List<String> problems = checkReleasedWithChange(
                "canonical/Order.avsc", order -> fields(order).add(field("sales_channel_id", "\"string\"", null)));

        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("dev.commercesync.schemas.canonical.Order:")
                                && p.contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                                && p.contains("sales_channel_id")),
                problems::toString);
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("dev.commercesync.schemas.canonical.OrderEvent:")),
                () -> "the topic record embedding Order must be reported too: " + problems);
    }

    @Test
    void addingAnOptionalFieldWithDefaultIsCompatible() {
        List<String> problems = checkReleasedWithChange("canonical/Order.avsc", order -> fields(order)
                .add(field("sales_channel_id", "[\"null\", \"string\"]", "null")));

        assertEquals(List.of(), problems);
    }

    @Test
    void changingAFieldTypeIsReported() {
        List<String> problems = checkReleasedWithChange("shared/canonical/Money.avsc", money -> {
            ObjectNode currency = (ObjectNode) fields(money).get(1);
            currency.put("type", "int");
        });

        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("dev.commercesync.schemas.canonical.Money:")
                                && p.contains("TYPE_MISMATCH")
                                && p.contains("/fields/1/type")),
                problems::toString);
    }

    @Test
    void deletingAReleasedSchemaIsReported() {
        Map<String, String> sources = new TreeMap<>(SchemaSet.readSources(RELEASED));
        sources.remove("envelope/QuarantineRecord.avsc");

        List<String> problems = BackwardCompatibilityChecker.check(SchemaSet.load(RELEASED), SchemaSet.parse(sources));

        assertTrue(
                problems.contains(
                        "dev.commercesync.schemas.envelope.QuarantineRecord: released type was deleted or renamed without an alias"),
                problems::toString);
    }

    @Test
    void renamingATypeNeedsAnAliasForTheReleasedName() {
        Map<String, String> renamed = new TreeMap<>();
        SchemaSet.readSources(RELEASED)
                .forEach((file, text) -> renamed.put(file, text.replace("\"Address\"", "\"PostalAddress\"")));
        SchemaSet released = SchemaSet.load(RELEASED);

        List<String> withoutAlias = BackwardCompatibilityChecker.check(released, SchemaSet.parse(renamed));
        assertTrue(
                withoutAlias.contains("dev.commercesync.schemas.canonical.Address: released type was deleted or"
                        + " renamed without an alias"),
                withoutAlias::toString);

        renamed.computeIfPresent(
                "shared/canonical/Address.avsc",
                (file, text) -> text.replaceFirst(
                        "\"name\": \"PostalAddress\",", "\"name\": \"PostalAddress\", \"aliases\": [\"Address\"],"));
        assertEquals(List.of(), BackwardCompatibilityChecker.check(released, SchemaSet.parse(renamed)));
    }

    @Test
    void removingAnEnumSymbolIsReported() {
        List<String> problems = checkReleasedWithChange("shared/canonical/EventSource.avsc", source -> {
            ArrayNode symbols = (ArrayNode) source.get("symbols");
            symbols.remove(symbols.size() - 1);
        });

        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("dev.commercesync.schemas.canonical.EventSource:")
                                && p.contains("MISSING_ENUM_SYMBOLS")),
                problems::toString);
    }

    @Test
    void changingTheMoneyScaleIsReportedThoughAvroItselfAcceptsIt() {
        List<String> problems = checkReleasedWithChange("shared/canonical/Money.avsc", money -> {
            ObjectNode amountType = (ObjectNode) fields(money).get(0).get("type");
            amountType.put("scale", 2);
        });

        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("dev.commercesync.schemas.canonical.Money.amount:")
                                && p.contains("decimal scale changed from 6 to 2")),
                problems::toString);
    }

    @Test
    void changingATimestampUnitIsReported() {
        List<String> problems = checkReleasedWithChange("shared/canonical/EventMetadata.avsc", meta -> {
            for (JsonNode field : fields(meta)) {
                if (field.get("name").asText().equals("received_at")) {
                    ((ObjectNode) field.get("type")).put("logicalType", "timestamp-micros");
                }
            }
        });

        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.startsWith("dev.commercesync.schemas.canonical.EventMetadata.received_at:")
                                && p.contains("timestamp-millis to timestamp-micros")),
                problems::toString);
    }

    /** Checks the released set against a copy of itself with one file changed in memory. */
    private static List<String> checkReleasedWithChange(String file, Consumer<JsonNode> change) {
        Map<String, String> sources = new TreeMap<>(SchemaSet.readSources(RELEASED));
        String original = sources.get(file);
        assertTrue(original != null, "no released file " + file);
        try {
            JsonNode schema = JSON.readTree(original);
            change.accept(schema);
            sources.put(file, JSON.writeValueAsString(schema));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return BackwardCompatibilityChecker.check(SchemaSet.load(RELEASED), SchemaSet.parse(sources));
    }

    private static ArrayNode fields(JsonNode record) {
        return (ArrayNode) record.get("fields");
    }

    private static ObjectNode field(String name, String typeJson, String defaultJson) {
        try {
            ObjectNode field = JSON.createObjectNode().put("name", name);
            field.set("type", JSON.readTree(typeJson));
            if (defaultJson != null) {
                field.set("default", JSON.readTree(defaultJson));
            }
            return field;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
