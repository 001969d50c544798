package io.jobpipe.status.store;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /jobs}: the jobs of a {@link JobFilter}, newest first by the keyset (created_at, job_id), so a cursor
 * taken under a filter resumes exactly after the last job it listed, however many jobs arrive meanwhile.
 */
@Singleton
public class JobListing {
    private final ConnectionOperations<Connection> connections;
    private final ReadDeadline deadline;

    public JobListing(ConnectionOperations<Connection> connections, ReadDeadline deadline) {
        this.connections = connections;
        this.deadline = deadline;
    }

    /** Up to {@code limit} jobs of the filter, newest first, older than the keyset when one is given. */
    public List<JobEntity> newest(JobFilter filter, int limit, Instant beforeCreatedAt, String beforeJobId) {
        StringBuilder sql = new StringBuilder("SELECT * FROM jobs j WHERE true");
        List<Object> params = new ArrayList<>();
        JobFilterSql.appendConditions(sql, params, filter);
        if (beforeCreatedAt != null) {
            sql.append(" AND (j.created_at, j.job_id) < (?, ?)");
            params.add(JobFilterSql.timestamp(beforeCreatedAt));
            params.add(beforeJobId);
        }
        sql.append(" ORDER BY j.created_at DESC, j.job_id DESC LIMIT ?");
        params.add(limit);
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> {
            Connection connection = status.getConnection();
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                JobFilterSql.bind(connection, statement, params);
                List<JobEntity> jobs = new ArrayList<>(limit);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(row(rs));
                    }
                }
                return jobs;
            } catch (SQLException e) {
                throw new DataAccessException("cannot list the jobs of the read model", e);
            }
        }));
    }

    private static JobEntity row(ResultSet rs) throws SQLException {
        int attempt = rs.getInt("current_attempt");
        Integer currentAttempt = rs.wasNull() ? null : attempt;
        return new JobEntity(rs.getString("job_id"), rs.getString("connection"), rs.getString("event_type"),
                rs.getString("delivery_id"), rs.getString("request_id"), rs.getString("pipeline"),
                rs.getString("state"), rs.getString("current_stage"), currentAttempt, rs.getLong("last_seq"),
                rs.getString("trace_id"), rs.getString("error_class"), rs.getString("error"),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "finished_at"),
                rs.getString("subject"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
