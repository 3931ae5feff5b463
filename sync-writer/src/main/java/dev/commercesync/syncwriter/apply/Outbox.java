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

/**
 * The transactional outbox ({@code syncwriter.outbox}): one row per applied change, in the transaction that applied
 * it. The row is inserted and deleted again at once (Debezium's outbox pattern): the insert is in the WAL, which the
 * outbox relay streams to commerce.applied.v1, and the table stays empty.
 */
@ApplicationScoped
public class Outbox {
    private final AgroalDataSource dataSource;

    public Outbox(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(CanonicalChange change, String target) {
        var m = change.metadata();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO syncwriter.outbox (event_id, entity_key, platform, store, entity_type,"
                                + " entity_id, operation, version, version_basis, source_version, source_updated_at,"
                                + " mapping_version, target, applied_at, event_topic, event_partition, event_offset)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?, ?) RETURNING id");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM syncwriter.outbox WHERE id = ?")) {
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
                    m.getSourceUpdatedAt() == null
                            ? null
                            : m.getSourceUpdatedAt().atOffset(ZoneOffset.UTC));
            insert.setString(++i, m.getMappingVersion());
            insert.setString(++i, target);
            insert.setString(++i, change.position().topic());
            insert.setInt(++i, change.position().partition());
            insert.setLong(++i, change.position().offset());
            // Two statements: a DELETE in the same statement as the INSERT (a data-modifying WITH) would not see the
            // row.
            try (ResultSet inserted = insert.executeQuery()) {
                inserted.next();
                delete.setLong(1, inserted.getLong(1));
            }
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("SQLSTATE " + e.getSQLState(), e);
        }
    }
}
