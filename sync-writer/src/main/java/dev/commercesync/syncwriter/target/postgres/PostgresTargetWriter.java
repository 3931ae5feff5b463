package dev.commercesync.syncwriter.target.postgres;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.content.CanonicalJson;
import dev.commercesync.schemas.content.ContentFingerprint;
import dev.commercesync.syncwriter.apply.JdbcBatches;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>a batch's changes are written with a few JDBC batches ({@link #applyAll}), each change with the result it
 *       would have had alone, in the batch's order;
 *   <li>each live row keeps the {@link ContentFingerprint} of its entity, which the reconciler compares for types a
 *       platform lists without updated-at;
 *   <li>privacy requests hold (docs/privacy.md): an event received before its store's shop redaction is a no-op
 *       (STALE), and the personal data of a redacted customer is masked again in the same transaction
 *       ({@link PersonalData}).
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

    private static final Map<EntityType, String> UPSERT_SQL = new EnumMap<>(EntityType.class);
    private static final Map<EntityType, String> TOMBSTONE_SQL = new EnumMap<>(EntityType.class);

    static {
        EntityTables.BY_TYPE.forEach((type, table) -> {
            UPSERT_SQL.put(type, upsertSql(table));
            TOMBSTONE_SQL.put(type, tombstoneSql(table));
        });
    }

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
        return applyAll(List.of(change)).get(0);
    }

    /**
     * Applies the changes with one JDBC batch per table and operation (upsert or tombstone), then replaces the children
     * of the entities applied, once per entity. The statements of one JDBC batch run in order, so versions of one
     * entity applied by the same statement kind are guarded against each other as one by one; where an entity's
     * operation changes within the batch (an upsert, then a delete), the later ones go into a later round of batches.
     * Children are replaced by those of the entity's last applied version (none for a tombstone): what replacing them
     * at each applied version leaves.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ApplyResult> applyAll(List<CanonicalChange> changes) {
        ApplyResult[] results = new ApplyResult[changes.size()];
        if (changes.isEmpty()) {
            return List.of();
        }
        try (Connection connection = dataSource.getConnection()) {
            Map<String, PersonalData.StoreRedactions> redactions = new HashMap<>();
            for (int i = 0; i < changes.size(); i++) {
                var m = changes.get(i).metadata();
                String store = m.getPlatform() + "/" + m.getStore();
                PersonalData.StoreRedactions r = redactions.get(store);
                if (r == null) {
                    r = PersonalData.redactions(connection, m.getPlatform(), m.getStore());
                    redactions.put(store, r);
                }
                if (r.removedAfter(m.getReceivedAt())) {
                    results[i] = ApplyResult.STALE; // received before its store's shop redaction
                }
            }
            for (List<Integer> round : rounds(changes, results)) {
                applyRound(connection, changes, round, results);
            }
            replaceChildren(connection, changes, results);
            for (int i = 0; i < changes.size(); i++) {
                CanonicalChange change = changes.get(i);
                var m = change.metadata();
                if (results[i] == ApplyResult.APPLIED
                        && !change.isDelete()
                        && redactions.get(m.getPlatform() + "/" + m.getStore()).customers()) {
                    PersonalData.keepRedacted(connection, m.getEntityType(), change.entityKey());
                }
            }
        } catch (SQLException e) {
            throw new TargetSqlException(e);
        }
        return Arrays.asList(results);
    }

    /**
     * Splits the batch into rounds: a change goes into its entity's previous change's round when both are upserts or
     * both deletes, otherwise into the next round. Usually one round.
     */
    private static Collection<List<Integer>> rounds(List<CanonicalChange> changes, ApplyResult[] decided) {
        Map<String, Integer> roundOf = new HashMap<>();
        Map<String, Boolean> deleteOf = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (decided[i] != null) {
                continue;
            }
            CanonicalChange change = changes.get(i);
            Integer previous = roundOf.get(change.entityKey());
            int round = previous == null
                    ? 0
                    : deleteOf.get(change.entityKey()) == change.isDelete() ? previous : previous + 1;
            roundOf.put(change.entityKey(), round);
            deleteOf.put(change.entityKey(), change.isDelete());
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(i);
        }
        return rounds;
    }

    /** One JDBC batch per table and operation, each in the batch's order. */
    private static void applyRound(
            Connection connection, List<CanonicalChange> changes, List<Integer> round, ApplyResult[] results)
            throws SQLException {
        Map<String, List<Integer>> bySql = new LinkedHashMap<>();
        for (int i : round) {
            CanonicalChange change = changes.get(i);
            EntityTable<?> table = EntityTables.BY_TYPE.get(change.metadata().getEntityType());
            bySql.computeIfAbsent(
                            change.isDelete() ? TOMBSTONE_SQL.get(table.type()) : UPSERT_SQL.get(table.type()),
                            k -> new ArrayList<>())
                    .add(i);
        }
        for (Map.Entry<String, List<Integer>> statement : bySql.entrySet()) {
            try (PreparedStatement batch = connection.prepareStatement(statement.getKey())) {
                for (int i : statement.getValue()) {
                    CanonicalChange change = changes.get(i);
                    if (change.isDelete()) {
                        bindCommon(batch, change);
                    } else {
                        bindUpsert(connection, batch, change);
                    }
                    batch.addBatch();
                }
                int[] rows = JdbcBatches.rowCounts(batch.executeBatch());
                for (int n = 0; n < rows.length; n++) {
                    results[statement.getValue().get(n)] = rows[n] == 1 ? ApplyResult.APPLIED : ApplyResult.STALE;
                }
            }
        }
    }

    private static void bindUpsert(Connection connection, PreparedStatement statement, CanonicalChange change)
            throws SQLException {
        EntityTable<?> table = EntityTables.BY_TYPE.get(change.metadata().getEntityType());
        int i = bindCommon(statement, change);
        statement.setString(++i, CanonicalJson.renderCompact(change.entity()));
        statement.setLong(++i, ContentFingerprint.of(change.entity()));
        for (Object value : table.valuesOf(change.entity())) {
            bind(connection, statement, ++i, value);
        }
    }

    /** Per child table: one delete of the applied entities' children, one JDBC batch inserting the new ones. */
    private static void replaceChildren(Connection connection, List<CanonicalChange> changes, ApplyResult[] results)
            throws SQLException {
        Map<String, CanonicalChange> lastApplied = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            CanonicalChange change = changes.get(i);
            if (results[i] == ApplyResult.APPLIED
                    && EntityTables.BY_TYPE
                                    .get(change.metadata().getEntityType())
                                    .children()
                            != null) {
                lastApplied.remove(change.entityKey()); // keep the batch's order of the last versions
                lastApplied.put(change.entityKey(), change);
            }
        }
        Map<EntityTable<?>, List<CanonicalChange>> byTable = new LinkedHashMap<>();
        for (CanonicalChange change : lastApplied.values()) {
            byTable.computeIfAbsent(EntityTables.BY_TYPE.get(change.metadata().getEntityType()), t -> new ArrayList<>())
                    .add(change);
        }
        for (Map.Entry<EntityTable<?>, List<CanonicalChange>> entry : byTable.entrySet()) {
            replaceChildren(connection, entry.getKey(), entry.getValue());
        }
    }

    private static void replaceChildren(Connection connection, EntityTable<?> table, List<CanonicalChange> parents)
            throws SQLException {
        EntityTable.ChildTable<?> children = table.children();
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + children.table() + " WHERE " + children.parentKeyColumn() + " = ANY (?)")) {
            delete.setArray(
                    1,
                    connection.createArrayOf(
                            "text",
                            parents.stream().map(CanonicalChange::entityKey).toArray(String[]::new)));
            delete.executeUpdate();
        }
        String sql = "INSERT INTO " + children.table() + " (" + children.parentKeyColumn() + ", "
                + String.join(", ", children.columns()) + ") VALUES (?"
                + ", ?".repeat(children.columns().size()) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int rows = 0;
            for (CanonicalChange parent : parents) {
                if (parent.isDelete()) {
                    continue;
                }
                for (List<Object> row : table.childRowsOf(parent.entity())) {
                    insert.setString(1, parent.entityKey());
                    for (int c = 0; c < row.size(); c++) {
                        bind(connection, insert, c + 2, row.get(c));
                    }
                    insert.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                JdbcBatches.rowCounts(insert.executeBatch());
            }
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
