package dev.commercesync.poller.polling;

import dev.commercesync.poller.StoreKey;
import dev.commercesync.schemas.canonical.EntityType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoints in PostgreSQL ({@code poller.checkpoint}): per store × resource, the source updated-at up to which
 * every entity has been acknowledged by Kafka. The cursor only moves forward. A type listed as a snapshot has no
 * cursor: its row records only the end of its last complete listing ({@code last_success_at}).
 */
@ApplicationScoped
public class Checkpoints {

    /** @param cursor null before the first page of the first run was stored */
    public record Checkpoint(
            StoreKey store, EntityType entityType, Instant cursor, Instant lastSuccessAt, Instant updatedAt) {}

    private final AgroalDataSource dataSource;

    public Checkpoints(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Checkpoint> find(StoreKey store, EntityType type) {
        String sql = "SELECT platform, store_id, entity_type, cursor_at, last_success_at, updated_at"
                + " FROM poller.checkpoint WHERE platform = ? AND store_id = ? AND entity_type = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, store.platform());
            s.setString(2, store.store());
            s.setString(3, type.name());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the checkpoint of " + store + " " + type + " failed", e);
        }
    }

    public List<Checkpoint> forStore(StoreKey store) {
        String sql = "SELECT platform, store_id, entity_type, cursor_at, last_success_at, updated_at"
                + " FROM poller.checkpoint WHERE platform = ? AND store_id = ? ORDER BY entity_type";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, store.platform());
            s.setString(2, store.store());
            List<Checkpoint> result = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    result.add(row(r));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the checkpoints of " + store + " failed", e);
        }
    }

    /** Moves the cursor forward to {@code cursor} (never back): every entity updated before it is on Kafka. */
    public void advance(StoreKey store, EntityType type, Instant cursor) {
        upsert(store, type, cursor, null);
    }

    /** A run completed: the cursor moves forward to {@code cursor} (when not null) and the run's end is recorded. */
    public void completeRun(StoreKey store, EntityType type, Instant cursor, Instant completedAt) {
        upsert(store, type, cursor, completedAt);
    }

    private void upsert(StoreKey store, EntityType type, Instant cursor, Instant completedAt) {
        String sql = "INSERT INTO poller.checkpoint AS cp (platform, store_id, entity_type, cursor_at, last_success_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, now())"
                + " ON CONFLICT (platform, store_id, entity_type) DO UPDATE SET"
                + " cursor_at = GREATEST(cp.cursor_at, EXCLUDED.cursor_at),"
                + " last_success_at = COALESCE(EXCLUDED.last_success_at, cp.last_success_at),"
                + " updated_at = now()";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, store.platform());
            s.setString(2, store.store());
            s.setString(3, type.name());
            s.setTimestamp(4, cursor == null ? null : Timestamp.from(cursor));
            s.setTimestamp(5, completedAt == null ? null : Timestamp.from(completedAt));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the checkpoint of " + store + " " + type + " failed", e);
        }
    }

    private static Checkpoint row(ResultSet r) throws SQLException {
        return new Checkpoint(
                new StoreKey(r.getString("platform"), r.getString("store_id")),
                EntityType.valueOf(r.getString("entity_type")),
                instant(r.getTimestamp("cursor_at")),
                instant(r.getTimestamp("last_success_at")),
                instant(r.getTimestamp("updated_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
