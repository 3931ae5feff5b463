package dev.commercesync.reconciler.target;

import dev.commercesync.reconciler.ReconcilerConfig;
import dev.commercesync.reconciler.core.Range;
import dev.commercesync.reconciler.core.StoreRef;
import dev.commercesync.reconciler.core.TargetView;
import dev.commercesync.schemas.canonical.EntityType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The target view in SQL over sync-writer's {@code target.entity_versions} (one row per entity key: platform, store,
 * entity_type, entity_id, entity_key, version, source_version, source_updated_at, deleted, content_fingerprint). Tombstones ({@code deleted})
 * are not live: a platform lists no deleted entity. Rows without source_updated_at fall in no bucket. The relation's
 * name is configuration ({@code commercesync.reconciler.target-relation}), checked to be a plain qualified name.
 */
@ApplicationScoped
public class SyncWriterTargetSql implements TargetView {
    private final AgroalDataSource dataSource;
    private final String relation;

    public SyncWriterTargetSql(AgroalDataSource dataSource, ReconcilerConfig config) {
        if (!config.targetRelation().matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?")) {
            throw new IllegalArgumentException("target-relation must be a plain [schema.]name");
        }
        this.dataSource = dataSource;
        this.relation = config.targetRelation();
    }

    private String live() {
        return " FROM " + relation + " WHERE platform = ? AND store = ? AND entity_type = ? AND NOT deleted";
    }

    private static final String IN_RANGE = " AND source_updated_at >= ? AND source_updated_at < ?";

    @Override
    public Summary summarize(StoreRef store, EntityType type, Range range) {
        String sql = "SELECT count(*)" + live() + IN_RANGE;
        return query(sql, ps -> bind(ps, store, type, range), rs -> {
            rs.next();
            return new Summary(rs.getLong(1));
        });
    }

    @Override
    public List<Content> contents(StoreRef store, EntityType type) {
        String sql = "SELECT entity_key, entity_id, content_fingerprint" + live();
        return query(sql, ps -> bindKey(ps, store, type), rs -> {
            List<Content> result = new ArrayList<>();
            while (rs.next()) {
                long fingerprint = rs.getLong(3);
                result.add(new Content(rs.getString(1), rs.getString(2), rs.wasNull() ? null : fingerprint));
            }
            return result;
        });
    }

    @Override
    public List<Entity> list(StoreRef store, EntityType type, Range range) {
        String sql = "SELECT entity_key, entity_id, source_updated_at, source_version" + live() + IN_RANGE;
        return query(sql, ps -> bind(ps, store, type, range), SyncWriterTargetSql::entities);
    }

    @Override
    public List<Entity> find(StoreRef store, EntityType type, Collection<String> ids) {
        String sql =
                "SELECT entity_key, entity_id, source_updated_at, source_version" + live() + " AND entity_id = ANY (?)";
        return query(
                sql,
                ps -> {
                    bindKey(ps, store, type);
                    Array array = ps.getConnection().createArrayOf("text", ids.toArray());
                    ps.setArray(4, array);
                },
                SyncWriterTargetSql::entities);
    }

    @Override
    public List<Duplicate> duplicates(StoreRef store, EntityType type) {
        String sql = "SELECT entity_id, array_agg(entity_key ORDER BY entity_key)" + live()
                + " GROUP BY entity_id HAVING count(*) > 1 ORDER BY entity_id";
        return query(sql, ps -> bindKey(ps, store, type), rs -> {
            List<Duplicate> result = new ArrayList<>();
            while (rs.next()) {
                result.add(new Duplicate(
                        rs.getString(1), List.of((String[]) rs.getArray(2).getArray())));
            }
            return result;
        });
    }

    @Override
    public List<Instant> splitPoints(StoreRef store, EntityType type, Range range, int parts) {
        Double[] fractions = new Double[parts - 1];
        for (int i = 1; i < parts; i++) {
            fractions[i - 1] = (double) i / parts;
        }
        String sql = "SELECT percentile_disc(?::float8[]) WITHIN GROUP (ORDER BY source_updated_at), count(*)" + live()
                + IN_RANGE;
        return query(
                sql,
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("float8", fractions));
                    ps.setString(2, store.platform());
                    ps.setString(3, store.store());
                    ps.setString(4, type.name());
                    ps.setTimestamp(5, Timestamp.from(range.from()));
                    ps.setTimestamp(6, Timestamp.from(range.to()));
                },
                rs -> {
                    List<Instant> points = new ArrayList<>();
                    if (rs.next() && rs.getLong(2) >= parts && rs.getArray(1) != null) {
                        for (Object t : (Object[]) rs.getArray(1).getArray()) {
                            if (t instanceof Timestamp ts) {
                                points.add(ts.toInstant().truncatedTo(ChronoUnit.SECONDS));
                            }
                        }
                    }
                    return points;
                });
    }

    private static List<Entity> entities(ResultSet rs) throws SQLException {
        List<Entity> result = new ArrayList<>();
        while (rs.next()) {
            Timestamp at = rs.getTimestamp(3);
            result.add(
                    new Entity(rs.getString(1), rs.getString(2), at == null ? null : at.toInstant(), rs.getString(4)));
        }
        return result;
    }

    private static void bindKey(PreparedStatement ps, StoreRef store, EntityType type) throws SQLException {
        ps.setString(1, store.platform());
        ps.setString(2, store.store());
        ps.setString(3, type.name());
    }

    private static void bind(PreparedStatement ps, StoreRef store, EntityType type, Range range) throws SQLException {
        bindKey(ps, store, type);
        ps.setTimestamp(4, Timestamp.from(range.from()));
        ps.setTimestamp(5, Timestamp.from(range.to()));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new TargetUnavailableException("target query failed: " + e.getSQLState(), e);
        }
    }

    /** The target database failed a query. */
    public static final class TargetUnavailableException extends RuntimeException {
        TargetUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
