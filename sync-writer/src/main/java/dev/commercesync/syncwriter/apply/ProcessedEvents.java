package dev.commercesync.syncwriter.apply;

import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.syncwriter.target.TargetWriter.ApplyResult;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The processed-event record ({@code syncwriter.processed_events}): which canonical events were handled. Every method
 * refuses to run outside a transaction (MANDATORY), so the record always commits or rolls back with the target change
 * it describes.
 */
@ApplicationScoped
public class ProcessedEvents {
    private final AgroalDataSource dataSource;

    public ProcessedEvents(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the event for this transaction.
     *
     * @return false if it was already processed (a redelivery or a duplicate): apply nothing
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(CanonicalChange change) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO syncwriter.processed_events (event_id, mapping_version, entity_key, outcome, topic,"
                                + " \"partition\", \"offset\") VALUES (?, ?, ?, 'APPLIED', ?, ?, ?)"
                                + " ON CONFLICT (event_id, mapping_version) DO NOTHING")) {
            insert.setString(1, change.eventId());
            insert.setString(2, change.metadata().getMappingVersion());
            insert.setString(3, change.entityKey());
            insert.setString(4, change.position().topic());
            insert.setInt(5, change.position().partition());
            insert.setLong(6, change.position().offset());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** Records that a claimed event turned out to be stale (the target held its version or a newer one). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markStale(CanonicalChange change) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE syncwriter.processed_events SET outcome = ? WHERE event_id = ? AND mapping_version = ?")) {
            update.setString(1, ApplyResult.STALE.name());
            update.setString(2, change.eventId());
            update.setString(3, change.metadata().getMappingVersion());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("SQLSTATE " + e.getSQLState(), e);
        }
    }
}
