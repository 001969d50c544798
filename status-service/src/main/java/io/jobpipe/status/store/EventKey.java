package io.jobpipe.status.store;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.MappedProperty;

/** Primary key of {@code job_events}: the job and the event's per-job sequence number. */
@Embeddable
public record EventKey(@MappedProperty("job_id") String jobId, @MappedProperty("seq") long seq) {
}
