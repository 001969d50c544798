package io.jobpipe.status.api;

import io.jobpipe.status.store.JobEntity;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/**
 * One job in {@code GET /jobs}.
 *
 * @param subject    what the job is about (the normalize stage's subject), null until that stage succeeded
 * @param errorClass the error type a failed or dead-lettered job rests in ({@code Cancelled} when cancelled)
 */
@Introspected
public record JobSummary(String jobId, String state, String connection, String eventType, String pipeline,
                         String currentStage, String subject, String errorClass, Instant createdAt, Instant updatedAt,
                         Instant finishedAt) {

    static JobSummary of(JobEntity job) {
        return new JobSummary(job.jobId(), job.state(), job.connection(), job.eventType(), job.pipeline(),
                job.currentStage(), job.subject(), job.errorClass(), job.createdAt(), job.updatedAt(),
                job.finishedAt());
    }
}
