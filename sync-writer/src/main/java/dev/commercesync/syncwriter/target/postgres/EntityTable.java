package dev.commercesync.syncwriter.target.postgres;

import dev.commercesync.schemas.canonical.EntityType;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * How one entity type lands in the target: its table, the relational columns taken from the entity (beside the common
 * ones and the JSON), and its child rows, if any.
 */
record EntityTable<E extends SpecificRecord>(
        EntityType type,
        Class<E> entityClass,
        String table,
        List<String> columns,
        Function<E, List<Object>> values,
        ChildTable<E> children) {

    /** Rows owned by the entity (order lines, product variants), replaced as a whole when the entity is applied. */
    record ChildTable<E>(
            String table, String parentKeyColumn, List<String> columns, Function<E, List<List<Object>>> rows) {}

    @SuppressWarnings("unchecked")
    List<Object> valuesOf(SpecificRecord entity) {
        return values.apply((E) entity);
    }

    @SuppressWarnings("unchecked")
    List<List<Object>> childRowsOf(SpecificRecord entity) {
        return children.rows().apply((E) entity);
    }
}
