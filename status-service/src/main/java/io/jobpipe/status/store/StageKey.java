package io.jobpipe.status.store;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.MappedProperty;

/** Primary key of {@code job_stages}. */
@Embeddable
public record StageKey(@MappedProperty("job_id") String jobId, @MappedProperty("stage") String stage) {
}
