package io.jobpipe.status.bench;

import io.jobpipe.status.store.IncomingEvent;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/**
 * The baseline: the same events written as plainly as JDBC can, one row each into a table shaped like
 * {@code job_events} (its columns, primary key and indexes, {@code LIKE ... INCLUDING ALL}, less the firehose's
 * position column and index and the trace id column), a JDBC batch and a commit per batch, on a connection that lets
 * the driver rewrite a batch into multi-row inserts ({@code reWriteBatchedInserts}): the fastest way to get these rows
 * in, with none of the projection's reads, rules, other tables, notifications or feed.
 */
final class RawEventInsert implements AutoCloseable {
    private static final String INSERT = "INSERT INTO bench_raw_events (job_id, seq, event_id, type, occurred_at, body)"
            + " VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb))";
    private final Connection connection;

    RawEventInsert(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("reWriteBatchedInserts", "true");
        connection = DriverManager.getConnection(url, properties);
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS bench_raw_events (LIKE job_events INCLUDING ALL)");
            // The baseline keeps the shape it had before V10: the projection pays for the feed's column and index,
            // and for each event's trace id (V11).
            ddl.execute("ALTER TABLE bench_raw_events DROP COLUMN IF EXISTS feed_position");
            ddl.execute("ALTER TABLE bench_raw_events DROP COLUMN IF EXISTS trace_id");
            ddl.execute("TRUNCATE bench_raw_events");
        }
        connection.setAutoCommit(false);
    }

    void insert(List<IncomingEvent> batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (IncomingEvent event : batch) {
                insert.setString(1, event.event().jobId());
                insert.setLong(2, event.event().seq());
                insert.setString(3, event.event().eventId());
                insert.setString(4, event.type());
                insert.setObject(5, event.event().occurredAt().atOffset(ZoneOffset.UTC));
                insert.setString(6, event.json());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("DROP TABLE IF EXISTS bench_raw_events");
            connection.commit();
        } finally {
            connection.close();
        }
    }
}
