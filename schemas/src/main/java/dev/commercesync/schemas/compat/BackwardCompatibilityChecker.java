package dev.commercesync.schemas.compat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * BACKWARD compatibility of a set of schemas against the last released set: every type released must still exist
 * (under its name or as an alias) and, used as reader, decode everything written with the released type.
 *
 * <p>Avro's {@link SchemaCompatibility} ignores logical types, so a decimal whose scale changed or a timestamp whose
 * unit changed would pass it while silently changing every value read. This checker reports those too.
 */
public final class BackwardCompatibilityChecker {

    private BackwardCompatibilityChecker() {}

    /** Problems found, one human-readable line each; empty when {@code current} is BACKWARD compatible. */
    public static List<String> check(SchemaSet released, SchemaSet current) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Schema> entry : released.types().entrySet()) {
            String name = entry.getKey();
            Schema writer = entry.getValue();
            Schema reader = current.findByNameOrAlias(name).orElse(null);
            if (reader == null) {
                problems.add(name + ": released type was deleted or renamed without an alias");
                continue;
            }
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
                    problems.add(name + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                            + incompatibility.getMessage());
                }
            }
            compareLogicalTypes(reader, writer, name, new HashSet<>(), problems);
        }
        return problems;
    }

    private static void compareLogicalTypes(
            Schema reader, Schema writer, String path, Set<String> visited, List<String> problems) {
        if (writer.getType() == Schema.Type.UNION) {
            for (Schema writerBranch : writer.getTypes()) {
                Schema readerBranch = matchingReaderBranch(reader, writerBranch);
                if (readerBranch != null) {
                    compareLogicalTypes(readerBranch, writerBranch, path, visited, problems);
                }
            }
            return;
        }
        if (reader.getType() == Schema.Type.UNION) {
            Schema readerBranch = matchingReaderBranch(reader, writer);
            if (readerBranch != null) {
                compareLogicalTypes(readerBranch, writer, path, visited, problems);
            }
            return;
        }
        String logicalProblem = logicalTypeProblem(reader.getLogicalType(), writer.getLogicalType());
        if (logicalProblem != null) {
            problems.add(path + ": " + logicalProblem);
        }
        switch (writer.getType()) {
            case RECORD -> {
                if (reader.getType() != Schema.Type.RECORD
                        || !visited.add(reader.getFullName() + "<-" + writer.getFullName())) {
                    return;
                }
                for (Schema.Field readerField : reader.getFields()) {
                    Schema.Field writerField = SchemaCompatibility.lookupWriterField(writer, readerField);
                    if (writerField != null) {
                        compareLogicalTypes(
                                readerField.schema(),
                                writerField.schema(),
                                path + "." + readerField.name(),
                                visited,
                                problems);
                    }
                }
            }
            case ARRAY -> {
                if (reader.getType() == Schema.Type.ARRAY) {
                    compareLogicalTypes(
                            reader.getElementType(), writer.getElementType(), path + "[]", visited, problems);
                }
            }
            case MAP -> {
                if (reader.getType() == Schema.Type.MAP) {
                    compareLogicalTypes(reader.getValueType(), writer.getValueType(), path + "{}", visited, problems);
                }
            }
            default -> {}
        }
    }

    /** The branch of a reader union that Avro's resolution would pick for a writer type, or null. */
    private static Schema matchingReaderBranch(Schema reader, Schema writer) {
        if (reader.getType() != Schema.Type.UNION) {
            return reader;
        }
        for (Schema branch : reader.getTypes()) {
            if (branch.getType() == writer.getType()
                    && (!isNamed(writer) || SchemaCompatibility.schemaNameEquals(branch, writer))) {
                return branch;
            }
        }
        return null;
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    private static String logicalTypeProblem(LogicalType reader, LogicalType writer) {
        String readerName = reader == null ? null : reader.getName();
        String writerName = writer == null ? null : writer.getName();
        if (!Objects.equals(readerName, writerName)) {
            return "logical type changed from " + writerName + " to " + readerName
                    + " (the bytes would be read with a different meaning)";
        }
        if (reader instanceof LogicalTypes.Decimal readerDecimal
                && writer instanceof LogicalTypes.Decimal writerDecimal) {
            if (readerDecimal.getScale() != writerDecimal.getScale()) {
                return "decimal scale changed from " + writerDecimal.getScale() + " to " + readerDecimal.getScale()
                        + " (every value would be read multiplied by a power of ten)";
            }
            if (readerDecimal.getPrecision() < writerDecimal.getPrecision()) {
                return "decimal precision reduced from " + writerDecimal.getPrecision() + " to "
                        + readerDecimal.getPrecision();
            }
        }
        return null;
    }
}
