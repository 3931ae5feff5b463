package dev.commercesync.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.compat.SchemaSet;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.RawRecordRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The conventions of schemas/README.md, checked over every schema file so that a new one cannot skip them. */
class SchemaConventionsTest {

    private static final SchemaSet CURRENT =
            SchemaSet.load(Path.of(System.getProperty("schemas.current.dir", "src/main/avro")));

    private static final Set<String> NAMESPACES = Set.of(
            "dev.commercesync.schemas.canonical",
            "dev.commercesync.schemas.envelope",
            "dev.commercesync.schemas.command");

    /** Decimals outside Money: rates and weights are not money. Any other amount must be a Money. */
    private static final Set<String> DECIMAL_FIELDS = Set.of(
            "dev.commercesync.schemas.canonical.Money.amount",
            "dev.commercesync.schemas.canonical.TaxLine.rate",
            "dev.commercesync.schemas.canonical.Weight.value");

    @Test
    void generatedClassesLiveInTheSchemasNamespaces() {
        assertEquals("dev.commercesync.schemas.canonical", OrderEvent.class.getPackageName());
        assertEquals("dev.commercesync.schemas.canonical", EventMetadata.class.getPackageName());
        assertEquals("dev.commercesync.schemas.envelope", RawEnvelope.class.getPackageName());
        assertEquals("dev.commercesync.schemas.canonical", EntityType.class.getPackageName());
        assertEquals("dev.commercesync.schemas.envelope", RawRecordRef.class.getPackageName());
        for (Schema type : CURRENT.types().values()) {
            assertTrue(NAMESPACES.contains(type.getNamespace()), type.getFullName() + " is outside " + NAMESPACES);
        }
    }

    @Test
    void noFloatingPointAnywhere() {
        List<String> offenders = new ArrayList<>();
        forEachField((record, field, branch) -> {
            if (branch.getType() == Schema.Type.FLOAT || branch.getType() == Schema.Type.DOUBLE) {
                offenders.add(record.getFullName() + "." + field.name());
            }
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    void decimalsAreMoneyOrAnExplicitNonMoneyQuantity() {
        Set<String> decimals = new TreeSet<>();
        forEachField((record, field, branch) -> {
            if (branch.getLogicalType() instanceof LogicalTypes.Decimal) {
                decimals.add(record.getFullName() + "." + field.name());
            }
        });
        assertEquals(new TreeSet<>(DECIMAL_FIELDS), decimals);
    }

    @Test
    void timesAreUtcTimestampMillis() {
        List<String> offenders = new ArrayList<>();
        forEachField((record, field, branch) -> {
            if (branch.getLogicalType() != null
                    && branch.getLogicalType().getName().startsWith("time")
                    && !branch.getLogicalType().getName().equals("timestamp-millis")) {
                offenders.add(record.getFullName() + "." + field.name() + " is "
                        + branch.getLogicalType().getName());
            }
        });
        for (Schema record : records()) {
            for (Schema.Field field : record.getFields()) {
                Schema type = nonNull(field.schema());
                boolean namedAsTime =
                        field.name().endsWith("_at") || field.name().equals("not_before");
                if (namedAsTime
                        && (type.getType() != Schema.Type.LONG
                                || type.getLogicalType() == null
                                || !type.getLogicalType().getName().equals("timestamp-millis"))) {
                    offenders.add(record.getFullName() + "." + field.name() + " is not timestamp-millis");
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void idsAreStrings() {
        List<String> offenders = new ArrayList<>();
        for (Schema record : records()) {
            for (Schema.Field field : record.getFields()) {
                String name = field.name();
                Schema type = nonNull(field.schema());
                if ((name.equals("id") || name.endsWith("_id")) && type.getType() != Schema.Type.STRING) {
                    offenders.add(record.getFullName() + "." + name);
                }
                if (name.endsWith("_ids")
                        && (type.getType() != Schema.Type.ARRAY
                                || type.getElementType().getType() != Schema.Type.STRING)) {
                    offenders.add(record.getFullName() + "." + name);
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void optionalFieldsAreNullFirstUnionsDefaultingToNull() {
        List<String> offenders = new ArrayList<>();
        for (Schema record : records()) {
            for (Schema.Field field : record.getFields()) {
                Schema schema = field.schema();
                if (schema.getType() == Schema.Type.UNION && schema.isNullable()) {
                    boolean nullFirst = schema.getTypes().get(0).getType() == Schema.Type.NULL;
                    boolean defaultsToNull = field.hasDefaultValue() && field.defaultVal() == JsonProperties.NULL_VALUE;
                    if (!nullFirst || !defaultsToNull) {
                        offenders.add(record.getFullName() + "." + field.name());
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyCanonicalTopicCarriesMetadataAndANullableEntityWithPlatformFields() {
        for (CommerceTopic topic : CommerceTopic.values()) {
            if (!topic.isCanonical()) {
                continue;
            }
            Schema event = topic.valueSchema();
            assertEquals(2, event.getFields().size(), event.getFullName());
            Schema.Field metadata = event.getFields().get(0);
            assertEquals("metadata", metadata.name());
            assertEquals(EventMetadata.getClassSchema(), metadata.schema());

            Schema.Field entityField = event.getFields().get(1);
            Schema entityUnion = entityField.schema();
            assertEquals(Schema.Type.UNION, entityUnion.getType(), entityField.name());
            assertEquals(Schema.Type.NULL, entityUnion.getTypes().get(0).getType(), entityField.name());
            assertTrue(entityField.hasDefaultValue(), entityField.name() + " needs default null (deletes)");
            assertPlatformFields(entityUnion.getTypes().get(1));
        }
    }

    private static void assertPlatformFields(Schema entity) {
        Schema.Field platformFields = entity.getField("platform_fields");
        assertTrue(platformFields != null, entity.getFullName() + " has no platform_fields");
        assertEquals(Schema.Type.MAP, platformFields.schema().getType());
        assertEquals(Schema.Type.STRING, platformFields.schema().getValueType().getType());
        assertTrue(platformFields.hasDefaultValue(), entity.getFullName() + ".platform_fields needs default {}");
    }

    private interface FieldVisitor {
        void visit(Schema record, Schema.Field field, Schema branch);
    }

    /** Visits each field with every unnamed schema its type is made of (union branches, array items, map values). */
    private static void forEachField(FieldVisitor visitor) {
        for (Schema record : records()) {
            for (Schema.Field field : record.getFields()) {
                visitUnnamed(field.schema(), branch -> visitor.visit(record, field, branch));
            }
        }
    }

    private static void visitUnnamed(Schema schema, Consumer<Schema> consumer) {
        switch (schema.getType()) {
            case UNION -> schema.getTypes().forEach(branch -> visitUnnamed(branch, consumer));
            case ARRAY -> {
                consumer.accept(schema);
                visitUnnamed(schema.getElementType(), consumer);
            }
            case MAP -> {
                consumer.accept(schema);
                visitUnnamed(schema.getValueType(), consumer);
            }
            default -> consumer.accept(schema);
        }
    }

    /** The type of an optional field without its null branch; other types unchanged. */
    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream()
                .filter(branch -> branch.getType() != Schema.Type.NULL)
                .toList();
        return branches.size() == 1 ? branches.get(0) : schema;
    }

    private static List<Schema> records() {
        return CURRENT.types().values().stream()
                .filter(type -> type.getType() == Schema.Type.RECORD)
                .toList();
    }
}
