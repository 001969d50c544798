package io.jobpipe.status.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.projection.JobProjectionRules;
import io.jobpipe.status.projection.JobView;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The projection's reads and writes, a handful of statements per batch instead of several per event: one
 * {@code COPY} of the batch's events (after a redelivery, a multi-row insert that also says which were new), one
 * statement per table for the rows to insert and one for the rows to update (each column a text array, unnested side
 * by side: one plan and one executor run for all rows, where a JDBC batch runs a statement per row), and one
 * statement for all notifications. Runs on the caller's connection, inside its transaction.
 */
final class ProjectionStatements {
    /** PostgreSQL binds at most 65,535 parameters per statement; seven per event. */
    private static final int EVENTS_PER_INSERT = 1_000;
    private static final String INSERT_EVENTS = "INSERT INTO job_events (job_id, seq, event_id, type, occurred_at, body,"
            + " trace_id) VALUES ";
    private static final String EVENT_ROW = "(?, ?, ?, ?, ?, CAST(? AS jsonb), ?)";
    private static final List<String> JOB_COLUMNS = List.of("job_id", "connection", "event_type", "delivery_id",
            "request_id", "pipeline", "state", "current_stage", "current_attempt", "last_seq", "trace_id", "error",
            "created_at", "updated_at", "finished_at", "error_class", "subject");
    /** Each column's value as unnest gives it (text), cast to the column's type. */
    private static final List<String> JOB_VALUES = List.of("u.job_id", "u.connection", "u.event_type", "u.delivery_id",
            "u.request_id", "u.pipeline", "u.state", "u.current_stage", "u.current_attempt::int", "u.last_seq::bigint",
            "u.trace_id", "u.error", "u.created_at::timestamptz", "u.updated_at::timestamptz", "u.finished_at::timestamptz",
            "u.error_class", "u.subject");
    private static final List<String> STAGE_COLUMNS = List.of("job_id", "stage", "position", "status", "attempts",
            "started_at", "ended_at", "duration_ms", "summary", "output", "error", "log", "log_attempt");
    private static final List<String> STAGE_VALUES = List.of("u.job_id", "u.stage", "u.position::int", "u.status",
            "u.attempts::int", "u.started_at::timestamptz", "u.ended_at::timestamptz", "u.duration_ms::bigint",
            "u.summary", "u.output::jsonb", "u.error", "u.log", "u.log_attempt::int");
    /**
     * The rows a batch creates, one statement: each column one text array, unnested side by side. A row that exists
     * already was written by another projector meanwhile (its rows are deferred too): left alone, and missing from
     * what the statement returns.
     */
    private static final String INSERT_JOBS = "INSERT INTO jobs (" + String.join(", ", JOB_COLUMNS) + ") SELECT "
            + String.join(", ", JOB_VALUES) + " FROM " + unnest(JOB_COLUMNS)
            + " ON CONFLICT (job_id) DO NOTHING RETURNING job_id, xmin::text";
    /**
     * The rows a batch changes, one statement; a row whose version ({@code xmin}) is no longer the one the batch
     * started from is left alone, and missing from what the statement returns.
     */
    private static final String UPDATE_JOBS = "UPDATE jobs AS j SET " + assignments(JOB_COLUMNS, JOB_VALUES, 1) + " FROM "
            + unnest(concat(JOB_COLUMNS, "version")) + " WHERE j.job_id = u.job_id AND j.xmin::text = u.version"
            + " RETURNING j.job_id, j.xmin::text";
    private static final String COPY_EVENTS = "COPY job_events (job_id, seq, event_id, type, occurred_at, body, trace_id)"
            + " FROM STDIN";
    /** The text sent to a {@code COPY} per message: 64 Ki chars (at least; a row is never split). */
    private static final int COPY_CHUNK_CHARS = 64 * 1024;
    private static final String COPY_STAGES = "COPY job_stages (" + String.join(", ", STAGE_COLUMNS) + ") FROM STDIN";
    private static final String UPDATE_STAGES = "UPDATE job_stages AS s SET " + assignments(STAGE_COLUMNS, STAGE_VALUES, 2)
            + " FROM " + unnest(STAGE_COLUMNS) + " WHERE s.job_id = u.job_id AND s.stage = u.stage";
    private static final String SELECT_JOBS = "SELECT xmin::text, " + String.join(", ", JOB_COLUMNS)
            + " FROM jobs WHERE job_id = ANY(?::text[])";
    private static final String SELECT_STAGES = "SELECT " + String.join(", ", STAGE_COLUMNS).replace("output", "output::text")
            + " FROM job_stages WHERE job_id = ANY(?::text[]) ORDER BY job_id, position, stage";
    private static final String UNIQUE_VIOLATION = "23505";
    /**
     * Each job's stored events after a seq (its row's last, or 0 for a job without a row), in the order they were
     * projected (the firehose's): what the projection has not written to the job's rows yet (JobEventProjector).
     * A probe of the primary key per job, whatever the statistics say: without the fence ({@code OFFSET 0} keeps the
     * planner from pulling the lateral subquery up into a join), statistics taken while the table was young made it
     * hash-join a scan of the whole table (EXPLAIN in the projection bench: 6 ms a call for no rows, growing with
     * the table).
     */
    private static final String SELECT_NEWER_EVENTS = """
            SELECT t.job_id, e.seq, e.body::text, e.trace_id
            FROM unnest(?::text[], ?::bigint[]) AS t(job_id, after_seq)
            CROSS JOIN LATERAL (
                SELECT seq, body, trace_id, feed_position FROM job_events WHERE job_id = t.job_id AND seq > t.after_seq OFFSET 0) e
            ORDER BY e.feed_position""";
    private static final String LOCK_FEED_AND_NOTIFY = "SELECT pg_advisory_xact_lock(?),"
            + " (SELECT count(pg_notify(?, job_id)) FROM unnest(?::text[]) AS job_id)";
    private static final String LIVE_LOCKS_AND_NOTIFY = "SELECT pg_advisory_xact_lock_shared(?),"
            + " pg_advisory_xact_lock(?), (SELECT count(pg_notify(?, job_id)) FROM unnest(?::text[]) AS job_id)";
    /**
     * Jobs whose stored events run past their rows: those not at rest with an event after the row's last seq, and
     * those without a row among the newest events (the first parameter: how many). Both probes use an index: the
     * state's (`jobs_state_created_idx`) and the firehose's.
     */
    private static final String LAGGING_JOBS = """
            SELECT j.job_id FROM jobs j
            WHERE j.state IN ('ACCEPTED', 'RUNNING')
              AND EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = j.job_id AND e.seq > j.last_seq)
            UNION
            SELECT e.job_id FROM job_events e
            WHERE e.feed_position > (SELECT coalesce(max(feed_position), 0) FROM job_events) - ?
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_id = e.job_id)""";
    private static final String NOTIFY_EACH = "SELECT pg_notify(?, job_id) FROM unnest(?) AS job_id";
    /**
     * Serialises projectors from their events' insert to their commit (any constant; "jobpipe" + 1): each event's
     * feed position comes from the column's sequence as it is inserted, so with this lock held until commit one
     * projector's positions are all visible before the next one takes any.
     */
    static final long FEED_LOCK = 0x6a6f627069706501L;

