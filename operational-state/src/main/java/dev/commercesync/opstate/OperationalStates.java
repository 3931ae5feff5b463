package dev.commercesync.opstate;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A component's operational state in PostgreSQL ({@code <schema>.operational_state}, created by the component's own
 * Flyway migration): per store, entity type and {@link Operation}, the last attempt and success, the failure class,
 * the last error, whether it is {@link OperationState#RETRYING retrying or waiting for a person} and since when, and
 * the consecutive failures. One upsert per outcome; every replica reads the same rows, and they survive restarts.
 *
 * <p>Writes are <b>best-effort</b>: a failed write is logged as a warning and counted ({@code
 * commercesync_operational_state_write_failures_total}), never thrown, so a PostgreSQL outage never stops the work it
 * describes. Nothing is lost that matters: the row describes the latest outcome, and the next outcome of the same
 * store, type and operation writes it afresh. An outcome older than the row's last attempt (another replica, another
 * thread) never overwrites it.
 */
@ApplicationScoped
public class OperationalStates {
    private static final Logger LOG = Logger.getLogger(OperationalStates.class);

    /** The longest error message kept; longer ones are cut. */
    public static final int MAX_ERROR_LENGTH = 500;

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Defence in depth: messages never carry secrets, but a query parameter or header that looks like one is masked. */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([?&][^=&\\s]*(?:key|secret|token|signature|password)[^=&\\s]*=)[^&\\s]*");

