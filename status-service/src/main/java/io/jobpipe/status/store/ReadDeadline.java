package io.jobpipe.status.store;

import io.jobpipe.status.config.ReadModelProperties;
import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Bounds the reads that answer requests, so a hung or partitioned PostgreSQL costs a request at most the pool's
 * acquisition timeout plus this read timeout, never forever. The bound is the connection's network timeout
 * ({@link Connection#setNetworkTimeout}, milliseconds; pgjdbc's {@code socketTimeout} setting has whole seconds
 * only): a server-side statement timeout cannot help, since a frozen server enforces nothing. The pool (Hikari)
 * puts the connection's own timeout back when it is returned, so the projection's writes on the same pool keep
 * their longer one.
 */
@Singleton
public class ReadDeadline {
    /** setNetworkTimeout takes an executor for aborting; pgjdbc sets the socket timeout and never uses it. */
    private static final Executor UNUSED = Runnable::run;

    private final ConnectionOperations<Connection> connections;
    private final int timeoutMillis;

    public ReadDeadline(ConnectionOperations<Connection> connections, ReadModelProperties config) {
        this.connections = connections;
        this.timeoutMillis = (int) Math.max(1, config.readTimeout().toMillis());
    }

    /**
     * Runs {@code reads} on one connection whose every read gives up after the read timeout; repository calls and
     * {@code executeRead} calls inside join that connection.
     *
     * @throws ReadModelUnavailableException when PostgreSQL did not answer ({@link DatabaseFailures#isUnavailable})
     */
    public <T> T read(Supplier<T> reads) {
        try {
            // Not executeRead: it sets the connection read-only and back after the call, and that reset, failing on a
            // connection the timeout just broke, would replace the timeout with an error saying nothing about it.
            return connections.execute(ConnectionDefinition.DEFAULT, status -> {
                bound(status.getConnection());
                return reads.get();
            });
        } catch (ReadModelUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw new ReadModelUnavailableException(e);
            }
            throw e;
        }
    }

    /** Reads with plain JDBC on one connection. */
    @FunctionalInterface
    public interface JdbcRead<T> {
        T read(Connection connection) throws SQLException;
    }

    /** {@link #read(Supplier)} for plain JDBC: {@code reads} gets the bounded connection. */
    public <T> T readJdbc(JdbcRead<T> reads) {
        return read(() -> {
            Connection connection = connections.getConnectionStatus().getConnection();
            try {
                return reads.read(connection);
            } catch (SQLException e) {
                throw new DataAccessException("a read of the read model failed: " + e.getMessage(), e);
            }
        });
    }

    /** Sets the read timeout on {@code connection} (for code that runs its own statements on it). */
    public void bound(Connection connection) {
        try {
            connection.setNetworkTimeout(UNUSED, timeoutMillis);
        } catch (SQLException e) {
            throw new DataAccessException("cannot bound the read time of a connection", e);
        }
    }
}
