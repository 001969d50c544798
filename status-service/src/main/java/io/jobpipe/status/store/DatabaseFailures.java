package io.jobpipe.status.store;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells "the database did not answer" from a bug. Pure. Unavailable means: no connection could be had in time
 * (the pool's {@link SQLTransientConnectionException}), a read timed out, or PostgreSQL reported a connection
 * failure (SQLSTATE class 08), a cancelled statement (57014, the statement timeout), or that it is shutting down
 * or starting (57P01–57P03). Anything else, such as bad SQL, is a bug and must not be dressed up as an outage.
 */
public final class DatabaseFailures {
    private DatabaseFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57014") || state.startsWith("57P0")) {
                    return true;
                }
            }
        }
        return false;
    }
}