    private static final Pattern BEARER = Pattern.compile("(?i)(bearer|basic)\\s+[^\\s,;]+");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}+");

    private static final String COLUMNS = "platform, store_id, entity_type, operation, last_attempt_at,"
            + " last_success_at, error_class, last_error, last_failure_at, state, since, consecutive_failures, details";

    /** What an outcome is about. @param entityType an {@code EntityType} name; null for a store-wide operation */
    public record Subject(String platform, String storeId, String entityType, Operation operation) {}

    private final AgroalDataSource dataSource;
    private final String table;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final String upsert;

    /** @param schema the component's own schema, which holds its {@code operational_state} table */
    @Inject
    public OperationalStates(
            AgroalDataSource dataSource,
            @ConfigProperty(name = "commercesync.operational-state.schema") String schema,
            MeterRegistry meters) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("commercesync.operational-state.schema is not a schema name: " + schema);
        }
        this.dataSource = dataSource;
        this.table = schema + ".operational_state";
        this.meters = meters;
        this.upsert = "INSERT INTO " + table + " AS s (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))"
                + " ON CONFLICT (platform, store_id, entity_type, operation) DO UPDATE SET"
                + " last_attempt_at = EXCLUDED.last_attempt_at,"
                + " last_success_at = COALESCE(EXCLUDED.last_success_at, s.last_success_at),"
                + " error_class = EXCLUDED.error_class,"
                + " last_error = COALESCE(EXCLUDED.last_error, s.last_error),"
                + " last_failure_at = COALESCE(EXCLUDED.last_failure_at, s.last_failure_at),"
                + " state = EXCLUDED.state,"
                + " since = CASE WHEN s.state = EXCLUDED.state THEN s.since ELSE EXCLUDED.since END,"
                + " consecutive_failures = CASE WHEN EXCLUDED.state = 'OK' THEN 0"
                + " ELSE s.consecutive_failures + 1 END,"
                + " details = COALESCE(s.details, '{}'::jsonb) || COALESCE(EXCLUDED.details, '{}'::jsonb)"
                + " WHERE s.last_attempt_at <= EXCLUDED.last_attempt_at";
    }

    /** The attempt succeeded: state OK (since now, unless it was OK already), consecutive failures 0. */
    public void succeeded(Subject subject) {
        succeeded(subject, null);
    }

    /** @param details JSON merged into the row's details (top-level keys replace), or null */
    public void succeeded(Subject subject, String details) {
        Instant now = clock.instant();
        write(subject, now, now, null, null, OperationState.OK, details);
    }

    /**
     * The attempt failed.
     *
     * @param message names the call and the status, never a secret (cut to {@link #MAX_ERROR_LENGTH})
     * @param retrying true when it is tried again without anyone acting; false when it waits for a person
     */
    public void failed(Subject subject, ErrorClass errorClass, String message, boolean retrying) {
        failed(subject, errorClass, message, retrying, null);
    }

    /** @param details JSON merged into the row's details (top-level keys replace), or null */
    public void failed(Subject subject, ErrorClass errorClass, String message, boolean retrying, String details) {
        write(
                subject,
                clock.instant(),
                null,
                errorClass,
                safe(message),
                retrying ? OperationState.RETRYING : OperationState.WAITING_FOR_PERSON,
                details);
    }

    private void write(
            Subject subject,
            Instant at,
            Instant successAt,
            ErrorClass errorClass,
            String message,
            OperationState state,
            String details) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(upsert)) {
            Timestamp now = Timestamp.from(at);
            s.setString(1, subject.platform());
            s.setString(2, subject.storeId());
            s.setString(3, subject.entityType());
            s.setString(4, subject.operation().name());
            s.setTimestamp(5, now);
            s.setTimestamp(6, successAt == null ? null : Timestamp.from(successAt));
            s.setString(7, errorClass == null ? null : errorClass.name());
            s.setString(8, errorClass == null ? null : message);
            s.setTimestamp(9, errorClass == null ? null : now);
            s.setString(10, state.name());
            s.setTimestamp(11, now);
            s.setInt(12, state == OperationState.OK ? 0 : 1);
            if (details == null) {
                s.setNull(13, Types.VARCHAR);
            } else {
                s.setString(13, details);
            }
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            Counter.builder("commercesync.operational.state.write.failures")
                    .description("Operational state outcomes not recorded (PostgreSQL unavailable); best-effort")
                    .tag("operation", subject.operation().name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters)
                    .increment();
            LOG.warnf(
                    "the operational state of %s/%s %s %s was not recorded (%s): %s; the next outcome records it",
                    subject.platform(),
                    subject.storeId(),
                    subject.entityType() == null ? "(store)" : subject.entityType(),
                    subject.operation(),
                    state,
                    e.getMessage());
        }
    }

    /** Every row of one store, by operation and entity type. */
    public List<OperationRecord> forStore(String platform, String storeId) {
        return query(
                "SELECT " + COLUMNS + " FROM " + table + " WHERE platform = ? AND store_id = ?"
                        + " ORDER BY operation, entity_type NULLS FIRST",
                platform,
                storeId);
    }

    /** Every row, by store, operation and entity type (one query: the console's overview). */
    public List<OperationRecord> all() {
        return query("SELECT " + COLUMNS + " FROM " + table + " ORDER BY platform, store_id, operation, entity_type"
                + " NULLS FIRST");
    }

    /** Every row of one operation, by store and entity type. */
    public List<OperationRecord> forOperation(Operation operation) {
        return query(
                "SELECT " + COLUMNS + " FROM " + table + " WHERE operation = ?"
                        + " ORDER BY platform, store_id, entity_type NULLS FIRST",
                operation.name());
    }

    private List<OperationRecord> query(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            List<OperationRecord> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String errorClass = r.getString("error_class");
                    rows.add(new OperationRecord(
                            r.getString("platform"),
                            r.getString("store_id"),
                            r.getString("entity_type"),
                            Operation.valueOf(r.getString("operation")),
                            instant(r, "last_attempt_at"),
                            instant(r, "last_success_at"),
                            errorClass == null ? null : ErrorClass.valueOf(errorClass),
                            r.getString("last_error"),
                            instant(r, "last_failure_at"),
                            OperationState.valueOf(r.getString("state")),
                            instant(r, "since"),
                            r.getInt("consecutive_failures"),
                            r.getString("details")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + table + " failed: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** The message as stored: one line, secret-looking parameters masked, at most {@link #MAX_ERROR_LENGTH}. */
    static String safe(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String line = CONTROL.matcher(message).replaceAll(" ").strip();
        line = SECRET_PARAMETER.matcher(line).replaceAll("$1***");
        line = BEARER.matcher(line).replaceAll("$1 ***");
        return line.length() <= MAX_ERROR_LENGTH ? line : line.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
