package dev.commercesync.poller.commands;

import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
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

/**
 * The command journal in PostgreSQL ({@code poller.command_journal}, migration {@code V2__command_journal.sql}): one
 * row per {@code command_id}, its state, attempts, the platform's request ids, the last error and the outcome, and
 * whether its result is on Kafka yet. Every method is one statement; a failure (PostgreSQL away) is an {@link
 * IllegalStateException}, which the executor waits out.
 */
@ApplicationScoped
public class CommandJournal {

    /** A command's state in the journal. */
    public enum State {
        /** Journaled; no request under way (none sent yet, or the last one surely did not apply). */
        RECEIVED,
        /** A request is, or may have been, sent: after a crash it is read back before anything else. */
        IN_FLIGHT,
        /** An attempt failed after it may have been applied (timeout, 5xx): read back before any retry. */
        AMBIGUOUS,
        APPLIED,
        REJECTED,
        EXPIRED,
        FAILED;

        public boolean isFinal() {
            return ordinal() >= APPLIED.ordinal();
        }

        /** Whether a request may have reached the platform without an answer: read back first. */
        public boolean mayBeApplied() {
            return this == IN_FLIGHT || this == AMBIGUOUS;
        }
    }

    /** One row. {@code command} is the Avro JSON encoding of the command. */
    public record Entry(
            String commandId,
            String platform,
            String store,
            String commandKey,
            String kind,
            State state,
            int attempts,
            Instant deadline,
            Instant nextAttemptAt,
            List<String> platformRequestIds,
            String reason,
            String lastErrorClass,
            String lastError,
            String resultingState,
            String command,
            Instant receivedAt,
            Instant updatedAt,
            Instant completedAt,
            boolean resultPublished) {}

    /** The oldest open command of one command key, and when it is due. */
    public record Head(String commandId, String commandKey, Instant nextAttemptAt) {}

    /** A final outcome. */
    public record Outcome(
            State state,
            String reason,
            String errorClass,
            String error,
            String resultingState,
            Optional<String> platformRequestId) {}

    private static final String COLUMNS =
            "command_id, platform, store_id, command_key, kind, state, attempts, deadline,"
                    + " next_attempt_at, platform_request_ids, reason, last_error_class, last_error, resulting_state,"
                    + " command::text, received_at, updated_at, completed_at, result_published";
    private static final String OPEN = "('RECEIVED', 'IN_FLIGHT', 'AMBIGUOUS')";

    private final AgroalDataSource dataSource;

