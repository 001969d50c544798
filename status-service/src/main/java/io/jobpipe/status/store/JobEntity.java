package io.jobpipe.status.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A row of {@code jobs}. See {@link io.jobpipe.status.projection.JobView} for the meaning of each column. */
@MappedEntity("jobs")
public record JobEntity(@Id String jobId,
                        @Nullable String connection,
                        @Nullable String eventType,
                        @Nullable String deliveryId,
                        @Nullable String requestId,
                        @Nullable String pipeline,
                        String state,
                        @Nullable String currentStage,
                        @Nullable Integer currentAttempt,
                        long lastSeq,
                        @Nullable String traceId,
                        @Nullable String errorClass,
                        @Nullable String error,
                        Instant createdAt,
                        Instant updatedAt,
                        @Nullable Instant finishedAt,
                        @Nullable String subject) {
}
