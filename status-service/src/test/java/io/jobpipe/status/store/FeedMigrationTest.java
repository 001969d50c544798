package io.jobpipe.status.store;

import io.jobpipe.testing.PostgresFixture;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V10 moves the firehose's positions from {@code event_feed} into {@code job_events}. A client that resumes with
 * {@code Last-Event-ID} across the upgrade must find every event where it was, and new events must come after all
 * of them. Real PostgreSQL, migrated by Flyway to V9, filled, then migrated on.
 */
class FeedMigrationTest {
    private final PostgresFixture postgres = PostgresFixture.shared();

    @Test
    void shouldKeepEveryFeedPositionAndNumberNewEventsAfterTheLast() throws SQLException {
        String url = postgres.createDatabase("feed_migration");
        flyway(url, "9").migrate();
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO jobs (job_id, state, last_seq, created_at, updated_at)"
                    + " VALUES ('fm-1', 'RUNNING', 3, now(), now())");
            for (int seq = 1; seq <= 3; seq++) {
                s.execute("INSERT INTO job_events (job_id, seq, event_id, type, occurred_at, body) VALUES ('fm-1', "
                        + seq + ", 'e" + seq + "', 'T', now(), '{}')");
            }
            // Positions out of seq order (two projectors' batches interleaved), and seq 3 without a feed row.
            s.execute("DELETE FROM event_feed");
            s.execute("INSERT INTO event_feed (position, job_id, seq) OVERRIDING SYSTEM VALUE"
                    + " VALUES (7, 'fm-1', 2), (9, 'fm-1', 1)");
        }

        flyway(url, "latest").migrate();

        try (Connection c = connect(url); Statement s = c.createStatement()) {
            assertThat(positions(s)).containsExactly(Map.entry(1L, 9L), Map.entry(2L, 7L), Map.entry(3L, 10L));
            s.execute("INSERT INTO job_events (job_id, seq, event_id, type, occurred_at, body)"
                    + " VALUES ('fm-1', 4, 'e4', 'T', now(), '{}')");
            assertThat(positions(s)).containsEntry(4L, 11L);
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('event_feed') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("event_feed dropped").isTrue();
            }
        }
    }

    private Flyway flyway(String url, String target) {
        return Flyway.configure().dataSource(url, postgres.username(), postgres.password())
                .locations("classpath:db/migration").target(target).load();
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }

    /** seq to feed position of job fm-1. */
    private static Map<Long, Long> positions(Statement s) throws SQLException {
        Map<Long, Long> positions = new LinkedHashMap<>();
        try (ResultSet rs = s.executeQuery("SELECT seq, feed_position FROM job_events WHERE job_id = 'fm-1' ORDER BY seq")) {
            while (rs.next()) {
                positions.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return positions;
    }
}
