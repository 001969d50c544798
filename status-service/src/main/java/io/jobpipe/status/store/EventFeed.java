package io.jobpipe.status.store;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionOperations;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of the firehose's feed ({@code job_events.feed_position}, V10): every projected event in commit order, each
 * with its position, filtered by the current state and fields of its job. Bounded like every read that answers a
 * request.
 */
@Singleton
public class EventFeed {
    private final ConnectionOperations<Connection> connections;
    private final ReadDeadline deadline;

    public EventFeed(ConnectionOperations<Connection> connections, ReadDeadline deadline) {
        this.connections = connections;
        this.deadline = deadline;
    }

    /** Up to {@code limit} events of the jobs {@code filter} matches, after {@code position}, in feed order. */
    public List<FeedEvent> after(JobFilter filter, long position, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT e.feed_position, e.type, e.body::text AS body
                FROM job_events e
                JOIN jobs j ON j.job_id = e.job_id
                WHERE e.feed_position > ?""");
        List<Object> params = new ArrayList<>();
        params.add(position);
        JobFilterSql.appendConditions(sql, params, filter);
        sql.append(" ORDER BY e.feed_position LIMIT ?");
        params.add(limit);
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> {
            Connection connection = status.getConnection();
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                JobFilterSql.bind(connection, statement, params);
                List<FeedEvent> events = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        events.add(new FeedEvent(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return events;
            } catch (SQLException e) {
                throw new DataAccessException("cannot read the event feed", e);
            }
        }));
    }

    /** The feed's last position now (0 when empty). */
    public long end() {
        return deadline.read(() -> connections.execute(ConnectionDefinition.DEFAULT, status -> {
            try (PreparedStatement statement = status.getConnection()
                    .prepareStatement("SELECT coalesce(max(feed_position), 0) FROM job_events");
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new DataAccessException("cannot read the end of the event feed", e);
            }
        }));
    }
}
