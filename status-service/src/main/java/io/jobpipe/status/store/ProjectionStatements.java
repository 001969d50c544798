package io.jobpipe.status.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The projection's writes, a handful of statements per batch instead of several per event: one multi-row insert
 * of the batch's events (which also says which were new), one JDBC batch per table for the rows to insert or
 * update, and one statement for all notifications. Runs on the caller's connection, inside its transaction.
 */
final class ProjectionStatements {
    /** PostgreSQL binds at most 65,535 parameters per statement; six per event. */
    private static final int EVENTS_PER_INSERT = 1_000;
    private static final String INSERT_EVENTS = "INSERT INTO job_events (job_id, seq, event_id, type, occurred_at, body) VALUES ";
    private static final String EVENT_ROW = "(?, ?, ?, ?, ?, CAST(? AS jsonb))";
    private static final String INSERT_JOB = """
            INSERT INTO jobs (connection, event_type, delivery_id, request_id, pipeline, state, current_stage,
                              current_attempt, last_seq, trace_id, error, created_at, updated_at, finished_at,
                              error_class, subject, job_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE_JOB = """
            UPDATE jobs SET connection = ?, event_type = ?, delivery_id = ?, request_id = ?, pipeline = ?, state = ?,
                            current_stage = ?, current_attempt = ?, last_seq = ?, trace_id = ?, error = ?,
                            created_at = ?, updated_at = ?, finished_at = ?, error_class = ?, subject = ?
            WHERE job_id = ?""";
    private static final String INSERT_STAGE = """
            INSERT INTO job_stages (position, status, attempts, started_at, ended_at, duration_ms, summary, output,
                                    error, log, log_attempt, job_id, stage)
            VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?)""";
    private static final String UPDATE_STAGE = """
            UPDATE job_stages SET position = ?, status = ?, attempts = ?, started_at = ?, ended_at = ?, duration_ms = ?,
                                  summary = ?, output = CAST(? AS jsonb), error = ?, log = ?, log_attempt = ?
            WHERE job_id = ? AND stage = ?""";
    private static final String NOTIFY_EACH = "SELECT pg_notify(?, job_id) FROM unnest(?) AS job_id";
    /** Serialises the feed's appends between projectors until each commits (any constant; "jobpipe" + 1). */
    static final long FEED_LOCK = 0x6a6f627069706501L;
    private static final String APPEND_FEED = """
            INSERT INTO event_feed (job_id, seq)
            SELECT k.job_id, k.seq FROM unnest(?::text[], ?::bigint[]) WITH ORDINALITY AS k(job_id, seq, n)
            ORDER BY k.n""";

    private ProjectionStatements() {
    }

    /**
     * Inserts every event whose (jobId, seq) is not stored yet and returns the keys it inserted. An event that
     * appears twice in {@code events} is sent once, so its first occurrence is the one that counts.
     */
    static Set<EventKey> insertNewEvents(Connection connection, List<IncomingEvent> events) throws SQLException {
        List<IncomingEvent> distinct = new ArrayList<>(events.size());
        Set<EventKey> seen = new HashSet<>();
        for (IncomingEvent event : events) {
            if (seen.add(keyOf(event))) {
                distinct.add(event);
            }
        }
        Set<EventKey> inserted = new HashSet<>();
        for (int from = 0; from < distinct.size(); from += EVENTS_PER_INSERT) {
            List<IncomingEvent> chunk = distinct.subList(from, Math.min(distinct.size(), from + EVENTS_PER_INSERT));
            StringBuilder sql = new StringBuilder(INSERT_EVENTS);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(EVENT_ROW);
            }
            sql.append(" ON CONFLICT (job_id, seq) DO NOTHING RETURNING job_id, seq");
            try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                int p = 1;
                for (IncomingEvent event : chunk) {
                    insert.setString(p++, event.event().jobId());
                    insert.setLong(p++, event.event().seq());
                    insert.setString(p++, event.event().eventId());
                    insert.setString(p++, event.type());
                    insert.setObject(p++, timestamp(event.event().occurredAt()));
                    insert.setString(p++, event.json());
                }
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        inserted.add(new EventKey(rows.getString(1), rows.getLong(2)));
                    }
                }
            }
        }
        return inserted;
    }

    static EventKey keyOf(IncomingEvent event) {
        return new EventKey(event.event().jobId(), event.event().seq());
    }

    /** Inserts {@code inserts} and updates {@code updates}, in one JDBC batch each. */
    static void writeJobs(Connection connection, List<JobEntity> inserts, List<JobEntity> updates) throws SQLException {
        writeJobs(connection, INSERT_JOB, inserts);
        writeJobs(connection, UPDATE_JOB, updates);
    }

    static void writeStages(Connection connection, List<StageEntity> inserts, List<StageEntity> updates)
            throws SQLException {
        writeStages(connection, INSERT_STAGE, inserts);
        writeStages(connection, UPDATE_STAGE, updates);
    }

    /** Waits while a rebuild runs, then holds the rebuild lock shared until the batch's transaction ends. */
    static void awaitNoRebuild(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            lock.setLong(1, JobEventProjector.REBUILD_LOCK);
            lock.execute();
        }
    }

    /**
     * Gives the batch's new events their feed positions, in batch order, as the transaction's last write: the
     * advisory lock, held until commit, makes one projector's positions visible before the next one takes any, so
     * the firehose never sees position p+1 before p (a resumed client would skip p for good).
     */
    static void appendFeed(Connection connection, List<EventKey> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, FEED_LOCK);
            lock.execute();
        }
        Array jobIds = connection.createArrayOf("text", events.stream().map(EventKey::jobId).toArray());
        Array seqs = connection.createArrayOf("bigint", events.stream().map(EventKey::seq).toArray());
        try (PreparedStatement append = connection.prepareStatement(APPEND_FEED)) {
            append.setArray(1, jobIds);
            append.setArray(2, seqs);
            append.executeUpdate();
        } finally {
            jobIds.free();
            seqs.free();
        }
    }

    /** One notification per job on {@code channel} (delivered at commit), sent in one statement. */
    static void notifyEach(Connection connection, String channel, Collection<String> jobIds) throws SQLException {
        if (jobIds.isEmpty()) {
            return;
        }
        Array ids = connection.createArrayOf("text", jobIds.toArray());
        try (PreparedStatement notify = connection.prepareStatement(NOTIFY_EACH)) {
            notify.setString(1, channel);
            notify.setArray(2, ids);
            notify.execute();
        } finally {
            ids.free();
        }
    }

    private static void writeJobs(Connection connection, String sql, List<JobEntity> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (JobEntity job : jobs) {
                statement.setString(1, job.connection());
                statement.setString(2, job.eventType());
                statement.setString(3, job.deliveryId());
                statement.setString(4, job.requestId());
                statement.setString(5, job.pipeline());
                statement.setString(6, job.state());
                statement.setString(7, job.currentStage());
                statement.setObject(8, job.currentAttempt(), Types.INTEGER);
                statement.setLong(9, job.lastSeq());
                statement.setString(10, job.traceId());
                statement.setString(11, job.error());
                statement.setObject(12, timestamp(job.createdAt()));
                statement.setObject(13, timestamp(job.updatedAt()));
                statement.setObject(14, timestamp(job.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                statement.setString(15, job.errorClass());
                statement.setString(16, job.subject());
                statement.setString(17, job.jobId());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void writeStages(Connection connection, String sql, List<StageEntity> stages) throws SQLException {
        if (stages.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (StageEntity stage : stages) {
                statement.setInt(1, stage.position());
                statement.setString(2, stage.status());
                statement.setInt(3, stage.attempts());
                statement.setObject(4, timestamp(stage.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                statement.setObject(5, timestamp(stage.endedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                statement.setObject(6, stage.durationMs(), Types.BIGINT);
                statement.setString(7, stage.summary());
                statement.setString(8, stage.output());
                statement.setString(9, stage.error());
                statement.setString(10, stage.log());
                statement.setObject(11, stage.logAttempt(), Types.INTEGER);
                statement.setString(12, stage.id().jobId());
                statement.setString(13, stage.id().stage());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static Object timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
