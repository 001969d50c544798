package io.jobpipe.status.stats;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.store.ReadDeadline;
import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stats of a window, in three grouped queries over the jobs created in it (the index {@code jobs_created_idx}
 * finds them; their stages come by primary key). Percentiles are PostgreSQL's {@code percentile_cont}, so no rows
 * travel to the service to be ranked.
 */
@Singleton
public class StatsQueries {
    private static final String PIPELINES = """
            SELECT coalesce(j.pipeline, '') AS pipeline, j.state, count(*) AS jobs,
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM job_stages s
                                                  WHERE s.job_id = j.job_id AND s.attempts > 1)) AS retried
            FROM jobs j
            WHERE j.created_at >= ? AND j.created_at < ?
            GROUP BY 1, j.state
            """;
    private static final String PIPELINE_DURATIONS = """
            SELECT coalesce(j.pipeline, '') AS pipeline,
                   percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP
                       (ORDER BY extract(epoch FROM (j.finished_at - j.created_at)) * 1000) AS durations
            FROM jobs j
            WHERE j.created_at >= ? AND j.created_at < ? AND j.state = 'COMPLETED'
            GROUP BY 1
            """;
    private static final String STAGES = """
            SELECT coalesce(j.pipeline, '') AS pipeline, s.stage, min(s.position) AS position,
                   count(*) FILTER (WHERE s.status <> 'PENDING') AS runs,
                   coalesce(sum(s.attempts), 0) AS attempts,
                   count(*) FILTER (WHERE s.status = 'SUCCEEDED') AS succeeded,
                   count(*) FILTER (WHERE s.status = 'FAILED') AS failed,
                   count(*) FILTER (WHERE s.status = 'DEAD_LETTERED') AS dead_lettered,
                   count(*) FILTER (WHERE s.attempts > 1) AS retried,
                   percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY s.duration_ms)
                       FILTER (WHERE s.status = 'SUCCEEDED' AND s.duration_ms IS NOT NULL) AS durations
            FROM jobs j JOIN job_stages s ON s.job_id = j.job_id
            WHERE j.created_at >= ? AND j.created_at < ?
            GROUP BY 1, s.stage
            ORDER BY 1, 3, s.stage
            """;
    private static final String CONNECTIONS = """
            SELECT coalesce(j.connection, '') AS connection, count(*) AS jobs,
                   count(*) FILTER (WHERE j.state = 'FAILED') AS failed,
                   count(*) FILTER (WHERE j.state = 'DEAD_LETTERED') AS dead_lettered
            FROM jobs j
            WHERE j.created_at >= ? AND j.created_at < ?
            GROUP BY 1
            ORDER BY 2 DESC, 1
            """;

    private final ConnectionOperations<Connection> connections;
    private final ReadDeadline deadline;

    public StatsQueries(ConnectionOperations<Connection> connections, ReadDeadline deadline) {
        this.connections = connections;
        this.deadline = deadline;
    }

    public StatsReport report(StatsWindow window) {
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> {
            Connection connection = status.getConnection();
            try {
                return new StatsReport(window.length().toString(), window.from(), window.to(),
                        pipelines(connection, window), connections(connection, window));
            } catch (SQLException e) {
                throw new DataAccessException("cannot compute the stats of the read model", e);
            }
        }));
    }

    private static List<PipelineStats> pipelines(Connection connection, StatsWindow window) throws SQLException {
        Map<String, Map<String, Long>> states = new LinkedHashMap<>();
        Map<String, Long> retried = new LinkedHashMap<>();
        try (PreparedStatement statement = prepare(connection, PIPELINES, window); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String pipeline = rs.getString("pipeline");
                states.computeIfAbsent(pipeline, p -> new LinkedHashMap<>()).put(rs.getString("state"), rs.getLong("jobs"));
                retried.merge(pipeline, rs.getLong("retried"), Long::sum);
            }
        }
        Map<String, Percentiles> durations = new LinkedHashMap<>();
        try (PreparedStatement statement = prepare(connection, PIPELINE_DURATIONS, window);
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                durations.put(rs.getString("pipeline"), Percentiles.of(doubles(rs.getArray("durations"))));
            }
        }
        Map<String, List<StageStats>> stages = new LinkedHashMap<>();
        try (PreparedStatement statement = prepare(connection, STAGES, window); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                stages.computeIfAbsent(rs.getString("pipeline"), p -> new ArrayList<>()).add(StageStats.of(
                        rs.getString("stage"), rs.getInt("position"), rs.getLong("runs"), rs.getLong("attempts"),
                        rs.getLong("succeeded"), rs.getLong("failed"), rs.getLong("dead_lettered"),
                        rs.getLong("retried"), Percentiles.of(doubles(rs.getArray("durations")))));
            }
        }
        List<PipelineStats> result = new ArrayList<>();
        states.keySet().stream().sorted().forEach(pipeline -> result.add(pipeline(pipeline, states.get(pipeline),
                retried.getOrDefault(pipeline, 0L), durations.getOrDefault(pipeline, Percentiles.NONE),
                stages.getOrDefault(pipeline, List.of()))));
        return result;
    }

    static PipelineStats pipeline(String pipeline, Map<String, Long> states, long retried, Percentiles durations,
                                  List<StageStats> stages) {
        long jobs = states.values().stream().mapToLong(Long::longValue).sum();
        long completed = states.getOrDefault(JobStatus.COMPLETED.name(), 0L);
        long failed = states.getOrDefault(JobStatus.FAILED.name(), 0L);
        long deadLettered = states.getOrDefault(JobStatus.DEAD_LETTERED.name(), 0L);
        long cancelled = states.getOrDefault(JobStatus.CANCELLED.name(), 0L);
        long finished = completed + failed + deadLettered + cancelled;
        Map<String, Long> allStates = new LinkedHashMap<>();
        for (JobStatus state : JobStatus.values()) {
            allStates.put(state.name(), states.getOrDefault(state.name(), 0L));
        }
        return new PipelineStats(pipeline.isEmpty() ? null : pipeline, jobs, allStates, finished,
                Rates.share(completed, finished), Rates.share(failed, finished), Rates.share(deadLettered, finished),
                Rates.share(retried, jobs), durations, stages);
    }

    private static List<StatsReport.ConnectionStats> connections(Connection connection, StatsWindow window)
            throws SQLException {
        List<StatsReport.ConnectionStats> result = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, CONNECTIONS, window); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("connection");
                result.add(new StatsReport.ConnectionStats(name.isEmpty() ? null : name, rs.getLong("jobs"),
                        rs.getLong("failed"), rs.getLong("dead_lettered")));
            }
        }
        return result;
    }

    private static PreparedStatement prepare(Connection connection, String sql, StatsWindow window) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setObject(1, window.from().atOffset(ZoneOffset.UTC));
        statement.setObject(2, window.to().atOffset(ZoneOffset.UTC));
        return statement;
    }

    private static Double[] doubles(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object values = array.getArray();
        return values instanceof Double[] d ? d : null;
    }
}
