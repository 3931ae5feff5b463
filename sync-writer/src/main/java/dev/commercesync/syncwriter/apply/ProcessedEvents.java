package dev.commercesync.syncwriter.apply;

import dev.commercesync.syncwriter.consume.CanonicalChange;
import dev.commercesync.syncwriter.target.TargetWriter.ApplyResult;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The processed-event record ({@code syncwriter.processed_events}): which canonical events were handled. Each method
 * writes a whole batch's events in one JDBC batch, and refuses to run outside a transaction (MANDATORY), so the record
 * always commits or rolls back with the target change it describes.
 */
@ApplicationScoped
public class ProcessedEvents {
    private final AgroalDataSource dataSource;

    public ProcessedEvents(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the events for this transaction, in their order: an event id (and mapping version) already processed — a
     * redelivery, or the same event earlier in {@code changes} — is not claimed again.
     *
     * @return per change, whether it was claimed; false: apply nothing
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean[] claim(List<CanonicalChange> changes) {
        boolean[] claimed = new boolean[changes.size()];
        if (changes.isEmpty()) {
            return claimed;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO syncwriter.processed_events (event_id, mapping_version, entity_key, outcome, topic,"
                                + " \"partition\", \"offset\") VALUES (?, ?, ?, 'APPLIED', ?, ?, ?)"
                                + " ON CONFLICT (event_id, mapping_version) DO NOTHING")) {
            for (CanonicalChange change : changes) {
                insert.setString(1, change.eventId());
                insert.setString(2, change.metadata().getMappingVersion());
                insert.setString(3, change.entityKey());
                insert.setString(4, change.position().topic());
                insert.setInt(5, change.position().partition());
                insert.setLong(6, change.position().offset());
                insert.addBatch();
            }
            int[] rows = JdbcBatches.rowCounts(insert.executeBatch());
            for (int i = 0; i < rows.length; i++) {
                claimed[i] = rows[i] == 1;
            }
            return claimed;
        } catch (SQLException e) {
            throw new IllegalStateException("SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** Records that claimed events turned out to be stale (the target held their version or a newer one). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markStale(List<CanonicalChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE syncwriter.processed_events SET outcome = ? WHERE event_id = ? AND mapping_version = ?")) {
            for (CanonicalChange change : changes) {
                update.setString(1, ApplyResult.STALE.name());
                update.setString(2, change.eventId());
                update.setString(3, change.metadata().getMappingVersion());
                update.addBatch();
            }
            JdbcBatches.rowCounts(update.executeBatch());
        } catch (SQLException e) {
            throw new IllegalStateException("SQLSTATE " + e.getSQLState(), e);
        }
    }
}
