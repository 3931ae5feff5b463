package dev.commercesync.syncwriter.apply;

import java.sql.Statement;

/**
 * JDBC batches ({@code addBatch}/{@code executeBatch}): PgJDBC sends a batch's statements in one go and runs them one
 * after the other, in order, answering each statement's row count. The writer reads those counts (claimed or not,
 * applied or stale), so it needs them per statement: PgJDBC's {@code reWriteBatchedInserts=true}, which folds inserts
 * into multi-row statements and answers {@link Statement#SUCCESS_NO_INFO}, must stay off.
 */
public final class JdbcBatches {
    private JdbcBatches() {}

    /**
     * The row count of each statement of an executed batch.
     *
     * @throws IllegalStateException when the driver did not report them
     */
    public static int[] rowCounts(int[] executed) {
        for (int count : executed) {
            if (count < 0) {
                throw new IllegalStateException("the JDBC driver reported no row count for a batched statement ("
                        + count + "); is reWriteBatchedInserts on?");
            }
        }
        return executed;
    }
}
