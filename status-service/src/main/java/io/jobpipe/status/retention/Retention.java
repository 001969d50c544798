package io.jobpipe.status.retention;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Deletes finished jobs, one small batch per transaction: the oldest finished before a cutoff, with their stages,
 * events (and so their feed positions) and dead-letter records, in one statement (the read model has no foreign keys
 * to cascade: V10). {@code FOR UPDATE SKIP LOCKED}: a job
 * the projection holds right now (a replay reopening it) is left for a later batch instead of waited for, so
 * retention never blocks the projection, and two replicas sweeping at once share the work.
 */
@Singleton
public class Retention {
    private static final String DELETE_BATCH = """
            WITH doomed AS (
                SELECT job_id FROM jobs
                WHERE finished_at < ? AND state IN ('COMPLETED', 'FAILED', 'DEAD_LETTERED', 'CANCELLED')
                ORDER BY finished_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED),
            gone AS (DELETE FROM jobs j USING doomed WHERE j.job_id = doomed.job_id RETURNING j.job_id),
            stages AS (DELETE FROM job_stages s USING gone WHERE s.job_id = gone.job_id),
            events AS (DELETE FROM job_events e USING gone WHERE e.job_id = gone.job_id),
            letters AS (DELETE FROM dead_letters d USING gone WHERE d.job_id = gone.job_id RETURNING 1)
            SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM letters)""";

    private final TransactionOperations<Connection> transactions;

    public Retention(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** What one batch deleted. */
    public record Deleted(long jobs, long deadLetters) {
    }

    /** Deletes up to {@code limit} jobs finished before {@code cutoff}, in one transaction. */
    public Deleted deleteBatch(Instant cutoff, int limit) {
        return transactions.executeWrite(status -> {
            Connection connection = status.getConnection();
            try (PreparedStatement statement = connection.prepareStatement(DELETE_BATCH)) {
                statement.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                statement.setInt(2, limit);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return new Deleted(rs.getLong(1), rs.getLong(2));
                }
            } catch (SQLException e) {
                throw new DataAccessException("cannot delete finished jobs before " + cutoff, e);
            }
        });
    }
}
