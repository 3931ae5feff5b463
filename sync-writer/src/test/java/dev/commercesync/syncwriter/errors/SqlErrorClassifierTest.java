package dev.commercesync.syncwriter.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.SocketTimeoutException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The classification of failed JDBC batches, shaped as PgJDBC builds them: a {@link BatchUpdateException} that repeats
 * the server's (or the driver's) error after the failed statement, with that error as next exception and cause, and
 * wrapped by the writer's own {@code IllegalStateException("SQLSTATE …")}.
 */
class SqlErrorClassifierTest {

    @Test
    void aBatchWhoseConnectionWasLostWaitsAndIsRetried() {
        SQLException ioError = new SQLException(
                "An I/O error occurred while sending to the backend.",
                "08006",
                new SocketTimeoutException("Read timed out"));

        TargetException classified = SqlErrorClassifier.classify(inWriter(batchFailure(ioError)));

        assertInstanceOf(RetriableTargetException.class, classified);
        assertEquals(ErrorClass.TRANSIENT, classified.errorClass());
        assertEquals("08006", classified.sqlState().orElseThrow());
    }

    @Test
    void aBatchCancelledByTheStatementTimeoutWaitsAndIsRetried() {
        SQLException cancelled = new SQLException("ERROR: canceling statement due to statement timeout", "57014");

        assertEquals(
                ErrorClass.TRANSIENT,
                SqlErrorClassifier.classify(inWriter(batchFailure(cancelled))).errorClass());
    }

    @Test
    void aBatchWithABadRowIsClassifiedByTheServerErrorWithoutTheStatementsValues() {
        SQLException serverError = new SQLException(
                "ERROR: null value in column \"currency\" violates not-null constraint\n  Detail: Failing row contains"
                        + " (secret).",
                "23502");

        TargetException classified = SqlErrorClassifier.classify(inWriter(batchFailure(serverError)));

        assertInstanceOf(PermanentTargetException.class, classified);
        assertEquals(ErrorClass.VALIDATION, classified.errorClass());
        assertFalse(classified.getMessage().contains("secret"), classified.getMessage());
        assertFalse(classified.getMessage().contains("Batch entry"), classified.getMessage());
    }

    @Test
    void aBatchFailureWithoutNextExceptionIsClassifiedByItsCause() {
        SQLException duplicate = new SQLException("ERROR: duplicate key value violates unique constraint", "23505");
        BatchUpdateException batch = new BatchUpdateException(
                "Batch entry 0 INSERT … was aborted: " + duplicate.getMessage(), null, 0, new long[0], duplicate);

        assertEquals(
                ErrorClass.CONFLICT,
                SqlErrorClassifier.classify(inWriter(batch)).errorClass());
    }

    /** As PgJDBC's BatchResultHandler: the failed statement, the error's SQLSTATE, the error as cause and next. */
    private static BatchUpdateException batchFailure(SQLException error) {
        BatchUpdateException batch = new BatchUpdateException(
                "Batch entry 3 INSERT INTO target.orders … ('secret') was aborted: " + error.getMessage()
                        + "  Call getNextException to see other errors in the batch.",
                error.getSQLState(),
                0,
                new long[] {1, 1, 1},
                error);
        batch.setNextException(error);
        return batch;
    }

    /** As ProcessedEvents, Outbox and the PostgreSQL target wrap a statement's failure. */
    private static RuntimeException inWriter(SQLException e) {
        return new IllegalStateException("SQLSTATE " + e.getSQLState(), e);
    }
}
