package io.jobpipe.status.api;

import io.jobpipe.status.artifact.Artifact;
import io.jobpipe.status.artifact.JobArtifacts;
import io.jobpipe.status.projection.JobView;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /jobs/{id}}: a job and its stages in pipeline order.
 *
 * @param eventsUrl      the job's Server-Sent Events stream, relative to this API's root
 * @param replays        the job's JobReplayed events, oldest first
 * @param refusedReplays the replays it did not take ({@code parked}: it hit the replay cap)
 * @param cancellation   who cancelled it and why, or null
 * @param attempt        its latest attempt: n of N, its deadline or the next attempt's time, the last error; null
 *                       before the first dispatch
 * @param held           while the job is HELD: the stage, its breaker, why and since when; else null
 * @param artifacts      the files its stages wrote, each with its download URL
 */
@Introspected
public record JobDocument(String jobId, String state, String connection, String eventType, String deliveryId,
                          String requestId, String pipeline, String traceId, String currentStage,
                          Integer currentAttempt, Instant createdAt, Instant updatedAt, Instant finishedAt,
                          String error, String eventsUrl, List<StageDocument> stages,
                          List<OpsHistory.Replay> replays, List<OpsHistory.RefusedReplay> refusedReplays,
                          OpsHistory.Cancellation cancellation, AttemptSummary attempt, Hold held,
                          Progress progress, List<Artifact> artifacts) {

    static JobDocument of(JobView job, OpsHistory ops, AttemptSummary attempt, Hold held, Progress progress) {
        return new JobDocument(job.jobId(), job.state().name(), job.connection(), job.eventType(),
                job.deliveryId(), job.requestId(), job.pipeline(), job.traceId(), job.currentStage(),
                job.currentAttempt(), job.createdAt(), job.updatedAt(), job.finishedAt(), job.error(),
                "/jobs/" + job.jobId() + "/events", job.stages().stream().map(StageDocument::of).toList(),
                ops.replays(), ops.refusedReplays(), ops.cancellation(), attempt, held, progress,
                JobArtifacts.of(job));
    }
}