    private ProjectionStatements() {
    }

    /**
     * Inserts every event whose (jobId, seq) is not stored yet and returns the keys it inserted. An event that
     * appears twice in {@code events} is sent once, so its first occurrence is the one that counts. Each row's
     * {@code feed_position} is its column's next value, taken in {@code events}' order (under {@link #lockFeed}).
     * <p>
     * {@code checked} false is the fast path for events never seen: a plain {@code COPY}, which fails with
     * {@link RepeatedEvents} (and aborts the transaction) if any of them is stored already. {@code checked} true skips
     * the stored ones ({@code ON CONFLICT DO NOTHING}) and says which were new, at a cost: PostgreSQL's speculative
     * insertion of each row, and a row read back per event (a quarter of the events' insert, measured).
     */
    static Set<EventKey> insertNewEvents(Connection connection, List<IncomingEvent> events, boolean checked)
            throws SQLException {
        List<IncomingEvent> distinct = new ArrayList<>(events.size());
        Set<EventKey> seen = new HashSet<>();
        for (IncomingEvent event : events) {
            if (seen.add(keyOf(event))) {
                distinct.add(event);
            }
        }
        Set<EventKey> inserted = new HashSet<>();
        if (!checked) {
            try {
                copyIn(connection, COPY_EVENTS, eventRows(distinct));
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new RepeatedEvents(e.getMessage());
                }
                throw e;
            }
            distinct.forEach(event -> inserted.add(keyOf(event)));
            return inserted;
        }
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
                    insert.setString(p++, event.traceId());
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

