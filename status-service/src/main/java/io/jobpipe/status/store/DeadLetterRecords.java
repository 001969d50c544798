package io.jobpipe.status.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.core.event.Json;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code dead_letters} table. Writes are idempotent: a record is keyed by its (topic, partition, offset), so
 * a batch consumed again after a crash inserts nothing new.
 */
@Singleton
public class DeadLetterRecords {
    private static final String INSERT = """
            INSERT INTO dead_letters (topic, partition, "offset", job_id, stage, error_class, error_message, attempts,
                                      first_failure_at, last_failure_at, trace_id, dead_lettered_by, reason, headers,
                                      value, raw_value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?)
            ON CONFLICT (topic, partition, "offset") DO NOTHING""";
    private static final String LATEST = """
            SELECT * FROM dead_letters WHERE job_id = ?
            ORDER BY recorded_at DESC, last_failure_at DESC NULLS LAST, "offset" DESC LIMIT 1""";

    private final ConnectionOperations<Connection> connections;

    public DeadLetterRecords(ConnectionOperations<Connection> connections) {
        this.connections = connections;
    }

    /** Stores the records not stored yet, in one transaction; returns how many were new. */
    @Transactional
    public int save(List<DeadLetterRecord> records) {
        Connection connection = connections.getConnectionStatus().getConnection();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (DeadLetterRecord r : records) {
                insert.setString(1, r.topic());
                insert.setInt(2, r.partition());
                insert.setLong(3, r.offset());
                insert.setString(4, r.jobId());
                insert.setString(5, r.stage());
                insert.setString(6, r.errorClass());
                insert.setString(7, r.errorMessage());
                insert.setObject(8, r.attempts(), Types.INTEGER);
                insert.setObject(9, timestamp(r.firstFailureAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setObject(10, timestamp(r.lastFailureAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setString(11, r.traceId());
                insert.setString(12, r.deadLetteredBy());
                insert.setString(13, r.reason());
                insert.setString(14, write(r.headers()));
                insert.setString(15, r.valueJson());
                insert.setBytes(16, r.rawValue());
                insert.addBatch();
            }
            int inserted = 0;
            for (int count : insert.executeBatch()) {
                inserted += Math.max(0, count);
            }
            return inserted;
        } catch (SQLException e) {
            throw new DataAccessException("cannot store " + records.size() + " dead letters", e);
        }
    }

    /** The job's most recently recorded dead letter. */
    public Optional<DeadLetterRecord> latestFor(String jobId) {
        return connections.executeRead(status -> {
            try (PreparedStatement query = status.getConnection().prepareStatement(LATEST)) {
                query.setString(1, jobId);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<DeadLetterRecord>empty();
                }
            } catch (SQLException e) {
                throw new DataAccessException("cannot read the dead letters of job " + jobId, e);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static DeadLetterRecord read(ResultSet rs) throws SQLException {
        int attempts = rs.getInt("attempts");
        Integer attemptsOrNull = rs.wasNull() ? null : attempts;
        Map<String, String> headers;
        try {
            headers = Json.MAPPER.readValue(rs.getString("headers"), Map.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("dead_letters.headers is not a JSON object", e);
        }
        return new DeadLetterRecord(rs.getString("topic"), rs.getInt("partition"), rs.getLong("offset"),
                rs.getString("job_id"), rs.getString("stage"), rs.getString("error_class"),
                rs.getString("error_message"), attemptsOrNull, instant(rs, "first_failure_at"),
                instant(rs, "last_failure_at"), rs.getString("trace_id"), rs.getString("dead_lettered_by"),
                rs.getString("reason"), headers, rs.getString("value"), rs.getBytes("raw_value"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String write(Map<String, String> headers) {
        try {
            return Json.MAPPER.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("headers cannot be written as JSON", e);
        }
    }

    private static Object timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
