package io.jobpipe.status.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.projection.JobView;
import jakarta.inject.Singleton;

import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The queries the API asks of the read model. Blocking JDBC: call it from a blocking executor only. Every read is
 * bounded by {@link ReadDeadline}: when PostgreSQL does not answer, it fails within the deadline with an exception
 * {@link DatabaseFailures#isUnavailable} recognises.
 */
@Singleton
public class JobReadModel {
    /** What the job document tells besides the job's row: its ops history and where its latest attempt stands. */
    private static final List<String> DOCUMENT_TYPES = List.of(JobEvent.JobReplayed.class.getSimpleName(),
            JobEvent.ReplayRefused.class.getSimpleName(), JobEvent.JobCancelled.class.getSimpleName(),
            JobEvent.StageDispatched.class.getSimpleName(), JobEvent.StageAttemptFailed.class.getSimpleName(),
            JobEvent.JobHeld.class.getSimpleName());
    /**
     * Each job's events after its own seq (at most a limit each) and its row's last seq and state, for many jobs in one
     * statement: one snapshot, so when a row says "terminal at seq L", every event up to L is in its page or before it.
     * A job whose row is not written yet (the projector defers a running job's rows) has its events and no row: its
     * stream goes on, as it should, since a job that comes to rest is written at once.
     */
    private static final String TAILS = """
            SELECT t.job_id, j.last_seq, j.state, e.seq, e.event_id, e.type, e.occurred_at, e.body::text
            FROM unnest(?::text[], ?::bigint[]) AS t(job_id, after_seq)
            LEFT JOIN jobs j ON j.job_id = t.job_id
            LEFT JOIN LATERAL (
                SELECT seq, event_id, type, occurred_at, body FROM job_events
                WHERE job_id = t.job_id AND seq > t.after_seq ORDER BY seq LIMIT ?) e ON true
            ORDER BY t.job_id, e.seq""";
    private final EventRepository events;
    private final ReadDeadline deadline;

    public JobReadModel(EventRepository events, ReadDeadline deadline) {
        this.deadline = deadline;
        this.events = events;
    }

    /**
     * The job and its stages as they are: as the projector reads them (plain JDBC, on one connection), its rows with
     * the progress it has not written to them yet folded on from the job's stored events. Exact as of the last
     * projected event, where the rows alone may be up to {@code jobpipe.status.projection.progress-delay} behind.
     */
    public Optional<JobView> job(String jobId) {
        return deadline.readJdbc(connection -> Optional.ofNullable(
                ProjectionStatements.readJobs(connection, List.of(jobId), Set.of()).get(jobId))
                .map(ProjectionStatements.StoredJob::current));
    }

    /**
     * The job's row (state and last seq) as it is now: with the progress the projector has not written to it yet
     * folded on, and from the events alone while the row is not written. Plain JDBC: every SSE stream reads it two
     * or three times while it waits for its job to arrive, and Micronaut Data's repository call cost several times
     * the query itself (JFR, {@code bench sse}).
     */
    public Optional<JobEntity> jobRow(String jobId) {
        return deadline.readJdbc(connection -> ProjectionStatements.readJobRow(connection, jobId));
    }

    /**
     * The job's replays, refused replays, cancellation, dispatches, failed attempts and holds, in seq order: small events
     * (never a stage's output), what {@code GET /jobs/{id}} adds to the job's row.
     */
    public List<JobEvent> documentEvents(String jobId) {
        return deadline.read(() -> events.findOfTypes(jobId, DOCUMENT_TYPES)).stream().map(JobReadModel::parse).toList();
    }

    /**
     * The job's latest heartbeat, if any. Read apart from {@link #documentEvents}: a long stage may heartbeat
     * thousands of times, and only the latest counts.
     */
    public Optional<JobEvent.StageProgress> latestProgress(String jobId) {
        return deadline.read(() -> events.findLatestOfType(jobId, JobEvent.StageProgress.class.getSimpleName()))
                .map(JobReadModel::parse).map(JobEvent.StageProgress.class::cast);
    }

    /**
     * {@link #documentEvents} and {@link #latestProgress} on one connection: what {@code GET /jobs/{id}} adds to the
     * job's view.
     */
    public DocumentEvents documentHistory(String jobId) {
        return deadline.read(() -> new DocumentEvents(documentEvents(jobId), latestProgress(jobId)));
    }

    /** A job's ops history and attempts, and its latest heartbeat. */
    public record DocumentEvents(List<JobEvent> history, Optional<JobEvent.StageProgress> progress) {
    }

    /** A stored event as the orchestrator wrote it. */
    public static JobEvent parse(EventEntity event) {
        try {
            return Json.MAPPER.readValue(event.body(), JobEvent.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("job_events body of " + event.id() + " is not a JobEvent", e);
        }
    }

    /**
     * {@link #tailsAfter} for one job: its events after {@code afterSeq} (at most {@code limit}) and its row's last seq
     * and state, one snapshot. What a new job's tail reads first, and a stream that reads for itself.
     */
    public TailPage tailAfter(String jobId, long afterSeq, int limit) {
        return tailsAfter(Map.of(jobId, afterSeq), limit).get(jobId);
    }

    /**
     * For many jobs in one statement ({@link #TAILS}, one snapshot): each job's events after its own seq (at most
     * {@code limit}) and its row's last seq and state. Plain JDBC: a round of notifications asks this for every job it
     * names. A job without a row gets its events, with a null last seq and state.
     */
    public Map<String, TailPage> tailsAfter(Map<String, Long> afterSeqs, int limit) {
        if (afterSeqs.isEmpty()) {
            return Map.of();
        }
        return deadline.readJdbc(connection -> {
            Map<String, List<EventEntity>> pages = new HashMap<>();
            Map<String, TailPage> tails = new HashMap<>();
            Array ids = connection.createArrayOf("text", afterSeqs.keySet().toArray());
            Array seqs = connection.createArrayOf("bigint", afterSeqs.values().toArray());
            try (PreparedStatement select = connection.prepareStatement(TAILS)) {
                select.setArray(1, ids);
                select.setArray(2, seqs);
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String jobId = rows.getString(1);
                        List<EventEntity> page = pages.computeIfAbsent(jobId, id -> new ArrayList<>());
                        tails.put(jobId, new TailPage(page, rows.getObject(2, Long.class), rows.getString(3)));
                        if (rows.getObject(4) != null) {
                            page.add(new EventEntity(new EventKey(jobId, rows.getLong(4)), rows.getString(5),
                                    rows.getString(6), rows.getObject(7, OffsetDateTime.class).toInstant(),
                                    rows.getString(8)));
                        }
                    }
                }
            } finally {
                ids.free();
                seqs.free();
            }
            afterSeqs.keySet().forEach(jobId -> tails.putIfAbsent(jobId, new TailPage(List.of(), null, null)));
            return tails;
        });
    }

    /** A page of a job's events, and its row's last seq and state (both null when it has no row). */
    public record TailPage(List<EventEntity> events, Long lastSeq, String state) {
    }

    /** Up to {@code limit} events of the job with seq above {@code afterSeq}, in seq order. */
    public List<EventEntity> eventsAfter(String jobId, long afterSeq, int limit) {
        return deadline.read(() -> events.findAfter(jobId, afterSeq, limit));
    }
}
