package dev.commercesync.syncwriter.apply;

import dev.commercesync.syncwriter.consume.CanonicalChange;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The transactional outbox ({@code syncwriter.outbox}): one row per applied change, in the transaction that applied
 * it. The rows are inserted and deleted again at once (Debezium's outbox pattern): the inserts are in the WAL, which
 * the outbox relay streams to commerce.applied.v1, and the table stays empty. A batch's rows take two statements: the
 * inserts as one JDBC batch, in the changes' order, then one delete of them all.
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT = "INSERT INTO syncwriter.outbox (event_id, entity_key, platform, store,"
            + " entity_type, entity_id, operation, version, version_basis, source_version, source_updated_at,"
            + " mapping_version, target, applied_at, event_topic, event_partition, event_offset)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?)";

    private final AgroalDataSource dataSource;

    public Outbox(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(List<CanonicalChange> changes, String target) {
        if (changes.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"});
                PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM syncwriter.outbox WHERE id = ANY (?)")) {
            for (CanonicalChange change : changes) {
                bind(insert, change, target);
                insert.addBatch();
            }
            JdbcBatches.rowCounts(insert.executeBatch());
            Long[] ids = new Long[changes.size()];
            int n = 0;
            try (ResultSet inserted = insert.getGeneratedKeys()) {
                while (inserted.next()) {
                    ids[n++] = inserted.getLong(1);
                }
            }
            if (n != ids.length) {
                throw new IllegalStateException(n + " outbox ids for " + ids.length + " rows");
            }
            // Two statements: a DELETE in the same statement as the INSERT (a data-modifying WITH) would not see the
            // rows.
            delete.setArray(1, connection.createArrayOf("bigint", ids));
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("SQLSTATE " + e.getSQLState(), e);
        }
    }

    private static void bind(PreparedStatement insert, CanonicalChange change, String target) throws SQLException {
        var m = change.metadata();
        int i = 0;
        insert.setString(++i, m.getEventId());
        insert.setString(++i, m.getEntityKey());
        insert.setString(++i, m.getPlatform());
        insert.setString(++i, m.getStore());
        insert.setString(++i, m.getEntityType().name());
        insert.setString(++i, m.getEntityId());
        insert.setString(++i, m.getOperation().name());
        insert.setString(++i, change.version().toPlainString());
        insert.setString(++i, change.versionBasis().name());
        insert.setString(++i, m.getSourceVersion());
        insert.setObject(
                ++i,
                m.getSourceUpdatedAt() == null ? null : m.getSourceUpdatedAt().atOffset(ZoneOffset.UTC));
        insert.setString(++i, m.getMappingVersion());
        insert.setString(++i, target);
        insert.setString(++i, change.position().topic());
        insert.setInt(++i, change.position().partition());
        insert.setLong(++i, change.position().offset());
    }
}
