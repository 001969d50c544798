package io.jobpipe.status.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.Json;
import io.jobpipe.status.projection.JobView;
import jakarta.inject.Singleton;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

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
    private final JobRepository jobs;
    private final StageRepository stages;
    private final EventRepository events;
    private final ReadDeadline deadline;

    public JobReadModel(JobRepository jobs, StageRepository stages, EventRepository events, ReadDeadline deadline) {
        this.deadline = deadline;
        this.jobs = jobs;
        this.stages = stages;
        this.events = events;
    }

    public Optional<JobView> job(String jobId) {
        return deadline.read(() -> jobs.findById(jobId).map(job -> JobRows.toView(job, stages.findByJobId(jobId))));
    }

    /** The job's row alone (state and last seq), without its stages. */
    public Optional<JobEntity> jobRow(String jobId) {
        return deadline.read(() -> jobs.findById(jobId));
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

    /** A stored event as the orchestrator wrote it. */
    public static JobEvent parse(EventEntity event) {
        try {
            return Json.MAPPER.readValue(event.body(), JobEvent.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("job_events body of " + event.id() + " is not a JobEvent", e);
        }
    }

    /** Up to {@code limit} events of the job with seq above {@code afterSeq}, in seq order. */
    public List<EventEntity> eventsAfter(String jobId, long afterSeq, int limit) {
        return deadline.read(() -> events.findAfter(jobId, afterSeq, limit));
    }
}
