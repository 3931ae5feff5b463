package dev.commercesync.syncwriter.errors;

import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionRolledbackException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * Classifies a failure of a database target by SQLSTATE (PostgreSQL appendix A), as Debezium's PostgresErrorHandler and
 * connect-jdbc do: connection and concurrency failures are transient, data and integrity failures are permanent.
 *
 * <p>A failure without a SQLSTATE never came from the server's judgement of the data: the pool could not hand out a
 * connection in time (Agroal's acquisition timeout while PostgreSQL hangs), the driver lost its socket, or the
 * transaction manager aborted the transaction (its reaper, after the transaction timeout). Those are transient: a valid
 * event must never be dead-lettered because the database was away.
 */
public final class SqlErrorClassifier {
    private SqlErrorClassifier() {}

    public static TargetException classify(Throwable failure) {
        if (failure instanceof TargetException classified) {
            return classified;
        }
        SQLException sql = serverError(find(failure, SQLException.class));
        if (sql == null) {
            if (find(failure, RollbackException.class) != null
                    || find(failure, TransactionRolledbackException.class) != null
                    || fromTransactionManager(failure)) {
                // Rolled back without a database error: the transaction timed out or the manager aborted it.
                return TargetException.of(
                        ErrorClass.TRANSIENT, "transaction rolled back: " + message(failure), null, failure);
            }
            if (find(failure, ConnectException.class) != null
                    || find(failure, SocketTimeoutException.class) != null
                    || find(failure, SocketException.class) != null) {
                return TargetException.of(
                        ErrorClass.TRANSIENT, "connection failure: " + message(failure), null, failure);
            }
            return TargetException.of(ErrorClass.INTERNAL, "unexpected failure: " + message(failure), null, failure);
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        return TargetException.of(classOf(state, sql), "SQLSTATE " + state + ": " + safeMessage(sql), state, failure);
    }

    /**
     * The server's error behind a failed JDBC batch: PgJDBC's {@link BatchUpdateException} repeats it, prefixed with
     * the failed statement (with its parameter values), and chains it as the next exception and the cause.
     */
    private static SQLException serverError(SQLException sql) {
        if (sql instanceof BatchUpdateException batch) {
            if (batch.getNextException() != null) {
                return batch.getNextException();
            }
            if (batch.getCause() instanceof SQLException cause) {
                return cause;
            }
        }
        return sql;
    }

    static ErrorClass classOf(String state, SQLException sql) {
        if (state.isEmpty() // no server answer: pool acquisition timeout, a closed connection, an aborted transaction
                || state.startsWith("08") // connection exception
                || state.equals("40001") // serialization_failure
                || state.equals("40P01") // deadlock_detected
                || state.equals("55P03") // lock_not_available
                || state.equals("57014") // query_canceled (statement timeout)
                || state.startsWith("57P") // admin/crash shutdown, cannot_connect_now
                || state.equals("58030") // io_error
                || sql instanceof SQLTransientException) {
            return ErrorClass.TRANSIENT;
        }
        if (state.startsWith("53")) { // insufficient_resources: disk full, out of memory, too many connections
            return ErrorClass.QUOTA;
        }
        if (state.startsWith("28") || state.equals("42501")) { // invalid authorization, insufficient_privilege
            return ErrorClass.AUTH;
        }
        if (state.equals("23505") || state.equals("23503") || state.equals("23P01")) { // unique, foreign key, exclusion
            return ErrorClass.CONFLICT;
        }
        if (state.startsWith("23") || state.startsWith("22")) { // other integrity (not null, check), data exceptions
            return ErrorClass.VALIDATION;
        }
        return ErrorClass.INTERNAL;
    }

    /**
     * PostgreSQL's message without its DETAIL, which quotes the offending row's values (possibly personal data); the
     * constraint name stays.
     */
    private static String safeMessage(SQLException sql) {
        String message = sql.getMessage() == null ? "" : sql.getMessage();
        int detail = message.indexOf("\n  Detail:");
        return detail < 0 ? message : message.substring(0, detail);
    }

    private static String message(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : " " + failure.getMessage());
    }

    /** Narayana's own failures (its reaper aborted the transaction, or the transaction is no longer active). */
    private static boolean fromTransactionManager(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (name.startsWith("jakarta.transaction.")
                    || name.startsWith("com.arjuna.")
                    || message.startsWith("ARJUNA")) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return type.cast(suppressed);
                }
            }
        }
        return null;
    }
}
