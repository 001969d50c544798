package io.jobpipe.status.api;

import io.jobpipe.status.projection.JobView;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /jobs/{id}}: a job and its stages in pipeline order.
 *
 * @param eventsUrl the job's Server-Sent Events stream, relative to this API's root
 */
@Introspected
public record JobDocument(String jobId, String state, String connection, String eventType, String deliveryId,
                          String requestId, String pipeline, String traceId, String currentStage,
                          Integer currentAttempt, Instant createdAt, Instant updatedAt, Instant finishedAt,
                          String error, String eventsUrl, List<StageDocument> stages) {

    static JobDocument of(JobView job) {
        return new JobDocument(job.jobId(), job.state().name(), job.connection(), job.eventType(),
                job.deliveryId(), job.requestId(), job.pipeline(), job.traceId(), job.currentStage(),
                job.currentAttempt(), job.createdAt(), job.updatedAt(), job.finishedAt(), job.error(),
                "/jobs/" + job.jobId() + "/events", job.stages().stream().map(StageDocument::of).toList());
    }
}
