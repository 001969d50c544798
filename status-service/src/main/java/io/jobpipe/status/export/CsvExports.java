package io.jobpipe.status.export;

import io.jobpipe.status.store.JobFilter;
import io.jobpipe.status.store.DatabaseFailures;
import io.jobpipe.status.store.JobFilterSql;
import io.jobpipe.status.store.ReadDeadline;
import io.jobpipe.status.store.ReadModelUnavailableException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams an export from a PostgreSQL cursor: rows are fetched {@link #FETCH_ROWS} at a time (a cursor needs a
 * transaction, hence autocommit off) and sent as CSV chunks as the client reads them. {@code Flux.generate} is
 * pulled by the client's demand, so a slow reader slows the cursor instead of filling memory, and a million rows
 * never sit in memory at once. The connection is held for the export's length and closed however it ends.
 */
@Singleton
public class CsvExports {
    static final int FETCH_ROWS = 500;

    private final DataSource dataSource;
    private final ReadDeadline deadline;

    public CsvExports(DataSource dataSource, ReadDeadline deadline) {
        this.deadline = deadline;
        // The pool itself: the injected bean hands out the connection of the current Micronaut transaction, and an
        // export streams on its own thread long after any such scope.
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    /**
     * Opens the export's cursor now, on the caller's (blocking) thread, so a database that does not answer is a 503
     * before any byte of a 200 is sent; then streams the rows as the client reads them.
     *
     * @throws ReadModelUnavailableException when PostgreSQL does not answer in time
     */
    public Flux<byte[]> stream(ExportKind kind, JobFilter filter) {
        Cursor opened;
        try {
            opened = Cursor.open(dataSource, deadline, kind, filter);
        } catch (SQLException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw new ReadModelUnavailableException(e);
            }
            throw new DataAccessException("cannot open the " + kind + " export", e);
        }
        Flux<byte[]> header = Flux.just(CsvCells.rows(List.<Object[]>of(kind.header().toArray())));
        Flux<byte[]> rows = Flux.using(() -> opened,
                cursor -> Flux.<byte[]>generate(sink -> {
                    try {
                        List<Object[]> chunk = cursor.next(FETCH_ROWS);
                        if (chunk.isEmpty()) {
                            sink.complete();
                        } else {
                            sink.next(CsvCells.rows(chunk));
                        }
                    } catch (SQLException e) {
                        sink.error(new IllegalStateException("the export stopped: " + e.getMessage(), e));
                    }
                }),
                Cursor::close);
        return header.concatWith(rows).subscribeOn(Schedulers.boundedElastic());
    }

    /** One export's open cursor. */
    private static final class Cursor implements AutoCloseable {
        private final ExportKind kind;
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet rows;

        private Cursor(ExportKind kind, Connection connection, PreparedStatement statement, ResultSet rows) {
            this.kind = kind;
            this.connection = connection;
            this.statement = statement;
            this.rows = rows;
        }

        static Cursor open(DataSource dataSource, ReadDeadline deadline, ExportKind kind, JobFilter filter)
                throws SQLException {
            Connection connection = dataSource.getConnection();
            try {
                // The first rows within the read deadline, like any read answering a request; the rest of a long
                // export with the pool's own (longer) socket timeout.
                int streaming = connection.getNetworkTimeout();
                deadline.bound(connection);
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
                StringBuilder sql = new StringBuilder(kind.select()).append(" WHERE true");
                List<Object> params = new ArrayList<>();
                JobFilterSql.appendConditions(sql, params, filter);
                sql.append(kind.order());
                PreparedStatement statement = connection.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY);
                statement.setFetchSize(FETCH_ROWS);
                JobFilterSql.bind(connection, statement, params);
                ResultSet rows = statement.executeQuery();
                connection.setNetworkTimeout(Runnable::run, streaming);
                return new Cursor(kind, connection, statement, rows);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }

        List<Object[]> next(int max) throws SQLException {
            List<Object[]> chunk = new ArrayList<>(max);
            while (chunk.size() < max && rows.next()) {
                chunk.add(kind.row(rows));
            }
            return chunk;
        }

        @Override
        public void close() {
            try (connection; statement; rows) {
                connection.rollback();
            } catch (SQLException e) {
                // Closing is all that is left to do; the pool replaces a broken connection.
            }
        }
    }
}
