package io.jobpipe.status.api;

import io.jobpipe.status.store.JobEntity;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/** One job in {@code GET /jobs}. */
@Introspected
public record JobSummary(String jobId, String state, String connection, String eventType, String pipeline,
                         String currentStage, Instant createdAt, Instant updatedAt) {

    static JobSummary of(JobEntity job) {
        return new JobSummary(job.jobId(), job.state(), job.connection(), job.eventType(), job.pipeline(),
                job.currentStage(), job.createdAt(), job.updatedAt());
    }
}
