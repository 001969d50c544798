package io.jobpipe.status.store;

import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The {@code ops_operations} table: written by the replica running an operation, read by any replica. */
@Singleton
public class OperationStore {
    private static final String INSERT = """
            INSERT INTO ops_operations (id, kind, replay_id, requested_by, reason, filter, matched, sent, failed, state,
                                        started_at, finished_at, error, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE = """
            UPDATE ops_operations SET sent = ?, failed = ?, state = ?, finished_at = ?, error = ?, updated_at = ?
            WHERE id = ?""";

    private final ConnectionOperations<Connection> connections;

    public OperationStore(ConnectionOperations<Connection> connections) {
        this.connections = connections;
    }

    public void create(OperationRow row) {
        write(INSERT, row.id(), row.kind(), row.replayId(), row.requestedBy(), row.reason(), row.filter(),
                row.matched(), row.sent(), row.failed(), row.state(), timestamp(row.startedAt()),
                timestamp(row.finishedAt()), row.error(), timestamp(row.updatedAt()));
    }

    /** Stores the counters, state, end and error of {@code row}. */
    public void update(OperationRow row) {
        write(UPDATE, row.sent(), row.failed(), row.state(), timestamp(row.finishedAt()), row.error(),
                timestamp(row.updatedAt()), row.id());
    }

    public Optional<OperationRow> find(String id) {
        return connections.executeRead(status -> {
            try (PreparedStatement query = status.getConnection()
                    .prepareStatement("SELECT * FROM ops_operations WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet rs = query.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<OperationRow>empty();
                }
            } catch (SQLException e) {
                throw new DataAccessException("cannot read operation " + id, e);
            }
        });
    }

    private void write(String sql, Object... values) {
        connections.executeWrite(status -> {
            try (PreparedStatement statement = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        statement.setNull(i + 1, Types.NULL);
                    } else {
                        statement.setObject(i + 1, values[i]);
                    }
                }
                return statement.executeUpdate();
            } catch (SQLException e) {
                throw new DataAccessException("cannot write an ops operation", e);
            }
        });
    }

    private static OperationRow read(ResultSet rs) throws SQLException {
        OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
        return new OperationRow(rs.getString("id"), rs.getString("kind"), rs.getString("replay_id"),
                rs.getString("requested_by"), rs.getString("reason"), rs.getString("filter"), rs.getInt("matched"),
                rs.getInt("sent"), rs.getInt("failed"), rs.getString("state"),
                rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                finished == null ? null : finished.toInstant(), rs.getString("error"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static Object timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