    /**
     * Inserts {@code inserts} and updates {@code updates} where each row still has the version given, one statement
     * each, and returns every written row's new version.
     *
     * @throws RowsChanged when a row to insert exists, or a row to update is gone or has another version (someone
     *                     else wrote it)
     */
    static Map<String, Long> writeJobs(Connection connection, List<JobEntity> inserts, List<VersionedRow> updates)
            throws SQLException {
        Map<String, Long> versions = new HashMap<>();
        if (!inserts.isEmpty()) {
            int inserted = run(connection, INSERT_JOBS, jobColumns(inserts, null), versions);
            if (inserted != inserts.size()) {
                throw new RowsChanged(inserts.size() - inserted + " of " + inserts.size()
                        + " new job rows were written by someone else meanwhile");
            }
        }
        if (!updates.isEmpty()) {
            int updated = run(connection, UPDATE_JOBS, jobColumns(updates.stream().map(VersionedRow::row).toList(),
                    updates.stream().map(VersionedRow::version).toList()), versions);
            if (updated != updates.size()) {
                throw new RowsChanged(updates.size() - updated + " of " + updates.size()
                        + " job rows changed since the batch read them");
            }
        }
        return versions;
    }

    /**
     * Inserts {@code inserts} and updates {@code updates}, one statement each. Call after {@link #writeJobs}, whose
     * updates lock the jobs' rows: every writer of a job's stages changes the job's row first.
     *
     * @throws RowsChanged when a stage row to update is gone
     */
    static void writeStages(Connection connection, List<StageEntity> inserts, List<StageEntity> updates)
            throws SQLException {
        if (!inserts.isEmpty()) {
            copyIn(connection, COPY_STAGES, stageRows(inserts));
        }
        if (!updates.isEmpty()) {
            int updated = run(connection, UPDATE_STAGES, stageColumns(updates), null);
            if (updated != updates.size()) {
                throw new RowsChanged(updates.size() - updated + " of " + updates.size() + " stage rows gone since read");
            }
        }
    }

