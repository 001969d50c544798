package io.jobpipe.status.store;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.event.JobStatus;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ops views' reads of the read model: jobs chosen by a {@link JobSelection}, newest "at" first, each with the
 * facts of its latest JobDeadLettered event (so a dead letter is listed as soon as its event is projected, before
 * the dead-letter record itself is consumed); and the held jobs counted per breaker. Filters are optional, so the SQL is assembled here, from fixed
 * fragments only; every value is a bind parameter.
 */
@Singleton
public class OpsQueries {
    /** When a dead-lettered job died (its finished_at); for a job still running, its last change. */
    static final String AT = "COALESCE(j.finished_at, j.updated_at)";
    /**
     * {@link #AT} of a dead-lettered job, which always has its finished_at (JobProjectionRules): the partial index
     * {@code jobs_dead_lettered_idx} keys on it, so that no index holds updated_at, which every event changes (V10).
     */
    static final String DEAD_LETTERED_AT = "j.finished_at";
    private static final String SELECT = """
            SELECT j.job_id, j.state, j.pipeline, j.connection, j.event_type, j.last_seq,
                   COALESCE(d.body ->> 'stage', j.current_stage) AS stage, d.seq IS NOT NULL AS dead_lettered,
                   d.body ->> 'errorType' AS error_class, d.body ->> 'message' AS error_message,
                   (d.body ->> 'attempts')::int AS attempts, %1$s AS at,
                   (SELECT count(*) FROM job_events r WHERE r.job_id = j.job_id AND r.type = 'JobReplayed') AS replays,
                   EXISTS (SELECT 1 FROM job_events p WHERE p.job_id = j.job_id AND p.type = 'ReplayRefused'
                           AND p.seq > d.seq AND (p.body ->> 'parked')::boolean) AS parked
            FROM jobs j
            LEFT JOIN LATERAL (SELECT e.seq, e.body FROM job_events e
                               WHERE e.job_id = j.job_id AND e.type = 'JobDeadLettered'
                               ORDER BY e.seq DESC LIMIT 1) d ON true
            """;

    private final ConnectionOperations<Connection> connections;
    private final ReadDeadline deadline;

    public OpsQueries(ConnectionOperations<Connection> connections, ReadDeadline deadline) {
        this.connections = connections;
        this.deadline = deadline;
    }


    /**
     * Up to {@code limit} jobs of the selection, newest "at" first, after the keyset ({@code afterAt},
     * {@code afterJobId}) when one is given.
     */
    public List<JobOpsRow> select(JobSelection selection, int limit, Instant afterAt, String afterJobId) {
        boolean deadLetteredOnly = selection.states().equals(Set.of(JobStatus.DEAD_LETTERED));
        String at = deadLetteredOnly ? DEAD_LETTERED_AT : AT;
        StringBuilder sql = new StringBuilder(SELECT.formatted(at));
        List<Object> params = new ArrayList<>();
        if (deadLetteredOnly) {
            // A literal, so the planner can use the partial index jobs_dead_lettered_idx.
            sql.append("WHERE j.state = 'DEAD_LETTERED'");
        } else {
            sql.append("WHERE j.state = ANY (?)");
            params.add(selection.states().stream().map(JobStatus::name).sorted().toArray(String[]::new));
        }
        JobFilterSql.condition(sql, params, "j.current_stage = ?", selection.stage());
        if (selection.errorClass() != null) {
            JobFilterSql.condition(sql, params, "j.state = 'DEAD_LETTERED' AND d.body ->> 'errorType' = ?", selection.errorClass());
        }
        JobFilterSql.condition(sql, params, "j.connection = ?", selection.connection());
        JobFilterSql.condition(sql, params, "j.pipeline = ?", selection.pipeline());
        JobFilterSql.condition(sql, params, at + " >= ?", JobFilterSql.timestamp(selection.since()));
        JobFilterSql.condition(sql, params, at + " < ?", JobFilterSql.timestamp(selection.until()));
        if (afterAt != null) {
            sql.append(" AND (").append(at).append(", j.job_id) < (?, ?)");
            params.add(JobFilterSql.timestamp(afterAt));
            params.add(afterJobId);
        }
        sql.append(" ORDER BY at DESC, j.job_id DESC LIMIT ?");
        params.add(limit);
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> query(status.getConnection(), sql.toString(), params)));
    }

    /** The job with the facts of its latest dead-lettering, whatever its state now. */
    public Optional<JobOpsRow> job(String jobId) {
        List<Object> params = List.of(jobId);
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> query(status.getConnection(), SELECT.formatted(AT) + "WHERE j.job_id = ?", params)))
                .stream().findFirst();
    }

    /** The state and latest seq of each of {@code jobIds} the read model knows. */
    public Map<String, JobProgress> progressOf(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> {
            Connection connection = status.getConnection();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT job_id, state, last_seq FROM jobs WHERE job_id = ANY(?)")) {
                statement.setArray(1, connection.createArrayOf("text", jobIds.toArray(String[]::new)));
                Map<String, JobProgress> progress = new HashMap<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        progress.put(rs.getString("job_id"), new JobProgress(rs.getString("state"), rs.getLong("last_seq")));
                    }
                }
                return progress;
            } catch (SQLException e) {
                throw new DataAccessException("cannot read the progress of " + jobIds.size() + " jobs", e);
            }
        }));
    }

    /**
     * How many jobs are HELD now at each breaker ({@code <pipeline>/<stage>}: a held job's current stage is where it
     * waits); breakers holding none are absent. Found by the partial index {@code jobs_held_idx}.
     */
    public Map<String, Long> heldByBreaker() {
        String sql = "SELECT pipeline, current_stage, count(*) AS held FROM jobs WHERE state = 'HELD'"
                + " GROUP BY pipeline, current_stage";
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> {
            Map<String, Long> held = new HashMap<>();
            try (PreparedStatement statement = status.getConnection().prepareStatement(sql);
                 ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    held.put(BreakerState.nameOf(rs.getString("pipeline"), rs.getString("current_stage")),
                            rs.getLong("held"));
                }
            } catch (SQLException e) {
                throw new DataAccessException("cannot count the held jobs of the read model", e);
            }
            return held;
        }));
    }

    private static List<JobOpsRow> query(Connection connection, String sql, List<Object> params) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            JobFilterSql.bind(connection, statement, params);
            List<JobOpsRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new DataAccessException("cannot read the ops view of the read model", e);
        }
    }

    private static JobOpsRow row(ResultSet rs) throws SQLException {
        int attempts = rs.getInt("attempts");
        Integer attemptsOrNull = rs.wasNull() ? null : attempts;
        return new JobOpsRow(rs.getString("job_id"), rs.getString("state"), rs.getString("pipeline"),
                rs.getString("connection"), rs.getString("event_type"), rs.getString("stage"), rs.getBoolean("dead_lettered"),
                rs.getString("error_class"), rs.getString("error_message"), attemptsOrNull,
                rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getInt("replays"), rs.getBoolean("parked"),
                rs.getLong("last_seq"));
    }
}
