package io.jobpipe.status.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * The exports there are: one row per job, or one row per stage of each job. Oldest job first, a stable order a
 * consumer can resume by the last job's creation time.
 */
public enum ExportKind {
    JOBS(List.of("job_id", "pipeline", "connection", "event_type", "delivery_id", "state", "current_stage", "error",
            "created_at", "finished_at", "duration_ms", "trace_id", "error_class", "subject"), """
            SELECT j.job_id, j.pipeline, j.connection, j.event_type, j.delivery_id, j.state, j.current_stage, j.error,
                   j.created_at, j.finished_at,
                   (EXTRACT(EPOCH FROM (j.finished_at - j.created_at)) * 1000)::bigint AS duration_ms, j.trace_id,
                   j.error_class, j.subject
            FROM jobs j
            """, " ORDER BY j.created_at, j.job_id"),
    STAGES(List.of("job_id", "pipeline", "connection", "stage", "position", "status", "attempts", "started_at",
            "ended_at", "duration_ms", "summary", "error"), """
            SELECT j.job_id, j.pipeline, j.connection, s.stage, s.position, s.status, s.attempts, s.started_at,
                   s.ended_at, s.duration_ms, s.summary, s.error
            FROM jobs j JOIN job_stages s ON s.job_id = j.job_id
            """, " ORDER BY j.created_at, j.job_id, s.position");

    private final List<String> header;
    private final String select;
    private final String order;

    ExportKind(List<String> header, String select, String order) {
        this.header = header;
        this.select = select;
        this.order = order;
    }

    public List<String> header() {
        return header;
    }

    String select() {
        return select;
    }

    String order() {
        return order;
    }

    /** The current row's cells, in the header's order; timestamps as instants, so they print in ISO-8601 UTC. */
    Object[] row(ResultSet rs) throws SQLException {
        Object[] cells = new Object[header.size()];
        for (int i = 0; i < cells.length; i++) {
            Object value = rs.getObject(i + 1);
            cells[i] = value instanceof Timestamp t ? t.toInstant() : value instanceof java.time.OffsetDateTime o
                    ? o.toInstant() : value;
        }
        return cells;
    }

}
