package dev.commercesync.syncwriter.target.postgres;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.PrivacyRequestKind;
import dev.commercesync.syncwriter.target.postgres.PostgresTargetWriter.TargetSqlException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records platforms' privacy requests in {@code syncwriter.privacy_requests} and carries out the redactions in the same
 * transaction (docs/privacy.md): a {@code CUSTOMER_REDACT} masks the customer's personal data ({@link PersonalData}), a
 * {@code SHOP_REDACT} removes every target row of the store, a {@code CUSTOMER_DATA_REQUEST} is recorded, its data
 * exportable ({@link #export}). A redelivered request (same id) changes nothing.
 */
@ApplicationScoped
public class PrivacyRequests {
    private static final Logger LOG = Logger.getLogger(PrivacyRequests.class);

    /**
     * One request as an operator sees it, without personal data: RECEIVED until carried out (a data request: until its
     * export was marked sent), then DONE; overdue when still open after the platform's deadline.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Status(
            String requestId,
            String platform,
            String store,
            String kind,
            String status,
            boolean overdue,
            List<String> orderIds,
            Instant receivedAt,
            Instant dueAt,
            Instant doneAt,
            Integer rowsAffected) {}

    private final AgroalDataSource dataSource;

    public PrivacyRequests(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records the request and carries it out, all in one new transaction.
     *
     * @return false for a request recorded before (a redelivery): nothing was done
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean carryOut(PrivacyRequest request) {
        try (Connection connection = dataSource.getConnection()) {
            if (!insert(connection, request)) {
                return false;
            }
            Integer rows =
                    switch (request.getKind()) {
                        case CUSTOMER_REDACT -> PersonalData.redact(connection, request.getRequestId());
                        case SHOP_REDACT ->
                            PersonalData.removeStore(connection, request.getPlatform(), request.getStore());
                        // Done when an operator marks the export sent to the merchant.
                        case CUSTOMER_DATA_REQUEST -> null;
                    };
            if (rows != null) {
                try (PreparedStatement done = connection.prepareStatement("UPDATE syncwriter.privacy_requests"
                        + " SET done_at = now(), rows_affected = ? WHERE request_id = ?")) {
                    done.setInt(1, rows);
                    done.setString(2, request.getRequestId());
                    done.executeUpdate();
                }
            }
            LOG.infof(
                    "privacy request %s of %s/%s recorded%s",
                    request.getKind(),
                    request.getPlatform(),
                    request.getStore(),
                    rows == null ? "; its export is due " + request.getDueAt() : " and done: " + rows + " rows");
            return true;
        } catch (SQLException e) {
            throw new TargetSqlException(e);
        }
    }

    private static boolean insert(Connection connection, PrivacyRequest request) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO syncwriter.privacy_requests"
                + " (request_id, platform, store, kind, customer_key_hash, order_ids, received_at, due_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING")) {
            insert.setString(1, request.getRequestId());
            insert.setString(2, request.getPlatform());
            insert.setString(3, request.getStore());
            insert.setString(4, request.getKind().name());
            insert.setString(5, request.getCustomerKeyHash());
            insert.setArray(
                    6, connection.createArrayOf("text", request.getOrderIds().toArray()));
            insert.setObject(7, utc(request.getReceivedAt()));
            insert.setObject(8, utc(request.getDueAt()));
            return insert.executeUpdate() == 1;
        }
    }

    /** The store's requests (or all, without a store), newest first, at most 1,000. */
    public List<Status> list(Optional<String> platform, Optional<String> store) {
        return query(
                "(?::text IS NULL OR platform = ?) AND (?::text IS NULL OR store = ?)",
                platform.orElse(null),
                platform.orElse(null),
                store.orElse(null),
                store.orElse(null));
    }

    public Optional<Status> find(String requestId) {
        return query("request_id = ?", requestId).stream().findFirst();
    }

    private List<Status> query(String where, String... parameters) {
        String sql = "SELECT request_id, platform, store, kind, order_ids, received_at, due_at, done_at, rows_affected"
                + " FROM syncwriter.privacy_requests WHERE " + where + " ORDER BY received_at DESC LIMIT 1000";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<Status> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(status(rows));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new TargetSqlException(e);
        }
    }

    /**
     * What the target holds of a data request's customer: their customer row and the orders of theirs or listed in the
     * request, each as the canonical JSON the target keeps ({@code data}), by entity key. Empty for another kind.
     */
    public Optional<Map<String, Object>> export(String requestId) {
        String sql = "SELECT t.entity_key, t.data::text FROM target.customers t JOIN syncwriter.privacy_requests r"
                + " ON r.platform = t.platform AND r.store = t.store"
                + " WHERE r.request_id = ? AND r.kind = 'CUSTOMER_DATA_REQUEST' AND t.data IS NOT NULL"
                + " AND r.customer_key_hash = encode(sha256(convert_to(t.entity_key, 'UTF8')), 'hex')"
                + " UNION ALL SELECT t.entity_key, t.data::text FROM target.orders t JOIN syncwriter.privacy_requests r"
                + " ON r.platform = t.platform AND r.store = t.store"
                + " WHERE r.request_id = ? AND r.kind = 'CUSTOMER_DATA_REQUEST' AND t.data IS NOT NULL"
                + " AND (t.entity_id = ANY (r.order_ids) OR r.customer_key_hash = encode(sha256(convert_to("
                + "t.platform || '/' || t.store || '/customer/' || t.customer_id, 'UTF8')), 'hex'))";
        Optional<Status> request =
                find(requestId).filter(s -> s.kind().equals(PrivacyRequestKind.CUSTOMER_DATA_REQUEST.name()));
        if (request.isEmpty()) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, requestId);
            statement.setString(2, requestId);
            Map<String, String> entities = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entities.put(rows.getString(1), rows.getString(2));
                }
            }
            Map<String, Object> export = new LinkedHashMap<>();
            export.put("request", request.get());
            export.put("entities", entities);
            return Optional.of(export);
        } catch (SQLException e) {
            throw new TargetSqlException(e);
        }
    }

    /** Marks a data request's export as sent to the merchant; false when no such open data request exists. */
    public boolean markExported(String requestId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("UPDATE syncwriter.privacy_requests"
                        + " SET done_at = now() WHERE request_id = ? AND kind = 'CUSTOMER_DATA_REQUEST'"
                        + " AND done_at IS NULL")) {
            statement.setString(1, requestId);
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new TargetSqlException(e);
        }
    }

    private static Status status(ResultSet rows) throws SQLException {
        Array orderIds = rows.getArray("order_ids");
        Integer affected = (Integer) rows.getObject("rows_affected");
        Instant dueAt = instant(rows, "due_at");
        Instant doneAt = instant(rows, "done_at");
        return new Status(
                rows.getString("request_id"),
                rows.getString("platform"),
                rows.getString("store"),
                rows.getString("kind"),
                doneAt != null ? "DONE" : "RECEIVED",
                doneAt == null && Instant.now().isAfter(dueAt),
                List.of((String[]) orderIds.getArray()),
                instant(rows, "received_at"),
                dueAt,
                doneAt,
                affected);
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