    public CommandJournal(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Journals a command as RECEIVED unless its id is known.
     *
     * @return whether it was new (false: the same command_id was received before; the first one stands)
     */
    public boolean receive(Command command) {
        CommandMetadata m = command.getMetadata();
        String kind = kindOf(command);
        String sql = "INSERT INTO poller.command_journal (command_id, platform, store_id, command_key, kind, state,"
                + " deadline, command) VALUES (?, ?, ?, ?, ?, 'RECEIVED', ?, ?) ON CONFLICT (command_id) DO NOTHING";
        return update(sql, "journaling " + m.getCommandId(), s -> {
                    s.setString(1, m.getCommandId());
                    s.setString(2, m.getPlatform());
                    s.setString(3, m.getStore());
                    s.setString(4, m.getCommandKey());
                    s.setString(5, kind);
                    s.setTimestamp(6, Timestamp.from(m.getDeadline()));
                    s.setString(7, CommandJson.toAvroJson(command));
                })
                == 1;
    }

    private static String kindOf(Command command) {
        try {
            return CommandKind.of(command).name();
        } catch (IllegalArgumentException e) {
            return "UNKNOWN";
        }
    }

    public Optional<Entry> find(String commandId) {
        String sql = "SELECT " + COLUMNS + " FROM poller.command_journal WHERE command_id = ?";
        List<Entry> rows = query(sql, "reading " + commandId, s -> s.setString(1, commandId));
        return rows.stream().findFirst();
    }

    /** The oldest open command of every command key (due or not), at most {@code limit} keys. */
    public List<Head> openHeads(int limit) {
        String sql = "SELECT DISTINCT ON (command_key) command_id, command_key, next_attempt_at"
                + " FROM poller.command_journal WHERE state IN " + OPEN
                + " ORDER BY command_key, received_seq LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, limit);
            List<Head> heads = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    heads.add(new Head(
                            r.getString(1), r.getString(2), r.getTimestamp(3).toInstant()));
                }
            }
            return heads;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the open commands failed", e);
        }
    }

    /** Final rows whose result is not on Kafka yet, oldest first. */
    public List<Entry> unpublished(int limit) {
        String sql = "SELECT " + COLUMNS + " FROM poller.command_journal"
                + " WHERE result_published = false AND completed_at IS NOT NULL ORDER BY completed_at, received_seq LIMIT ?";
        return query(sql, "reading unpublished results", s -> s.setInt(1, limit));
    }

    /** A request is about to be sent: IN_FLIGHT, one more attempt. */
    public void inFlight(String commandId) {
        String sql = "UPDATE poller.command_journal SET state = 'IN_FLIGHT', attempts = attempts + 1,"
                + " updated_at = now() WHERE command_id = ? AND state IN " + OPEN;
        requireOne(update(sql, "marking " + commandId + " in flight", s -> s.setString(1, commandId)), commandId);
    }

    /**
     * The command is still open: its new state (RECEIVED, AMBIGUOUS; or unchanged when null), the last failure, and
     * when it is due next.
     */
    public void pending(String commandId, State state, String errorClass, String error, Instant nextAttemptAt) {
        String sql = "UPDATE poller.command_journal SET state = COALESCE(?, state), last_error_class = ?,"
                + " last_error = ?, next_attempt_at = ?, updated_at = now() WHERE command_id = ? AND state IN " + OPEN;
        update(sql, "updating " + commandId, s -> {
            s.setString(1, state == null ? null : state.name());
            s.setString(2, errorClass);
            s.setString(3, error);
            s.setTimestamp(4, Timestamp.from(nextAttemptAt));
            s.setString(5, commandId);
        });
    }

    /**
     * Records the final outcome, once: a row already final keeps its first outcome.
     *
     * @return whether this call made it final
     */
    public boolean finish(String commandId, Outcome outcome) {
        // An earlier failure's class and text stay when the outcome has none (an APPLIED after a read-back).
        String sql = "UPDATE poller.command_journal SET state = ?, reason = ?,"
                + " last_error_class = COALESCE(?, last_error_class), last_error = COALESCE(?, last_error),"
                + " resulting_state = ?, platform_request_ids = platform_request_ids || ?::text[],"
                + " completed_at = now(), updated_at = now(), result_published = false"
                + " WHERE command_id = ? AND state IN " + OPEN;
        return update(sql, "finishing " + commandId, s -> {
                    s.setString(1, outcome.state().name());
                    s.setString(2, outcome.reason());
                    s.setString(3, outcome.errorClass());
                    s.setString(4, outcome.error());
                    s.setString(5, outcome.resultingState());
                    s.setArray(
                            6,
                            s.getConnection()
                                    .createArrayOf(
                                            "text",
                                            outcome.platformRequestId().stream().toArray(String[]::new)));
                    s.setString(7, commandId);
                })
                == 1;
    }

    /** The command's result is on Kafka. */
    public void published(String commandId) {
        update(
                "UPDATE poller.command_journal SET result_published = true WHERE command_id = ?",
                "marking the result of " + commandId + " published",
                s -> s.setString(1, commandId));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private int update(String sql, String what, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(what + " in the command journal failed", e);
        }
    }

    private static void requireOne(int rows, String commandId) {
        if (rows != 1) {
            throw new IllegalStateException("command " + commandId + " is not open in the journal");
        }
    }

    private List<Entry> query(String sql, String what, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            List<Entry> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(entry(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(what + " in the command journal failed", e);
        }
    }

    private static Entry entry(ResultSet r) throws SQLException {
        Array ids = r.getArray(10);
        return new Entry(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                State.valueOf(r.getString(6)),
                r.getInt(7),
                instant(r.getTimestamp(8)),
                instant(r.getTimestamp(9)),
                ids == null ? List.of() : List.of((String[]) ids.getArray()),
                r.getString(11),
                r.getString(12),
                r.getString(13),
                r.getString(14),
                r.getString(15),
                instant(r.getTimestamp(16)),
                instant(r.getTimestamp(17)),
                instant(r.getTimestamp(18)),
                r.getBoolean(19));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
