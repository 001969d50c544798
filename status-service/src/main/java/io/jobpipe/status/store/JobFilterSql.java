package io.jobpipe.status.store;

import io.jobpipe.core.event.JobStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A {@link JobFilter} as conditions on {@code jobs j}, from fixed fragments only: every value is a bind parameter.
 * The subject search uses the expression of the index {@code jobs_subject_search_idx} word for word, or PostgreSQL
 * would not use the index.
 */
public final class JobFilterSql {
    private JobFilterSql() {
    }

    /** Appends {@code AND …} for each field of {@code filter} that is set, and its values to {@code params}. */
    public static void appendConditions(StringBuilder sql, List<Object> params, JobFilter filter) {
        if (!filter.states().isEmpty()) {
            sql.append(" AND j.state = ANY (?)");
            params.add(filter.states().stream().map(JobStatus::name).sorted().toArray(String[]::new));
        }
        condition(sql, params, "j.pipeline = ?", filter.pipeline());
        condition(sql, params, "j.connection = ?", filter.connection());
        condition(sql, params, "j.current_stage = ?", filter.stage());
        condition(sql, params, "j.error_class = ?", filter.errorClass());
        condition(sql, params, "j.created_at >= ?", timestamp(filter.since()));
        condition(sql, params, "j.created_at < ?", timestamp(filter.until()));
        condition(sql, params, "to_tsvector('simple', coalesce(j.subject, '')) @@ to_tsquery('simple', ?)",
                filter.searchQuery());
    }

    static void condition(StringBuilder sql, List<Object> params, String fragment, Object value) {
        if (value != null) {
            sql.append(" AND ").append(fragment);
            params.add(value);
        }
    }

    /** Binds {@code params} in order; a {@code String[]} becomes a text array. */
    public static void bind(Connection connection, PreparedStatement statement, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            if (value instanceof String[] array) {
                statement.setArray(i + 1, connection.createArrayOf("text", array));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    public static Object timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
