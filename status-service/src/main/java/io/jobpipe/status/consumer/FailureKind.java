package io.jobpipe.status.consumer;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Whether a failed batch should be retried as it is (the database is unavailable: nothing is lost by waiting)
 * or contains an event the database or the rules reject every time (retrying would stall the partition forever).
 */
public enum FailureKind {
    TRANSIENT, POISON;

    public static FailureKind of(Throwable failure) {
        boolean sawSql = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return TRANSIENT;
            }
            if (t instanceof SQLException sql) {
                sawSql = true;
                String state = sql.getSQLState();
                // 22: data exception (e.g. \u0000 in jsonb), 23: integrity constraint violation.
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return POISON;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (sawSql) {
            return TRANSIENT;
        }
        // Without a database error the failure came from the rules or our mapping: the same input fails again.
        return isDeterministic(failure) ? POISON : TRANSIENT;
    }

    private static boolean isDeterministic(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof NullPointerException || t instanceof IllegalArgumentException
                    || t instanceof ClassCastException || t instanceof UncheckedIOException
                    || t instanceof IndexOutOfBoundsException) {
                return true;
            }
        }
        return false;
    }
}
