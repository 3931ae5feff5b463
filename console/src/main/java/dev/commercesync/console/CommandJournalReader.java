package dev.commercesync.console;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The poller's command journal ({@code <schema>.command_journal}, the poller's migration {@code V2__command_journal.sql}),
 * read only, in plain JDBC like {@link dev.commercesync.opstate.OperationalStates}: one statement per call, the
 * connection closed before anything else happens (no connection is held while Kafka is read). A failure (PostgreSQL
 * away, the table not migrated yet) is an {@link IllegalStateException}. Never reads {@code resulting_state}.
 */
@ApplicationScoped
public class CommandJournalReader {
    /** The states a command may still leave (the executor works on it). */
    public static final Set<String> OPEN = Set.of("RECEIVED", "IN_FLIGHT", "AMBIGUOUS");
    /** The final states of a command that was not applied: the ones an operator may resend. */
    public static final Set<String> NOT_APPLIED = Set.of("FAILED", "EXPIRED", "REJECTED");
    /** Every state (the table's check constraint). */
    public static final Set<String> STATES =
            Set.of("RECEIVED", "IN_FLIGHT", "AMBIGUOUS", "APPLIED", "REJECTED", "EXPIRED", "FAILED");

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String COLUMNS =
            "command_id, platform, store_id, command_key, kind, state, attempts, deadline,"
                    + " platform_request_ids, reason, last_error_class, last_error, received_at, updated_at, completed_at,"
                    + " result_published";

    /**
     * One row, without {@code resulting_state}.
     *
     * @param command the command as received (Avro JSON); null in listings
     */
    public record Row(
            String commandId,
            String platform,
            String store,
            String commandKey,
            String kind,
            String state,
            int attempts,
            Instant deadline,
            List<String> platformRequestIds,
            String reason,
            String lastErrorClass,
            String lastError,
            Instant receivedAt,
            Instant updatedAt,
            Instant completedAt,
            boolean resultPublished,
            String command) {}

    /** Which commands; a null field matches every value. @param state one of {@link #STATES} */
    public record Filter(String platform, String store, String state, String kind) {
        /** @throws IllegalArgumentException when the state is none of {@link #STATES} */
        public Filter {
            platform = Filters.any(platform);
            store = Filters.any(store);
            state = Filters.any(state);
            kind = Filters.any(kind);
            if (state != null && !STATES.contains(state)) {
                throw new IllegalArgumentException("state " + state + " is not one of " + STATES);
            }
        }
    }

    /** Commands of one store by state group. */
    public record Counts(int open, int notApplied) {}

    private final AgroalDataSource dataSource;
    private final String table;

    public CommandJournalReader(
            AgroalDataSource dataSource,
            @ConfigProperty(name = "commercesync.console.command-journal-schema", defaultValue = "poller")
                    String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException(
                    "commercesync.console.command-journal-schema is not a schema name: " + schema);
        }
        this.dataSource = dataSource;
        this.table = schema + ".command_journal";
    }

    /** The filter's commands, newest first (order of arrival), {@code limit} from {@code offset}. */
    public List<Row> list(Filter filter, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", NULL AS command FROM " + table + " WHERE true");
        List<String> parameters = new ArrayList<>();
        condition(sql, parameters, "platform", filter.platform());
        condition(sql, parameters, "store_id", filter.store());
        condition(sql, parameters, "state", filter.state());
        condition(sql, parameters, "kind", filter.kind());
        sql.append(" ORDER BY received_seq DESC LIMIT ")
                .append(limit)
                .append(" OFFSET ")
                .append(offset);
        return query(sql.toString(), parameters);
    }

    public Optional<Row> find(String commandId) {
        return query("SELECT " + COLUMNS + ", command FROM " + table + " WHERE command_id = ?", List.of(commandId))
                .stream()
                .findFirst();
    }

    /** How many of the store's commands are open and how many ended without being applied. */
    public Counts counts(String platform, String store) {
        String sql = "SELECT count(*) FILTER (WHERE state IN ('RECEIVED', 'IN_FLIGHT', 'AMBIGUOUS')),"
                + " count(*) FILTER (WHERE state IN ('FAILED', 'EXPIRED', 'REJECTED'))"
                + " FROM " + table + " WHERE platform = ? AND store_id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, platform);
            s.setString(2, store);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new Counts(r.getInt(1), r.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + table + " failed: " + e.getMessage(), e);
        }
    }

    private static void condition(StringBuilder sql, List<String> parameters, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            parameters.add(value);
        }
    }

    private List<Row> query(String sql, List<String> parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                s.setString(i + 1, parameters.get(i));
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new Row(
                            r.getString("command_id"),
                            r.getString("platform"),
                            r.getString("store_id"),
                            r.getString("command_key"),
                            r.getString("kind"),
                            r.getString("state"),
                            r.getInt("attempts"),
                            instant(r, "deadline"),
                            strings(r.getArray("platform_request_ids")),
                            r.getString("reason"),
                            r.getString("last_error_class"),
                            r.getString("last_error"),
                            instant(r, "received_at"),
                            instant(r, "updated_at"),
                            instant(r, "completed_at"),
                            r.getBoolean("result_published"),
                            r.getString("command")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + table + " failed: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
