package dev.commercesync.syncwriter.target.postgres;

import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.syncwriter.target.TargetWriter;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies canonical events to the PostgreSQL target schema with version-guarded upserts:
 *
 * <ul>
 *   <li>an upsert writes the row only if its version is newer than the stored one ({@code WHERE excluded.version >
 *       t.version}); equal versions are no-ops, unless a replay re-mapped the same version with another mapping
 *       version into other content (a mapping fix), which replaces the row;
 *   <li>a delete turns the row into a tombstone (deleted, no data, its version kept) if its version is newer, or equal
 *       to that of a live row — a delete wins a tie; a later upsert with an older or equal version cannot resurrect it;
 *   <li>children (order lines, product variants) are replaced as a whole when their parent is applied;
 *   <li>each live row keeps the {@link ContentFingerprint} of its entity, which the reconciler compares for types a
 *       platform lists without updated-at.
 * </ul>
 */
@ApplicationScoped
public class PostgresTargetWriter implements TargetWriter {
    private static final List<String> COMMON = List.of(
            "entity_key",
            "platform",
            "store",
            "entity_type",
            "entity_id",
            "version",
            "version_basis",
            "source_version",
            "source_updated_at",
            "event_id",
            "mapping_version");

    private final AgroalDataSource dataSource;

    public PostgresTargetWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public ApplyResult apply(CanonicalChange change) {
        EntityTable<?> table = EntityTables.BY_TYPE.get(change.metadata().getEntityType());
        try (Connection connection = dataSource.getConnection()) {
            boolean applied =
                    change.isDelete() ? tombstone(connection, table, change) : upsert(connection, table, change);
            if (!applied) {
                return ApplyResult.STALE;
            }
            if (table.children() != null) {
                replaceChildren(connection, table, change);
            }
            return ApplyResult.APPLIED;
        } catch (SQLException e) {
            throw new TargetSqlException(e);
        }
    }

    private static boolean upsert(Connection connection, EntityTable<?> table, CanonicalChange change)
            throws SQLException {
        String sql = upsertSql(table);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = bindCommon(statement, change);
            statement.setString(++i, CanonicalJson.renderCompact(change.entity()));
            statement.setLong(++i, ContentFingerprint.of(change.entity()));
            for (Object value : table.valuesOf(change.entity())) {
                bind(connection, statement, ++i, value);
            }
            return statement.executeUpdate() == 1;
        }
    }

    private static boolean tombstone(Connection connection, EntityTable<?> table, CanonicalChange change)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(tombstoneSql(table))) {
            bindCommon(statement, change);
            return statement.executeUpdate() == 1;
        }
    }

    private static void replaceChildren(Connection connection, EntityTable<?> table, CanonicalChange change)
            throws SQLException {
        EntityTable.ChildTable<?> children = table.children();
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + children.table() + " WHERE " + children.parentKeyColumn() + " = ?")) {
            delete.setString(1, change.entityKey());
            delete.executeUpdate();
        }
        if (change.isDelete()) {
            return;
        }
        List<List<Object>> rows = table.childRowsOf(change.entity());
        if (rows.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO " + children.table() + " (" + children.parentKeyColumn() + ", "
                + String.join(", ", children.columns()) + ") VALUES (?"
                + ", ?".repeat(children.columns().size()) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (List<Object> row : rows) {
                insert.setString(1, change.entityKey());
                for (int c = 0; c < row.size(); c++) {
                    bind(connection, insert, c + 2, row.get(c));
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static int bindCommon(PreparedStatement statement, CanonicalChange change) throws SQLException {
        var m = change.metadata();
        int i = 0;
        statement.setString(++i, m.getEntityKey());
        statement.setString(++i, m.getPlatform());
        statement.setString(++i, m.getStore());
        statement.setString(++i, m.getEntityType().name());
        statement.setString(++i, m.getEntityId());
        statement.setBigDecimal(++i, change.version());
        statement.setString(++i, change.versionBasis().name());
        statement.setString(++i, m.getSourceVersion());
        statement.setObject(++i, timestamp(m.getSourceUpdatedAt()));
        statement.setString(++i, m.getEventId());
        statement.setString(++i, m.getMappingVersion());
        return i;
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value instanceof Instant instant) {
            statement.setObject(index, timestamp(instant));
        } else if (value instanceof String[] texts) {
            statement.setArray(index, connection.createArrayOf("text", texts));
        } else if (value instanceof BigDecimal decimal) {
            statement.setBigDecimal(index, decimal);
        } else {
            statement.setObject(index, value);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static String upsertSql(EntityTable<?> table) {
        List<String> columns = new ArrayList<>(COMMON);
        columns.add("data");
        columns.add("content_fingerprint");
        columns.addAll(table.columns());
        String placeholders = COMMON.stream().map(c -> "?").collect(Collectors.joining(", ")) + ", ?::jsonb, ?"
                + ", ?".repeat(table.columns().size());
        return "INSERT INTO " + table.table() + " AS t (" + String.join(", ", columns)
                + ", deleted, applied_at) VALUES (" + placeholders + ", false, now())"
                + " ON CONFLICT (entity_key) DO UPDATE SET " + updates(columns)
                + ", deleted = false, applied_at = now()"
                + " WHERE excluded.version > t.version"
                // A replay after a mapping fix: the same version mapped by another mapping version, with other
                // content, replaces the row; the same content is a no-op.
                + " OR (excluded.version = t.version AND NOT t.deleted"
                + " AND excluded.mapping_version <> t.mapping_version AND excluded.data IS DISTINCT FROM t.data)";
    }

    static String tombstoneSql(EntityTable<?> table) {
        String placeholders = COMMON.stream().map(c -> "?").collect(Collectors.joining(", "));
        String clearColumns = table.columns().stream().map(c -> c + " = NULL").collect(Collectors.joining(", "));
        return "INSERT INTO " + table.table() + " AS t (" + String.join(", ", COMMON)
                + ", data, deleted, applied_at) VALUES (" + placeholders + ", NULL, true, now())"
                + " ON CONFLICT (entity_key) DO UPDATE SET " + updates(COMMON) + ", data = NULL,"
                + " content_fingerprint = NULL, " + clearColumns
                + ", deleted = true, applied_at = now()"
                + " WHERE excluded.version > t.version OR (excluded.version = t.version AND NOT t.deleted)";
    }

    private static String updates(List<String> columns) {
        return columns.stream()
                .filter(c -> !c.equals("entity_key"))
                .map(c -> c + " = excluded." + c)
                .collect(Collectors.joining(", "));
    }

    /**
     * A SQL failure, unchecked so it crosses the transactional interceptor; classified by SQLSTATE by the caller. Its
     * message leaves out PostgreSQL's DETAIL, which quotes row values.
     */
    public static final class TargetSqlException extends RuntimeException {
        TargetSqlException(SQLException cause) {
            super("SQLSTATE " + cause.getSQLState(), cause);
        }
    }
}
