package io.jobpipe.status.store;

import io.jobpipe.core.event.JobStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which jobs an ops request means: every given field must match (null fields match anything).
 *
 * @param states     the jobs' current states (dead-letter views: DEAD_LETTERED only)
 * @param stage      the job's current stage; for a dead-lettered job, the stage it died at
 * @param errorClass the error type of the job's latest JobDeadLettered; matches dead-lettered jobs only
 * @param since      inclusive lower bound of the job's "at": when it was dead-lettered, else its last change
 * @param until      exclusive upper bound of the same
 */
public record JobSelection(Set<JobStatus> states, String stage, String errorClass, String connection,
                           String pipeline, Instant since, Instant until) {

    public JobSelection {
        Objects.requireNonNull(states, "states");
        if (states.isEmpty()) {
            throw new IllegalArgumentException("a selection needs at least one state");
        }
        states = Set.copyOf(states);
    }

    public static JobSelection deadLettered(String stage, String errorClass, String connection, String pipeline,
                                            Instant since, Instant until) {
        return new JobSelection(EnumSet.of(JobStatus.DEAD_LETTERED), stage, errorClass, connection, pipeline, since,
                until);
    }

    /**
     * The filter as a stable query string (fields in a fixed order, absent ones left out), e.g.
     * {@code stage=act&errorClass=HttpError}; written into each command it selects, so a job's history says which
     * selection touched it. The states appear only when they are not just DEAD_LETTERED.
     */
    public String canonical() {
        List<String> parts = new ArrayList<>();
        if (!states.equals(Set.of(JobStatus.DEAD_LETTERED))) {
            parts.add("state=" + String.join(",", states.stream().map(Enum::name).sorted().toList()));
        }
        add(parts, "stage", stage);
        add(parts, "errorClass", errorClass);
        add(parts, "connection", connection);
        add(parts, "pipeline", pipeline);
        add(parts, "since", since == null ? null : since.toString());
        add(parts, "until", until == null ? null : until.toString());
        return String.join("&", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + "=" + value);
        }
    }
}
