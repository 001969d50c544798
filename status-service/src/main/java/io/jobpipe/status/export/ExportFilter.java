package io.jobpipe.status.export;

import io.jobpipe.core.event.JobStatus;

import java.time.Instant;

/**
 * Which jobs an export holds: every given field must match (null matches anything); {@code since} inclusive and
 * {@code until} exclusive bound the job's creation time.
 */
public record ExportFilter(String pipeline, String connection, JobStatus state, Instant since, Instant until) {
    public static final ExportFilter ALL = new ExportFilter(null, null, null, null, null);
}