    /**
     * These jobs as their rows hold them, each with its row's version, and as they are: the rows with the job's
     * stored events after the row's last seq folded onto them ({@link JobProjectionRules#apply}, in the order they
     * were projected), less those {@code skip} names (a batch's own, which it applies itself). A job without a row is
     * all its stored events folded ({@code written} and {@code version} null); a job with neither is missing from the
     * answer. Unlocked: the batch's updates check the versions instead.
     */
    static Map<String, StoredJob> readJobs(Connection connection, Collection<String> jobIds, Set<EventKey> skip)
            throws SQLException {
        Map<String, Long> versions = new HashMap<>();
        Map<String, JobEntity> jobs = new LinkedHashMap<>();
        Array ids = connection.createArrayOf("text", jobIds.toArray());
        try (PreparedStatement select = connection.prepareStatement(SELECT_JOBS)) {
            select.setArray(1, ids);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    JobEntity job = jobEntity(rows, 2);
                    jobs.put(job.jobId(), job);
                    versions.put(job.jobId(), Long.parseLong(rows.getString(1)));
                }
            }
        } finally {
            ids.free();
        }
        Map<String, List<StageEntity>> stages = new HashMap<>();
        if (!jobs.isEmpty()) {
            ids = connection.createArrayOf("text", jobs.keySet().toArray());
            try (PreparedStatement select = connection.prepareStatement(SELECT_STAGES)) {
                select.setArray(1, ids);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        StageEntity stage = new StageEntity(new StageKey(rows.getString(1), rows.getString(2)),
                                rows.getInt(3), rows.getString(4), rows.getInt(5), instant(rows, 6), instant(rows, 7),
                                rows.getObject(8, Long.class), rows.getString(9), rows.getString(10),
                                rows.getString(11), rows.getString(12), rows.getObject(13, Integer.class));
                        stages.computeIfAbsent(stage.id().jobId(), id -> new ArrayList<>()).add(stage);
                    }
                }
            } finally {
                ids.free();
            }
        }
        Map<String, JobView> written = new HashMap<>();
        jobs.forEach((jobId, job) -> written.put(jobId, JobRows.toView(job, stages.getOrDefault(jobId, List.of()))));
        Map<String, JobView> current = foldNewerEvents(connection, jobIds, written, skip);
        Map<String, StoredJob> read = new LinkedHashMap<>();
        for (String jobId : jobIds) {
            if (current.get(jobId) != null) {
                read.put(jobId, new StoredJob(written.get(jobId), versions.get(jobId), current.get(jobId)));
            }
        }
        return read;
    }

    /**
     * Each job's view after its stored events beyond {@code written}'s last seq (all of them for a job not in
     * {@code written}), less {@code skip}; null for a job with neither a row nor events.
     */
    private static Map<String, JobView> foldNewerEvents(Connection connection, Collection<String> jobIds,
                                                        Map<String, JobView> written, Set<EventKey> skip)
            throws SQLException {
        String[] ids = jobIds.toArray(String[]::new);
        Long[] afterSeqs = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            JobView row = written.get(ids[i]);
            afterSeqs[i] = row == null ? 0L : row.lastSeq();
        }
        Map<String, JobView> views = new HashMap<>(written);
        Array idArray = connection.createArrayOf("text", ids);
        Array seqArray = connection.createArrayOf("bigint", afterSeqs);
        try (PreparedStatement select = connection.prepareStatement(SELECT_NEWER_EVENTS)) {
            select.setArray(1, idArray);
            select.setArray(2, seqArray);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String jobId = rows.getString(1);
                    if (!skip.contains(new EventKey(jobId, rows.getLong(2)))) {
                        views.put(jobId, JobProjectionRules.apply(views.get(jobId), parse(rows.getString(3)),
                                rows.getString(4)));
                    }
                }
            }
        } finally {
            idArray.free();
            seqArray.free();
        }
        return views;
    }

    private static JobEvent parse(String body) {
        try {
            return Json.MAPPER.readValue(body, JobEvent.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a stored job event is not a JobEvent: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The job's row as it is now (its state, last seq, times): the row with the stored events it does not show yet
     * folded on, or only the events when the row is not written yet (JobEventProjector defers rows). What an SSE
     * stream waits for and a read-your-writes wait checks.
     */
    static Optional<JobEntity> readJobRow(Connection connection, String jobId) throws SQLException {
        return Optional.ofNullable(readJobs(connection, List.of(jobId), Set.of()).get(jobId))
                .map(job -> JobRows.toEntity(job.current()));
    }

    /** The {@link #JOB_COLUMNS} of a row, read from column {@code first} on. */
    private static JobEntity jobEntity(ResultSet rows, int first) throws SQLException {
        int c = first;
        return new JobEntity(rows.getString(c), rows.getString(c + 1), rows.getString(c + 2), rows.getString(c + 3),
                rows.getString(c + 4), rows.getString(c + 5), rows.getString(c + 6), rows.getString(c + 7),
                rows.getObject(c + 8, Integer.class), rows.getLong(c + 9), rows.getString(c + 10),
                rows.getString(c + 15), rows.getString(c + 11), instant(rows, c + 12), instant(rows, c + 13),
                instant(rows, c + 14), rows.getString(c + 16));
    }

    /** A job's view as its rows hold it, and the version of its row. */
    record VersionedJob(JobView view, long version) {
    }

    /**
     * A job as its rows hold it ({@code written}, with the job row's {@code version}; both null when it has no row
     * yet) and with its newer stored events applied ({@code current}; the same view when there are none).
     */
    record StoredJob(JobView written, Long version, JobView current) {
    }

    /** A job's row to write, and the version its row must still have. */
    record VersionedRow(JobEntity row, long version) {
    }

    /** A plain insert met an event that is stored already: the batch is a redelivery, at least in part. */
    static final class RepeatedEvents extends RuntimeException {
        RepeatedEvents(String message) {
            super(message);
        }
    }

    /** A row the batch meant to update was written by someone else since the batch read it. */
    static final class RowsChanged extends RuntimeException {
        RowsChanged(String message) {
            super(message);
        }
    }

    /** Waits while a rebuild runs, then holds the rebuild lock shared until the batch's transaction ends. */
    static void awaitNoRebuild(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            lock.setLong(1, JobEventProjector.REBUILD_LOCK);
            lock.execute();
        }
    }

    /**
     * Takes the feed's lock until the transaction ends; call before {@link #insertNewEvents}. The firehose reads
     * events after a position; if a position became visible before a smaller one, a client resuming between the
     * two commits would skip the smaller one for good.
     */
    static void lockFeed(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, FEED_LOCK);
            lock.execute();
        }
    }

    /**
     * {@link #awaitNoRebuild} (when {@code live}), {@link #lockFeed} and {@link #notifyEach} in one statement, one round
     * trip, for a batch whose jobs are known before its insert. PostgreSQL evaluates a select list in order, so the
     * rebuild's lock is still taken before the feed's (the order the rebuild's own batches rely on). Notifications are
     * sent at commit, so they still follow the rows, and a rolled-back batch sends none.
     */
    static void lockAndNotify(Connection connection, boolean live, String channel, Collection<String> jobIds)
            throws SQLException {
        Array ids = connection.createArrayOf("text", jobIds.toArray());
        try (PreparedStatement lock = connection.prepareStatement(live ? LIVE_LOCKS_AND_NOTIFY : LOCK_FEED_AND_NOTIFY)) {
            int p = 1;
            if (live) {
                lock.setLong(p++, JobEventProjector.REBUILD_LOCK);
            }
            lock.setLong(p++, FEED_LOCK);
            lock.setString(p++, channel);
            lock.setArray(p, ids);
            lock.execute();
        } finally {
            ids.free();
        }
    }

    /** The ids of the jobs whose rows lag their stored events ({@link #LAGGING_JOBS}). */
    static List<String> laggingJobs(Connection connection, int recentEvents) throws SQLException {
        List<String> jobIds = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(LAGGING_JOBS)) {
            select.setInt(1, recentEvents);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    jobIds.add(rows.getString(1));
                }
            }
        }
        return jobIds;
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

    /**
     * Runs a statement whose parameters are text arrays, one per column, and returns how many rows it wrote;
     * with {@code versions}, collects what it returns (job id, version).
     */
    private static int run(Connection connection, String sql, List<String[]> columns, Map<String, Long> versions)
            throws SQLException {
        List<Array> arrays = new ArrayList<>(columns.size());
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (String[] column : columns) {
                Array array = connection.createArrayOf("text", column);
                arrays.add(array);
                statement.setArray(arrays.size(), array);
            }
            if (versions == null) {
                return statement.executeUpdate();
            }
            int written = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    versions.put(rows.getString(1), Long.parseLong(rows.getString(2)));
                    written++;
                }
            }
            return written;
        } finally {
            for (Array array : arrays) {
                array.free();
            }
        }
    }

    /** {@link #JOB_COLUMNS} of {@code jobs}, then with {@code versions} their expected versions. */
    private static List<String[]> jobColumns(List<JobEntity> jobs, List<Long> versions) {
        int n = jobs.size();
        List<String[]> columns = new ArrayList<>();
        for (int c = 0; c < JOB_COLUMNS.size() + (versions == null ? 0 : 1); c++) {
            columns.add(new String[n]);
        }
        for (int i = 0; i < n; i++) {
            JobEntity job = jobs.get(i);
            String[] row = {job.jobId(), job.connection(), job.eventType(), job.deliveryId(), job.requestId(),
                    job.pipeline(), job.state(), job.currentStage(), text(job.currentAttempt()),
                    Long.toString(job.lastSeq()), job.traceId(), job.error(), text(job.createdAt()),
                    text(job.updatedAt()), text(job.finishedAt()), job.errorClass(), job.subject()};
            for (int c = 0; c < row.length; c++) {
                columns.get(c)[i] = row[c];
            }
            if (versions != null) {
                columns.get(row.length)[i] = Long.toString(versions.get(i));
            }
        }
        return columns;
    }

    /**
     * Sends {@code rows} (each a value per column of {@code sql}, null for NULL) with {@code COPY} in its text format.
     * Stage rows: a finished job's seven go in at once now that rows are written late, and {@code COPY} parses each
     * value once where the unnest insert parsed an array literal first (a JSON output escaped twice); measured, ratio
     * 0.527, 0.519, 0.448 against 0.509, 0.508, 0.411 in alternating runs. Events: {@code COPY} spends less of the
     * server's time per row than a multi-row insert's 3,500 bound parameters (docs/BENCHMARKS.md, issue 10's eighth
     * pass). A row whose key is stored already fails the whole {@code COPY}, as it fails a plain insert.
     */
    private static void copyIn(Connection connection, String sql, List<String[]> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            // Sent a chunk at a time, so the batch's text is never whole in memory beside its events: a poll can bring
            // tens of MiB of stage outputs (a command agent's may be 16 MiB).
            StringBuilder text = new StringBuilder(COPY_CHUNK_CHARS + 4096);
            for (String[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    if (c > 0) {
                        text.append('\t');
                    }
                    copyField(text, row[c]);
                }
                text.append('\n');
                if (text.length() >= COPY_CHUNK_CHARS) {
                    send(copy, text);
                }
            }
            send(copy, text);
            copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    private static void send(CopyIn copy, StringBuilder text) throws SQLException {
        if (text.length() > 0) {
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            text.setLength(0);
        }
    }

    /** A value in COPY's text format: NULL is {@code \N}; a backslash, tab, newline or return is escaped. */
    static void copyField(StringBuilder text, String value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        // Most values (ids, states, times) have nothing to escape, and a JSON body has a few escapes in a long text:
        // the runs between escapes are appended whole, not char by char.
        int run = 0;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (needsEscape(ch)) {
                text.append(value, run, i).append('\\').append(switch (ch) {
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\r' -> 'r';
                    default -> '\\';
                });
                run = i + 1;
            }
        }
        text.append(value, run, value.length());
    }

    private static boolean needsEscape(char ch) {
        return ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r';
    }

    private static List<String[]> eventRows(List<IncomingEvent> events) {
        List<String[]> rows = new ArrayList<>(events.size());
        for (IncomingEvent event : events) {
            rows.add(new String[]{event.event().jobId(), Long.toString(event.event().seq()), event.event().eventId(),
                    event.type(), text(event.event().occurredAt()), event.json(), event.traceId()});
        }
        return rows;
    }

    private static List<String[]> stageRows(List<StageEntity> stages) {
        List<String[]> rows = new ArrayList<>(stages.size());
        for (StageEntity stage : stages) {
            rows.add(new String[]{stage.id().jobId(), stage.id().stage(), Integer.toString(stage.position()),
                    stage.status(), Integer.toString(stage.attempts()), text(stage.startedAt()), text(stage.endedAt()),
                    text(stage.durationMs()), stage.summary(), stage.output(), stage.error(), stage.log(),
                    text(stage.logAttempt())});
        }
        return rows;
    }

    private static List<String[]> stageColumns(List<StageEntity> stages) {
        List<String[]> rows = stageRows(stages);
        List<String[]> columns = new ArrayList<>();
        for (int c = 0; c < STAGE_COLUMNS.size(); c++) {
            String[] column = new String[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                column[i] = rows.get(i)[c];
            }
            columns.add(column);
        }
        return columns;
    }

    /** {@code unnest(?::text[], ...) AS u(<columns>)}: one text array parameter per column. */
    private static String unnest(List<String> columns) {
        return "unnest(" + String.join(", ", Collections.nCopies(columns.size(), "?::text[]")) + ") AS u("
                + String.join(", ", columns) + ")";
    }

    /** {@code column = value, ...}, leaving out the first {@code keys} columns (the row's key). */
    private static String assignments(List<String> columns, List<String> values, int keys) {
        List<String> set = new ArrayList<>();
        for (int c = keys; c < columns.size(); c++) {
            set.add(columns.get(c) + " = " + values.get(c));
        }
        return String.join(", ", set);
    }

    private static List<String> concat(List<String> columns, String column) {
        List<String> all = new ArrayList<>(columns);
        all.add(column);
        return all;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Object timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
